//! Every key binding, written once. Key handling, the hint bar, the help
//! popup and the prompts are all read from [`BINDINGS`], so what the app
//! says a key does and what the key does cannot drift apart.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// Where a binding applies: the screen, or the popup over it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Context {
    /// A saved login is being checked.
    Resuming,
    Login,
    /// Any list of woofs: the feeds, a profile, a thread.
    Woofs,
    /// Home and Everyone.
    Feed,
    /// A dog's profile.
    Profile,
    /// A woof with the woof it answers and its replies.
    Thread,
    /// The help popup, scrolled when it is taller than the screen.
    Help,
    Compose,
    ConfirmDelete,
    Account,
    /// The account panel's password and deletion forms.
    AccountForm,
    /// Before any other context.
    Anywhere,
}

impl Context {
    /// The heading the help popup gives this context.
    pub fn title(self) -> &'static str {
        match self {
            Self::Resuming => "Starting",
            Self::Login => "Logging in",
            Self::Woofs => "Any list of woofs",
            Self::Feed => "Home and Everyone",
            Self::Profile => "A dog's profile",
            Self::Thread => "A thread",
            Self::Help => "This help",
            Self::Compose => "Writing a woof",
            Self::ConfirmDelete => "Deleting a woof",
            Self::Account => "Your account",
            Self::AccountForm => "Account forms",
            Self::Anywhere => "Anywhere",
        }
    }

    /// The context whose keys also work here, unless this one binds them.
    pub fn parent(self) -> Option<Context> {
        match self {
            Self::Feed | Self::Profile | Self::Thread => Some(Self::Woofs),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Quit,
    // The feed.
    Next,
    Previous,
    PageDown,
    PageUp,
    Newest,
    Oldest,
    Refresh,
    Compose,
    Reply,
    Like,
    OpenThread,
    AuthorProfile,
    OwnProfile,
    Delete,
    LogOut,
    Help,
    Account,
    SwitchFeed,
    // A profile.
    Follow,
    // The account panel.
    Back,
    EndSession,
    EndOthers,
    ChangePassword,
    DeleteAccount,
    // The editor.
    Send,
    NewLine,
    CloseEditor,
    // The login form.
    Submit,
    NextField,
    SwitchMode,
    // A yes/no question.
    Yes,
    No,
}

/// One key: a code, with or without Ctrl. Shift is part of the code
/// (`G`, `?`), since terminals differ in whether they report it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
}

const fn key(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: false,
    }
}

const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: true,
    }
}

const fn special(code: KeyCode) -> Key {
    Key { code, ctrl: false }
}

impl Key {
    pub fn matches(&self, event: &KeyEvent) -> bool {
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        let alt = event.modifiers.contains(KeyModifiers::ALT);
        let code = match event.code {
            // Ctrl+S may arrive as `S` with Shift held; both mean Ctrl+S.
            KeyCode::Char(c) if ctrl => KeyCode::Char(c.to_ascii_lowercase()),
            code => code,
        };
        !alt && ctrl == self.ctrl && code == self.code
    }

    /// How the key is written on screen: `j`, `↓`, `PgDn`, `Ctrl+S`.
    pub fn label(&self) -> String {
        let name = match self.code {
            KeyCode::Char(c) if self.ctrl => c.to_ascii_uppercase().to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "Shift+Tab".into(),
            KeyCode::Esc => "Esc".into(),
            other => format!("{other:?}"),
        };
        if self.ctrl {
            format!("Ctrl+{name}")
        } else {
            name
        }
    }
}

pub struct Binding {
    pub context: Context,
    pub keys: &'static [Key],
    pub action: Action,
    /// A word or two for the hint bar; `None` keeps it to the help popup.
    pub hint: Option<&'static str>,
    /// What the key does, for the help popup.
    pub help: &'static str,
}

impl Binding {
    /// All its keys: `j / ↓`.
    pub fn keys_label(&self) -> String {
        self.keys
            .iter()
            .map(Key::label)
            .collect::<Vec<_>>()
            .join(" / ")
    }

