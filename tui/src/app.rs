//! The app: which screen it is on, and how keys and answers move it.
//! No I/O here: it returns [`Effect`]s for the event loop to carry out, and
//! takes the [`Outcome`]s back, so the UI never waits on the network.

use crossterm::event::{KeyEvent, KeyEventKind};
use ratatui::layout::{Constraint, Layout};
use ratatui::style::{Color, Style};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use time::OffsetDateTime;
use woofer_shared::api::{ErrorCode, User};

use crate::api::ApiError;
use crate::api::LiveEvent;
use crate::components::compose::ComposeBox;
use crate::components::feed_screen::{FeedReply, FeedScreen};
use crate::components::login::{LoginAction, LoginForm};
use crate::components::status_bar::{Status, StatusBar};
use crate::effect::{Effect, Outcome, Request};
use crate::keymap::{self, Action, Context};
use crate::live_link::{LiveState, LiveUpdate};

pub const SESSION_ENDED: &str = "Your session has ended; please log in again.";
pub const ACCOUNT_DELETED: &str = "Your account has been deleted. Goodbye!";

pub enum Screen {
    /// A saved login is being checked with the server.
    Resuming,
    Login(Box<LoginForm>),
    Feed(Box<FeedScreen>),
}

pub struct App {
    screen: Screen,
    /// The draft outlives the feed screen: a logout keeps it.
    compose: ComposeBox,
    status: Option<Status>,
    server: String,
    /// How the live stream is doing, once it has said.
    live: Option<LiveState>,
    /// Requests out, for the spinner.
    pending: usize,
    tick: usize,
    should_quit: bool,
}

impl App {
    /// `has_session` when the saved jar holds a session worth checking.
    pub fn new(
        server: &str,
        has_session: bool,
        jar_warning: Option<String>,
    ) -> (Self, Vec<Effect>) {
        let mut app = Self {
            screen: if has_session {
                Screen::Resuming
            } else {
                Screen::Login(Box::default())
            },
            compose: ComposeBox::default(),
            status: jar_warning.map(Status::Error),
            server: server.to_owned(),
            live: None,
            pending: 0,
            tick: 0,
            should_quit: false,
        };
        let effects = if has_session {
            app.issue(vec![Effect::Request(Request::CheckSession)])
        } else {
            Vec::new()
        };
        (app, effects)
    }

    pub fn screen(&self) -> &Screen {
        &self.screen
    }

    pub fn compose(&self) -> &ComposeBox {
        &self.compose
    }

    pub fn status(&self) -> Option<&Status> {
        self.status.as_ref()
    }

    /// How the live stream is doing (`None` before it has said).
    pub fn live(&self) -> Option<LiveState> {
        self.live
    }

    /// Requests on their way.
    pub fn pending(&self) -> usize {
        self.pending
    }

    pub fn should_quit(&self) -> bool {
        self.should_quit
    }

    /// Whose keys are live now.
    pub fn key_context(&self) -> Context {
        match &self.screen {
            Screen::Resuming => Context::Resuming,
            Screen::Login(_) => Context::Login,
            Screen::Feed(feed) => feed.key_context(),
        }
    }

    /// The hint bar's hints, from the key table, most important first.
    pub fn hints(&self) -> Vec<keymap::Hint> {
        match &self.screen {
            Screen::Login(form) => form.hints(),
            _ => keymap::hint_list(self.key_context()),
        }
    }

    /// Counts requests going out (saving the jar is local and instant).
    fn issue(&mut self, effects: Vec<Effect>) -> Vec<Effect> {
        self.pending += effects
            .iter()
            .filter(|e| matches!(e, Effect::Request(_)))
            .count();
        effects
    }

    pub fn on_tick(&mut self) {
        self.tick = self.tick.wrapping_add(1);
    }

