//! A refresh of a list: the newest page merged in on top, and when it does
//! not reach what is loaded, the gap below it fetched page by page and put
//! in at once, so the dog's place is kept however many woofs came. A gap
//! too long to fetch at once is left marked, and loads when reached.

use std::collections::HashSet;

use woofer_shared::api::{FeedPage, Woof};
use woofer_shared::WoofId;

use super::{FeedView, PREFETCH};

/// Woofs in a page that fills the gap between a newest page and what is
/// loaded (the most the server gives).
pub const GAP_PAGE: u32 = 100;

/// Gap pages one refresh fetches before it splices them in and leaves the
/// rest of the gap to load as the dog scrolls to it.
const MAX_GAP_PAGES: usize = 10;

/// A refresh fetching the gap above the loaded woofs, page by page.
pub(super) struct CatchUp {
    /// The list holds every woof from this one down.
    upto: WoofId,
    /// Fetched so far, newest first, not yet in the list.
    fetched: Vec<Woof>,
    pages: usize,
    /// The `before` of the page on its way.
    asked: WoofId,
}

/// Woofs missing from the list: older than `before`, newer than `upto`.
pub(super) struct Hole {
    upto: WoofId,
    before: WoofId,
    loading: bool,
}

/// What a page of a gap asks for next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GapNext {
    /// Nothing: the gap is closed, or the page was not for this list.
    Done,
    /// The page of the gap before this id.
    Page(WoofId),
}

impl FeedView {
    /// A refresh is on its way: notes the woof it must reach.
    pub fn refresh_requested(&mut self) {
        if self.loaded && self.refresh_from.is_none() {
            self.refresh_from = self.woofs.first().map(|w| w.id);
        }
    }

    /// The newest page. The first one fills the list. Later ones put their
    /// new woofs on top and the selection stays on the woof it was on; a
    /// page that does not reach what is loaded asks for the gap below it
    /// (`GapNext::Page`), and its woofs wait until the gap is filled.
    pub fn merge_newest(&mut self, page: FeedPage) -> GapNext {
        let upto = self.refresh_from.or(self.woofs.first().map(|w| w.id));
        let Some(upto) = upto.filter(|_| self.loaded) else {
            // Shown from its top: its newest woof is the dog's to see. A woof
            // posted before the page came stays on top of it.
            let page_newest = page.woofs.first().map(|w| w.id);
            let mut woofs: Vec<Woof> = std::mem::take(&mut self.woofs)
                .into_iter()
                .filter(|w| page_newest.is_none_or(|newest| w.id > newest))
                .collect();
            woofs.extend(page.woofs);
            self.seen_upto = woofs.first().map(|w| w.id);
            self.woofs = woofs;
            self.next = page.next_before;
            self.selected = 0;
            self.top = 0;
            self.loaded = true;
            self.refresh_from = None;
            self.catching_up = None;
            self.holes.clear();
            return GapNext::Done;
        };
        // A newer refresh starts the gap afresh; pages of the older one
        // are no longer asked for.
        self.catching_up = None;
        self.catch_up(upto, Vec::new(), 0, page)
    }

    /// A page of a gap, asked for with `before`: of a refresh catching up,
    /// or of a hole the dog scrolled to.
    pub fn gap_loaded(&mut self, before: WoofId, page: FeedPage) -> GapNext {
        if let Some(catching) = self.catching_up.take_if(|c| c.asked == before) {
            return self.catch_up(catching.upto, catching.fetched, catching.pages, page);
        }
        let Some(i) = self
            .holes
            .iter()
            .position(|h| h.before == before && h.loading)
        else {
            return GapNext::Done;
        };
        let upto = self.holes[i].upto;
        let closed = Self::reaches(&page, upto);
        self.splice(page.woofs, upto);
        match page.next_before {
            Some(next) if !closed => {
                self.holes[i].before = next;
                self.holes[i].loading = false;
            }
            _ => {
                self.holes.remove(i);
            }
        }
        GapNext::Done
    }

    /// A page of a gap did not come. A refresh catching up stops, and the
    /// list stays as it was until the next refresh; a hole is asked for
    /// again on the next move near it.
    pub fn gap_failed(&mut self, before: WoofId) {
        if self.catching_up.as_ref().is_some_and(|c| c.asked == before) {
            self.catching_up = None;
        }
        for hole in self.holes.iter_mut().filter(|h| h.before == before) {
            hole.loading = false;
        }
    }

    /// Whether a page newest first meets the woofs from `upto` down.
    fn reaches(page: &FeedPage, upto: WoofId) -> bool {
        page.woofs.last().is_some_and(|w| w.id <= upto) || page.next_before.is_none()
    }

