//! The logged-in screen: the dog, its two feeds (Home and Everyone) as
//! tabs, the profiles and threads opened over them (Esc goes back), and the
//! one popup that may be over it all. Popups are one enum, so two cannot be
//! open at once.

use std::collections::HashSet;

use crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::Frame;
use time::OffsetDateTime;
use woofer_shared::api::{ErrorCode, User, Woof};
use woofer_shared::{Username, WoofId};

use super::account::AccountPanel;
use super::compose::{ComposeAction, ComposeBox, ReplyTarget};
use super::confirm;
use super::feed::{Authors, Drawing, FeedView, GapNext};
use super::following::Following;
use super::help::HelpPopup;
use super::profile::ProfileView;
use super::thread::ThreadView;
use crate::api::{ApiError, Feed};
use crate::effect::{Outcome, Request};
use crate::keymap::{self, Action, Context};

/// At most this many profiles and threads are kept open over the feeds;
/// opening one more forgets the oldest.
const MAX_PAGES: usize = 16;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    None,
    Help,
    Compose,
    ConfirmDelete(WoofId),
    Account,
}

/// The two feeds, shown as tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    /// The dogs you follow, and you.
    Home,
    Everyone,
}

impl Tab {
    fn feed(self) -> Feed {
        match self {
            Self::Home => Feed::Home,
            Self::Everyone => Feed::Everyone,
        }
    }
}

/// A view opened over the feeds.
pub enum Page {
    Profile(Box<ProfileView>),
    Thread(Box<ThreadView>),
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
    /// Something the dog asked for is done, in words made for it.
    Said(String),
    Failed(ApiError),
    /// The server answered: it is reachable again.
    Reached,
    /// The dog deleted its account.
    Left,
}

pub struct FeedScreen {
    user: User,
    tab: Tab,
    home: FeedView,
    everyone: FeedView,
    /// Profiles and threads, the last one on screen.
    pages: Vec<Page>,
    overlay: Overlay,
    /// The help popup's scrolling, while it is open.
    help: HelpPopup,
    /// Boxed: its forms are large, and most of the time it is closed.
    account: Option<Box<AccountPanel>>,
    /// Who wrote the woofs that replies answer (`↳ @rex`).
    authors: Authors,
    /// Woofs asked for to learn their authors.
    asked: HashSet<WoofId>,
    /// Likes and unlikes on their way, so a second press waits for the first.
    liking: HashSet<WoofId>,
    /// Whom this dog follows: their live woofs go on Home. `None` for a
    /// name that cannot be asked about (the server's would always parse).
    following: Option<Following>,
}

/// What the help popup covers from the feeds.
pub const HELP_CONTEXTS: &[Context] = &[
    Context::Woofs,
    Context::Feed,
    Context::Compose,
    Context::Help,
];

impl FeedScreen {
    pub fn new(user: User) -> Self {
        let following = Username::parse(&user.username).ok().map(Following::new);
        Self {
            user,
            tab: Tab::Home,
            home: FeedView::new(
                "Nothing here yet. Home shows the dogs you follow, and you: press Tab for \
                 Everyone, u on a woof for its dog, then F to follow; or n to woof.",
            ),
            everyone: FeedView::default(),
            pages: Vec::new(),
            overlay: Overlay::None,
            help: HelpPopup::default(),
            account: None,
            authors: Authors::new(),
            asked: HashSet::new(),
            liking: HashSet::new(),
            following,
        }
    }

    pub fn user(&self) -> &User {
        &self.user
    }

    pub fn tab(&self) -> Tab {
        self.tab
    }

    /// The list on screen: the open profile's or thread's, else the tab's.
    pub fn feed(&self) -> &FeedView {
        match self.pages.last() {
            Some(Page::Profile(profile)) => profile.woofs(),
            Some(Page::Thread(thread)) => thread.list(),
            None => self.tab_feed(self.tab),
        }
    }

