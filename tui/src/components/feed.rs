//! The feed: newest first, a selection, pages of older woofs loaded as the
//! selection nears the bottom. Only the woofs on screen are laid out, so a
//! feed of 10,000 draws as fast as one of 20.

use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use time::OffsetDateTime;
use woofer_shared::api::{FeedPage, Woof};
use woofer_shared::WoofId;

use crate::keymap::Action;
use crate::relative_time::ago;
use crate::text::{scrub, wrap};

/// Load the next older page when the selection is this close to the end.
const PREFETCH: usize = 5;

#[derive(Default)]
pub struct FeedView {
    woofs: Vec<Woof>,
    selected: usize,
    /// Index of the woof drawn at the top.
    top: usize,
    next_before: Option<WoofId>,
    loading_older: bool,
    loaded: bool,
    /// How many woofs the last frame showed (the page for PgUp/PgDn).
    visible: usize,
    laid_out: usize,
}

impl FeedView {
    pub fn woofs(&self) -> &[Woof] {
        &self.woofs
    }

    pub fn selected_index(&self) -> usize {
        self.selected
    }

    pub fn selected_woof(&self) -> Option<&Woof> {
        self.woofs.get(self.selected)
    }

    /// Moves the selection for a feed key; `false` for keys that do not move it.
    pub fn navigate(&mut self, action: Action) -> bool {
        match action {
            Action::Next => self.move_by(1),
            Action::Previous => self.move_by(-1),
            Action::PageDown => self.page(true),
            Action::PageUp => self.page(false),
            Action::Newest => self.first(),
            Action::Oldest => self.last(),
            _ => return false,
        }
        true
    }

    fn move_by(&mut self, delta: isize) {
        if self.woofs.is_empty() {
            return;
        }
        let last = self.woofs.len() - 1;
        self.selected = self.selected.saturating_add_signed(delta).min(last);
    }

    fn page(&mut self, down: bool) {
        let step = self.visible.max(1) as isize;
        self.move_by(if down { step } else { -step });
    }

    fn first(&mut self) {
        self.selected = 0;
    }

    fn last(&mut self) {
        self.selected = self.woofs.len().saturating_sub(1);
    }

    /// The `before` of the next older page when it is time to load it,
    /// which is then on its way.
    pub fn older_requested(&mut self) -> Option<WoofId> {
        let near_end = self.selected + PREFETCH >= self.woofs.len();
        match self.next_before {
            Some(before) if near_end && !self.loading_older && self.loaded => {
                self.loading_older = true;
                Some(before)
            }
            _ => None,
        }
    }

    /// The older page did not come: the next move near the end asks again.
    pub fn older_failed(&mut self) {
        self.loading_older = false;
    }

    /// The newest page: new woofs go on top and the selection stays on the
    /// woof it was on. If the page does not reach what is already loaded,
    /// the feed starts over from it.
    pub fn merge_newest(&mut self, page: FeedPage) {
        let newest_known = self.woofs.first().map(|w| w.id);
        let selected_id = self.selected_woof().map(|w| w.id);
        match newest_known {
            Some(newest)
                if page.woofs.last().is_some_and(|w| w.id <= newest)
                    || page.next_before.is_none() =>
            {
                let fresh: Vec<Woof> = page.woofs.into_iter().filter(|w| w.id > newest).collect();
                let added = fresh.len();
                self.woofs.splice(0..0, fresh);
                if selected_id.is_some() {
                    self.selected += added;
                    self.top += added;
                }
            }
            _ => {
                self.woofs = page.woofs;
                self.next_before = page.next_before;
                self.selected = 0;
                self.top = 0;
            }
        }
        self.loaded = true;
    }

    pub fn append_older(&mut self, page: FeedPage) {
        let oldest = self.woofs.last().map_or(WoofId(i64::MAX), |w| w.id);
        self.woofs
            .extend(page.woofs.into_iter().filter(|w| w.id < oldest));
        self.next_before = page.next_before;
        self.loading_older = false;
    }

    /// A woof this dog just posted: on top, and selected.
    pub fn insert_own(&mut self, woof: Woof) {
        if self.woofs.first().is_none_or(|w| w.id < woof.id) {
            self.woofs.insert(0, woof);
        }
        // The dog sees what it just posted.
        self.selected = 0;
        self.top = 0;
    }

    pub fn remove(&mut self, id: WoofId) {
        if let Some(i) = self.woofs.iter().position(|w| w.id == id) {
            self.woofs.remove(i);
            if self.selected >= self.woofs.len() {
                self.selected = self.woofs.len().saturating_sub(1);
            }
            self.top = self.top.min(self.selected);
        }
    }

