//! A list of woofs — a feed (newest first), a dog's woofs, a thread — with
//! a selection, and the next page loaded as the selection nears the bottom.
//! Only the woofs on screen are laid out, so a feed of 10,000 draws as fast
//! as one of 20.

use std::collections::{HashMap, HashSet};

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;
use time::OffsetDateTime;
use woofer_shared::api::{FeedPage, Woof};
use woofer_shared::WoofId;

use crate::keymap::{self, Action, Context};

mod refresh;
use crate::relative_time::ago;
use crate::text::{scrub, wrap};
use refresh::{CatchUp, Hole};
pub use refresh::{GapNext, GAP_PAGE};

/// Load the next older page when the selection is this close to the end.
const PREFETCH: usize = 5;

/// Who wrote the woofs that replies answer, by id: `Some(name)`, or `None`
/// for a woof that is gone. An id not in it is still being asked for.
pub type Authors = HashMap<WoofId, Option<String>>;

/// What a list says while it has no woofs.
const EMPTY_FEED: &str = "No woofs yet. Press n to woof first!";

/// What the woofs of a list are drawn with, besides themselves.
pub struct Drawing<'a> {
    /// The logged-in dog, whose woofs are marked `(you)`.
    pub me: Option<&'a str>,
    pub now: OffsetDateTime,
    pub authors: &'a Authors,
}

pub struct FeedView {
    woofs: Vec<Woof>,
    selected: usize,
    /// Index of the woof drawn at the top.
    top: usize,
    /// Where the next page starts (`before` for feeds, `after` for replies).
    next: Option<WoofId>,
    loading_older: bool,
    loaded: bool,
    /// How many woofs the last frame showed (the page for PgUp/PgDn).
    visible: usize,
    laid_out: usize,
    empty_text: &'static str,
    /// Replies to this woof are set in (a thread's replies under its woof).
    indent_replies_to: Option<WoofId>,
    /// The newest woof that has been on screen: woofs above the screen
    /// newer than it are new to the dog, and counted in a marker.
    seen_upto: Option<WoofId>,
    /// The newest woof when a refresh was asked for: the list holds every
    /// woof from it down. Live woofs above it may have missed some, so the
    /// refresh fills in down to it, not to the newest woof loaded.
    refresh_from: Option<WoofId>,
    /// A refresh whose newest page did not reach what is loaded, fetching
    /// the gap.
    catching_up: Option<CatchUp>,
    /// Gaps left open when a refresh hit `MAX_GAP_PAGES`: each loads as the
    /// selection nears it.
    holes: Vec<Hole>,
}
impl Default for FeedView {
    fn default() -> Self {
        Self::new(EMPTY_FEED)
    }
}

impl FeedView {
    /// An empty list, saying `empty_text` once loaded with nothing.
    pub fn new(empty_text: &'static str) -> Self {
        Self {
            woofs: Vec::new(),
            selected: 0,
            top: 0,
            next: None,
            loading_older: false,
            loaded: false,
            visible: 0,
            laid_out: 0,
            empty_text,
            indent_replies_to: None,
            seen_upto: None,
            refresh_from: None,
            catching_up: None,
            holes: Vec::new(),
        }
    }

    /// Draws replies to `id` set in by two columns.
    pub fn indent_replies_to(&mut self, id: WoofId) {
        self.indent_replies_to = Some(id);
    }

    /// Whether a page has come (an empty one too).
    pub fn is_loaded(&self) -> bool {
        self.loaded
    }

    /// Whether the list holds every woof there is (no next page).
    pub fn is_complete(&self) -> bool {
        self.loaded && self.next.is_none()
    }