    pub fn on_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        if key.kind == KeyEventKind::Release {
            return Vec::new();
        }
        if keymap::action(Context::Anywhere, &key) == Some(Action::Quit) {
            self.should_quit = true;
            return Vec::new();
        }
        let requests = match &mut self.screen {
            Screen::Resuming => match keymap::action(Context::Resuming, &key) {
                Some(Action::Refresh) => vec![Request::CheckSession],
                Some(Action::LogOut) => vec![Request::LogOut],
                Some(Action::Quit) => {
                    self.should_quit = true;
                    Vec::new()
                }
                _ => Vec::new(),
            },
            Screen::Login(form) => match form.handle_key(key) {
                Some(LoginAction::Submit(request)) => {
                    self.status = None;
                    vec![request]
                }
                Some(LoginAction::Quit) => {
                    self.should_quit = true;
                    Vec::new()
                }
                None => Vec::new(),
            },
            Screen::Feed(feed) => {
                let replies = feed.handle_key(key, &mut self.compose);
                return self.apply(replies);
            }
        };
        self.issue(requests.into_iter().map(Effect::Request).collect())
    }

    pub fn on_paste(&mut self, text: &str) {
        match &mut self.screen {
            Screen::Login(form) => form.paste(text),
            Screen::Feed(feed) if feed.key_context() == Context::Compose => {
                self.compose.paste(text)
            }
            _ => {}
        }
    }

    pub fn on_outcome(&mut self, outcome: Outcome) -> Vec<Effect> {
        if let Outcome::JarNotSaved(why) = outcome {
            self.status = Some(Status::Error(format!("cannot save the cookie jar: {why}")));
            return Vec::new();
        }
        if let Outcome::Live(update) = outcome {
            return self.on_live(update);
        }
        self.pending = self.pending.saturating_sub(1);
        let effects = match (&mut self.screen, outcome) {
            (_, Outcome::SessionChecked(Ok(user)) | Outcome::LoggedIn(Ok(user))) => {
                self.logged_in(user)
            }
            (_, Outcome::SessionChecked(Err(e))) => self.failed(&e),
            (Screen::Login(form), Outcome::LoggedIn(Err(e))) => {
                form.refused(login_error(&e));
                Vec::new()
            }
            (_, Outcome::LoggedOut(result)) => {
                self.status = Some(match result {
                    Ok(()) => Status::Info("logged out".into()),
                    Err(e) => Status::Error(format!("logged out here, but {e}")),
                });
                self.back_to_login(None)
            }
            (Screen::Feed(feed), outcome) => {
                let replies = feed.on_outcome(outcome, &mut self.compose);
                return self.apply(replies);
            }
            // An answer for a screen that is gone (the dog logged out
            // meanwhile): nothing to show.
            _ => Vec::new(),
        };
        self.issue(effects)
    }

    /// Carries out what the feed screen asked for.
    fn apply(&mut self, replies: Vec<FeedReply>) -> Vec<Effect> {
        let mut effects = Vec::new();
        for reply in replies {
            match reply {
                FeedReply::Request(request) => effects.push(Effect::Request(request)),
                FeedReply::Quit => self.should_quit = true,
                FeedReply::Refused(why) => self.status = Some(Status::Error(why.into())),
                FeedReply::Done(what) => self.status = Some(Status::Info(what.into())),
                FeedReply::Said(what) => self.status = Some(Status::Info(what)),
                FeedReply::Failed(e) => effects.extend(self.failed(&e)),
                FeedReply::Reached => self.clear_unreachable(),
                FeedReply::Left => {
                    effects.extend(self.back_to_login(Some(ACCOUNT_DELETED.into())));
                    self.status = Some(Status::Info("account deleted".into()));
                }
            }
        }
        self.issue(effects)
    }

    fn logged_in(&mut self, user: User) -> Vec<Effect> {
        let mut feed = FeedScreen::new(user);
        let first = feed.first_requests().into_iter().map(Effect::Request);
        self.screen = Screen::Feed(Box::new(feed));
        self.clear_unreachable();
        [Effect::SaveJar, Effect::Live(true)]
            .into_iter()
            .chain(first)
            .collect()
    }

    /// News from the live stream: the feeds change under the dog's eyes,
    /// never moving what it is reading.
    fn on_live(&mut self, update: LiveUpdate) -> Vec<Effect> {
        let Screen::Feed(feed) = &mut self.screen else {
            // The dog logged out meanwhile; the link is being stopped.
            return Vec::new();
        };
        let replies = match update {
            LiveUpdate::Connected { fresh } => {
                // Opened again after a drop: whom the dog follows may have
                // changed elsewhere meanwhile.
                let reconnected = self.live.is_some_and(|was| was != LiveState::Live);
                self.live = Some(LiveState::Live);
                if matches!(self.status, Some(Status::Unreachable(_))) {
                    self.status = None;
                }
                let mut replies = if fresh {
                    // Woofs stored before the stream opened are not
                    // replayed: the feeds already shown load them.
                    feed.refresh_feeds()
                } else {
                    Vec::new()
                };
                if reconnected {
                    replies.extend(feed.reload_following());
                }
                replies
            }
            LiveUpdate::Event(LiveEvent::Woof(woof)) => feed.live_woof(woof),
            LiveUpdate::Event(LiveEvent::Deleted(id)) => {
                feed.live_deleted(id);
                Vec::new()
            }
            // Too much was missed to patch: load the feeds again.
            LiveUpdate::Event(LiveEvent::Reload) | LiveUpdate::Poll => feed.refresh_feeds(),
            LiveUpdate::Reconnecting => {
                self.live = Some(LiveState::Reconnecting);
                Vec::new()
            }
            LiveUpdate::Offline => {
                self.live = Some(LiveState::Offline);
                Vec::new()
            }
            LiveUpdate::Polling => {
                self.live = Some(LiveState::Polling);
                Vec::new()
            }
            LiveUpdate::Ended(e) => vec![FeedReply::Failed(e)],
        };
        self.apply(replies)
    }

    /// Back to the login form, named for the dog who was here.
    fn back_to_login(&mut self, notice: Option<String>) -> Vec<Effect> {
        let name = match &self.screen {
            Screen::Feed(feed) => Some(feed.user().username.clone()),
            _ => None,
        };
        self.screen = Screen::Login(Box::new(LoginForm::reset(name.as_deref(), notice)));
        self.compose.abandoned();
        self.live = None;
        vec![Effect::SaveJar, Effect::Live(false)]
    }

    /// An error away from the login form: an ended session goes back to
    /// it; anything else is said in the status bar.
    fn failed(&mut self, e: &ApiError) -> Vec<Effect> {
        if e.is_session_ended() && !matches!(self.screen, Screen::Login(_)) {
            return self.back_to_login(Some(SESSION_ENDED.into()));
        }
        self.status = Some(match e {
            ApiError::Unreachable { .. } => {
                // The screen's own key, not a popup's: the editor has none.
                let screen = match self.screen {
                    Screen::Resuming => Context::Resuming,
                    Screen::Login(_) => Context::Login,
                    Screen::Feed(_) => Context::Feed,
                };
                match keymap::key_for(screen, Action::Refresh) {
                    key if key.is_empty() => Status::Unreachable(e.to_string()),
                    key => Status::Unreachable(format!("{e} — press {key} to retry")),
                }
            }
            _ => Status::Error(e.to_string()),
        });
        Vec::new()
    }

    fn clear_unreachable(&mut self) {
        if matches!(self.status, Some(Status::Unreachable(_))) {
            self.status = None;
        }
    }

    /// One frame of the whole app.
    pub fn draw(&mut self, frame: &mut Frame, now: OffsetDateTime) {
        let [main, bar] =
            Layout::vertical([Constraint::Min(0), Constraint::Length(1)]).areas(frame.area());
        let hints = self.hints();
        let user = match &mut self.screen {
            Screen::Resuming => {
                frame.render_widget(
                    Paragraph::new("Checking your saved login…")
                        .style(Style::default().fg(Color::DarkGray)),
                    main,
                );
                None
            }
            Screen::Login(form) => {
                form.draw(frame, main, self.tick);
                None
            }
            Screen::Feed(feed) => {
                feed.draw(frame, main, &mut self.compose, now, self.tick);
                Some(feed.user().username.as_str())
            }
        };
        StatusBar {
            user,
            server: &self.server,
            status: self.status.as_ref(),
            live: self.live,
            busy: self.pending > 0,
            tick: self.tick,
            keys: &hints,
        }
        .draw(frame, bar);
    }
}

