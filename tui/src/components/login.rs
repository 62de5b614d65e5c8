//! The login / create-account screen.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph, Wrap};
use ratatui::Frame;
use ratatui_textarea::TextArea;
use woofer_shared::{Password, Username};

use super::{centered, wrap_hints, SPINNER};
use crate::effect::Request;
use crate::keymap::{self, Action, Context};
use crate::text::scrub;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    LogIn,
    CreateAccount,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Username,
    Password,
}

/// What the form asks the app to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginAction {
    Submit(Request),
    Quit,
}

pub struct LoginForm {
    mode: Mode,
    focus: Field,
    username: TextArea<'static>,
    password: TextArea<'static>,
    /// Shown under the fields: why the last try failed.
    error: Option<String>,
    /// Shown above the fields, e.g. "your session has ended".
    notice: Option<String>,
    /// A try is on its way: keys other than quitting wait for it.
    pending: bool,
}

fn field(mask: bool) -> TextArea<'static> {
    let mut area = TextArea::default();
    area.set_cursor_line_style(Style::default());
    if mask {
        area.set_mask_char('•');
    }
    area
}

impl Default for LoginForm {
    fn default() -> Self {
        Self {
            mode: Mode::LogIn,
            focus: Field::Username,
            username: field(false),
            password: field(true),
            error: None,
            notice: None,
            pending: false,
        }
    }
}

impl LoginForm {
    /// A fresh form for `username` (the dog who was here), saying `notice`.
    pub fn reset(username: Option<&str>, notice: Option<String>) -> Self {
        let mut form = Self {
            notice,
            ..Self::default()
        };
        if let Some(name) = username {
            form.username.insert_str(name);
            form.focus = Field::Password;
        }
        form
    }

    pub fn mode(&self) -> Mode {
        self.mode
    }