    /// Forgets every woof: the next page starts it afresh.
    pub fn reset(&mut self) {
        *self = Self {
            empty_text: self.empty_text,
            indent_replies_to: self.indent_replies_to,
            ..Self::new(self.empty_text)
        };
    }

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
        match self.next {
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

    pub fn append_older(&mut self, page: FeedPage) {
        self.append(page.woofs, page.next_before);
    }

    /// The next page at the end (older woofs of a feed, newer replies of a
    /// thread); woofs already in the list are not added twice.
    pub fn append(&mut self, woofs: Vec<Woof>, next: Option<WoofId>) {
        let known: HashSet<WoofId> = self.woofs.iter().map(|w| w.id).collect();
        self.woofs
            .extend(woofs.into_iter().filter(|w| !known.contains(&w.id)));
        self.next = next;
        self.loading_older = false;
        self.loaded = true;
    }

    /// Keeps the first `n` woofs only (a thread before its replies come
    /// afresh).
    pub fn truncate(&mut self, n: usize) {
        self.woofs.truncate(n);
        self.selected = self.selected.min(n.saturating_sub(1));
        self.top = self.top.min(self.selected);
    }

    /// A woof this dog just posted: on top, and selected.
    pub fn insert_own(&mut self, woof: Woof) {
        self.insert_newest(woof, true);
    }

    /// A new woof on top (once); `select` moves to it, else the selection
    /// stays on the woof it was on.
    pub fn insert_newest(&mut self, woof: Woof, select: bool) {
        let fresh = self.woofs.first().is_none_or(|w| w.id < woof.id);
        if fresh {
            self.woofs.insert(0, woof);
        }
        if select {
            self.selected = 0;
            self.top = 0;
        } else if fresh && self.woofs.len() > 1 {
            self.selected += 1;
            self.top += 1;
        }
    }

    /// A woof from the live stream, in its place by id (once). A list not
    /// loaded yet takes none (its first page brings it), nor one older than
    /// every woof loaded while older pages remain (it comes with them).
    /// The selected woof stays selected and where it is on screen: when the
    /// list is scrolled to its top the new woof slides in above it,
    /// otherwise it goes above the screen and the marker counts it.
    pub fn insert_live(&mut self, woof: Woof) {
        if !self.loaded || self.woofs.iter().any(|w| w.id == woof.id) {
            return;
        }
        let at = self
            .woofs
            .iter()
            .position(|w| w.id < woof.id)
            .unwrap_or(self.woofs.len());
        if at == self.woofs.len() && self.next.is_some() {
            return;
        }
        let had_woofs = !self.woofs.is_empty();
        self.woofs.insert(at, woof);
        if had_woofs && at <= self.selected {
            self.selected += 1;
        }
        if self.top > 0 && at <= self.top {
            self.top += 1;
        }
    }

    /// How many woofs above the screen the dog has not seen yet.
    pub fn unseen_above(&self) -> usize {
        let top = self.top.min(self.woofs.len());
        self.woofs[..top]
            .iter()
            .take_while(|w| self.seen_upto.is_some_and(|seen| w.id > seen))
            .count()
    }

    /// A woof at the end (a new reply in a thread); `select` moves to it.
    pub fn push(&mut self, woof: Woof, select: bool) {
        if self.woofs.iter().all(|w| w.id != woof.id) {
            self.woofs.push(woof);
        }
        if select {
            self.selected = self.woofs.len() - 1;
        }
    }

    /// A woof put before the others (what a thread's woof answers); the
    /// selection stays on the woof it was on.
    pub fn insert_first(&mut self, woof: Woof) {
        if self.woofs.iter().any(|w| w.id == woof.id) {
            return;
        }
        self.woofs.insert(0, woof);
        if self.woofs.len() > 1 {
            self.selected += 1;
            self.top += 1;
        }
    }

    /// Changes the woof with this id, if the list holds it.
    pub fn update(&mut self, id: WoofId, change: impl FnOnce(&mut Woof)) {
        if let Some(woof) = self.woofs.iter_mut().find(|w| w.id == id) {
            change(woof);
        }
    }

    /// Changes every woof of the list that `matches`.
    pub fn update_where(&mut self, matches: impl Fn(&Woof) -> bool, change: impl Fn(&mut Woof)) {
        self.woofs
            .iter_mut()
            .filter(|w| matches(w))
            .for_each(change);
    }

    pub fn remove(&mut self, id: WoofId) {
        self.forget_fetched(id);
        if let Some(i) = self.woofs.iter().position(|w| w.id == id) {
            self.woofs.remove(i);
            if self.selected >= self.woofs.len() {
                self.selected = self.woofs.len().saturating_sub(1);
            }
            self.top = self.top.min(self.selected);
        }
    }

    /// Lines of one woof at `width`: header (who, when, what it answers,
    /// likes and replies), body, blank separator.
    fn lines_of<'a>(
        woof: &'a Woof,
        width: u16,
        selected: bool,
        indent: bool,
        drawing: &Drawing<'_>,
    ) -> Vec<Line<'a>> {
        let body_width = usize::from(width.saturating_sub(Self::margin(indent))).max(1);
        let mine = drawing.me == Some(woof.author.as_str());
        let bar = match (selected, indent) {
            (true, false) => "▌ ",
            (false, false) => "  ",
            (true, true) => "  ▌ ",
            (false, true) => "    ",
        };
        let bar_style = Style::default().fg(Color::Cyan);
        let dim = Style::default().fg(Color::DarkGray);
        let mut header = vec![
            Span::styled(bar, bar_style),
            Span::styled(
                format!("@{}", scrub(&woof.author, false)),
                Style::default()
                    .fg(Color::Yellow)
                    .add_modifier(Modifier::BOLD),
            ),
            Span::styled(format!(" · {}", ago(woof.created_at, drawing.now)), dim),
        ];
        if mine {
            header.push(Span::styled(" (you)", Style::default().fg(Color::Green)));
        }
        if let Some(answers) = woof.reply_to {
            let to = match drawing.authors.get(&answers) {
                Some(Some(author)) => format!("@{}", scrub(author, false)),
                Some(None) => "a deleted woof".to_owned(),
                None => "…".to_owned(),
            };
            header.push(Span::styled(
                format!("  ↳ {to}"),
                Style::default().fg(Color::Magenta),
            ));
        }
        let (heart, heart_style) = if woof.liked_by_me {
            ("♥", Style::default().fg(Color::Red))
        } else {
            ("♡", dim)
        };
        header.push(Span::styled(
            format!("  {heart} {}", woof.like_count),
            heart_style,
        ));
        header.push(Span::styled(format!("  ↩ {}", woof.reply_count), dim));
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

