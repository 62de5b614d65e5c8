//! The app's state and how keys and network results change it. No I/O
//! here: requests go out as `Command`s, run by tasks, and come back as
//! `Outcome`s, so the UI never waits on the network.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use woofer_shared::api::{ErrorCode, FeedPage, User, Woof};

use crate::api::ApiError;
use crate::components::compose::{ComposeAction, ComposeBox};
use crate::components::feed::FeedView;
use crate::components::login::{LoginAction, LoginForm, Mode};
use crate::components::status_bar::Status;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Login,
    Feed,
}

/// Network work for a task to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    CheckSession,
    Login { username: String, password: String },
    Register { username: String, password: String },
    LoadNewest,
    LoadOlder(i64),
    Post(String),
    Delete(i64),
    Logout,
    SaveJar,
}

/// What came back.
#[derive(Debug, Clone)]
pub enum Outcome {
    SessionChecked(Result<User, ApiError>),
    LoggedIn(Result<User, ApiError>),
    NewestLoaded(Result<FeedPage, ApiError>),
    OlderLoaded(Result<FeedPage, ApiError>),
    Posted(Result<Woof, ApiError>),
    Deleted(i64, Result<(), ApiError>),
    LoggedOut(Result<(), ApiError>),
    /// Saving the cookie jar failed (local, not a request).
    JarNotSaved(String),
}

pub const SESSION_ENDED: &str = "Your session has ended; please log in again.";
const FEED_KEYS: &str = "n new · r refresh · d delete · L log out · ? help · q quit";
const LOGIN_KEYS: &str = "Enter submit · Tab next field · Ctrl+N account · Esc quit";

pub struct App {
    pub screen: Screen,
    pub server: String,
    pub user: Option<User>,
    pub login: LoginForm,
    pub feed: FeedView,
    pub compose: ComposeBox,
    pub help_open: bool,
    /// The woof a y/n question is about.
    pub confirm_delete: Option<i64>,
    pub status: Option<Status>,
    /// Requests out, for the spinner.
    pub pending: usize,
    pub tick: usize,
    pub should_quit: bool,
}

impl App {
    /// `has_session` when the saved jar holds a session worth checking.
    pub fn new(
        server: &str,
        has_session: bool,
        jar_warning: Option<String>,
    ) -> (Self, Vec<Command>) {
        let mut app = Self {
            screen: if has_session {
                Screen::Feed
            } else {
                Screen::Login
            },
            server: server.to_owned(),
            user: None,
            login: LoginForm::default(),
            feed: FeedView::default(),
            compose: ComposeBox::default(),
            help_open: false,
            confirm_delete: None,
            status: jar_warning.map(Status::Error),
            pending: 0,
            tick: 0,
            should_quit: false,
        };
        let commands = if has_session {
            app.send(vec![Command::CheckSession])
        } else {
            Vec::new()
        };
        (app, commands)
    }

