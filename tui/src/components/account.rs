//! The account panel, over the feed: where the dog is logged in (ending
//! one session or all others), a new password, and leaving for good.

use crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Wrap};
use ratatui::Frame;
use ratatui_textarea::TextArea;
use time::OffsetDateTime;
use woofer_shared::api::Session;
use woofer_shared::Password;

use super::feed_screen::FeedReply;
use crate::effect::{Outcome, Request};
use crate::keymap::{self, Action, Context};
use crate::relative_time::ago;
use crate::text::scrub;

/// What the panel is doing.
enum Mode {
    Sessions,
    /// Current password, the new one, and the new one again.
    NewPassword(Box<[TextArea<'static>; 3]>, usize),
    /// The password, and the dog's name typed out.
    Leaving(Box<[TextArea<'static>; 2]>, usize),
}

pub struct AccountPanel {
    username: String,
    sessions: Vec<Session>,
    loaded: bool,
    selected: usize,
    mode: Mode,
    /// Why the last form was refused, shown under it.
    error: Option<String>,
}

fn field(mask: bool, title: &'static str) -> TextArea<'static> {
    let mut area = TextArea::default();
    area.set_cursor_line_style(Style::default());
    if mask {
        area.set_mask_char('•');
    }
    area.set_block(Block::bordered().title(title));
    area
}

fn text_of(area: &TextArea<'_>) -> String {
    area.lines().first().cloned().unwrap_or_default()
}

impl AccountPanel {
    pub fn new(username: &str) -> Self {
        Self {
            username: username.to_owned(),
            sessions: Vec::new(),
            loaded: false,
            selected: 0,
            mode: Mode::Sessions,
            error: None,
        }
    }

    pub fn key_context(&self) -> Context {
        match self.mode {
            Mode::Sessions => Context::Account,
            Mode::NewPassword(..) | Mode::Leaving(..) => Context::AccountForm,
        }
    }

    pub fn sessions(&self) -> &[Session] {
        &self.sessions
    }

    /// What a key asks of the app, and whether it closed the panel.
    pub fn handle_key(&mut self, key: KeyEvent) -> (Vec<FeedReply>, bool) {
        let action = keymap::action(self.key_context(), &key);
        match (&mut self.mode, action) {
            (Mode::Sessions, Some(Action::Back)) => return (Vec::new(), true),
            (Mode::Sessions, Some(Action::Next)) => {
                self.selected = (self.selected + 1).min(self.sessions.len().saturating_sub(1));
            }
            (Mode::Sessions, Some(Action::Previous)) => {
                self.selected = self.selected.saturating_sub(1);
            }
            (Mode::Sessions, Some(Action::Refresh)) => {
                return (vec![FeedReply::Request(Request::LoadSessions)], false);
            }
            (Mode::Sessions, Some(Action::EndSession)) => {
                if let Some(session) = self.sessions.get(self.selected) {
                    let request = Request::EndSession(session.id.clone());
                    return (vec![FeedReply::Request(request)], false);
                }
            }
            (Mode::Sessions, Some(Action::EndOthers)) => {
                return (vec![FeedReply::Request(Request::EndOtherSessions)], false);
            }
            (Mode::Sessions, Some(Action::ChangePassword)) => {
                self.error = None;
                self.mode = Mode::NewPassword(
                    Box::new([
                        field(true, "Current password"),
                        field(true, "New password"),
                        field(true, "New password again"),
                    ]),
                    0,
                );
            }
            (Mode::Sessions, Some(Action::DeleteAccount)) => {
                self.error = None;
                self.mode = Mode::Leaving(
                    Box::new([
                        field(true, "Password"),
                        field(false, "Type your name to confirm"),
                    ]),
                    0,
                );
            }
            (Mode::NewPassword(..) | Mode::Leaving(..), Some(Action::Back)) => {
                self.mode = Mode::Sessions;
            }
            (Mode::NewPassword(fields, focus), Some(Action::NextField)) => {
                *focus = (*focus + 1) % fields.len();
            }
            (Mode::Leaving(fields, focus), Some(Action::NextField)) => {
                *focus = (*focus + 1) % fields.len();
            }
            (_, Some(Action::Submit)) => return (self.submit().into_iter().collect(), false),
            (Mode::NewPassword(fields, focus), _) => {
                fields[*focus].input(key);
            }
            (Mode::Leaving(fields, focus), _) => {
                fields[*focus].input(key);
            }
            (Mode::Sessions, _) => {}
        }
        (Vec::new(), false)
    }

    /// Checks a form as the server would, before anything is sent.
    fn submit(&mut self) -> Option<FeedReply> {
        let request = match &self.mode {
            Mode::NewPassword(fields, _) => {
                let [current, new, again] = fields.each_ref().map(text_of);
                if new != again {
                    Err("the new passwords differ".to_owned())
                } else {
                    Password::parse(&new)
                        .map(|new| Request::ChangePassword(current, new))
                        .map_err(|e| format!("new password: {}", e.message))
                }
            }
            Mode::Leaving(fields, _) => {
                let [password, name] = fields.each_ref().map(text_of);
                if name.trim() != self.username {
                    Err(format!("type {} to confirm", self.username))
                } else {
                    Ok(Request::DeleteAccount(password))
                }
            }
            Mode::Sessions => return None,
        };
        match request {
            Ok(request) => {
                self.error = None;
                Some(FeedReply::Request(request))
            }
            Err(why) => {
                self.error = Some(why);
                None
            }
        }
    }

    pub fn on_outcome(&mut self, outcome: Outcome) -> Vec<FeedReply> {
        match outcome {
            Outcome::SessionsLoaded(Ok(sessions)) => {
                self.sessions = sessions;
                self.loaded = true;
                self.selected = self.selected.min(self.sessions.len().saturating_sub(1));
                Vec::new()
            }
            Outcome::SessionEnded(Ok(())) => vec![
                FeedReply::Done("session ended"),
                FeedReply::Request(Request::LoadSessions),
            ],
            Outcome::OthersEnded(Ok(())) => vec![
                FeedReply::Done("every other session ended"),
                FeedReply::Request(Request::LoadSessions),
            ],
            Outcome::PasswordChanged(Ok(())) => {
                self.mode = Mode::Sessions;
                vec![
                    FeedReply::Done("password changed; every other session ended"),
                    FeedReply::Request(Request::LoadSessions),
                ]
            }
            Outcome::AccountDeleted(Ok(())) => vec![FeedReply::Left],
            Outcome::SessionsLoaded(Err(e))
            | Outcome::SessionEnded(Err(e))
            | Outcome::OthersEnded(Err(e)) => vec![FeedReply::Failed(e)],
            Outcome::PasswordChanged(Err(e)) | Outcome::AccountDeleted(Err(e)) => {
                // The form stays, and says why.
                self.error = Some(e.to_string());
                vec![FeedReply::Failed(e)]
            }
            _ => Vec::new(),
        }
    }

    pub fn draw(&mut self, frame: &mut Frame, area: Rect, now: OffsetDateTime) {
        frame.render_widget(Clear, area);
        let block = Block::bordered()
            .border_type(BorderType::Rounded)
            .title(format!(
                " @{} — your account ",
                scrub(&self.username, false)
            ));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        match &mut self.mode {
            Mode::Sessions => {
                let mut lines = vec![Line::styled(
                    "Where you are logged in",
                    Style::default().add_modifier(Modifier::BOLD),
                )];
                if !self.loaded {
                    lines.push(Line::styled(
                        "Loading…",
                        Style::default().fg(Color::DarkGray),
                    ));
                }
                for (i, session) in self.sessions.iter().enumerate() {
                    lines.push(session_line(session, i == self.selected, now));
                }
                let p = Paragraph::new(lines).wrap(Wrap { trim: false });
                frame.render_widget(p, inner);
            }
            Mode::NewPassword(fields, focus) => {
                let fields = fields.as_mut_slice();
                draw_form(
                    frame,
                    inner,
                    "A new password",
                    fields,
                    *focus,
                    self.error.as_deref(),
                );
            }
            Mode::Leaving(fields, focus) => {
                let title = "Delete your account, your woofs and your sessions for good";
                let fields = fields.as_mut_slice();
                draw_form(frame, inner, title, fields, *focus, self.error.as_deref());
            }
        }
    }
}

fn session_line(session: &Session, selected: bool, now: OffsetDateTime) -> Line<'static> {
    let bar = if selected { "▌ " } else { "  " };
    let agent = session
        .user_agent
        .as_deref()
        .map_or_else(|| "(no client named)".to_owned(), |a| scrub(a, false));
    let mut spans = vec![
        Span::styled(bar, Style::default().fg(Color::Cyan)),
        Span::raw(agent),
        Span::styled(
            format!(" · seen {} ago", ago(session.last_seen_at, now)),
            Style::default().fg(Color::DarkGray),
        ),
    ];
    if session.current {
        spans.push(Span::styled(
            " (this one)",
            Style::default().fg(Color::Green),
        ));
    }
    Line::from(spans)
}

fn draw_form(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    fields: &mut [TextArea<'static>],
    focus: usize,
    error: Option<&str>,
) {
    let mut rows = vec![Constraint::Length(2)];
    rows.extend(fields.iter().map(|_| Constraint::Length(3)));
    rows.push(Constraint::Min(1));
    let areas = Layout::vertical(rows).split(area);
    frame.render_widget(
        Paragraph::new(title).style(Style::default().add_modifier(Modifier::BOLD)),
        areas[0],
    );
    for (i, input) in fields.iter_mut().enumerate() {
        let colour = if i == focus {
            Color::Cyan
        } else {
            Color::DarkGray
        };
        if let Some(block) = input.block().cloned() {
            input.set_block(block.border_style(Style::default().fg(colour)));
        }
        input.set_cursor_style(if i == focus {
            Style::default().add_modifier(Modifier::REVERSED)
        } else {
            Style::default()
        });
        frame.render_widget(&*input, areas[i + 1]);
    }
    if let Some(error) = error {
        let p = Paragraph::new(scrub(error, false))
            .style(Style::default().fg(Color::Red))
            .wrap(Wrap { trim: true });
        frame.render_widget(p, areas[fields.len() + 1]);
    }
}