    /// Lines of one woof at `width`: header, body, blank separator.
    fn lines_of<'a>(
        woof: &'a Woof,
        width: u16,
        me: Option<&str>,
        now: OffsetDateTime,
        selected: bool,
    ) -> Vec<Line<'a>> {
        let body_width = usize::from(width.saturating_sub(2)).max(1);
        let mine = me == Some(woof.author.as_str());
        let bar = if selected { "▌ " } else { "  " };
        let bar_style = Style::default().fg(Color::Cyan);
        let mut header = vec![
            Span::styled(bar, bar_style),
            Span::styled(
                format!("@{}", scrub(&woof.author, false)),
                Style::default()
                    .fg(Color::Yellow)
                    .add_modifier(Modifier::BOLD),
            ),
            Span::styled(
                format!(" · {}", ago(woof.created_at, now)),
                Style::default().fg(Color::DarkGray),
            ),
        ];
        if mine {
            header.push(Span::styled(" (you)", Style::default().fg(Color::Green)));
        }
        let mut lines = vec![Line::from(header)];
        let body_style = if selected {
            Style::default().add_modifier(Modifier::BOLD)
        } else {
            Style::default()
        };
        for text in wrap(&scrub(&woof.body, true), body_width) {
            lines.push(Line::from(vec![
                Span::styled(bar, bar_style),
                Span::styled(text, body_style),
            ]));
        }
        lines.push(Line::default());
        lines
    }

    fn height_of(woof: &Woof, width: u16) -> usize {
        wrap(
            &scrub(&woof.body, true),
            usize::from(width.saturating_sub(2)).max(1),
        )
        .len()
            + 2
    }

    /// Keeps the selection on screen, laying out only woofs near it (each
    /// loop stops once a screenful of lines is passed). Returns how many
    /// woofs it laid out.
    fn scroll_to_selection(&mut self, area: Rect) -> usize {
        let height = usize::from(area.height).max(1);
        if self.selected < self.top {
            self.top = self.selected;
            return 0;
        }
        let mut used = 0;
        let mut measured = 0;
        for woof in &self.woofs[self.top..=self.selected] {
            used += Self::height_of(woof, area.width);
            measured += 1;
            if used > height {
                break;
            }
        }
        if used <= height {
            return measured;
        }
        // The selection is below the screen: the lowest top that shows it whole.
        let mut top = self.selected;
        let mut used = Self::height_of(&self.woofs[top], area.width);
        measured += 1;
        while top > 0 {
            let h = Self::height_of(&self.woofs[top - 1], area.width);
            measured += 1;
            if used + h > height {
                break;
            }
            used += h;
            top -= 1;
        }
        self.top = top;
        measured
    }

    /// How many woofs the last frame laid out (wrapped): bounded by the
    /// screen, never by the length of the feed.
    pub fn laid_out_last_frame(&self) -> usize {
        self.laid_out
    }

    pub fn draw(&mut self, frame: &mut Frame, area: Rect, me: Option<&str>, now: OffsetDateTime) {
        if area.height == 0 || area.width == 0 {
            return;
        }
        if self.woofs.is_empty() {
            let text = if self.loaded {
                "No woofs yet. Press n to woof first!"
            } else {
                "Loading the feed…"
            };
            frame.render_widget(
                Paragraph::new(text).style(Style::default().fg(Color::DarkGray)),
                area,
            );
            return;
        }
        self.selected = self.selected.min(self.woofs.len() - 1);
        let measured = self.scroll_to_selection(area);
        let mut lines = Vec::new();
        let mut shown = 0;
        for (i, woof) in self.woofs.iter().enumerate().skip(self.top) {
            if lines.len() >= usize::from(area.height) {
                break;
            }
            lines.extend(Self::lines_of(
                woof,
                area.width,
                me,
                now,
                i == self.selected,
            ));
            shown += 1;
        }
        if self.next_before.is_some()
            && self.loading_older
            && lines.len() < usize::from(area.height)
        {
            lines.push(Line::styled(
                "  loading older woofs…",
                Style::default().fg(Color::DarkGray),
            ));
        }
        lines.truncate(usize::from(area.height));
        self.visible = shown.max(1);
        self.laid_out = measured + shown;
        frame.render_widget(Paragraph::new(lines), area);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use woofer_shared::Timestamp;

    fn woof(id: i64) -> Woof {
        Woof {
            id: WoofId(id),
            author: "rex".into(),
            body: format!("woof {id}"),
            created_at: Timestamp::from_unix(1_795_633_445),
            reply_to: None,
            reply_count: 0,
            like_count: 0,
            liked_by_me: false,
        }
    }

    fn page(ids: std::ops::RangeInclusive<i64>, next_before: Option<i64>) -> FeedPage {
        FeedPage {
            woofs: ids.rev().map(woof).collect(),
            next_before: next_before.map(WoofId),
        }
    }

    #[test]
    fn refresh_puts_new_woofs_on_top_and_keeps_the_selection() {
        let mut feed = FeedView::default();
        feed.merge_newest(page(1..=20, None));
        feed.move_by(3);
        let before = feed.selected_woof().unwrap().id;

        feed.merge_newest(page(5..=24, Some(5)));

        assert_eq!(feed.woofs.first().unwrap().id, WoofId(24));
        assert_eq!(feed.woofs.len(), 24);
        assert_eq!(feed.selected_woof().unwrap().id, before);
    }

    #[test]
    fn older_pages_are_wanted_near_the_end_only_once() {
        let mut feed = FeedView::default();
        feed.merge_newest(page(81..=100, Some(81)));
        assert_eq!(feed.older_requested(), None);
        feed.move_by(15);
        assert_eq!(feed.older_requested(), Some(WoofId(81)));
        assert_eq!(feed.older_requested(), None, "already on its way");
        feed.append_older(page(61..=80, Some(61)));
        assert_eq!(feed.woofs.len(), 40);
        feed.move_by(20);
        assert_eq!(feed.older_requested(), Some(WoofId(61)));
        feed.older_failed();
        assert_eq!(
            feed.older_requested(),
            Some(WoofId(61)),
            "asked again after a failure"
        );
    }

    #[test]
    fn selection_stays_in_bounds() {
        let mut feed = FeedView::default();
        feed.move_by(5);
        assert_eq!(feed.selected, 0);
        feed.merge_newest(page(1..=3, None));
        feed.last();
        feed.move_by(10);
        assert_eq!(feed.selected, 2);
        feed.remove(WoofId(1));
        assert_eq!(feed.selected, 1);
        feed.first();
        feed.move_by(-1);
        assert_eq!(feed.selected, 0);
    }
}