/// What the login form says when the server refuses.
fn login_error(e: &ApiError) -> String {
    match e {
        ApiError::Server {
            code: ErrorCode::ValidationFailed,
            field: Some(field),
            message,
            ..
        } => format!("{field}: {message}"),
        ApiError::Server {
            retry_after: Some(secs),
            message,
            ..
        } if !message.contains(&secs.to_string()) => {
            format!("{message} (try again in {})", wait_text(*secs))
        }
        other => other.to_string(),
    }
}

/// "45 s", "3 min": how long a `Retry-After` asks to wait.
fn wait_text(secs: u64) -> String {
    if secs < 60 {
        format!("{secs} s")
    } else {
        format!("{} min", secs.div_ceil(60))
    }
}

#[cfg(test)]
mod tests {
    use crossterm::event::{KeyCode, KeyModifiers};
    use woofer_shared::api::{FeedPage, Woof};

    use crate::components::following::tests::page as following_page;
    use woofer_shared::{Password, Timestamp, UserId, Username, WoofBody, WoofId};

    use super::*;
    use crate::api::Feed;
    use crate::components::feed_screen::{Overlay, Tab};

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn rex() -> User {
        User {
            id: UserId(1),
            username: "rex".into(),
            created_at: Timestamp::from_unix(1_795_633_445),
        }
    }

    fn woof(id: i64, author: &str) -> Woof {
        Woof {
            id: WoofId(id),
            author: author.into(),
            body: format!("woof {id}"),
            created_at: Timestamp::from_unix(1_795_633_445),
            reply_to: None,
            reply_count: 0,
            like_count: 0,
            liked_by_me: false,
        }
    }

    fn server_error(code: ErrorCode, message: &str) -> ApiError {
        ApiError::Server {
            code,
            message: message.into(),
            field: None,
            retry_after: None,
        }
    }

    fn request(effect: Request) -> Vec<Effect> {
        vec![Effect::Request(effect)]
    }

    /// Logged in as rex, who follows fido, with Home loaded.
    fn logged_in_app(woofs: Vec<Woof>) -> App {
        let mut app = app_before_following(woofs);
        app.on_outcome(Outcome::FollowingLoaded(
            None,
            Ok(following_page(&["fido"], None)),
        ));
        app
    }

    /// Logged in as rex with Home loaded; whom rex follows not come yet.
    fn app_before_following(woofs: Vec<Woof>) -> App {
        let (mut app, _) = App::new("http://127.0.0.1:8000", false, None);
        app.on_outcome(Outcome::LoggedIn(Ok(rex())));
        app.on_outcome(Outcome::NewestLoaded(
            Feed::Home,
            Ok(FeedPage {
                woofs,
                next_before: None,
            }),
        ));
        app
    }

    fn feed(app: &App) -> &FeedScreen {
        match app.screen() {
            Screen::Feed(feed) => feed,
            _ => panic!("not on the feed"),
        }
    }

    fn login_form(app: &App) -> &LoginForm {
        match app.screen() {
            Screen::Login(form) => form,
            _ => panic!("not on the login form"),
        }
    }

    #[test]
    fn a_saved_session_is_checked_and_a_refused_one_says_so() {
        let (mut app, effects) = App::new("http://x", true, None);
        assert_eq!(effects, request(Request::CheckSession));
        assert!(matches!(app.screen(), Screen::Resuming));

        let effects = app.on_outcome(Outcome::SessionChecked(Err(server_error(
            ErrorCode::Unauthenticated,
            "you need to log in first",
        ))));

        assert_eq!(login_form(&app).notice(), Some(SESSION_ENDED));
        assert_eq!(effects, vec![Effect::SaveJar, Effect::Live(false)]);
    }

    #[test]
    fn logging_in_saves_the_jar_and_loads_the_feed() {
        let (mut app, _) = App::new("http://x", false, None);
        for c in "rex".chars() {
            app.on_key(key(KeyCode::Char(c)));
        }
        app.on_key(key(KeyCode::Tab));
        for c in "correct horse".chars() {
            app.on_key(key(KeyCode::Char(c)));
        }
        let effects = app.on_key(key(KeyCode::Enter));
        assert_eq!(
            effects,
            request(Request::LogIn(
                Username::parse("rex").unwrap(),
                Password::parse("correct horse").unwrap()
            ))
        );
        assert_eq!(app.pending(), 1);

        let effects = app.on_outcome(Outcome::LoggedIn(Ok(rex())));

        assert_eq!(
            effects,
            vec![
                Effect::SaveJar,
                Effect::Live(true),
                Effect::Request(Request::LoadNewest(Feed::Home)),
                Effect::Request(Request::LoadFollowing(
                    Username::parse("rex").unwrap(),
                    None
                )),
            ]
        );
        assert_eq!(feed(&app).user(), &rex());
    }

    #[test]
    fn a_wrong_password_stays_on_the_form_and_says_so() {
        let (mut app, _) = App::new("http://x", false, None);
        app.on_outcome(Outcome::LoggedIn(Err(server_error(
            ErrorCode::InvalidCredentials,
            "wrong username or password",
        ))));
        assert_eq!(login_form(&app).error(), Some("wrong username or password"));
        assert_eq!(
            login_form(&app).notice(),
            None,
            "not mistaken for an ended session"
        );
    }