    /// Columns before a body: the selection bar, and the indent.
    fn margin(indent: bool) -> u16 {
        if indent {
            4
        } else {
            2
        }
    }

    fn indented(&self, woof: &Woof) -> bool {
        self.indent_replies_to.is_some() && woof.reply_to == self.indent_replies_to
    }

    fn height_of(&self, woof: &Woof, width: u16) -> usize {
        let margin = Self::margin(self.indented(woof));
        wrap(
            &scrub(&woof.body, true),
            usize::from(width.saturating_sub(margin)).max(1),
        )
        .len()
            + 2
    }

    /// Rows of the woof at `index`, with the row of a hole above it.
    fn height_at(&self, index: usize, width: u16) -> usize {
        self.height_of(&self.woofs[index], width) + usize::from(self.hole_row(index).is_some())
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
        for i in self.top..=self.selected {
            used += self.height_at(i, area.width);
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
        let mut used = self.height_at(top, area.width);
        measured += 1;
        while top > 0 {
            let h = self.height_at(top - 1, area.width);
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

    pub fn draw(&mut self, frame: &mut Frame, area: Rect, drawing: &Drawing<'_>) {
        if area.height == 0 || area.width == 0 {
            return;
        }
        if self.woofs.is_empty() {
            let text = if self.loaded {
                self.empty_text
            } else {
                "Loading…"
            };
            frame.render_widget(
                Paragraph::new(text)
                    .style(Style::default().fg(Color::DarkGray))
                    .wrap(Wrap { trim: true }),
                area,
            );
            return;
        }
        self.selected = self.selected.min(self.woofs.len() - 1);
        // A row for the "new woofs" marker, when there are any above.
        let (marker, area) = if self.unseen_above() > 0 && area.height > 2 {
            let [marker, rest] =
                Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
            (Some(marker), rest)
        } else {
            (None, area)
        };
        let measured = self.scroll_to_selection(area);
        if let Some(top) = self.woofs.get(self.top) {
            self.seen_upto = Some(self.seen_upto.map_or(top.id, |seen| seen.max(top.id)));
        }
        if let Some(row) = marker {
            let unseen = self.unseen_above();
            if unseen > 0 {
                let key = keymap::key_for(Context::Woofs, Action::Newest);
                let text = format!(
                    "  ▲ {unseen} new woof{} above — {key}: to the top",
                    if unseen == 1 { "" } else { "s" }
                );
                frame.render_widget(
                    Paragraph::new(text).style(
                        Style::default()
                            .fg(Color::Black)
                            .bg(Color::Cyan)
                            .add_modifier(Modifier::BOLD),
                    ),
                    row,
                );
            }
        }
        let mut lines = Vec::new();
        let mut shown = 0;
        for (i, woof) in self.woofs.iter().enumerate().skip(self.top) {
            if lines.len() >= usize::from(area.height) {
                break;
            }
            if let Some(text) = self.hole_row(i) {
                lines.push(Line::styled(text, Style::default().fg(Color::DarkGray)));
            }
            lines.extend(Self::lines_of(
                woof,
                area.width,
                i == self.selected,
                self.indented(woof),
                drawing,
            ));
            shown += 1;
        }
        if self.next.is_some() && self.loading_older && lines.len() < usize::from(area.height) {
            lines.push(Line::styled(
                "  loading more woofs…",
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

    pub(super) fn woof(id: i64) -> Woof {
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

    pub(super) fn page(ids: std::ops::RangeInclusive<i64>, next_before: Option<i64>) -> FeedPage {
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

    #[test]
    fn live_woofs_keep_the_view_and_count_what_is_above_it() {
        let mut feed = FeedView::default();
        feed.merge_newest(page(1..=20, Some(1)));
        feed.seen_upto = Some(WoofId(20));
        feed.selected = 10;
        feed.top = 8;

        feed.insert_live(woof(21));
        feed.insert_live(woof(22));
        feed.insert_live(woof(22));

        assert_eq!(feed.woofs.len(), 22, "once each");
        assert_eq!(feed.selected_woof().unwrap().id, WoofId(10));
        assert_eq!(
            feed.woofs[feed.top].id,
            WoofId(12),
            "the screen did not move"
        );
        assert_eq!(feed.unseen_above(), 2);
        feed.first();
        feed.top = 0;
        feed.seen_upto = Some(WoofId(22));
        assert_eq!(feed.unseen_above(), 0);
    }

    #[test]
    fn a_live_woof_slides_in_on_top_when_the_list_is_at_its_top() {
        let mut feed = FeedView::default();
        feed.merge_newest(page(5..=7, Some(5)));
        feed.move_by(1);

        feed.insert_live(woof(8));
        feed.insert_live(woof(1));

        assert_eq!(feed.top, 0, "the new woof is on screen");
        assert_eq!(feed.selected_woof().unwrap().id, WoofId(6));
        assert_eq!(feed.woofs.len(), 4, "older than loaded: its page brings it");
    }
}
