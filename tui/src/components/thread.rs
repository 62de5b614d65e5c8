//! A thread: the woof a woof answers (when it is one), the woof, and its
//! direct replies, oldest first, set in under it and paged as the
//! selection nears the end.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use woofer_shared::api::{ReplyPage, Woof};
use woofer_shared::WoofId;

use super::feed::{Drawing, FeedView};
use crate::effect::Request;
use crate::text::scrub;

/// The woof the thread's woof answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answered {
    Nothing,
    Loading(WoofId),
    Shown(WoofId),
    Gone(WoofId),
}

pub struct ThreadView {
    root: WoofId,
    author: String,
    answered: Answered,
    /// The woof answered (once it came), the woof, its replies.
    list: FeedView,
}

impl ThreadView {
    /// The thread of `woof`, and the requests that fill it.
    pub fn open(woof: Woof) -> (Self, Vec<Request>) {
        let mut list = FeedView::new("");
        list.indent_replies_to(woof.id);
        let answered = woof.reply_to.map_or(Answered::Nothing, Answered::Loading);
        let mut view = Self {
            root: woof.id,
            author: woof.author.clone(),
            answered,
            list,
        };
        view.list.push(woof, true);
        let requests = view.requests(false);
        (view, requests)
    }

    /// What to ask for: the replies from the first, the woof answered, and
    /// with `afresh` the woof itself (for its counts).
    fn requests(&self, afresh: bool) -> Vec<Request> {
        let mut requests = Vec::new();
        if afresh {
            requests.push(Request::LoadWoof(self.root));
        }
        match self.answered {
            Answered::Loading(id) | Answered::Gone(id) => requests.push(Request::LoadWoof(id)),
            Answered::Shown(id) if afresh => requests.push(Request::LoadWoof(id)),
            _ => {}
        }
        requests.push(Request::LoadReplies(self.root, None));
        requests
    }

    /// `r`: everything afresh.
    pub fn refresh(&self) -> Vec<Request> {
        self.requests(true)
    }

    pub fn root(&self) -> WoofId {
        self.root
    }

    pub fn list(&self) -> &FeedView {
        &self.list
    }

    pub fn list_mut(&mut self) -> &mut FeedView {
        &mut self.list
    }

    /// Whether `id` is a woof this thread asked for by itself.
    pub fn asked_for(&self, id: WoofId) -> bool {
        id == self.root || self.answered_id() == Some(id)
    }

    fn answered_id(&self) -> Option<WoofId> {
        match self.answered {
            Answered::Nothing => None,
            Answered::Loading(id) | Answered::Shown(id) | Answered::Gone(id) => Some(id),
        }
    }

    /// A woof that came: the thread's own (counts afresh) or the one it
    /// answers (put above it).
    pub fn woof_loaded(&mut self, woof: &Woof) {
        if woof.id == self.root {
            let fresh = woof.clone();
            self.list.update(self.root, |w| *w = fresh);
        } else if self.answered_id() == Some(woof.id) {
            let fresh = woof.clone();
            self.list.update(woof.id, |w| *w = fresh);
            self.list.insert_first(woof.clone());
            self.answered = Answered::Shown(woof.id);
        }
    }

    /// The woof it answers is gone.
    pub fn answered_gone(&mut self, id: WoofId) {
        if self.answered_id() == Some(id) {
            self.answered = Answered::Gone(id);
        }
    }

    /// Woofs before the replies: the one answered (when shown) and the
    /// thread's own.
    fn head_len(&self) -> usize {
        match self.answered {
            Answered::Shown(_) => 2,
            _ => 1,
        }
    }

    /// A page of replies; the first page replaces those loaded before.
    pub fn replies_loaded(&mut self, after: Option<WoofId>, page: ReplyPage) {
        if after.is_none() {
            self.list.truncate(self.head_len());
        }
        self.list.append(page.woofs, page.next_after);
    }

    /// A reply this dog just posted to the thread's woof: at the end, when
    /// the replies before it are all here (else it comes with their pages).
    pub fn replied(&mut self, woof: Woof, select: bool) {
        if woof.reply_to == Some(self.root) && self.list.is_complete() {
            self.list.push(woof, select);
        }
    }

    /// The next page of replies, when it is time to load it.
    pub fn more_requested(&mut self) -> Option<Request> {
        self.list
            .older_requested()
            .map(|after| Request::LoadReplies(self.root, Some(after)))
    }

    pub fn draw(&mut self, frame: &mut Frame, area: Rect, drawing: &Drawing<'_>) {
        let [head, list] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
        let dim = Style::default().fg(Color::DarkGray);
        let mut title = vec![Span::styled(
            format!(" Thread of @{}'s woof", scrub(&self.author, false)),
            Style::default().fg(Color::Yellow),
        )];
        match self.answered {
            Answered::Gone(_) => title.push(Span::styled(" · it answers a woof that is gone", dim)),
            Answered::Loading(_) => title.push(Span::styled(" · it answers…", dim)),
            _ => {}
        }
        if !self.list.is_loaded() {
            title.push(Span::styled(" · loading replies…", dim));
        }
        frame.render_widget(Paragraph::new(Line::from(title)), head);
        self.list.draw(frame, list, drawing);
    }
}