    fn catch_up(
        &mut self,
        upto: WoofId,
        mut fetched: Vec<Woof>,
        pages: usize,
        page: FeedPage,
    ) -> GapNext {
        let reached = Self::reaches(&page, upto);
        fetched.extend(page.woofs);
        let pages = pages + 1;
        match page.next_before {
            Some(next) if !reached && pages < MAX_GAP_PAGES => {
                self.catching_up = Some(CatchUp {
                    upto,
                    fetched,
                    pages,
                    asked: next,
                });
                GapNext::Page(next)
            }
            next => {
                if let Some(before) = next.filter(|_| !reached) {
                    // Bounded: what came goes in, and the rest of the gap
                    // loads when the dog scrolls to it.
                    self.holes.push(Hole {
                        upto,
                        before,
                        loading: false,
                    });
                }
                self.splice(fetched, upto);
                self.refresh_from = None;
                GapNext::Done
            }
        }
    }

    /// Puts the woofs newer than `upto` that the list lacks in their places
    /// by id (newest first). The selected woof stays selected and the woof
    /// at the top of the screen stays there: new woofs above it are above
    /// the screen, and the marker counts them.
    fn splice(&mut self, woofs: Vec<Woof>, upto: WoofId) {
        let mut known: HashSet<WoofId> = self.woofs.iter().map(|w| w.id).collect();
        let mut fresh: Vec<Woof> = woofs
            .into_iter()
            .filter(|w| w.id > upto && known.insert(w.id))
            .collect();
        if fresh.is_empty() {
            return;
        }
        fresh.sort_by_key(|w| std::cmp::Reverse(w.id));
        let selected_id = self.selected_woof().map(|w| w.id);
        let top_id = self.woofs.get(self.top).map(|w| w.id);
        let old = std::mem::take(&mut self.woofs);
        let mut merged = Vec::with_capacity(old.len() + fresh.len());
        let mut old = old.into_iter().peekable();
        let mut fresh = fresh.into_iter().peekable();
        loop {
            let take_fresh = match (fresh.peek(), old.peek()) {
                (Some(f), Some(o)) => f.id > o.id,
                (Some(_), None) => true,
                (None, _) => false,
            };
            let next = if take_fresh { fresh.next() } else { old.next() };
            match next {
                Some(woof) => merged.push(woof),
                None => break,
            }
        }
        self.woofs = merged;
        let index_of = |id: Option<WoofId>, woofs: &[Woof]| {
            id.and_then(|id| woofs.iter().position(|w| w.id == id))
        };
        self.selected = index_of(selected_id, &self.woofs).unwrap_or(0);
        self.top = index_of(top_id, &self.woofs).unwrap_or(0);
    }

    /// The `before` of the page of a hole the selection has come near
    /// from above, which is then on its way. Its woofs go in below the
    /// selection, so nothing on screen above it moves. (A dog below a
    /// hole, as after a refresh, loads it on moving up past it.)
    pub fn hole_requested(&mut self) -> Option<WoofId> {
        let selected = self.selected;
        let woofs = &self.woofs;
        let hole = self.holes.iter_mut().find(|hole| {
            let at = Self::hole_index(woofs, hole);
            !hole.loading && selected < at && at - selected <= PREFETCH
        })?;
        hole.loading = true;
        Some(hole.before)
    }

    /// Index of the first woof below a hole.
    fn hole_index(woofs: &[Woof], hole: &Hole) -> usize {
        woofs
            .iter()
            .position(|w| w.id < hole.before)
            .unwrap_or(woofs.len())
    }

