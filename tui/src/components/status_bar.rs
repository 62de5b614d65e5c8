//! The bottom bar: who, where, the main keys, and what just happened.

use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::SPINNER;
use crate::keymap::{self, Hint};
use crate::text::{scrub, width};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Info(String),
    Error(String),
    /// The server could not be reached; gone with the next answer.
    Unreachable(String),
}

pub struct StatusBar<'a> {
    pub user: Option<&'a str>,
    pub server: &'a str,
    pub status: Option<&'a Status>,
    pub busy: bool,
    pub tick: usize,
    /// Most important first: what does not fit is left off from the end.
    pub keys: &'a [Hint],
}

impl StatusBar<'_> {
    /// Who, where, what happened, then as many whole hints as are left room
    /// for. The server's address goes first when it would crowd out every
    /// hint, help included.
    pub fn draw(&self, frame: &mut Frame, area: Rect) {
        let base = Style::default().bg(Color::Indexed(236)).fg(Color::Gray);
        let room = usize::from(area.width);
        let mut spans = self.left(base, true);
        let mut keys = keymap::fit(self.keys, room.saturating_sub(used(&spans) + 2));
        if keys.is_empty() && !self.keys.is_empty() {
            spans = self.left(base, false);
            keys = keymap::fit(self.keys, room.saturating_sub(used(&spans) + 2));
        }
        if !keys.is_empty() {
            spans.push(Span::styled(format!("│ {keys}"), base));
        }
        frame.render_widget(Paragraph::new(Line::from(spans)).style(base), area);
    }

    /// Everything left of the hints.
    fn left(&self, base: Style, with_server: bool) -> Vec<Span<'static>> {
        let mut spans = vec![Span::styled(
            format!(
                " {} ",
                self.user.map_or_else(
                    || "not logged in".to_owned(),
                    |u| format!("@{}", scrub(u, false))
                )
            ),
            base.fg(Color::Yellow).add_modifier(Modifier::BOLD),
        )];
        if with_server {
            spans.push(Span::styled(
                format!("{} ", self.server),
                base.fg(Color::DarkGray),
            ));
        }
        if self.busy {
            spans.push(Span::styled(
                format!("{} ", SPINNER[self.tick % SPINNER.len()]),
                base.fg(Color::Cyan),
            ));
        }
        match self.status {
            Some(Status::Error(text) | Status::Unreachable(text)) => spans.push(Span::styled(
                format!("{} ", scrub(text, false)),
                base.fg(Color::Red),
            )),
            Some(Status::Info(text)) => spans.push(Span::styled(
                format!("{} ", scrub(text, false)),
                base.fg(Color::Green),
            )),
            None => {}
        }
        spans
    }
}

/// Cells taken by `spans`.
fn used(spans: &[Span]) -> usize {
    spans.iter().map(|s| width(&s.content)).sum()
}