    fn feed_mut(&mut self) -> &mut FeedView {
        match self.pages.last_mut() {
            Some(Page::Profile(profile)) => profile.woofs_mut(),
            Some(Page::Thread(thread)) => thread.list_mut(),
            None => match self.tab {
                Tab::Home => &mut self.home,
                Tab::Everyone => &mut self.everyone,
            },
        }
    }

    pub fn tab_feed(&self, tab: Tab) -> &FeedView {
        match tab {
            Tab::Home => &self.home,
            Tab::Everyone => &self.everyone,
        }
    }

    /// The profile or thread on screen, if any.
    pub fn page(&self) -> Option<&Page> {
        self.pages.last()
    }

    pub fn overlay(&self) -> Overlay {
        self.overlay
    }

    /// The help popup's scrolling (meaningful while it is open).
    pub fn help(&self) -> &HelpPopup {
        &self.help
    }

    /// The screen's own context, under any popup.
    fn view_context(&self) -> Context {
        match self.pages.last() {
            Some(Page::Profile(_)) => Context::Profile,
            Some(Page::Thread(_)) => Context::Thread,
            None => Context::Feed,
        }
    }

    /// Whose keys are live: the popup's, else the view's.
    pub fn key_context(&self) -> Context {
        match self.overlay {
            Overlay::None => self.view_context(),
            Overlay::Help => Context::Help,
            Overlay::Compose => Context::Compose,
            Overlay::ConfirmDelete(_) => Context::ConfirmDelete,
            Overlay::Account => self
                .account
                .as_ref()
                .map_or(Context::Account, |panel| panel.key_context()),
        }
    }

    /// What the help popup lists here.
    pub fn help_contexts(&self) -> Vec<Context> {
        match self.view_context() {
            Context::Feed => HELP_CONTEXTS.to_vec(),
            view => vec![Context::Woofs, view, Context::Compose, Context::Help],
        }
    }

    /// The first page of the feed on screen, and whom the dog follows,
    /// asked for when the dog logs in.
    pub fn first_requests(&mut self) -> Vec<Request> {
        let mut requests = vec![Request::LoadNewest(self.tab.feed())];
        requests.extend(self.following.as_mut().and_then(Following::load));
        requests
    }

    /// Whom the dog follows, afresh (after a reconnect: it may have
    /// followed or unfollowed elsewhere meanwhile).
    pub fn reload_following(&mut self) -> Vec<FeedReply> {
        self.following
            .as_mut()
            .and_then(Following::load)
            .map(FeedReply::Request)
            .into_iter()
            .collect()
    }

    pub fn handle_key(&mut self, key: KeyEvent, compose: &mut ComposeBox) -> Vec<FeedReply> {
        match self.overlay {
            Overlay::Help => {
                // Its scrolling keys scroll it; any other key closes it.
                if !self.help.handle_key(&key) {
                    self.overlay = Overlay::None;
                }
                Vec::new()
            }
            Overlay::Compose => match compose.handle_key(key) {
                Some(ComposeAction::Send(body)) => {
                    let reply_to = compose.reply_to().map(|target| target.id);
                    vec![FeedReply::Request(Request::Post(body, reply_to))]
                }
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
                let Some(action) = keymap::action(self.view_context(), &key) else {
                    return Vec::new();
                };
                let mut replies = self.on_action(action, compose);
                replies.extend(self.more_if_needed());
                replies
            }
        }
    }