    /// Its first key and its hint: `n new`.
    pub fn hint_label(&self) -> Option<String> {
        Some(format!("{} {}", self.keys.first()?.label(), self.hint?))
    }
}

const fn bind(
    context: Context,
    keys: &'static [Key],
    action: Action,
    hint: Option<&'static str>,
    help: &'static str,
) -> Binding {
    Binding {
        context,
        keys,
        action,
        hint,
        help,
    }
}

use Action as A;
use Context as C;

/// The table: context, keys, action, hint-bar word, help line.
#[rustfmt::skip]
pub const BINDINGS: &[Binding] = &[
    bind(C::Anywhere,      &[ctrl('c')],                              A::Quit,        None,                  "quit"),
    bind(C::Woofs,         &[key('j'), special(KeyCode::Down)],       A::Next,        None,                  "next woof"),
    bind(C::Woofs,         &[key('k'), special(KeyCode::Up)],         A::Previous,    None,                  "previous woof"),
    bind(C::Woofs,         &[special(KeyCode::PageDown)],             A::PageDown,    None,                  "a page down"),
    bind(C::Woofs,         &[special(KeyCode::PageUp)],               A::PageUp,      None,                  "a page up"),
    bind(C::Woofs,         &[key('g'), special(KeyCode::Home)],       A::Newest,      None,                  "first woof"),
    bind(C::Woofs,         &[key('G'), special(KeyCode::End)],        A::Oldest,      None,                  "last loaded woof"),
    bind(C::Woofs,         &[key('n')],                               A::Compose,     Some("new"),           "new woof"),
    bind(C::Woofs,         &[key('R')],                               A::Reply,       Some("reply"),         "reply to the selected woof"),
    bind(C::Woofs,         &[key('f')],                               A::Like,        Some("like"),          "like or unlike the selected woof"),
    bind(C::Woofs,         &[special(KeyCode::Enter), key('t')],      A::OpenThread,  Some("thread"),        "open the selected woof's thread"),
    bind(C::Woofs,         &[key('u')],                               A::AuthorProfile, Some("dog"),         "the selected woof's dog: its profile"),
    bind(C::Woofs,         &[key('p')],                               A::OwnProfile,  None,                  "your profile"),
    bind(C::Woofs,         &[key('r')],                               A::Refresh,     None,                  "refresh (or retry)"),
    bind(C::Woofs,         &[key('d')],                               A::Delete,      None,                  "delete your selected woof"),
    bind(C::Woofs,         &[key('?')],                               A::Help,        Some("help"),          "this help"),
    bind(C::Feed,          &[special(KeyCode::Tab), special(KeyCode::BackTab)], A::SwitchFeed, Some("Home/Everyone"), "switch between Home and Everyone"),
    bind(C::Feed,          &[key('a')],                               A::Account,     None,                  "your account: sessions, password"),
    bind(C::Feed,          &[key('L')],                               A::LogOut,      None,                  "log out"),
    bind(C::Feed,          &[key('q')],                               A::Quit,        Some("quit"),          "quit"),
    bind(C::Profile,       &[key('F')],                               A::Follow,      Some("follow"),        "follow or unfollow this dog"),
    bind(C::Profile,       &[special(KeyCode::Esc), key('q')],        A::Back,        Some("back"),          "back"),
    bind(C::Thread,        &[special(KeyCode::Esc), key('q')],        A::Back,        Some("back"),          "back"),
    bind(C::Help,          &[key('j'), special(KeyCode::Down)],       A::Next,        Some("down"),          "scroll down a line"),
    bind(C::Help,          &[key('k'), special(KeyCode::Up)],         A::Previous,    Some("up"),            "scroll up a line"),
    bind(C::Help,          &[special(KeyCode::PageDown)],             A::PageDown,    None,                  "scroll down a page"),
    bind(C::Help,          &[special(KeyCode::PageUp)],               A::PageUp,      None,                  "scroll up a page"),
    bind(C::Help,          &[special(KeyCode::Esc)],                  A::Back,        Some("close"),         "close it; any other key does too"),
    bind(C::Compose,       &[ctrl('s')],                              A::Send,        Some("send"),          "send the woof"),
    bind(C::Compose,       &[special(KeyCode::Enter)],                A::NewLine,     Some("new line"),      "new line"),
    bind(C::Compose,       &[special(KeyCode::Esc)],                  A::CloseEditor, Some("close (keeps the draft)"), "close the editor, keeping the draft"),
    bind(C::ConfirmDelete, &[key('y'), key('Y')],                     A::Yes,         Some("delete"),        "delete the woof"),
    bind(C::ConfirmDelete, &[key('n'), key('N'), special(KeyCode::Esc)], A::No,       Some("keep"),          "keep it"),
    bind(C::Account,       &[key('j'), special(KeyCode::Down)],       A::Next,        None,                  "next session"),
    bind(C::Account,       &[key('k'), special(KeyCode::Up)],         A::Previous,    None,                  "previous session"),
    bind(C::Account,       &[key('x')],                               A::EndSession,  Some("end session"),   "end the selected session"),
    bind(C::Account,       &[key('X')],                               A::EndOthers,   Some("end others"),    "end every session but this one"),
    bind(C::Account,       &[key('p')],                               A::ChangePassword, Some("password"),   "change your password"),
    bind(C::Account,       &[key('D')],                               A::DeleteAccount, Some("delete account"), "delete your account"),
    bind(C::Account,       &[key('r')],                               A::Refresh,     Some("refresh"),       "refresh the sessions"),
    bind(C::Account,       &[special(KeyCode::Esc)],                  A::Back,        Some("back"),          "back to the feed"),
    bind(C::AccountForm,   &[special(KeyCode::Enter)],                A::Submit,      Some("submit"),        "send the form"),
    bind(C::AccountForm,   &[special(KeyCode::Tab), special(KeyCode::BackTab)], A::NextField, Some("next field"), "the next field"),
    bind(C::AccountForm,   &[special(KeyCode::Esc)],                  A::Back,        Some("cancel"),        "back to your sessions"),
    bind(C::Resuming,      &[key('r')],                               A::Refresh,     Some("retry"),         "check the saved login again"),
    bind(C::Resuming,      &[key('L')],                               A::LogOut,      Some("log out"),       "forget the saved login"),
    bind(C::Resuming,      &[key('q')],                               A::Quit,        Some("quit"),          "quit"),
    bind(C::Login,         &[special(KeyCode::Enter)],                A::Submit,      Some("submit"),        "log in, or create the account"),
    bind(C::Login,         &[special(KeyCode::Tab), special(KeyCode::BackTab), special(KeyCode::Up), special(KeyCode::Down)],
                                                                      A::NextField,   Some("next field"),    "the other field"),
    bind(C::Login,         &[ctrl('n')],                              A::SwitchMode,  Some("new account"),   "log in ↔ create an account"),
    bind(C::Login,         &[special(KeyCode::Esc)],                  A::Quit,        Some("quit"),          "quit"),
];

