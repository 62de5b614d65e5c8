//! The bottom bar: who, where, the main keys, and what just happened.

use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::SPINNER;
use crate::text::scrub;

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
    pub keys: &'a str,
}

impl StatusBar<'_> {
    pub fn draw(&self, frame: &mut Frame, area: Rect) {
        let base = Style::default().bg(Color::Indexed(236)).fg(Color::Gray);
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
        spans.push(Span::styled(
            format!("{} ", self.server),
            base.fg(Color::DarkGray),
        ));
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
        spans.push(Span::styled(format!("│ {}", self.keys), base));
        frame.render_widget(Paragraph::new(Line::from(spans)).style(base), area);
    }
}
