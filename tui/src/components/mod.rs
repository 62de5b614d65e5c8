//! The screens and popups, each owning its state, keys and drawing.

pub mod account;
pub mod compose;
pub mod confirm;
pub mod feed;
pub mod feed_screen;
pub mod following;
pub mod help;
pub mod login;
pub mod profile;
pub mod status_bar;
pub mod thread;

use ratatui::layout::{Constraint, Flex, Layout, Rect};

use crate::keymap::Hint;

/// A rectangle of at most `width`×`height` centred in `area` (clipped to it).
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [cell] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(row);
    cell
}

/// Key hints broken into lines (`a · b · c`) of at most `width` columns,
/// only between hints, so a key never parts from what it does.
pub fn wrap_hints(hints: &[Hint], width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for hint in hints.iter().map(|h| h.text.as_str()) {
        match lines.last_mut() {
            Some(line) if crate::text::width(line) + 3 + crate::text::width(hint) <= width => {
                line.push_str(" · ");
                line.push_str(hint);
            }
            _ => lines.push(hint.to_owned()),
        }
    }
    lines
}

pub const SPINNER: [&str; 8] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧"];