/// What `event` does in `context` (or anywhere, or in the context it
/// inherits from); `None` for a key the table does not bind there, which a
/// text field may take as typing.
pub fn action(context: Context, event: &KeyEvent) -> Option<Action> {
    if event.kind == KeyEventKind::Release {
        return None;
    }
    [Some(Context::Anywhere), Some(context), context.parent()]
        .into_iter()
        .flatten()
        .find_map(|c| {
            BINDINGS
                .iter()
                .filter(|b| b.context == c)
                .find(|b| b.keys.iter().any(|k| k.matches(event)))
                .map(|b| b.action)
        })
}

pub fn bindings(context: Context) -> impl Iterator<Item = &'static Binding> {
    BINDINGS.iter().filter(move |b| b.context == context)
}

/// The bindings live in `context` besides the ones that work anywhere:
/// those it inherits, then its own.
pub fn live_bindings(context: Context) -> impl Iterator<Item = &'static Binding> {
    context
        .parent()
        .into_iter()
        .flat_map(bindings)
        .chain(bindings(context))
}

/// The hint bar's order, most important first: a bar too narrow for all
/// its hints leaves them off from the end. Help is not ranked: its hint
/// always stays, last, since the popup it opens lists every other key.
const HINT_PRIORITY: &[Action] = &[
    Action::Send,
    Action::NewLine,
    Action::CloseEditor,
    Action::Yes,
    Action::No,
    Action::Submit,
    Action::NextField,
    Action::SwitchMode,
    Action::Follow,
    Action::Back,
    Action::Next,
    Action::Previous,
    Action::Compose,
    Action::SwitchFeed,
    Action::Reply,
    Action::Like,
    Action::OpenThread,
    Action::AuthorProfile,
    Action::EndSession,
    Action::EndOthers,
    Action::ChangePassword,
    Action::DeleteAccount,
    Action::Refresh,
    Action::LogOut,
    Action::Quit,
];