    #[test]
    fn feed_keys_move_compose_delete_and_quit() {
        let mut app = logged_in_app(vec![woof(3, "fido"), woof(2, "rex"), woof(1, "rex")]);
        app.on_key(key(KeyCode::Char('j')));
        assert_eq!(feed(&app).feed().selected_index(), 1);
        app.on_key(key(KeyCode::Char('d')));
        assert_eq!(feed(&app).overlay(), Overlay::ConfirmDelete(WoofId(2)));
        assert_eq!(
            app.on_key(key(KeyCode::Char('y'))),
            request(Request::Delete(WoofId(2)))
        );
        app.on_key(key(KeyCode::Char('g')));
        app.on_key(key(KeyCode::Char('d')));
        assert_eq!(
            feed(&app).overlay(),
            Overlay::None,
            "fido's woof cannot be deleted"
        );
        assert_eq!(
            app.status(),
            Some(&Status::Error("you can only delete your own woofs".into()))
        );
        app.on_key(key(KeyCode::Char('n')));
        assert_eq!(feed(&app).overlay(), Overlay::Compose);
        app.on_key(key(KeyCode::Char('q')));
        assert!(!app.should_quit(), "q is a letter in the editor");
        app.on_key(key(KeyCode::Esc));
        app.on_key(key(KeyCode::Char('q')));
        assert!(app.should_quit());
    }

    #[test]
    fn n_or_esc_keeps_the_woof() {
        let mut app = logged_in_app(vec![woof(2, "rex")]);
        app.on_key(key(KeyCode::Char('d')));
        assert_eq!(app.on_key(key(KeyCode::Char('n'))), vec![]);
        assert_eq!(feed(&app).overlay(), Overlay::None);
        assert_eq!(feed(&app).feed().woofs().len(), 1);
    }

    #[test]
    fn a_failed_post_keeps_the_draft_and_says_why() {
        let mut app = logged_in_app(vec![]);
        app.on_key(key(KeyCode::Char('n')));
        for c in "hello".chars() {
            app.on_key(key(KeyCode::Char(c)));
        }
        let effects = app.on_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
        assert_eq!(
            effects,
            request(Request::Post(WoofBody::parse("hello").unwrap(), None))
        );

        app.on_outcome(Outcome::Posted(Err(ApiError::Unreachable {
            url: "http://x".into(),
        })));

        assert_eq!(feed(&app).overlay(), Overlay::Compose);
        assert_eq!(app.compose().text(), "hello");
        assert_eq!(app.compose().error(), Some("cannot reach http://x"));
        assert_eq!(
            app.status(),
            Some(&Status::Unreachable(
                "cannot reach http://x — press r to retry".into()
            ))
        );
    }

    #[test]
    fn the_draft_survives_a_logout() {
        let mut app = logged_in_app(vec![]);
        app.on_key(key(KeyCode::Char('n')));
        app.on_paste("half a thought");
        app.on_key(key(KeyCode::Esc));
        app.on_key(key(KeyCode::Char('L')));
        app.on_outcome(Outcome::LoggedOut(Ok(())));
        app.on_outcome(Outcome::LoggedIn(Ok(rex())));
        app.on_key(key(KeyCode::Char('n')));
        assert_eq!(app.compose().text(), "half a thought");
    }

    #[test]
    fn nearing_the_end_loads_the_next_older_page_once() {
        let (mut app, _) = App::new("http://x", false, None);
        app.on_outcome(Outcome::LoggedIn(Ok(rex())));
        let woofs = (11..=30).rev().map(|i| woof(i, "fido")).collect();
        app.on_outcome(Outcome::NewestLoaded(
            Feed::Home,
            Ok(FeedPage {
                woofs,
                next_before: Some(WoofId(11)),
            }),
        ));
        let mut asked = Vec::new();
        for _ in 0..19 {
            asked.extend(app.on_key(key(KeyCode::Down)));
        }
        assert_eq!(asked, request(Request::LoadOlder(Feed::Home, WoofId(11))));
    }

    #[test]
    fn help_opens_and_any_key_closes_it() {
        let mut app = logged_in_app(vec![woof(1, "rex")]);
        app.on_key(key(KeyCode::Char('?')));
        assert_eq!(feed(&app).overlay(), Overlay::Help);
        app.on_key(key(KeyCode::Char('q')));
        assert_eq!(feed(&app).overlay(), Overlay::None);
        assert!(!app.should_quit());
    }

    #[test]
    fn the_help_scrolls_with_its_keys_and_any_other_key_closes_it() {
        let mut app = logged_in_app(vec![woof(1, "rex")]);
        app.on_key(key(KeyCode::Char('?')));
        for code in [KeyCode::Char('j'), KeyCode::Down, KeyCode::PageDown] {
            app.on_key(key(code));
        }
        app.on_key(key(KeyCode::Char('k')));
        let scrolled = feed(&app).help().top();
        app.on_key(key(KeyCode::Char('x')));
        assert_eq!(
            scrolled, 2,
            "three rows down (a page is a row before any frame), one up"
        );
        assert_eq!(feed(&app).overlay(), Overlay::None);
        app.on_key(key(KeyCode::Char('?')));
        assert_eq!(feed(&app).help().top(), 0, "it opens at its top again");
    }

    #[test]
    fn rate_limited_login_says_how_long_to_wait() {
        let (mut app, _) = App::new("http://x", false, None);
        app.on_outcome(Outcome::LoggedIn(Err(ApiError::Server {
            code: ErrorCode::RateLimited,
            message: "too many failed logins for this username".into(),
            field: None,
            retry_after: Some(600),
        })));
        assert_eq!(
            login_form(&app).error(),
            Some("too many failed logins for this username (try again in 10 min)")
        );
    }

    #[test]
    fn validation_errors_name_the_field() {
        let (mut app, _) = App::new("http://x", false, None);
        app.on_outcome(Outcome::LoggedIn(Err(ApiError::Server {
            code: ErrorCode::ValidationFailed,
            message: "a password must be 8 to 128 characters".into(),
            field: Some("password".into()),
            retry_after: None,
        })));
        assert_eq!(
            login_form(&app).error(),
            Some("password: a password must be 8 to 128 characters")
        );
    }

