//! Composing a woof: a multi-line editor with a live n/280 counter that
//! counts as the server does (grapheme clusters, from woofer-shared).

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Wrap};
use ratatui::Frame;
use ratatui_textarea::{TextArea, WrapMode};
use woofer_shared::rules::{is_forbidden_in_woof, woof_length, WOOF_MAX};
use woofer_shared::{WoofBody, WoofId};

use super::{centered, SPINNER};
use crate::keymap::{self, Action, Context};
use crate::text::scrub;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ComposeAction {
    Send(WoofBody),
    Close,
}

/// The woof a draft answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyTarget {
    pub id: WoofId,
    pub author: String,
}

/// The editor and its draft, which outlives the popup (and a logout: the
/// same dog usually logs straight back in).
pub struct ComposeBox {
    editor: TextArea<'static>,
    error: Option<String>,
    sending: bool,
    /// Whom the draft answers; `None` for a woof of its own.
    reply_to: Option<ReplyTarget>,
}

fn editor() -> TextArea<'static> {
    let mut area = TextArea::default();
    area.set_wrap_mode(WrapMode::WordOrGlyph);
    area.set_cursor_line_style(Style::default());
    area.set_placeholder_text("What are you barking about?");
    area
}

impl Default for ComposeBox {
    fn default() -> Self {
        Self {
            editor: editor(),
            error: None,
            sending: false,
            reply_to: None,
        }
    }
}

impl ComposeBox {
    pub fn text(&self) -> String {
        self.editor.lines().join("\n")
    }

    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    pub fn is_sending(&self) -> bool {
        self.sending
    }

    /// The woof the draft answers, if any.
    pub fn reply_to(&self) -> Option<&ReplyTarget> {
        self.reply_to.as_ref()
    }

    /// The popup opens on the draft, as a woof of its own or as an answer
    /// to `reply_to` (the words typed so far stay either way); an old error
    /// no longer applies.
    pub fn opened(&mut self, reply_to: Option<ReplyTarget>) {
        if !self.sending {
            self.reply_to = reply_to;
        }
        self.error = None;
    }

    /// The draft was stored: start afresh.
    pub fn sent(&mut self) {
        *self = Self::default();
    }

    /// Sending failed: the draft stays, and the editor says why.
    pub fn failed(&mut self, why: String) {
        self.sending = false;
        self.error = Some(why);
    }

    /// Nothing is on its way any more (the dog logged out); the draft stays.
    pub fn abandoned(&mut self) {
        self.sending = false;
        self.error = None;
    }

    pub fn handle_key(&mut self, key: KeyEvent) -> Option<ComposeAction> {
        match keymap::action(Context::Compose, &key) {
            Some(Action::CloseEditor) => return Some(ComposeAction::Close),
            Some(Action::Send) => {
                if self.sending {
                    return None;
                }
                // The shared rule, before sending: the server would say the same.
                return match WoofBody::parse(&self.text()) {
                    Ok(body) => {
                        self.error = None;
                        self.sending = true;
                        Some(ComposeAction::Send(body))
                    }
                    Err(e) => {
                        self.error = Some(e.message.to_owned());
                        None
                    }
                };
            }
            Some(Action::NewLine) => self.editor.insert_newline(),
            // A woof holds no tabs.
            _ if key.code == KeyCode::Tab => {}
            _ => {
                self.editor.input(key);
            }
        }
        None
    }

    /// Bracketed paste: inserted as text, newlines included; never sent.
    pub fn paste(&mut self, text: &str) {
        let clean: String = text
            .replace("\r\n", "\n")
            .replace('\r', "\n")
            // A woof may not hold tabs: pasted ones become spaces.
            .replace('\t', "    ")
            .chars()
            .filter(|&c| c == '\n' || !c.is_control())
            .collect();
        self.editor.insert_str(clean);
    }

    pub fn draw(&mut self, frame: &mut Frame, area: Rect, tick: usize) {
        let popup = centered(area, 64, 12);
        frame.render_widget(Clear, popup);
        let title = match &self.reply_to {
            Some(target) => format!(" Reply to @{} ", scrub(&target.author, false)),
            None => " New woof ".to_owned(),
        };
        let block = Block::bordered()
            .border_type(BorderType::Rounded)
            .title(title)
            .title_bottom(Line::from(format!(" {} ", keymap::hints(Context::Compose))));
        let inner = block.inner(popup);
        frame.render_widget(block, popup);
        let [editor_area, status_area] =
            Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(inner);
        frame.render_widget(&self.editor, editor_area);

        let text = self.text();
        let count = woof_length(&text);
        let bad = text.chars().any(is_forbidden_in_woof);
        let over = count > WOOF_MAX;
        let counter_style = if over || bad {
            Style::default().fg(Color::Red)
        } else {
            Style::default().fg(Color::DarkGray)
        };
        let counter = format!("{count}/{WOOF_MAX}");
        let [message_area, counter_area] = Layout::horizontal([
            Constraint::Min(0),
            Constraint::Length(counter.len() as u16 + 1),
        ])
        .areas(status_area);
        let message = if self.sending {
            Span::raw(format!("{} sending…", SPINNER[tick % SPINNER.len()]))
        } else if let Some(error) = &self.error {
            Span::styled(scrub(error, false), Style::default().fg(Color::Red))
        } else {
            Span::raw("")
        };
        frame.render_widget(
            Paragraph::new(Line::from(message)).wrap(Wrap { trim: true }),
            message_area,
        );
        frame.render_widget(
            Paragraph::new(Span::styled(counter, counter_style)).right_aligned(),
            counter_area,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyModifiers;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn enter_breaks_lines_and_ctrl_s_sends_the_trimmed_body() {
        let mut compose = ComposeBox::default();
        for c in " Squirrel".chars() {
            compose.handle_key(key(KeyCode::Char(c)));
        }
        compose.handle_key(key(KeyCode::Enter));
        compose.handle_key(key(KeyCode::Char('!')));
        assert_eq!(compose.text(), " Squirrel\n!");
        let action = compose.handle_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
        assert_eq!(
            action,
            Some(ComposeAction::Send(WoofBody::parse("Squirrel\n!").unwrap()))
        );
        assert!(compose.is_sending());
    }

    #[test]
    fn over_the_limit_is_refused_before_sending_and_the_draft_kept() {
        let mut compose = ComposeBox::default();
        compose.paste(&"🐕".repeat(281));
        let action = compose.handle_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
        assert_eq!(action, None);
        assert_eq!(compose.error(), Some(WoofBody::TOO_LONG));
        assert_eq!(woof_length(&compose.text()), 281);
    }

    #[test]
    fn paste_inserts_newlines_without_sending() {
        let mut compose = ComposeBox::default();
        compose.paste("line one\r\nline two\x1b[31m\tend");
        assert_eq!(compose.text(), "line one\nline two[31m    end");
        assert!(!compose.is_sending());
        assert_eq!(
            compose.handle_key(key(KeyCode::Esc)),
            Some(ComposeAction::Close)
        );
        assert_eq!(
            compose.text(),
            "line one\nline two[31m    end",
            "Esc keeps the draft"
        );
    }
}