    pub fn focus(&self) -> Field {
        self.focus
    }

    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    pub fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }

    pub fn is_pending(&self) -> bool {
        self.pending
    }

    pub fn username(&self) -> &str {
        self.username.lines().first().map_or("", String::as_str)
    }

    fn password(&self) -> &str {
        self.password.lines().first().map_or("", String::as_str)
    }

    /// The server said no: say why, and let the dog try again.
    pub fn refused(&mut self, message: String) {
        self.pending = false;
        self.error = Some(message);
    }

    /// The hint bar's hints: the table's keys, worded for the mode.
    pub fn hints(&self) -> Vec<keymap::Hint> {
        let mode = self.mode;
        keymap::hint_list_renamed(Context::Login, |action| match (action, mode) {
            (Action::Submit, Mode::LogIn) => Some("log in"),
            (Action::Submit, Mode::CreateAccount) => Some("create"),
            (Action::SwitchMode, Mode::CreateAccount) => Some("log in instead"),
            _ => None,
        })
    }

    fn toggle_focus(&mut self) {
        self.focus = match self.focus {
            Field::Username => Field::Password,
            Field::Password => Field::Username,
        };
    }

    pub fn handle_key(&mut self, key: KeyEvent) -> Option<LoginAction> {
        match keymap::action(Context::Login, &key) {
            Some(Action::Quit) => return Some(LoginAction::Quit),
            Some(Action::SwitchMode) => {
                self.mode = match self.mode {
                    Mode::LogIn => Mode::CreateAccount,
                    Mode::CreateAccount => Mode::LogIn,
                };
                self.error = None;
            }
            Some(Action::NextField) => self.toggle_focus(),
            Some(Action::Submit) => return self.submit(),
            _ if self.pending => {}
            _ => {
                let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
                let input = match self.focus {
                    Field::Username => &mut self.username,
                    Field::Password => &mut self.password,
                };
                // Single-line fields: the editor's own newline keys do nothing here.
                if !(ctrl && matches!(key.code, KeyCode::Char('m' | 'j'))) {
                    input.input(key);
                }
            }
        }
        None
    }

    /// Pasted text goes into the focused field, on one line.
    pub fn paste(&mut self, text: &str) {
        let line: String = text.chars().filter(|c| !c.is_control()).collect();
        match self.focus {
            Field::Username => self.username.insert_str(line),
            Field::Password => self.password.insert_str(line),
        };
    }

    /// Checks with the shared rules before anything is sent.
    fn submit(&mut self) -> Option<LoginAction> {
        if self.pending {
            return None;
        }
        if self.focus == Field::Username && self.password().is_empty() {
            self.focus = Field::Password;
            return None;
        }
        // The shared rules, in both modes: a name or password that breaks
        // them can belong to no dog, so it is not worth a (rate-limited) try.
        let check = if self.username().trim().is_empty() {
            Err(("username", "type your username"))
        } else if self.password().is_empty() {
            Err(("password", "type your password"))
        } else {
            Username::parse(self.username())
                .and_then(|name| Password::parse(self.password()).map(|p| (name, p)))
                .map_err(|e| (e.field, e.message))
        };
        match check {
            Ok((name, password)) => {
                self.error = None;
                self.pending = true;
                Some(LoginAction::Submit(match self.mode {
                    Mode::LogIn => Request::LogIn(name, password),
                    Mode::CreateAccount => Request::Register(name, password),
                }))
            }
            Err((field, message)) => {
                self.focus = if field == "password" {
                    Field::Password
                } else {
                    Field::Username
                };
                self.error = Some(message.to_owned());
                None
            }
        }
    }

    pub fn draw(&mut self, frame: &mut Frame, area: Rect, tick: usize) {
        let title = match self.mode {
            Mode::LogIn => " 🐕 Woofer — log in ",
            Mode::CreateAccount => " 🐕 Woofer — create an account ",
        };
        let outer = centered(area, 56, 14);
        let block = Block::bordered()
            .border_type(BorderType::Rounded)
            .title(title);
        let inner = block.inner(outer);
        frame.render_widget(block, outer);
        let [notice, user_row, pass_row, _, message, hints] = Layout::vertical([
            Constraint::Length(2),
            Constraint::Length(3),
            Constraint::Length(3),
            Constraint::Length(0),
            Constraint::Min(1),
            Constraint::Length(2),
        ])
        .areas(inner);
        if let Some(text) = &self.notice {
            let p = Paragraph::new(scrub(text, false))
                .style(Style::default().fg(Color::Yellow))
                .wrap(Wrap { trim: true });
            frame.render_widget(p, notice);
        }
        for (row, label, which) in [
            (user_row, "Username", Field::Username),
            (pass_row, "Password", Field::Password),
        ] {
            let focused = self.focus == which;
            let border = if focused {
                Style::default().fg(Color::Cyan)
            } else {
                Style::default().fg(Color::DarkGray)
            };
            let input = match which {
                Field::Username => &mut self.username,
                Field::Password => &mut self.password,
            };
            input.set_block(Block::bordered().border_style(border).title(label));
            input.set_cursor_style(if focused {
                Style::default().add_modifier(Modifier::REVERSED)
            } else {
                Style::default()
            });
            frame.render_widget(&*input, row);
        }
        let status = if self.pending {
            Line::from(format!(
                "{} {}",
                SPINNER[tick % SPINNER.len()],
                match self.mode {
                    Mode::LogIn => "logging in…",
                    Mode::CreateAccount => "creating your account…",
                }
            ))
        } else if let Some(error) = &self.error {
            Line::from(Span::styled(
                scrub(error, false),
                Style::default().fg(Color::Red),
            ))
        } else {
            Line::default()
        };
        frame.render_widget(Paragraph::new(status).wrap(Wrap { trim: true }), message);
        let lines: Vec<Line> = wrap_hints(&self.hints(), usize::from(hints.width))
            .into_iter()
            .map(Line::from)
            .collect();
        let hint = Paragraph::new(lines).style(Style::default().fg(Color::DarkGray));
        frame.render_widget(hint, hints);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn type_text(form: &mut LoginForm, text: &str) {
        for c in text.chars() {
            form.handle_key(key(KeyCode::Char(c)));
        }
    }

    #[test]
    fn tab_moves_between_fields_and_enter_submits() {
        let mut form = LoginForm::default();
        type_text(&mut form, "rex");
        assert_eq!(
            form.handle_key(key(KeyCode::Enter)),
            None,
            "Enter on the name moves on"
        );
        assert_eq!(form.focus(), Field::Password);
        type_text(&mut form, "correct horse");
        let action = form.handle_key(key(KeyCode::Enter));
        assert_eq!(
            action,
            Some(LoginAction::Submit(Request::LogIn(
                Username::parse("rex").unwrap(),
                Password::parse("correct horse").unwrap()
            )))
        );
        assert!(form.is_pending());
        form.handle_key(key(KeyCode::BackTab));
        assert_eq!(form.focus(), Field::Username);
    }

    #[test]
    fn create_account_checks_the_shared_rules_first() {
        let mut form = LoginForm::default();
        form.handle_key(KeyEvent::new(KeyCode::Char('n'), KeyModifiers::CONTROL));
        assert_eq!(form.mode(), Mode::CreateAccount);
        type_text(&mut form, "r!");
        form.handle_key(key(KeyCode::Tab));
        type_text(&mut form, "short");
        assert_eq!(form.handle_key(key(KeyCode::Enter)), None);
        assert_eq!(form.error(), Some(Username::RULE));
        assert_eq!(form.focus(), Field::Username);
        assert!(!form.is_pending());
    }

    #[test]
    fn logging_in_checks_the_rules_too_and_sends_the_normalised_name() {
        let mut form = LoginForm::default();
        type_text(&mut form, "ab");
        form.handle_key(key(KeyCode::Tab));
        type_text(&mut form, "correct horse");
        assert_eq!(form.handle_key(key(KeyCode::Enter)), None);
        assert_eq!(form.error(), Some(Username::RULE));
        assert_eq!(form.focus(), Field::Username);
        form.handle_key(key(KeyCode::Home));
        type_text(&mut form, " RE");
        form.handle_key(key(KeyCode::Tab));
        let action = form.handle_key(key(KeyCode::Enter));
        assert_eq!(
            action,
            Some(LoginAction::Submit(Request::LogIn(
                Username::parse("reab").unwrap(),
                Password::parse("correct horse").unwrap()
            )))
        );
    }

    #[test]
    fn q_is_a_letter_here_and_esc_quits() {
        let mut form = LoginForm::default();
        type_text(&mut form, "qq");
        assert_eq!(form.username(), "qq");
        assert_eq!(form.handle_key(key(KeyCode::Esc)), Some(LoginAction::Quit));
    }
}