    #[test]
    fn answers_arriving_after_logout_are_dropped() {
        let mut app = logged_in_app(vec![woof(1, "rex")]);
        app.on_key(key(KeyCode::Char('r')));
        app.on_key(key(KeyCode::Char('L')));
        app.on_outcome(Outcome::LoggedOut(Ok(())));
        app.on_outcome(Outcome::NewestLoaded(
            Feed::Home,
            Ok(FeedPage {
                woofs: vec![woof(2, "fido")],
                next_before: None,
            }),
        ));
        assert_eq!(login_form(&app).username(), "rex");
        assert_eq!(app.pending(), 0);
    }

    #[test]
    fn an_unreachable_server_at_start_is_said_and_r_retries() {
        let (mut app, _) = App::new("http://x", true, None);
        app.on_outcome(Outcome::SessionChecked(Err(ApiError::Unreachable {
            url: "http://x".into(),
        })));
        assert_eq!(
            app.status(),
            Some(&Status::Unreachable(
                "cannot reach http://x — press r to retry".into()
            ))
        );
        assert_eq!(
            app.on_key(key(KeyCode::Char('r'))),
            request(Request::CheckSession)
        );
        app.on_outcome(Outcome::SessionChecked(Ok(rex())));
        assert_eq!(app.status(), None);
        assert_eq!(feed(&app).user(), &rex());
    }

    #[test]
    fn a_message_that_merely_says_cannot_reach_is_not_taken_for_one() {
        let mut app = logged_in_app(vec![woof(1, "rex")]);
        app.on_outcome(Outcome::Deleted(
            WoofId(1),
            Err(server_error(
                ErrorCode::Internal,
                "cannot reach the database",
            )),
        ));
        app.on_outcome(Outcome::NewestLoaded(
            Feed::Home,
            Ok(FeedPage {
                woofs: vec![],
                next_before: None,
            }),
        ));
        assert_eq!(
            app.status(),
            Some(&Status::Error("cannot reach the database".into())),
            "a server error stays until something replaces it"
        );
    }

    #[test]
    fn a_woof_already_gone_leaves_the_feed() {
        let mut app = logged_in_app(vec![woof(2, "rex"), woof(1, "rex")]);
        app.on_outcome(Outcome::Deleted(
            WoofId(2),
            Err(server_error(
                ErrorCode::NotFound,
                "there is no woof with that id",
            )),
        ));
        assert_eq!(feed(&app).feed().woofs().len(), 1);
        assert!(matches!(app.screen(), Screen::Feed(_)));
    }

    #[test]
    fn an_ended_session_on_the_feed_goes_back_to_the_login_form() {
        let mut app = logged_in_app(vec![woof(1, "rex")]);
        let effects = app.on_outcome(Outcome::NewestLoaded(
            Feed::Home,
            Err(server_error(
                ErrorCode::Unauthenticated,
                "you need to log in first",
            )),
        ));
        assert_eq!(effects, vec![Effect::SaveJar, Effect::Live(false)]);
        assert_eq!(login_form(&app).notice(), Some(SESSION_ENDED));
        assert_eq!(login_form(&app).username(), "rex");
    }

    fn session(id: &str, current: bool) -> woofer_shared::api::Session {
        woofer_shared::api::Session {
            id: id.into(),
            created_at: Timestamp::from_unix(1_795_633_445),
            last_seen_at: Timestamp::from_unix(1_795_633_445),
            user_agent: Some("woofer/0.1.0".into()),
            current,
        }
    }

    fn type_text(app: &mut App, text: &str) {
        for c in text.chars() {
            app.on_key(key(KeyCode::Char(c)));
        }
    }

    #[test]
    fn the_account_panel_lists_and_ends_sessions() {
        let mut app = logged_in_app(vec![]);
        assert_eq!(
            app.on_key(key(KeyCode::Char('a'))),
            request(Request::LoadSessions)
        );
        assert_eq!(feed(&app).overlay(), Overlay::Account);
        app.on_outcome(Outcome::SessionsLoaded(Ok(vec![
            session("b", false),
            session("a", true),
        ])));

        assert_eq!(
            app.on_key(key(KeyCode::Char('x'))),
            request(Request::EndSession("b".into()))
        );
        let after = app.on_outcome(Outcome::SessionEnded(Ok(())));
        assert_eq!(after, request(Request::LoadSessions));
        assert_eq!(app.status(), Some(&Status::Info("session ended".into())));
        assert_eq!(
            app.on_key(key(KeyCode::Char('X'))),
            request(Request::EndOtherSessions)
        );
        app.on_key(key(KeyCode::Esc));
        assert_eq!(feed(&app).overlay(), Overlay::None);
    }

    #[test]
    fn a_new_password_is_typed_twice_and_checked_before_sending() {
        let mut app = logged_in_app(vec![]);
        app.on_key(key(KeyCode::Char('a')));
        app.on_key(key(KeyCode::Char('p')));
        assert_eq!(app.key_context(), Context::AccountForm);
        type_text(&mut app, "correct horse");
        app.on_key(key(KeyCode::Tab));
        type_text(&mut app, "battery staple");
        app.on_key(key(KeyCode::Tab));
        type_text(&mut app, "battery stapel");
        assert_eq!(app.on_key(key(KeyCode::Enter)), vec![], "the two differ");
        app.on_key(key(KeyCode::Backspace));
        app.on_key(key(KeyCode::Backspace));
        type_text(&mut app, "le");

        let effects = app.on_key(key(KeyCode::Enter));

        assert_eq!(
            effects,
            request(Request::ChangePassword(
                "correct horse".into(),
                Password::parse("battery staple").unwrap()
            ))
        );
    }