/// One hint of the bar: a key and a word or two, `n new`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    pub text: String,
    /// Kept however narrow the bar: the way to the help popup.
    pub pinned: bool,
}

/// Where `action`'s hint goes on the bar.
fn hint_rank(action: Action) -> usize {
    match action {
        Action::Help => usize::MAX,
        _ => HINT_PRIORITY
            .iter()
            .position(|&a| a == action)
            .unwrap_or(HINT_PRIORITY.len()),
    }
}

/// The hints of `context`, most important first and help last.
pub fn hint_list(context: Context) -> Vec<Hint> {
    hint_list_renamed(context, |_| None)
}

/// The hints, with some worded for the moment (the login form says "log in
/// instead" while creating an account); the keys are still the table's.
pub fn hint_list_renamed(
    context: Context,
    rename: impl Fn(Action) -> Option<&'static str>,
) -> Vec<Hint> {
    let mut hinted: Vec<_> = live_bindings(context)
        .filter_map(|b| {
            let text = match rename(b.action) {
                Some(hint) => format!("{} {hint}", b.keys.first()?.label()),
                None => b.hint_label()?,
            };
            Some((b.action, text))
        })
        .collect();
    // Stable: hints of one rank keep the table's order.
    hinted.sort_by_key(|&(action, _)| hint_rank(action));
    hinted
        .into_iter()
        .map(|(action, text)| Hint {
            text,
            pinned: action == Action::Help,
        })
        .collect()
}

/// The hint bar's text for `context`, every hint: `n new · R reply · …`.
pub fn hints(context: Context) -> String {
    joined(&hint_list(context))
}

/// Hints as one line, `a · b · c`.
pub fn joined(hints: &[Hint]) -> String {
    hints
        .iter()
        .map(|h| h.text.as_str())
        .collect::<Vec<_>>()
        .join(" · ")
}

