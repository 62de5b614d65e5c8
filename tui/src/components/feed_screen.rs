//! The logged-in screen: the dog, its feed, and the one popup that may be
//! over it. Popups are one enum, so two cannot be open at once.

use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::Frame;
use time::OffsetDateTime;
use woofer_shared::api::{ErrorCode, User};
use woofer_shared::WoofId;

use super::account::AccountPanel;
use super::compose::{ComposeAction, ComposeBox};
use super::feed::FeedView;
use super::{confirm, help};
use crate::api::ApiError;
use crate::effect::{Outcome, Request};
use crate::keymap::{self, Action, Context};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    None,
    Help,
    Compose,
    ConfirmDelete(WoofId),
    Account,
}

/// What a key or an answer on this screen asks of the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedReply {
    Request(Request),
    Quit,
    /// A key that cannot do what it asks, and why.
    Refused(&'static str),
    /// Something the dog asked for is done.
    Done(&'static str),
    Failed(ApiError),
    /// The server answered: it is reachable again.
    Reached,
    /// The dog deleted its account.
    Left,
}

pub struct FeedScreen {
    user: User,
    feed: FeedView,
    overlay: Overlay,
    /// Boxed: its forms are large, and most of the time it is closed.
    account: Option<Box<AccountPanel>>,
}

/// What the help popup covers from this screen.
pub const HELP_CONTEXTS: &[Context] = &[Context::Feed, Context::Compose, Context::ConfirmDelete];

impl FeedScreen {
    pub fn new(user: User) -> Self {
        Self {
            user,
            feed: FeedView::default(),
            overlay: Overlay::None,
            account: None,
        }
    }

    pub fn user(&self) -> &User {
        &self.user
    }

    pub fn feed(&self) -> &FeedView {
        &self.feed
    }

    pub fn overlay(&self) -> Overlay {
        self.overlay
    }

    /// Whose keys are live: the popup's, else the feed's.
    pub fn key_context(&self) -> Context {
        match self.overlay {
            Overlay::None | Overlay::Help => Context::Feed,
            Overlay::Compose => Context::Compose,
            Overlay::ConfirmDelete(_) => Context::ConfirmDelete,
            Overlay::Account => self
                .account
                .as_ref()
                .map_or(Context::Account, |panel| panel.key_context()),
        }
    }

    pub fn handle_key(&mut self, key: KeyEvent, compose: &mut ComposeBox) -> Vec<FeedReply> {
        match self.overlay {
            Overlay::Help => {
                // Any key closes it.
                self.overlay = Overlay::None;
                Vec::new()
            }
            Overlay::Compose => match compose.handle_key(key) {
                Some(ComposeAction::Send(body)) => vec![FeedReply::Request(Request::Post(body))],
                Some(ComposeAction::Close) => {
                    self.overlay = Overlay::None;
                    Vec::new()
                }
                None => Vec::new(),
            },
            Overlay::Account => {
                let Some(panel) = self.account.as_mut() else {
                    self.overlay = Overlay::None;
                    return Vec::new();
                };
                let (replies, closed) = panel.handle_key(key);
                if closed {
                    self.overlay = Overlay::None;
                }
                replies
            }
            Overlay::ConfirmDelete(id) => {
                self.overlay = Overlay::None;
                match keymap::action(Context::ConfirmDelete, &key) {
                    Some(Action::Yes) => vec![FeedReply::Request(Request::Delete(id))],
                    _ => Vec::new(),
                }
            }
            Overlay::None => {
                let Some(action) = keymap::action(Context::Feed, &key) else {
                    return Vec::new();
                };
                let mut replies = self.on_action(action, compose);
                replies.extend(self.older_if_needed());
                replies
            }
        }
    }

    fn on_action(&mut self, action: Action, compose: &mut ComposeBox) -> Vec<FeedReply> {
        if self.feed.navigate(action) {
            return Vec::new();
        }
        match action {
            Action::Quit => vec![FeedReply::Quit],
            Action::Help => {
                self.overlay = Overlay::Help;
                Vec::new()
            }
            Action::Compose => {
                compose.opened();
                self.overlay = Overlay::Compose;
                Vec::new()
            }
            Action::Refresh => vec![FeedReply::Request(Request::LoadNewest)],
            Action::Account => {
                self.account = Some(Box::new(AccountPanel::new(&self.user.username)));
                self.overlay = Overlay::Account;
                vec![FeedReply::Request(Request::LoadSessions)]
            }
            Action::LogOut => vec![FeedReply::Request(Request::LogOut)],
            Action::Delete => match self.feed.selected_woof() {
                Some(woof) if woof.author == self.user.username => {
                    self.overlay = Overlay::ConfirmDelete(woof.id);
                    Vec::new()
                }
                Some(_) => vec![FeedReply::Refused("you can only delete your own woofs")],
                None => Vec::new(),
            },
            _ => Vec::new(),
        }
    }

    /// An answer to a request this screen made.
    pub fn on_outcome(&mut self, outcome: Outcome, compose: &mut ComposeBox) -> Vec<FeedReply> {
        match outcome {
            Outcome::NewestLoaded(Ok(page)) => {
                self.feed.merge_newest(page);
                [Some(FeedReply::Reached), self.older_if_needed()]
                    .into_iter()
                    .flatten()
                    .collect()
            }
            Outcome::OlderLoaded(Ok(page)) => {
                self.feed.append_older(page);
                self.older_if_needed().into_iter().collect()
            }
            Outcome::OlderLoaded(Err(e)) => {
                self.feed.older_failed();
                vec![FeedReply::Failed(e)]
            }
            Outcome::Posted(Ok(woof)) => {
                compose.sent();
                if self.overlay == Overlay::Compose {
                    self.overlay = Overlay::None;
                }
                self.feed.insert_own(woof);
                vec![FeedReply::Done("woofed!")]
            }
            Outcome::Posted(Err(e)) => {
                // The draft stays; the editor says why.
                compose.failed(e.to_string());
                vec![FeedReply::Failed(e)]
            }
            Outcome::Deleted(id, Ok(())) => {
                self.feed.remove(id);
                vec![FeedReply::Done("woof deleted")]
            }
            Outcome::Deleted(id, Err(e)) => {
                if e.code() == ErrorCode::NotFound {
                    // Already gone: the feed should say so too.
                    self.feed.remove(id);
                }
                vec![FeedReply::Failed(e)]
            }
            Outcome::NewestLoaded(Err(e)) => vec![FeedReply::Failed(e)],
            outcome => match self.account.as_mut() {
                Some(panel) => panel.on_outcome(outcome),
                None => Vec::new(),
            },
        }
    }

    fn older_if_needed(&mut self) -> Option<FeedReply> {
        self.feed
            .older_requested()
            .map(|before| FeedReply::Request(Request::LoadOlder(before)))
    }

    pub fn draw(
        &mut self,
        frame: &mut Frame,
        area: Rect,
        compose: &mut ComposeBox,
        now: OffsetDateTime,
        tick: usize,
    ) {
        self.feed.draw(frame, area, Some(&self.user.username), now);
        match self.overlay {
            Overlay::None => {}
            Overlay::Help => help::draw(frame, area, HELP_CONTEXTS),
            Overlay::Compose => compose.draw(frame, area, tick),
            Overlay::ConfirmDelete(_) => confirm::draw(frame, area, "Delete this woof?"),
            Overlay::Account => {
                if let Some(panel) = self.account.as_mut() {
                    panel.draw(frame, area, now);
                }
            }
        }
    }
}