    #[test]
    fn leaving_asks_for_the_name_and_ends_on_the_login_form() {
        let mut app = logged_in_app(vec![]);
        app.on_key(key(KeyCode::Char('a')));
        app.on_key(key(KeyCode::Char('D')));
        type_text(&mut app, "correct horse");
        app.on_key(key(KeyCode::Tab));
        type_text(&mut app, "fido");
        assert_eq!(app.on_key(key(KeyCode::Enter)), vec![], "not its name");
        for _ in 0..4 {
            app.on_key(key(KeyCode::Backspace));
        }
        type_text(&mut app, "rex");
        assert_eq!(
            app.on_key(key(KeyCode::Enter)),
            request(Request::DeleteAccount("correct horse".into()))
        );

        let effects = app.on_outcome(Outcome::AccountDeleted(Ok(())));

        assert_eq!(effects, vec![Effect::SaveJar, Effect::Live(false)]);
        assert_eq!(login_form(&app).notice(), Some(ACCOUNT_DELETED));
    }

    #[test]
    fn logging_out_returns_to_the_login_screen() {
        let mut app = logged_in_app(vec![woof(1, "rex")]);
        assert_eq!(
            app.on_key(key(KeyCode::Char('L'))),
            request(Request::LogOut)
        );
        let effects = app.on_outcome(Outcome::LoggedOut(Ok(())));
        assert_eq!(login_form(&app).notice(), None);
        assert_eq!(effects, vec![Effect::SaveJar, Effect::Live(false)]);
        assert_eq!(app.status(), Some(&Status::Info("logged out".into())));
    }

    #[test]
    fn tab_loads_everyone_once_and_each_feed_keeps_its_place() {
        let mut app = logged_in_app(vec![woof(3, "rex"), woof(2, "rex"), woof(1, "rex")]);
        app.on_key(key(KeyCode::Char('G')));

        let first = app.on_key(key(KeyCode::Tab));
        app.on_outcome(Outcome::NewestLoaded(
            Feed::Everyone,
            Ok(FeedPage {
                woofs: vec![woof(5, "fido"), woof(4, "fido")],
                next_before: None,
            }),
        ));
        app.on_key(key(KeyCode::Tab));
        let again = app.on_key(key(KeyCode::Tab));

        assert_eq!(first, request(Request::LoadNewest(Feed::Everyone)));
        assert_eq!(again, vec![], "loaded once");
        assert_eq!(feed(&app).feed().selected_woof().unwrap().id, WoofId(5));
        app.on_key(key(KeyCode::Tab));
        assert_eq!(feed(&app).feed().selected_woof().unwrap().id, WoofId(1));
    }

    #[test]
    fn a_reply_from_a_thread_joins_it_and_is_counted() {
        let mut app = logged_in_app(vec![woof(7, "fido")]);
        let opened = app.on_key(key(KeyCode::Enter));
        assert_eq!(opened, request(Request::LoadReplies(WoofId(7), None)));
        app.on_outcome(Outcome::RepliesLoaded(
            WoofId(7),
            None,
            Ok(woofer_shared::api::ReplyPage {
                woofs: vec![],
                next_after: None,
            }),
        ));
        app.on_key(key(KeyCode::Char('R')));
        type_text(&mut app, "me too");
        let sent = app.on_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
        assert_eq!(
            sent,
            request(Request::Post(
                WoofBody::parse("me too").unwrap(),
                Some(WoofId(7))
            ))
        );

        let mut reply = woof(8, "rex");
        reply.reply_to = Some(WoofId(7));
        app.on_outcome(Outcome::Posted(Ok(reply)));

        let thread = feed(&app).feed();
        let ids: Vec<WoofId> = thread.woofs().iter().map(|w| w.id).collect();
        assert_eq!(ids, vec![WoofId(7), WoofId(8)]);
        assert_eq!(thread.woofs()[0].reply_count, 1);
        assert_eq!(thread.selected_woof().unwrap().id, WoofId(8));
        assert_eq!(app.status(), Some(&Status::Info("replied to @fido".into())));
        app.on_key(key(KeyCode::Esc));
        let home = feed(&app).feed();
        assert_eq!(home.woofs()[0].id, WoofId(8), "on Home too");
        assert_eq!(home.woofs()[1].reply_count, 1);
    }

    #[test]
    fn following_from_a_profile_reloads_it_and_home() {
        let mut app = logged_in_app(vec![woof(7, "fido")]);
        let fido = Username::parse("fido").unwrap();
        let opened = app.on_key(key(KeyCode::Char('u')));
        assert_eq!(
            opened,
            vec![
                Effect::Request(Request::LoadProfile(fido.clone())),
                Effect::Request(Request::LoadNewest(Feed::Dog(fido.clone()))),
            ]
        );
        assert_eq!(
            app.on_key(key(KeyCode::Char('F'))),
            vec![],
            "not loaded yet"
        );
        app.on_outcome(Outcome::ProfileLoaded(
            fido.clone(),
            Ok(woofer_shared::api::Profile {
                user: User {
                    id: UserId(2),
                    username: "fido".into(),
                    created_at: Timestamp::from_unix(1_795_633_445),
                },
                woof_count: 1,
                follower_count: 0,
                following_count: 0,
                followed_by_me: false,
            }),
        ));

        let follow = app.on_key(key(KeyCode::Char('F')));
        let after = app.on_outcome(Outcome::Followed(fido.clone(), true, Ok(())));

        assert_eq!(follow, request(Request::Follow(fido.clone(), true)));
        assert_eq!(
            after,
            vec![
                Effect::Request(Request::LoadProfile(fido)),
                Effect::Request(Request::LoadNewest(Feed::Home)),
            ]
        );
        assert_eq!(app.status(), Some(&Status::Info("following @fido".into())));
    }