    pub fn keys_hint(&self) -> &'static str {
        match self.screen {
            Screen::Login => LOGIN_KEYS,
            Screen::Feed => FEED_KEYS,
        }
    }

    /// Counts requests going out (SaveJar is local and instant).
    fn send(&mut self, commands: Vec<Command>) -> Vec<Command> {
        self.pending += commands.iter().filter(|c| **c != Command::SaveJar).count();
        commands
    }

    pub fn on_tick(&mut self) {
        self.tick = self.tick.wrapping_add(1);
    }

    pub fn on_key(&mut self, key: KeyEvent) -> Vec<Command> {
        if key.kind == KeyEventKind::Release {
            return Vec::new();
        }
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        if ctrl && key.code == KeyCode::Char('c') {
            self.should_quit = true;
            return Vec::new();
        }
        if self.help_open {
            self.help_open = false;
            return Vec::new();
        }
        match self.screen {
            Screen::Login => self.on_login_key(key),
            Screen::Feed if self.compose.open => self.on_compose_key(key),
            Screen::Feed if self.confirm_delete.is_some() => self.on_confirm_key(key),
            Screen::Feed => self.on_feed_key(key),
        }
    }

    pub fn on_paste(&mut self, text: &str) {
        match self.screen {
            Screen::Login => self.login.paste(text),
            Screen::Feed if self.compose.open => self.compose.paste(text),
            Screen::Feed => {}
        }
    }

    fn on_login_key(&mut self, key: KeyEvent) -> Vec<Command> {
        match self.login.handle_key(key) {
            Some(LoginAction::Quit) => {
                self.should_quit = true;
                Vec::new()
            }
            Some(LoginAction::Submit {
                mode,
                username,
                password,
            }) => {
                self.status = None;
                let command = match mode {
                    Mode::LogIn => Command::Login { username, password },
                    Mode::CreateAccount => Command::Register { username, password },
                };
                self.send(vec![command])
            }
            None => Vec::new(),
        }
    }

    fn on_compose_key(&mut self, key: KeyEvent) -> Vec<Command> {
        match self.compose.handle_key(key) {
            Some(ComposeAction::Send(body)) => self.send(vec![Command::Post(body)]),
            Some(ComposeAction::Close) => {
                self.compose.open = false;
                Vec::new()
            }
            None => Vec::new(),
        }
    }

    fn on_confirm_key(&mut self, key: KeyEvent) -> Vec<Command> {
        let id = self.confirm_delete.take();
        match (key.code, id) {
            (KeyCode::Char('y' | 'Y'), Some(id)) => self.send(vec![Command::Delete(id)]),
            _ => Vec::new(),
        }
    }

    fn on_feed_key(&mut self, key: KeyEvent) -> Vec<Command> {
        match key.code {
            KeyCode::Char('q') => self.should_quit = true,
            KeyCode::Char('j') | KeyCode::Down => self.feed.move_by(1),
            KeyCode::Char('k') | KeyCode::Up => self.feed.move_by(-1),
            KeyCode::PageDown => self.feed.page(true),
            KeyCode::PageUp => self.feed.page(false),
            KeyCode::Char('g') | KeyCode::Home => self.feed.first(),
            KeyCode::Char('G') | KeyCode::End => self.feed.last(),
            KeyCode::Char('?') => self.help_open = true,
            KeyCode::Char('n') => {
                self.compose.open = true;
                self.compose.error = None;
            }
            KeyCode::Char('r') => {
                let command = if self.user.is_some() {
                    Command::LoadNewest
                } else {
                    Command::CheckSession
                };
                return self.send(vec![command]);
            }
            KeyCode::Char('d') => match (self.feed.selected_woof(), &self.user) {
                (Some(woof), Some(me)) if woof.author == me.username => {
                    self.confirm_delete = Some(woof.id)
                }
                (Some(_), _) => {
                    self.status = Some(Status::Error("you can only delete your own woofs".into()))
                }
                (None, _) => {}
            },
            KeyCode::Char('L') => return self.send(vec![Command::Logout]),
            _ => {}
        }
        self.older_if_needed()
    }

    fn older_if_needed(&mut self) -> Vec<Command> {
        match self.feed.wants_older() {
            Some(before) => {
                self.feed.loading_older = true;
                self.send(vec![Command::LoadOlder(before)])
            }
            None => Vec::new(),
        }
    }

    pub fn on_outcome(&mut self, outcome: Outcome) -> Vec<Command> {
        if let Outcome::JarNotSaved(why) = outcome {
            self.status = Some(Status::Error(format!("cannot save the cookie jar: {why}")));
            return Vec::new();
        }
        self.pending = self.pending.saturating_sub(1);
        if self.screen == Screen::Login && is_feed_outcome(&outcome) {
            // An answer to a request made before logging out: nothing to show.
            return Vec::new();
        }
        match outcome {
            Outcome::SessionChecked(Ok(user)) | Outcome::LoggedIn(Ok(user)) => self.logged_in(user),
            Outcome::SessionChecked(Err(e)) => {
                if e.is_unauthenticated() {
                    self.back_to_login(Some(SESSION_ENDED.into()));
                    return self.send(vec![Command::SaveJar]);
                }
                self.failed(&e);
                Vec::new()
            }
            Outcome::LoggedIn(Err(e)) => {
                self.login.pending = false;
                self.login.error = Some(login_error(&e));
                Vec::new()
            }
            Outcome::NewestLoaded(Ok(page)) => {
                self.feed.merge_newest(page);
                self.clear_unreachable();
                self.older_if_needed()
            }
            Outcome::OlderLoaded(Ok(page)) => {
                self.feed.append_older(page);
                self.older_if_needed()
            }
            Outcome::NewestLoaded(Err(e)) => self.failed(&e),
            Outcome::OlderLoaded(Err(e)) => {
                self.feed.loading_older = false;
                self.failed(&e)
            }
            Outcome::Posted(Ok(woof)) => {
                self.compose.sent();
                self.feed.insert_own(woof);
                self.status = Some(Status::Info("woofed!".into()));
                Vec::new()
            }
            Outcome::Posted(Err(e)) => {
                // The draft stays; the editor says why.
                self.compose.sending = false;
                self.compose.error = Some(e.to_string());
                self.failed(&e)
            }
            Outcome::Deleted(id, Ok(())) => {
                self.feed.remove(id);
                self.status = Some(Status::Info("woof deleted".into()));
                Vec::new()
            }
            Outcome::Deleted(id, Err(e)) => {
                if matches!(e, ApiError::Server { status: 404, .. }) {
                    // Already gone: the feed should say so too.
                    self.feed.remove(id);
                }
                self.failed(&e)
            }
            Outcome::LoggedOut(result) => {
                self.back_to_login(None);
                self.status = Some(match result {
                    Ok(()) => Status::Info("logged out".into()),
                    Err(e) => Status::Error(format!("logged out here, but {e}")),
                });
                self.send(vec![Command::SaveJar])
            }
            Outcome::JarNotSaved(_) => Vec::new(),
        }
    }

    fn logged_in(&mut self, user: User) -> Vec<Command> {
        self.login.pending = false;
        self.login.error = None;
        self.login.notice = None;
        self.login.clear_password();
        self.login.set_username(&user.username);
        self.user = Some(user);
        self.screen = Screen::Feed;
        self.clear_unreachable();
        self.send(vec![Command::SaveJar, Command::LoadNewest])
    }

    fn back_to_login(&mut self, notice: Option<String>) {
        self.screen = Screen::Login;
        self.user = None;
        self.feed = FeedView::default();
        // The draft stays (the same dog usually logs straight back in), but
        // nothing is on its way any more.
        self.compose.open = false;
        self.compose.sending = false;
        self.compose.error = None;
        self.confirm_delete = None;
        self.login.pending = false;
        self.login.notice = notice;
    }

    /// An error on the feed: a lost session goes back to the login screen;
    /// anything else is said in the status bar.
    fn failed(&mut self, e: &ApiError) -> Vec<Command> {
        if e.is_unauthenticated() && self.screen == Screen::Feed {
            self.back_to_login(Some(SESSION_ENDED.into()));
            return self.send(vec![Command::SaveJar]);
        }
        let text = match e {
            ApiError::Unreachable { .. } => format!("{e} — press r to retry"),
            _ => e.to_string(),
        };
        self.status = Some(Status::Error(text));
        Vec::new()
    }

    fn clear_unreachable(&mut self) {
        if matches!(&self.status, Some(Status::Error(t)) if t.starts_with("cannot reach")) {
            self.status = None;
        }
    }
}