/// As many whole hints as fit in `width` cells, in their order, and the
/// pinned ones after them whatever is left off; empty when not even those
/// fit. A hint is never cut.
pub fn fit(hints: &[Hint], width: usize) -> String {
    let cells = |h: &Hint| crate::text::width(&h.text);
    let pinned: Vec<&Hint> = hints.iter().filter(|h| h.pinned).collect();
    let mut used: usize = pinned.iter().map(|h| cells(h) + 3).sum();
    if used.saturating_sub(3) > width {
        return String::new();
    }
    let mut shown: Vec<&Hint> = Vec::new();
    for hint in hints.iter().filter(|h| !h.pinned) {
        let more = cells(hint) + 3;
        if used + more > width + 3 {
            break;
        }
        used += more;
        shown.push(hint);
    }
    shown.extend(pinned);
    shown
        .iter()
        .map(|h| h.text.as_str())
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The first key bound to `action` in `context`, as written on screen.
pub fn key_for(context: Context, action: Action) -> String {
    live_bindings(context)
        .find(|b| b.action == action)
        .and_then(|b| b.keys.first())
        .map_or_else(String::new, Key::label)
}

/// The whole table in Markdown, as the README prints it.
pub fn markdown_table() -> String {
    let mut table = String::from("| key | where | what |\n| --- | --- | --- |\n");
    for binding in BINDINGS {
        table.push_str(&format!(
            "| {} | {} | {} |\n",
            binding.keys_label(),
            binding.context.title(),
            binding.help
        ));
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn every_key_in_the_table_does_its_action_in_its_context() {
        for binding in BINDINGS {
            for key in binding.keys {
                let modifiers = if key.ctrl {
                    KeyModifiers::CONTROL
                } else {
                    KeyModifiers::NONE
                };
                assert_eq!(
                    action(binding.context, &press(key.code, modifiers)),
                    Some(binding.action),
                    "{} in {:?}",
                    key.label(),
                    binding.context
                );
            }
        }
    }

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        for (i, a) in BINDINGS.iter().enumerate() {
            for b in &BINDINGS[i + 1..] {
                // A context's own key would hide the one it inherits.
                let related = a.context == b.context
                    || a.context.parent() == Some(b.context)
                    || b.context.parent() == Some(a.context);
                let clash = related && a.keys.iter().any(|k| b.keys.contains(k));
                assert!(!clash, "{} and {}", a.keys_label(), b.keys_label());
            }
        }
    }

    #[test]
    fn the_readme_prints_the_table_as_it_is() {
        let readme = include_str!("../../README.md");
        assert!(
            readme.contains(&markdown_table()),
            "README.md's key table differs from the key table; it should read:\n{}",
            markdown_table()
        );
    }

    #[test]
    fn keys_are_written_as_people_read_them() {
        assert_eq!(
            hints(Context::Feed),
            "n new · Tab Home/Everyone · R reply · f like · Enter thread · u dog · q quit · ? help"
        );
        assert_eq!(
            hints(Context::Profile),
            "F follow · Esc back · n new · R reply · f like · Enter thread · u dog · ? help"
        );
        let next = bindings(Context::Woofs)
            .find(|b| b.action == Action::Next)
            .unwrap();
        assert_eq!(next.keys_label(), "j / ↓");
        assert_eq!(key_for(Context::Compose, Action::Send), "Ctrl+S");
    }

    #[test]
    fn every_hinted_action_has_a_place_on_the_bar() {
        for binding in BINDINGS.iter().filter(|b| b.hint.is_some()) {
            assert!(
                binding.action == Action::Help || HINT_PRIORITY.contains(&binding.action),
                "{:?} is hinted but not in HINT_PRIORITY",
                binding.action
            );
        }
    }

    #[test]
    fn a_narrow_bar_keeps_the_first_whole_hints_and_help() {
        let feed = hint_list(Context::Feed);
        let all = joined(&feed);
        assert_eq!(fit(&feed, 200), all);
        assert_eq!(fit(&feed, all.chars().count()), all);
        assert_eq!(
            fit(&feed, all.chars().count() - 1),
            "n new · Tab Home/Everyone · R reply · f like · Enter thread · u dog · ? help"
        );
        assert_eq!(fit(&feed, 30), "n new · ? help");
        assert_eq!(fit(&feed, 34), "n new · Tab Home/Everyone · ? help");
        assert_eq!(fit(&feed, 6), "? help");
        assert_eq!(fit(&feed, 5), "");
        let account = hint_list(Context::Account);
        // Without a help key, nothing is pinned: the first hints that fit.
        assert_eq!(fit(&account, 24), "Esc back · x end session");
        assert_eq!(fit(&account, 23), "Esc back");
        assert_eq!(fit(&account, 7), "");
    }

    #[test]
    fn shift_is_in_the_letter_and_ctrl_is_not_a_letter() {
        assert_eq!(
            action(
                Context::Feed,
                &press(KeyCode::Char('G'), KeyModifiers::SHIFT)
            ),
            Some(Action::Oldest)
        );
        assert_eq!(
            action(
                Context::Feed,
                &press(KeyCode::Char('n'), KeyModifiers::CONTROL)
            ),
            None
        );
        assert_eq!(
            action(
                Context::Compose,
                &press(
                    KeyCode::Char('S'),
                    KeyModifiers::CONTROL | KeyModifiers::SHIFT
                )
            ),
            Some(Action::Send)
        );
        assert_eq!(
            action(
                Context::Login,
                &press(KeyCode::Char('c'), KeyModifiers::CONTROL)
            ),
            Some(Action::Quit)
        );
        assert_eq!(
            action(
                Context::Compose,
                &press(KeyCode::Char('q'), KeyModifiers::NONE)
            ),
            None
        );
    }
}
