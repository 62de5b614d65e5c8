//! The help popup: the key table, for the contexts a screen can be in.
//! Taller than the screen, it scrolls (j/k, PgDn/PgUp: the table's `Help`
//! keys) and says on its border that there is more and where it is; any
//! other key closes it.

use crossterm::event::KeyEvent;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, BorderType, Clear, Paragraph};
use ratatui::Frame;

use super::centered;
use crate::keymap::{self, Action, Context};
use crate::text::{width, wrap};

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

/// The open popup: how far it is scrolled.
#[derive(Debug, Default)]
pub struct HelpPopup {
    /// The first row on screen.
    top: usize,
    /// The last frame's furthest `top` and rows on screen, which keys keep
    /// to; unknown before the first frame.
    last_frame: Option<(usize, usize)>,
}

impl HelpPopup {
    /// The first row on screen.
    pub fn top(&self) -> usize {
        self.top
    }

    /// Scrolls for the `Help` keys; `false` for any other key, which
    /// closes the popup, as does every key when it has nothing to scroll.
    pub fn handle_key(&mut self, key: &KeyEvent) -> bool {
        let (max_top, page) = self.last_frame.unwrap_or((usize::MAX, 1));
        if max_top == 0 {
            return false;
        }
        self.top = match keymap::action(Context::Help, key) {
            Some(Action::Next) => self.top.saturating_add(1),
            Some(Action::Previous) => self.top.saturating_sub(1),
            Some(Action::PageDown) => self.top.saturating_add(page),
            Some(Action::PageUp) => self.top.saturating_sub(page),
            _ => return false,
        }
        .min(max_top);
        true
    }

    /// One column, scrolled when taller than `area`; or two side by side
    /// when the screen is wide and tall enough to show everything so.
    pub fn draw(&mut self, frame: &mut Frame, area: Rect, contexts: &[Context]) {
        let lines = lines(contexts);
        if !self.draw_two_columns(frame, area, &lines) {
            self.draw_one_column(frame, area, &lines);
        }
    }

    fn draw_two_columns(&mut self, frame: &mut Frame, area: Rect, lines: &[HelpLine]) -> bool {
        let tall = lines.len() + 2;
        if tall <= usize::from(area.height) || area.width < 2 * COLUMN_WIDTH {
            return false;
        }
        let (left, right) = lines.split_at(split_point(lines));
        let inner_width = usize::from(COLUMN_WIDTH) - 2;
        let columns = [rows(left, inner_width), rows(right, inner_width)];
        let height = columns.iter().map(Vec::len).max().unwrap_or(0) + 2;
        if height > usize::from(area.height) {
            return false;
        }
        let popup = centered(area, 2 * COLUMN_WIDTH, height as u16);
        let inner = frame_popup(frame, popup, " Keys — any key closes ", None);
        let areas = Layout::horizontal([Constraint::Ratio(1, 2); 2])
            .spacing(1)
            .split(inner);
        for (column, &area) in columns.into_iter().zip(areas.iter()) {
            frame.render_widget(Paragraph::new(column), area);
        }
        self.top = 0;
        self.last_frame = Some((0, height - 2));
        true
    }

    fn draw_one_column(&mut self, frame: &mut Frame, area: Rect, lines: &[HelpLine]) {
        let width = COLUMN_WIDTH.min(area.width);
        let rows = rows(lines, usize::from(width.saturating_sub(2)));
        let height = (rows.len() + 2).min(usize::from(area.height));
        let shown = height.saturating_sub(2);
        let max_top = rows.len().saturating_sub(shown);
        self.top = self.top.min(max_top);
        self.last_frame = Some((max_top, shown.max(1)));
        let popup = centered(area, width, height as u16);
        let (title, marker) = if max_top == 0 {
            (" Keys — any key closes ", None)
        } else {
            (
                " Keys — Esc closes ",
                Some(scroll_marker(self.top, shown, rows.len())),
            )
        };
        let inner = frame_popup(frame, popup, title, marker);
        let visible: Vec<Line> = rows.into_iter().skip(self.top).take(shown).collect();
        frame.render_widget(Paragraph::new(visible), inner);
    }
}

/// Clears `popup`, draws its border with `title` and the scroll `marker`
/// under it, and gives back the inside.
fn frame_popup(frame: &mut Frame, popup: Rect, title: &str, marker: Option<String>) -> Rect {
    frame.render_widget(Clear, popup);
    let mut block = Block::bordered()
        .border_type(BorderType::Rounded)
        .title(title.to_owned());
    if let Some(marker) = marker {
        block = block.title_bottom(Line::from(marker).alignment(Alignment::Left));
    }
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    inner
}

/// `↓ more below (j, PgDn) · 1–20 of 44`: that there is more, which keys
/// reach it, and which rows are on screen.
fn scroll_marker(top: usize, shown: usize, total: usize) -> String {
    let key = |action| keymap::key_for(Context::Help, action);
    let (down, up) = (key(Action::Next), key(Action::Previous));
    let (page_down, page_up) = (key(Action::PageDown), key(Action::PageUp));
    let more = match (top > 0, top + shown < total) {
        (false, _) => format!("↓ more below ({down}, {page_down})"),
        (true, false) => format!("↑ more above ({up}, {page_up})"),
        (true, true) => format!("↑↓ more ({down} {up}, {page_down} {page_up})"),
    };
    format!(
        " {more} · {}–{} of {total} ",
        top + 1,
        (top + shown).min(total)
    )
}

/// The lines as screen rows `cells` wide: the keys in a column of their
/// own, what they do wrapped beside them.
fn rows(lines: &[HelpLine], cells: usize) -> Vec<Line<'static>> {
    let keys_width = lines
        .iter()
        .map(|line| match line {
            HelpLine::Keys { keys, .. } => width(keys),
            HelpLine::Heading(_) => 0,
        })
        .max()
        .unwrap_or(0)
        .max(KEYS_WIDTH)
        .min(cells / 2);
    let what_width = cells.saturating_sub(keys_width + 1).max(1);
    let heading = Style::default().add_modifier(Modifier::BOLD);
    let mut rows = Vec::new();
    for line in lines {
        match line {
            HelpLine::Heading(title) => rows.push(Line::styled(title.to_string(), heading)),
            HelpLine::Keys { keys, what } => {
                for (i, part) in wrap(what, what_width).into_iter().enumerate() {
                    let keys = if i == 0 { keys.as_str() } else { "" };
                    let pad = keys_width.saturating_sub(width(keys));
                    rows.push(Line::from(format!("{keys}{} {part}", " ".repeat(pad))));
                }
            }
        }
    }
    rows
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

/// One column's width, borders included.
const COLUMN_WIDTH: u16 = 60;

/// The keys' column, at least: wide enough for `Tab / Shift+Tab`.
const KEYS_WIDTH: usize = 17;