/// Answers that only mean something on the feed of the dog who asked.
fn is_feed_outcome(outcome: &Outcome) -> bool {
    matches!(
        outcome,
        Outcome::NewestLoaded(_)
            | Outcome::OlderLoaded(_)
            | Outcome::Posted(_)
            | Outcome::Deleted(..)
    )
}

/// What the login form says when the server refuses.
fn login_error(e: &ApiError) -> String {
    match e {
        ApiError::Server {
            code: ErrorCode::ValidationFailed,
            field: Some(field),
            message,
            ..
        } => {
            format!("{field}: {message}")
        }
        ApiError::Server {
            retry_after: Some(secs),
            message,
            ..
        } if !message.contains(&secs.to_string()) => {
            format!("{message} (try again in {})", wait_text(*secs))
        }
        other => other.to_string(),
    }
}

/// "45 s", "3 min": how long a `Retry-After` asks to wait.
fn wait_text(secs: u64) -> String {
    if secs < 60 {
        format!("{secs} s")
    } else {
        format!("{} min", secs.div_ceil(60))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn rex() -> User {
        User {
            id: 1,
            username: "rex".into(),
            created_at: "2026-11-25T19:04:05Z".into(),
        }
    }

    fn woof(id: i64, author: &str) -> Woof {
        Woof {
            id,
            author: author.into(),
            body: format!("woof {id}"),
            created_at: "2026-11-25T19:04:05Z".into(),
        }
    }

    fn logged_in_app(woofs: Vec<Woof>) -> App {
        let (mut app, _) = App::new("http://127.0.0.1:8000", false, None);
        app.on_outcome(Outcome::LoggedIn(Ok(rex())));
        app.on_outcome(Outcome::NewestLoaded(Ok(FeedPage {
            woofs,
            next_before: None,
        })));
        app
    }

    #[test]
    fn a_saved_session_is_checked_and_a_refused_one_says_so() {
        let (mut app, commands) = App::new("http://x", true, None);
        assert_eq!(commands, vec![Command::CheckSession]);
        let unauthenticated = ApiError::Server {
            status: 401,
            code: ErrorCode::Unauthenticated,
            message: "you need to log in first".into(),
            field: None,
            retry_after: None,
        };

        let commands = app.on_outcome(Outcome::SessionChecked(Err(unauthenticated)));

        assert_eq!(app.screen, Screen::Login);
        assert_eq!(app.login.notice.as_deref(), Some(SESSION_ENDED));
        assert_eq!(commands, vec![Command::SaveJar]);
    }

    #[test]
    fn logging_in_saves_the_jar_and_loads_the_feed() {
        let (mut app, _) = App::new("http://x", false, None);
        for c in "rex".chars() {
            app.on_key(key(KeyCode::Char(c)));
        }
        app.on_key(key(KeyCode::Tab));
        for c in "correct horse".chars() {
            app.on_key(key(KeyCode::Char(c)));
        }
        let commands = app.on_key(key(KeyCode::Enter));
        assert_eq!(
            commands,
            vec![Command::Login {
                username: "rex".into(),
                password: "correct horse".into()
            }]
        );
        assert_eq!(app.pending, 1);

        let commands = app.on_outcome(Outcome::LoggedIn(Ok(rex())));

        assert_eq!(commands, vec![Command::SaveJar, Command::LoadNewest]);
        assert_eq!(app.screen, Screen::Feed);
    }

    #[test]
    fn feed_keys_move_compose_delete_and_quit() {
        let mut app = logged_in_app(vec![woof(3, "fido"), woof(2, "rex"), woof(1, "rex")]);
        app.on_key(key(KeyCode::Char('j')));
        assert_eq!(app.feed.selected, 1);
        app.on_key(key(KeyCode::Char('d')));
        assert_eq!(app.confirm_delete, Some(2));
        assert_eq!(
            app.on_key(key(KeyCode::Char('y'))),
            vec![Command::Delete(2)]
        );
        app.on_key(key(KeyCode::Char('g')));
        app.on_key(key(KeyCode::Char('d')));
        assert_eq!(app.confirm_delete, None, "fido's woof cannot be deleted");
        app.on_key(key(KeyCode::Char('n')));
        assert!(app.compose.open);
        app.on_key(key(KeyCode::Char('q')));
        assert!(!app.should_quit, "q is a letter in the editor");
        app.on_key(key(KeyCode::Esc));
        app.on_key(key(KeyCode::Char('q')));
        assert!(app.should_quit);
    }

    #[test]
    fn a_failed_post_keeps_the_draft_and_says_why() {
        let mut app = logged_in_app(vec![]);
        app.on_key(key(KeyCode::Char('n')));
        for c in "hello".chars() {
            app.on_key(key(KeyCode::Char(c)));
        }
        let commands = app.on_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
        assert_eq!(commands, vec![Command::Post("hello".into())]);

        app.on_outcome(Outcome::Posted(Err(ApiError::Unreachable {
            url: "http://x".into(),
        })));

        assert!(app.compose.open);
        assert_eq!(app.compose.text(), "hello");
        assert_eq!(app.compose.error.as_deref(), Some("cannot reach http://x"));
        assert_eq!(
            app.status,
            Some(Status::Error(
                "cannot reach http://x — press r to retry".into()
            ))
        );
    }

    #[test]
    fn nearing_the_end_loads_the_next_older_page_once() {
        let (mut app, _) = App::new("http://x", false, None);
        app.on_outcome(Outcome::LoggedIn(Ok(rex())));
        let woofs = (11..=30).rev().map(|i| woof(i, "fido")).collect();
        app.on_outcome(Outcome::NewestLoaded(Ok(FeedPage {
            woofs,
            next_before: Some(11),
        })));
        let mut asked = Vec::new();
        for _ in 0..19 {
            asked.extend(app.on_key(key(KeyCode::Down)));
        }
        assert_eq!(asked, vec![Command::LoadOlder(11)]);
    }

    #[test]
    fn help_opens_and_any_key_closes_it() {
        let mut app = logged_in_app(vec![woof(1, "rex")]);
        app.on_key(key(KeyCode::Char('?')));
        assert!(app.help_open);
        app.on_key(key(KeyCode::Char('q')));
        assert!(!app.help_open && !app.should_quit);
    }

    #[test]
    fn rate_limited_login_says_how_long_to_wait() {
        let (mut app, _) = App::new("http://x", false, None);
        app.on_outcome(Outcome::LoggedIn(Err(ApiError::Server {
            status: 429,
            code: ErrorCode::RateLimited,
            message: "too many failed logins for this username".into(),
            field: None,
            retry_after: Some(600),
        })));
        assert_eq!(
            app.login.error.as_deref(),
            Some("too many failed logins for this username (try again in 10 min)")
        );
    }

    #[test]
    fn validation_errors_name_the_field() {
        let (mut app, _) = App::new("http://x", false, None);
        app.on_outcome(Outcome::LoggedIn(Err(ApiError::Server {
            status: 422,
            code: ErrorCode::ValidationFailed,
            message: "a password must be 8 to 128 characters".into(),
            field: Some("password".into()),
            retry_after: None,
        })));
        assert_eq!(
            app.login.error.as_deref(),
            Some("password: a password must be 8 to 128 characters")
        );
    }

    #[test]
    fn answers_arriving_after_logout_are_dropped() {
        let mut app = logged_in_app(vec![woof(1, "rex")]);
        app.on_key(key(KeyCode::Char('r')));
        app.on_key(key(KeyCode::Char('L')));
        app.on_outcome(Outcome::LoggedOut(Ok(())));
        app.on_outcome(Outcome::NewestLoaded(Ok(FeedPage {
            woofs: vec![woof(2, "fido")],
            next_before: None,
        })));
        assert_eq!(app.screen, Screen::Login);
        assert!(app.feed.woofs.is_empty());
        assert_eq!(app.pending, 0);
    }

    #[test]
    fn an_unreachable_server_at_start_is_said_and_r_retries() {
        let (mut app, _) = App::new("http://x", true, None);
        app.on_outcome(Outcome::SessionChecked(Err(ApiError::Unreachable {
            url: "http://x".into(),
        })));
        assert_eq!(
            app.status,
            Some(Status::Error(
                "cannot reach http://x — press r to retry".into()
            ))
        );
        assert_eq!(
            app.on_key(key(KeyCode::Char('r'))),
            vec![Command::CheckSession]
        );
        app.on_outcome(Outcome::SessionChecked(Ok(rex())));
        assert_eq!(app.status, None);
        assert_eq!(app.screen, Screen::Feed);
    }

    #[test]
    fn logging_out_returns_to_the_login_screen() {
        let mut app = logged_in_app(vec![woof(1, "rex")]);
        assert_eq!(app.on_key(key(KeyCode::Char('L'))), vec![Command::Logout]);
        let commands = app.on_outcome(Outcome::LoggedOut(Ok(())));
        assert_eq!(app.screen, Screen::Login);
        assert!(app.user.is_none() && app.feed.woofs.is_empty());
        assert_eq!(commands, vec![Command::SaveJar]);
    }
}
