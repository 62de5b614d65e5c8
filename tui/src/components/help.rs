//! The help popup: every key.

use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::{Block, BorderType, Clear, Row, Table};
use ratatui::Frame;

use super::centered;

pub const KEYS: &[(&str, &str)] = &[
    ("j / ↓", "next woof"),
    ("k / ↑", "previous woof"),
    ("PgDn / PgUp", "a page down / up"),
    ("g / Home", "newest woof"),
    ("G / End", "oldest loaded woof"),
    ("r", "refresh (or retry)"),
    ("n", "new woof"),
    ("d", "delete your selected woof"),
    ("L", "log out"),
    ("?", "this help"),
    ("q / Ctrl+C", "quit"),
    ("", ""),
    ("Ctrl+S", "send the woof (in the editor)"),
    ("Enter", "new line (in the editor)"),
    ("Esc", "close the editor, keeping the draft"),
    ("Ctrl+N", "log in ↔ create an account (login screen)"),
];

pub fn draw(frame: &mut Frame, area: Rect) {
    let popup = centered(area, 60, KEYS.len() as u16 + 2);
    frame.render_widget(Clear, popup);
    let rows = KEYS
        .iter()
        .map(|(key, what)| Row::new([key.to_string(), what.to_string()]));
    let table = Table::new(rows, [Constraint::Length(14), Constraint::Min(10)])
        .block(
            Block::bordered()
                .border_type(BorderType::Rounded)
                .title(" Keys — any key closes "),
        )
        .column_spacing(2);
    frame.render_widget(table, popup);
}
