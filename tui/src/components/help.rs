//! The help popup: the key table, for the contexts a screen can be in.

use ratatui::layout::{Constraint, Layout, Rect};
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

/// Where the lines are split into two columns when they do not fit one:
/// at the heading nearest the middle, so a section stays together.
fn split_point(lines: &[HelpLine]) -> usize {
    let middle = lines.len() / 2;
    lines
        .iter()
        .enumerate()
        .filter(|(i, line)| *i > 0 && matches!(line, HelpLine::Heading(_)))
        .map(|(i, _)| i)
        .min_by_key(|&i| i.abs_diff(middle))
        .unwrap_or(lines.len())
}

/// The popup: one column, or two side by side when one is taller than the
/// screen and the screen is wide enough.
pub fn draw(frame: &mut Frame, area: Rect, contexts: &[Context]) {
    let lines = lines(contexts);
    let tall = lines.len() as u16 + 2;
    let columns: Vec<&[HelpLine]> = if tall > area.height && area.width >= 2 * COLUMN_WIDTH {
        let (left, right) = lines.split_at(split_point(&lines));
        vec![left, right]
    } else {
        vec![&lines]
    };
    let height = columns.iter().map(|c| c.len()).max().unwrap_or(0) as u16 + 2;
    let popup = centered(area, COLUMN_WIDTH * columns.len() as u16, height);
    frame.render_widget(Clear, popup);
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .title(" Keys — any key closes ");
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let areas = Layout::horizontal(vec![
        Constraint::Ratio(1, columns.len() as u32);
        columns.len()
    ])
    .spacing(1)
    .split(inner);
    let heading = Style::default().add_modifier(Modifier::BOLD);
    for (column, &area) in columns.iter().zip(areas.iter()) {
        let rows = column.iter().map(|line| match line {
            HelpLine::Heading(title) => Row::new([title.to_string()]).style(heading),
            HelpLine::Keys { keys, what } => Row::new([keys.clone(), what.to_string()]),
        });
        let table =
            Table::new(rows, [Constraint::Length(17), Constraint::Min(10)]).column_spacing(1);
        frame.render_widget(table, area);
    }
}

/// One column's width, borders included.
const COLUMN_WIDTH: u16 = 60;