    /// The row that marks a hole just above the woof at `index`, if any.
    pub(super) fn hole_row(&self, index: usize) -> Option<&'static str> {
        // Asked for every woof laid out: a look at two woofs, not a search.
        let (above, at) = (
            self.woofs.get(index.checked_sub(1)?)?,
            self.woofs.get(index)?,
        );
        let hole = self
            .holes
            .iter()
            .find(|hole| above.id >= hole.before && at.id < hole.before)?;
        Some(if hole.loading {
            "  ⋯ loading the woofs in between…"
        } else {
            "  ⋯ more woofs in between: they load as you reach them"
        })
    }

    /// A woof deleted while its gap is being fetched: it must not come
    /// back when the gap goes in.
    pub(super) fn forget_fetched(&mut self, id: WoofId) {
        if let Some(catching) = &mut self.catching_up {
            catching.fetched.retain(|w| w.id != id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{page, woof};
    use super::*;

    fn ids(feed: &FeedView) -> Vec<i64> {
        feed.woofs.iter().map(|w| w.id.0).collect()
    }

    /// Newest first, no id twice, nothing missing between `low` and `high`.
    fn assert_whole(feed: &FeedView, high: i64, low: i64) {
        assert_eq!(ids(feed), (low..=high).rev().collect::<Vec<_>>());
    }

    #[test]
    fn a_refresh_past_a_page_fetches_the_gap_and_keeps_the_place() {
        let mut feed = FeedView::default();
        feed.merge_newest(page(81..=100, Some(81)));
        feed.seen_upto = Some(WoofId(100));
        feed.selected = 12;
        feed.top = 9;
        feed.refresh_requested();

        let first = feed.merge_newest(page(231..=250, Some(231)));
        assert_eq!(first, GapNext::Page(WoofId(231)));
        assert_whole(&feed, 100, 81);
        assert_eq!(
            feed.selected_woof().unwrap().id,
            WoofId(88),
            "nothing moved yet"
        );
        let second = feed.gap_loaded(WoofId(231), page(131..=230, Some(131)));
        assert_eq!(second, GapNext::Page(WoofId(131)));
        let last = feed.gap_loaded(WoofId(131), page(71..=130, Some(71)));

        assert_eq!(last, GapNext::Done);
        assert_whole(&feed, 250, 81);
        assert_eq!(feed.selected_woof().unwrap().id, WoofId(88));
        assert_eq!(
            feed.woofs[feed.top].id,
            WoofId(91),
            "the screen did not move"
        );
        assert_eq!(feed.unseen_above(), 150);
        assert_eq!(feed.next, Some(WoofId(81)), "older pages go on as before");
    }

    #[test]
    fn a_refresh_reaches_down_to_the_woof_newest_when_it_was_asked() {
        let mut feed = FeedView::default();
        feed.merge_newest(page(1..=20, None));
        feed.refresh_requested();
        // Live while the refresh is on its way, past a gap of missed woofs.
        feed.insert_live(woof(300));

        let next = feed.merge_newest(page(281..=300, Some(281)));
        assert_eq!(next, GapNext::Page(WoofId(281)), "20 is not reached yet");
        feed.gap_loaded(WoofId(281), page(181..=280, Some(181)));
        feed.gap_loaded(WoofId(181), page(81..=180, Some(81)));
        feed.gap_loaded(WoofId(81), page(1..=80, None));

        assert_whole(&feed, 300, 1);
    }

    #[test]
    fn a_woof_deleted_while_its_gap_is_fetched_stays_gone() {
        let mut feed = FeedView::default();
        feed.merge_newest(page(1..=20, None));
        feed.refresh_requested();
        feed.merge_newest(page(181..=200, Some(181)));

        feed.remove(WoofId(190));
        feed.gap_loaded(WoofId(181), page(21..=180, None));

        assert_eq!(feed.woofs.len(), 199);
        assert!(feed.woofs.iter().all(|w| w.id != WoofId(190)));
    }

    #[test]
    fn a_gap_page_of_an_older_refresh_or_a_failed_one_changes_nothing() {
        let mut feed = FeedView::default();
        feed.merge_newest(page(1..=20, None));
        feed.refresh_requested();
        feed.merge_newest(page(181..=200, Some(181)));
        feed.gap_failed(WoofId(181));
        assert_eq!(
            feed.gap_loaded(WoofId(181), page(81..=180, Some(81))),
            GapNext::Done,
            "no longer asked for"
        );
        assert_whole(&feed, 20, 1);

        feed.refresh_requested();
        assert_eq!(
            feed.merge_newest(page(191..=210, Some(191))),
            GapNext::Page(WoofId(191))
        );
        feed.gap_loaded(WoofId(191), page(91..=190, Some(91)));
        feed.gap_loaded(WoofId(91), page(11..=90, Some(11)));
        assert_whole(&feed, 210, 1);
    }

    #[test]
    fn a_gap_past_the_bound_stays_marked_and_loads_when_reached() {
        let mut feed = FeedView::default();
        feed.merge_newest(page(1..=20, None));
        feed.refresh_requested();
        let mut next = feed.merge_newest(page(1481..=1500, Some(1481)));
        let mut pages = 1;
        while let GapNext::Page(before) = next {
            let low = before.0 - 100;
            next = feed.gap_loaded(before, page(low..=before.0 - 1, Some(low)));
            pages += 1;
        }
        assert_eq!(pages, MAX_GAP_PAGES);
        // 1500 down to 581 came; 21..=580 did not.
        assert_eq!(feed.woofs.len(), 920 + 20);
        assert_eq!(
            feed.selected_woof().unwrap().id,
            WoofId(20),
            "still on its woof"
        );
        assert_eq!(feed.woofs[feed.top].id, WoofId(20), "and the screen too");
        assert_eq!(feed.unseen_above(), 920);
        assert_eq!(feed.hole_requested(), None, "below the gap");

        feed.selected = 919 - 3;
        assert_eq!(feed.hole_requested(), Some(WoofId(581)));
        assert_eq!(feed.hole_requested(), None, "already on its way");
        let selected = feed.selected_woof().unwrap().id;
        feed.gap_loaded(WoofId(581), page(481..=580, Some(481)));
        assert_eq!(feed.selected_woof().unwrap().id, selected);
        feed.selected += 100;
        let wanted = feed.hole_requested().unwrap();
        feed.gap_loaded(wanted, page(1..=480, None));

        assert_whole(&feed, 1500, 1);
        assert!(feed.holes.is_empty());
    }
}
