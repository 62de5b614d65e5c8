//! The help popup: the key table, for the contexts a screen can be in.

use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::widgets::{Block, BorderType, Clear, Row, Table};
use ratatui::Frame;

use super::centered;
use crate::keymap::{self, Context};

/// One line of the popup: a heading, or keys and what they do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HelpLine {
    Heading(&'static str),
    Keys { keys: String, what: &'static str },
}

/// The lines for `contexts`, in table order. A key that works anywhere
/// joins the row of the same action (`q / Ctrl+C  quit`) or, without one,
/// gets a row of its own at the end.
pub fn lines(contexts: &[Context]) -> Vec<HelpLine> {
    let anywhere: Vec<_> = keymap::bindings(Context::Anywhere).collect();
    let mut placed = vec![false; anywhere.len()];
    let mut lines = Vec::new();
    for &context in contexts {
        lines.push(HelpLine::Heading(context.title()));
        for binding in keymap::bindings(context) {
            let mut keys = binding.keys_label();
            for (i, extra) in anywhere.iter().enumerate() {
                if extra.action == binding.action && !placed[i] {
                    keys = format!("{keys} / {}", extra.keys_label());
                    placed[i] = true;
                }
            }
            lines.push(HelpLine::Keys {
                keys,
                what: binding.help,
            });
        }
    }
    let rest = anywhere
        .iter()
        .zip(&placed)
        .filter(|(_, &placed)| !placed)
        .map(|(b, _)| HelpLine::Keys {
            keys: b.keys_label(),
            what: b.help,
        });
    lines.extend(rest);
    lines
}

pub fn draw(frame: &mut Frame, area: Rect, contexts: &[Context]) {
    let lines = lines(contexts);
    let popup = centered(area, 60, lines.len() as u16 + 2);
    frame.render_widget(Clear, popup);
    let heading = Style::default().add_modifier(Modifier::BOLD);
    let rows = lines.iter().map(|line| match line {
        HelpLine::Heading(title) => Row::new([title.to_string()]).style(heading),
        HelpLine::Keys { keys, what } => Row::new([keys.clone(), what.to_string()]),
    });
    let table = Table::new(rows, [Constraint::Length(16), Constraint::Min(10)])
        .block(
            Block::bordered()
                .border_type(BorderType::Rounded)
                .title(" Keys — any key closes "),
        )
        .column_spacing(2);
    frame.render_widget(table, popup);
}