    fn on_action(&mut self, action: Action, compose: &mut ComposeBox) -> Vec<FeedReply> {
        if self.feed_mut().navigate(action) {
            return Vec::new();
        }
        let selected = self.feed().selected_woof().cloned();
        match action {
            Action::Quit => vec![FeedReply::Quit],
            Action::Back => {
                self.pages.pop();
                Vec::new()
            }
            Action::Help => {
                self.help = HelpPopup::default();
                self.overlay = Overlay::Help;
                Vec::new()
            }
            Action::Compose => {
                compose.opened(None);
                self.overlay = Overlay::Compose;
                Vec::new()
            }
            Action::Reply => match selected {
                Some(woof) => {
                    compose.opened(Some(ReplyTarget {
                        id: woof.id,
                        author: woof.author,
                    }));
                    self.overlay = Overlay::Compose;
                    Vec::new()
                }
                None => Vec::new(),
            },
            Action::Like => match selected {
                Some(woof) => self.like(&woof),
                None => Vec::new(),
            },
            Action::OpenThread => match selected {
                Some(woof) => {
                    let (thread, requests) = ThreadView::open(woof);
                    self.open(Page::Thread(Box::new(thread)));
                    requests.into_iter().map(FeedReply::Request).collect()
                }
                None => Vec::new(),
            },
            Action::AuthorProfile => match selected {
                Some(woof) => match Username::parse(&woof.author) {
                    Ok(name) => self.open_profile(name),
                    Err(_) => vec![FeedReply::Refused("that dog's name cannot be looked up")],
                },
                None => Vec::new(),
            },
            Action::OwnProfile => match Username::parse(&self.user.username) {
                Ok(name) => self.open_profile(name),
                Err(_) => Vec::new(),
            },
            Action::Follow => {
                let me = self.user.username.clone();
                match self.pages.last_mut() {
                    Some(Page::Profile(profile)) => match profile.follow_requested(&me) {
                        Ok(request) => vec![FeedReply::Request(request)],
                        Err(why) => vec![FeedReply::Refused(why)],
                    },
                    _ => Vec::new(),
                }
            }
            Action::SwitchFeed => {
                self.tab = match self.tab {
                    Tab::Home => Tab::Everyone,
                    Tab::Everyone => Tab::Home,
                };
                if self.tab_feed(self.tab).is_loaded() {
                    Vec::new()
                } else {
                    vec![FeedReply::Request(Request::LoadNewest(self.tab.feed()))]
                }
            }
            Action::Refresh => {
                let requests = match self.pages.last_mut() {
                    Some(Page::Profile(profile)) => {
                        profile.woofs_mut().refresh_requested();
                        vec![
                            Request::LoadProfile(profile.name().clone()),
                            Request::LoadNewest(profile.feed()),
                        ]
                    }
                    Some(Page::Thread(thread)) => thread.refresh(),
                    None => {
                        self.feed_mut().refresh_requested();
                        vec![Request::LoadNewest(self.tab.feed())]
                    }
                };
                requests.into_iter().map(FeedReply::Request).collect()
            }
            Action::Account => {
                self.account = Some(Box::new(AccountPanel::new(&self.user.username)));
                self.overlay = Overlay::Account;
                vec![FeedReply::Request(Request::LoadSessions)]
            }
            Action::LogOut => vec![FeedReply::Request(Request::LogOut)],
            Action::Delete => match selected {
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

    fn open(&mut self, page: Page) {
        if self.pages.len() >= MAX_PAGES {
            self.pages.remove(0);
        }
        self.pages.push(page);
    }

    /// A dog's profile, unless it is the one on screen already.
    fn open_profile(&mut self, name: Username) -> Vec<FeedReply> {
        if let Some(Page::Profile(open)) = self.pages.last() {
            if open.name() == &name {
                return Vec::new();
            }
        }
        let (profile, requests) = ProfileView::open(name);
        self.open(Page::Profile(Box::new(profile)));
        requests.into_iter().map(FeedReply::Request).collect()
    }

    /// Likes or unlikes at once on screen, and asks the server.
    fn like(&mut self, woof: &Woof) -> Vec<FeedReply> {
        if self.liking.contains(&woof.id) {
            return vec![FeedReply::Refused("still sending the last like")];
        }
        let like = !woof.liked_by_me;
        self.liking.insert(woof.id);
        self.set_liked(woof.id, like);
        vec![FeedReply::Request(Request::Like(woof.id, like))]
    }

    /// Every copy of the woof, in every list, liked or not by this dog.
    fn set_liked(&mut self, id: WoofId, like: bool) {
        self.for_each_list(|list| {
            list.update_where(
                |w| w.id == id && w.liked_by_me != like,
                |w| {
                    w.liked_by_me = like;
                    w.like_count = (w.like_count + if like { 1 } else { -1 }).max(0);
                },
            )
        });
    }

    fn for_each_list(&mut self, mut f: impl FnMut(&mut FeedView)) {
        f(&mut self.home);
        f(&mut self.everyone);
        for page in &mut self.pages {
            match page {
                Page::Profile(profile) => f(profile.woofs_mut()),
                Page::Thread(thread) => f(thread.list_mut()),
            }
        }
    }

    /// An answer to a request this screen made.
    pub fn on_outcome(&mut self, outcome: Outcome, compose: &mut ComposeBox) -> Vec<FeedReply> {
        let mut replies = match outcome {
            Outcome::NewestLoaded(feed, Ok(page)) => {
                let mut replies = self.learn_authors(&page.woofs);
                replies.push(FeedReply::Reached);
                let mut page = Some(page);
                let mut next = GapNext::Done;
                self.for_each_list_of(&feed, |list| {
                    if let Some(page) = page.take() {
                        next = list.merge_newest(page);
                    }
                });
                replies.extend(gap_request(feed, next));
                replies
            }
            Outcome::GapLoaded(feed, before, Ok(page)) => {
                let mut replies = self.learn_authors(&page.woofs);
                let mut page = Some(page);
                let mut next = GapNext::Done;
                self.for_each_list_of(&feed, |list| {
                    if let Some(page) = page.take() {
                        next = list.gap_loaded(before, page);
                    }
                });
                replies.extend(gap_request(feed, next));
                replies
            }
            Outcome::GapLoaded(feed, before, Err(e)) => {
                self.for_each_list_of(&feed, |list| list.gap_failed(before));
                vec![FeedReply::Failed(e)]
            }
            Outcome::FollowingLoaded(before, result) => {
                let next = match self.following.as_mut() {
                    Some(following) => following.page_loaded(before, result),
                    None => Ok(None),
                };
                match next {
                    Ok(request) => request.map(FeedReply::Request).into_iter().collect(),
                    Err(e) => vec![FeedReply::Failed(e)],
                }
            }
            Outcome::OlderLoaded(feed, Ok(page)) => {
                let replies = self.learn_authors(&page.woofs);
                let mut page = Some(page);
                self.for_each_list_of(&feed, |list| {
                    if let Some(page) = page.take() {
                        list.append_older(page);
                    }
                });
                replies
            }
            Outcome::OlderLoaded(feed, Err(e)) => {
                self.for_each_list_of(&feed, FeedView::older_failed);
                vec![FeedReply::Failed(e)]
            }
            Outcome::NewestLoaded(_, Err(e)) => vec![FeedReply::Failed(e)],
            Outcome::Posted(Ok(woof)) => {
                compose.sent();
                if self.overlay == Overlay::Compose {
                    self.overlay = Overlay::None;
                }
                self.posted(woof)
            }
            Outcome::Posted(Err(e)) => {
                // The draft stays; the editor says why.
                compose.failed(e.to_string());
                vec![FeedReply::Failed(e)]
            }
            Outcome::Deleted(id, Ok(())) => {
                self.for_each_list(|list| list.remove(id));
                vec![FeedReply::Done("woof deleted")]
            }
            Outcome::Deleted(id, Err(e)) => {
                if e.code() == ErrorCode::NotFound {
                    // Already gone: the feed should say so too.
                    self.for_each_list(|list| list.remove(id));
                }
                vec![FeedReply::Failed(e)]
            }
            Outcome::Liked(id, _, Ok(())) => {
                self.liking.remove(&id);
                Vec::new()
            }
            Outcome::Liked(id, like, Err(e)) => {
                // Back as it was, and why.
                self.liking.remove(&id);
                self.set_liked(id, !like);
                vec![FeedReply::Failed(e)]
            }
            Outcome::ProfileLoaded(name, Ok(profile)) => {
                for page in &mut self.pages {
                    if let Page::Profile(view) = page {
                        if view.name() == &name {
                            view.loaded(profile.clone());
                        }
                    }
                }
                Vec::new()
            }
            Outcome::ProfileLoaded(_, Err(e)) => vec![FeedReply::Failed(e)],
            Outcome::Followed(name, follow, result) => {
                self.each_profile_of(&name, ProfileView::follow_answered);
                match result {
                    Ok(()) => {
                        if let Some(following) = self.following.as_mut() {
                            following.changed(&name, follow);
                        }
                        // Home holds other woofs now, old ones too: afresh.
                        self.home.reset();
                        let said = if follow {
                            format!("following @{name}")
                        } else {
                            format!("no longer following @{name}")
                        };
                        vec![
                            FeedReply::Said(said),
                            FeedReply::Request(Request::LoadProfile(name)),
                            FeedReply::Request(Request::LoadNewest(Feed::Home)),
                        ]
                    }
                    Err(e) => vec![FeedReply::Failed(e)],
                }
            }
            Outcome::WoofLoaded(id, result) => self.woof_loaded(id, result),
            Outcome::RepliesLoaded(id, after, Ok(page)) => {
                let replies = self.learn_authors(&page.woofs);
                let mut page = Some(page);
                for thread in self.threads_of(id) {
                    if let Some(page) = page.take() {
                        thread.replies_loaded(after, page);
                    }
                }
                replies
            }
            Outcome::RepliesLoaded(id, _, Err(e)) => {
                for thread in self.threads_of(id) {
                    thread.list_mut().older_failed();
                }
                vec![FeedReply::Failed(e)]
            }
            outcome => match self.account.as_mut() {
                Some(panel) => panel.on_outcome(outcome),
                None => Vec::new(),
            },
        };
        replies.extend(self.more_if_needed());
        replies
    }

    /// The newest page of Home and Everyone, where loaded (after the live
    /// stream missed something, or in its stead).
    pub fn refresh_feeds(&mut self) -> Vec<FeedReply> {
        let mut replies = Vec::new();
        for (tab, list) in [
            (Tab::Home, &mut self.home),
            (Tab::Everyone, &mut self.everyone),
        ] {
            if list.is_loaded() {
                list.refresh_requested();
                replies.push(FeedReply::Request(Request::LoadNewest(tab.feed())));
            }
        }
        replies
    }

    /// Whether a woof belongs on Home: this dog's, or a followed dog's.
    /// Until whom it follows is loaded, a dog Home already shows counts.
    fn belongs_on_home(&self, woof: &Woof) -> bool {
        woof.author == self.user.username
            || self
                .following
                .as_ref()
                .and_then(|following| following.follows(&woof.author))
                .unwrap_or_else(|| self.home.woofs().iter().any(|w| w.author == woof.author))
    }

    /// A woof from the live stream: on top of Everyone, of Home when it is
    /// this dog's or a followed dog's, of its dog's profile, and at the end
    /// of its thread. Nothing moves the woof the dog has selected.
    pub fn live_woof(&mut self, woof: Woof) -> Vec<FeedReply> {
        if self.authors.contains_key(&woof.id) {
            // Already here: posted from this app, or on a page loaded since.
            return Vec::new();
        }
        let replies = self.learn_authors(std::slice::from_ref(&woof));
        self.everyone.insert_live(woof.clone());
        if self.belongs_on_home(&woof) {
            self.home.insert_live(woof.clone());
        }
        for page in &mut self.pages {
            match page {
                Page::Profile(profile) if profile.name().as_str() == woof.author => {
                    profile.woofs_mut().insert_live(woof.clone());
                }
                Page::Thread(thread) => thread.replied(woof.clone(), false),
                Page::Profile(_) => {}
            }
        }
        if let Some(answered) = woof.reply_to {
            self.for_each_list(|list| list.update(answered, |w| w.reply_count += 1));
        }
        replies
    }

    /// A woof deleted anywhere: gone from every list.
    pub fn live_deleted(&mut self, id: WoofId) {
        self.for_each_list(|list| list.remove(id));
    }

    /// A woof this dog posted: on top of the feeds and its own profile; a
    /// reply also at the end of its thread, counted on the woof it answers.
    fn posted(&mut self, woof: Woof) -> Vec<FeedReply> {
        // The live stream may have brought it already, counted and all.
        let came_live = self.authors.contains_key(&woof.id);
        self.authors.insert(woof.id, Some(woof.author.clone()));
        let on_screen = self.pages.len();
        let tab = self.tab;
        self.home
            .insert_newest(woof.clone(), on_screen == 0 && tab == Tab::Home);
        self.everyone
            .insert_newest(woof.clone(), on_screen == 0 && tab == Tab::Everyone);
        let me = self.user.username.clone();
        for (i, page) in self.pages.iter_mut().enumerate() {
            let top = i + 1 == on_screen;
            match page {
                Page::Profile(profile) if profile.name().as_str() == me => {
                    profile.woofs_mut().insert_newest(woof.clone(), top);
                }
                Page::Thread(thread) => thread.replied(woof.clone(), top),
                Page::Profile(_) => {}
            }
        }
        match woof.reply_to {
            Some(answered) => {
                if !came_live {
                    self.for_each_list(|list| list.update(answered, |w| w.reply_count += 1));
                }
                let to = self.authors.get(&answered).cloned().flatten();
                let said = to.map_or_else(
                    || "replied!".to_owned(),
                    |author| format!("replied to @{author}"),
                );
                vec![FeedReply::Said(said)]
            }
            None => vec![FeedReply::Done("woofed!")],
        }
    }

    fn woof_loaded(&mut self, id: WoofId, result: Result<Woof, ApiError>) -> Vec<FeedReply> {
        let asked_by_a_thread = self.threads_asking(id);
        match result {
            Ok(woof) => {
                self.authors.insert(woof.id, Some(woof.author.clone()));
                for page in &mut self.pages {
                    if let Page::Thread(thread) = page {
                        thread.woof_loaded(&woof);
                    }
                }
                Vec::new()
            }
            Err(e) if e.code() == ErrorCode::NotFound => {
                self.authors.insert(id, None);
                for page in &mut self.pages {
                    if let Page::Thread(thread) = page {
                        thread.answered_gone(id);
                    }
                }
                Vec::new()
            }
            // Only an author's name was wanted: no need to bother the dog,
            // unless the session ended.
            Err(e) if !asked_by_a_thread && !e.is_session_ended() => {
                self.asked.remove(&id);
                Vec::new()
            }
            Err(e) => vec![FeedReply::Failed(e)],
        }
    }

    fn threads_asking(&self, id: WoofId) -> bool {
        self.pages
            .iter()
            .any(|p| matches!(p, Page::Thread(t) if t.asked_for(id)))
    }

    fn threads_of(&mut self, root: WoofId) -> impl Iterator<Item = &mut ThreadView> {
        self.pages.iter_mut().filter_map(move |page| match page {
            Page::Thread(thread) if thread.root() == root => Some(thread.as_mut()),
            _ => None,
        })
    }

    fn each_profile_of(&mut self, name: &Username, f: impl Fn(&mut ProfileView)) {
        for page in &mut self.pages {
            if let Page::Profile(profile) = page {
                if profile.name() == name {
                    f(profile);
                }
            }
        }
    }

    /// The lists a page of `feed` belongs in; only the first of them gets
    /// it (the same dog's profile open twice shows the newer one).
    fn for_each_list_of(&mut self, feed: &Feed, mut f: impl FnMut(&mut FeedView)) {
        match feed {
            Feed::Home => f(&mut self.home),
            Feed::Everyone => f(&mut self.everyone),
            Feed::Dog(name) => {
                for page in self.pages.iter_mut().rev() {
                    if let Page::Profile(profile) = page {
                        if profile.name() == name {
                            f(profile.woofs_mut());
                        }
                    }
                }
            }
        }
    }

    /// Remembers who wrote these woofs, and asks for the woofs they answer
    /// that no list has shown yet, to name their authors.
    fn learn_authors(&mut self, woofs: &[Woof]) -> Vec<FeedReply> {
        for woof in woofs {
            self.authors.insert(woof.id, Some(woof.author.clone()));
        }
        let mut replies = Vec::new();
        for answered in woofs.iter().filter_map(|w| w.reply_to) {
            if !self.authors.contains_key(&answered) && self.asked.insert(answered) {
                replies.push(FeedReply::Request(Request::LoadWoof(answered)));
            }
        }
        replies
    }

    /// The next page of the list on screen when its end is near, and the
    /// page of a gap in it when the selection nears the gap.
    fn more_if_needed(&mut self) -> Vec<FeedReply> {
        let gap = match self.pages.last_mut() {
            Some(Page::Thread(_)) => None,
            Some(Page::Profile(profile)) => {
                let feed = profile.feed();
                profile
                    .woofs_mut()
                    .hole_requested()
                    .map(|before| Request::LoadGap(feed, before))
            }
            None => {
                let feed = self.tab.feed();
                self.feed_mut()
                    .hole_requested()
                    .map(|before| Request::LoadGap(feed, before))
            }
        };
        let older = match self.pages.last_mut() {
            Some(Page::Thread(thread)) => thread.more_requested(),
            Some(Page::Profile(profile)) => {
                let feed = profile.feed();
                profile
                    .woofs_mut()
                    .older_requested()
                    .map(|before| Request::LoadOlder(feed, before))
            }
            None => {
                let feed = self.tab.feed();
                self.feed_mut()
                    .older_requested()
                    .map(|before| Request::LoadOlder(feed, before))
            }
        };
        gap.into_iter()
            .chain(older)
            .map(FeedReply::Request)
            .collect()
    }

    pub fn draw(
        &mut self,
        frame: &mut Frame,
        area: Rect,
        compose: &mut ComposeBox,
        now: OffsetDateTime,
        tick: usize,
    ) {
        let drawing = Drawing {
            me: Some(&self.user.username),
            now,
            authors: &self.authors,
        };
        match self.pages.last_mut() {
            Some(Page::Profile(profile)) => profile.draw(frame, area, &drawing),
            Some(Page::Thread(thread)) => thread.draw(frame, area, &drawing),
            None => {
                let [tabs, list] =
                    Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
                frame.render_widget(tab_line(self.tab), tabs);
                let feed = match self.tab {
                    Tab::Home => &mut self.home,
                    Tab::Everyone => &mut self.everyone,
                };
                feed.draw(frame, list, &drawing);
            }
        }
        match self.overlay {
            Overlay::None => {}
            Overlay::Help => {
                let contexts = self.help_contexts();
                self.help.draw(frame, area, &contexts);
            }
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

/// The request for the next page of a gap in `feed`, if one is wanted.
fn gap_request(feed: Feed, next: GapNext) -> Option<FeedReply> {
    match next {
        GapNext::Page(before) => Some(FeedReply::Request(Request::LoadGap(feed, before))),
        GapNext::Done => None,
    }
}

/// ` Home │ Everyone `, the tab on screen standing out.
fn tab_line(on: Tab) -> Line<'static> {
    let style = |tab: Tab| {
        if tab == on {
            Style::default()
                .fg(Color::Black)
                .bg(Color::Cyan)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::default().fg(Color::DarkGray)
        }
    };
    Line::from(vec![
        Span::styled(" Home ", style(Tab::Home)),
        Span::styled(" │ ", Style::default().fg(Color::DarkGray)),
        Span::styled(" Everyone ", style(Tab::Everyone)),
    ])
}