    #[test]
    fn a_like_shows_at_once_and_a_second_press_waits_for_it() {
        let mut app = logged_in_app(vec![woof(7, "fido")]);
        let sent = app.on_key(key(KeyCode::Char('f')));
        let again = app.on_key(key(KeyCode::Char('f')));
        let shown = feed(&app).feed().woofs()[0].clone();
        app.on_outcome(Outcome::Liked(WoofId(7), true, Ok(())));
        let undone = app.on_key(key(KeyCode::Char('f')));

        assert_eq!(sent, request(Request::Like(WoofId(7), true)));
        assert_eq!(again, vec![]);
        assert!(shown.liked_by_me && shown.like_count == 1);
        assert_eq!(undone, request(Request::Like(WoofId(7), false)));
        assert_eq!(feed(&app).feed().woofs()[0].like_count, 0);
    }

    fn live(app: &mut App, update: LiveUpdate) -> Vec<Effect> {
        app.on_outcome(Outcome::Live(update))
    }

    fn live_woof(app: &mut App, woof: Woof) -> Vec<Effect> {
        live(app, LiveUpdate::Event(LiveEvent::Woof(woof)))
    }

    fn ids(list: &crate::components::feed::FeedView) -> Vec<i64> {
        list.woofs().iter().map(|w| w.id.0).collect()
    }

    #[test]
    fn a_live_woof_goes_on_top_and_the_selected_woof_stays_selected() {
        let mut app = logged_in_app(vec![woof(3, "rex"), woof(2, "fido"), woof(1, "rex")]);
        app.on_key(key(KeyCode::Down));

        live_woof(&mut app, woof(4, "fido"));

        let home = feed(&app).feed();
        assert_eq!(ids(home), vec![4, 3, 2, 1], "fido is on Home already");
        assert_eq!(home.selected_woof().unwrap().id, WoofId(2));
        assert_eq!(app.pending(), 0, "the stream is no request");
    }

    #[test]
    fn a_live_woof_of_a_dog_home_does_not_show_stays_off_home() {
        let mut app = logged_in_app(vec![woof(1, "rex")]);
        app.on_key(key(KeyCode::Tab));
        app.on_outcome(Outcome::NewestLoaded(
            Feed::Everyone,
            Ok(FeedPage {
                woofs: vec![woof(2, "luna"), woof(1, "rex")],
                next_before: None,
            }),
        ));

        live_woof(&mut app, woof(3, "bruno"));
        live_woof(&mut app, woof(4, "rex"));

        let screen = feed(&app);
        assert_eq!(ids(screen.tab_feed(Tab::Everyone)), vec![4, 3, 2, 1]);
        assert_eq!(ids(screen.tab_feed(Tab::Home)), vec![4, 1], "only your own");
    }

    #[test]
    fn a_live_woof_is_taken_once_and_a_reply_counted_once() {
        let mut app = logged_in_app(vec![woof(1, "fido")]);
        let mut reply = woof(2, "rex");
        reply.reply_to = Some(WoofId(1));

        live_woof(&mut app, reply.clone());
        live_woof(&mut app, reply.clone());
        app.on_outcome(Outcome::Posted(Ok(reply)));

        let home = feed(&app).feed();
        assert_eq!(ids(home), vec![2, 1]);
        assert_eq!(home.woofs()[1].reply_count, 1);
    }

    #[test]
    fn a_deleted_woof_leaves_the_feeds_and_the_open_profile() {
        let mut app = logged_in_app(vec![woof(3, "fido"), woof(2, "rex"), woof(1, "fido")]);
        app.on_key(key(KeyCode::Char('u')));
        let fido = Username::parse("fido").unwrap();
        app.on_outcome(Outcome::NewestLoaded(
            Feed::Dog(fido),
            Ok(FeedPage {
                woofs: vec![woof(3, "fido"), woof(1, "fido")],
                next_before: None,
            }),
        ));

        live(&mut app, LiveUpdate::Event(LiveEvent::Deleted(WoofId(3))));

        assert_eq!(ids(feed(&app).feed()), vec![1], "the profile");
        assert_eq!(ids(feed(&app).tab_feed(Tab::Home)), vec![2, 1]);
    }

    #[test]
    fn the_status_bar_follows_the_stream() {
        let mut app = logged_in_app(vec![]);
        assert_eq!(app.live(), None, "not said yet");

        live(&mut app, LiveUpdate::Connected { fresh: false });
        assert_eq!(app.live(), Some(LiveState::Live));
        live(&mut app, LiveUpdate::Reconnecting);
        assert_eq!(app.live(), Some(LiveState::Reconnecting));
        live(&mut app, LiveUpdate::Offline);
        assert_eq!(app.live(), Some(LiveState::Offline));
        live(&mut app, LiveUpdate::Polling);
        assert_eq!(app.live(), Some(LiveState::Polling));
    }

    #[test]
    fn a_fresh_stream_a_reload_and_a_poll_load_the_feeds_shown() {
        let mut app = logged_in_app(vec![woof(1, "rex")]);
        let home = request(Request::LoadNewest(Feed::Home));

        assert_eq!(live(&mut app, LiveUpdate::Connected { fresh: true }), home);
        assert_eq!(
            live(&mut app, LiveUpdate::Connected { fresh: false }),
            vec![]
        );
        assert_eq!(
            live(&mut app, LiveUpdate::Event(LiveEvent::Reload)),
            home,
            "Everyone was never loaded"
        );
        assert_eq!(live(&mut app, LiveUpdate::Poll), home);
    }

    #[test]
    fn a_stream_refused_for_an_ended_session_goes_to_the_login_form() {
        let mut app = logged_in_app(vec![woof(1, "rex")]);
        live(&mut app, LiveUpdate::Connected { fresh: false });

        let effects = live(
            &mut app,
            LiveUpdate::Ended(server_error(
                ErrorCode::Unauthenticated,
                "you need to log in first",
            )),
        );

        assert_eq!(effects, vec![Effect::SaveJar, Effect::Live(false)]);
        assert_eq!(login_form(&app).notice(), Some(SESSION_ENDED));
        assert_eq!(app.live(), None);
    }

    #[test]
    fn a_live_woof_of_a_followed_dog_goes_on_home_though_home_does_not_show_it() {
        let mut app = app_before_following(vec![woof(1, "rex")]);
        let rex_name = Username::parse("rex").unwrap();
        let next = app.on_outcome(Outcome::FollowingLoaded(
            None,
            Ok(following_page(&["fido"], Some(7))),
        ));
        assert_eq!(
            next,
            request(Request::LoadFollowing(rex_name.clone(), Some(7))),
            "the next page of whom rex follows"
        );
        live_woof(&mut app, woof(2, "luna"));
        assert_eq!(
            ids(feed(&app).feed()),
            vec![1],
            "until every page came, Home takes the dogs it shows only"
        );
        app.on_outcome(Outcome::FollowingLoaded(
            Some(7),
            Ok(following_page(&["luna"], None)),
        ));

        live_woof(&mut app, woof(3, "luna"));
        live_woof(&mut app, woof(4, "fido"));
        live_woof(&mut app, woof(5, "bruno"));

        assert_eq!(ids(feed(&app).feed()), vec![4, 3, 1], "not bruno");
        assert_eq!(app.pending(), 0);
    }

    #[test]
    fn following_and_unfollowing_from_the_app_decide_home_at_once() {
        let mut app = logged_in_app(vec![woof(1, "rex")]);
        let luna = Username::parse("luna").unwrap();
        app.on_outcome(Outcome::Followed(luna.clone(), true, Ok(())));
        app.on_outcome(Outcome::NewestLoaded(
            Feed::Home,
            Ok(FeedPage {
                woofs: vec![woof(1, "rex")],
                next_before: None,
            }),
        ));
        live_woof(&mut app, woof(2, "luna"));
        let fido = Username::parse("fido").unwrap();
        app.on_outcome(Outcome::Followed(fido, false, Ok(())));
        app.on_outcome(Outcome::NewestLoaded(
            Feed::Home,
            Ok(FeedPage {
                woofs: vec![woof(2, "luna"), woof(1, "rex")],
                next_before: None,
            }),
        ));

        live_woof(&mut app, woof(3, "fido"));
        live_woof(&mut app, woof(4, "luna"));

        assert_eq!(ids(feed(&app).feed()), vec![4, 2, 1]);
    }

    #[test]
    fn whom_the_dog_follows_is_asked_again_after_a_reconnect_only() {
        let mut app = logged_in_app(vec![woof(1, "rex")]);
        let again = request(Request::LoadFollowing(
            Username::parse("rex").unwrap(),
            None,
        ));

        assert_eq!(
            live(&mut app, LiveUpdate::Connected { fresh: false }),
            vec![],
            "loaded as the feed opened"
        );
        live(&mut app, LiveUpdate::Reconnecting);
        assert_eq!(
            live(&mut app, LiveUpdate::Connected { fresh: false }),
            again
        );
        live(&mut app, LiveUpdate::Offline);
        assert_eq!(
            live(&mut app, LiveUpdate::Connected { fresh: false }),
            vec![],
            "the last pages are still coming"
        );
        app.on_outcome(Outcome::FollowingLoaded(
            None,
            Err(ApiError::Unreachable {
                url: "http://x".into(),
            }),
        ));
        assert_eq!(app.status(), None, "no news for the dog");
        live(&mut app, LiveUpdate::Reconnecting);
        assert_eq!(
            live(&mut app, LiveUpdate::Connected { fresh: false }),
            again
        );
        live_woof(&mut app, woof(2, "fido"));
        assert_eq!(
            ids(feed(&app).feed()),
            vec![2, 1],
            "the set loaded before stays until the new one is whole"
        );
    }

    #[test]
    fn a_reload_past_a_page_asks_for_the_gap_and_keeps_the_place() {
        let mut app = logged_in_app((1..=20).rev().map(|id| woof(id, "fido")).collect());
        app.on_key(key(KeyCode::Char('j')));
        assert_eq!(
            live(&mut app, LiveUpdate::Event(LiveEvent::Reload)),
            request(Request::LoadNewest(Feed::Home))
        );
        // Live while the reload is on its way, newer than every missed one.
        live_woof(&mut app, woof(300, "fido"));

        let next = app.on_outcome(Outcome::NewestLoaded(
            Feed::Home,
            Ok(FeedPage {
                woofs: (281..=300).rev().map(|id| woof(id, "fido")).collect(),
                next_before: Some(WoofId(281)),
            }),
        ));
        assert_eq!(next, request(Request::LoadGap(Feed::Home, WoofId(281))));
        let done = app.on_outcome(Outcome::GapLoaded(
            Feed::Home,
            WoofId(281),
            Ok(FeedPage {
                woofs: (1..=280)
                    .rev()
                    .take(100)
                    .map(|id| woof(id, "fido"))
                    .collect(),
                next_before: Some(WoofId(181)),
            }),
        ));
        assert_eq!(done, request(Request::LoadGap(Feed::Home, WoofId(181))));
        app.on_outcome(Outcome::GapLoaded(
            Feed::Home,
            WoofId(181),
            Ok(FeedPage {
                woofs: (1..=180)
                    .rev()
                    .take(100)
                    .map(|id| woof(id, "fido"))
                    .collect(),
                next_before: Some(WoofId(81)),
            }),
        ));
        let home = feed(&app).feed();
        assert_eq!(
            ids(home)[..3],
            [300, 20, 19],
            "nothing goes in before the gap is whole"
        );
        assert_eq!(home.selected_woof().unwrap().id, WoofId(19));
        app.on_outcome(Outcome::GapLoaded(
            Feed::Home,
            WoofId(81),
            Ok(FeedPage {
                woofs: (1..=80).rev().map(|id| woof(id, "fido")).collect(),
                next_before: None,
            }),
        ));

        let home = feed(&app).feed();
        assert_eq!(ids(home), (1..=300).rev().collect::<Vec<_>>());
        assert_eq!(home.selected_woof().unwrap().id, WoofId(19));
        assert_eq!(app.pending(), 0);
    }
}
