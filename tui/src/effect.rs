//! What the app asks the world to do, as data: `App` returns effects, the
//! event loop carries them out, and network answers come back as
//! outcomes. Nothing here draws or holds state.

use std::fmt;

use woofer_shared::api::{FeedPage, Profile, ReplyPage, Session, User, UserPage, Woof};
use woofer_shared::{Password, Username, WoofBody, WoofId};

use crate::api::{ApiClient, ApiError, Feed, Follows};
use crate::components::feed::GAP_PAGE;
use crate::live_link::LiveUpdate;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Request(Request),
    /// Write the cookie jar to disk: local and quick, not network work.
    SaveJar,
    /// Follow the live stream (`true`, while a dog is logged in) or stop.
    Live(bool),
}

/// Network work, answered by one [`Outcome`].
#[derive(Clone, PartialEq, Eq)]
pub enum Request {
    CheckSession,
    LogIn(Username, Password),
    Register(Username, Password),
    /// The newest page of a feed (Home, Everyone, or a dog's woofs).
    LoadNewest(Feed),
    /// The page of that feed older than the id.
    LoadOlder(Feed, WoofId),
    /// A page (a large one) of the gap between a newest page of that feed
    /// and what is loaded, older than the id.
    LoadGap(Feed, WoofId),
    /// A page of the dogs this dog follows, before the cursor.
    LoadFollowing(Username, Option<i64>),
    /// A woof, answering another when there is a `reply_to`.
    Post(WoofBody, Option<WoofId>),
    Delete(WoofId),
    /// Like (`true`) or stop liking (`false`).
    Like(WoofId, bool),
    LoadProfile(Username),
    /// Follow (`true`) or unfollow (`false`).
    Follow(Username, bool),
    /// One woof (the one a reply answers, or a thread's own, afresh).
    LoadWoof(WoofId),
    /// A page of a woof's replies, after the id (from the first when `None`).
    LoadReplies(WoofId, Option<WoofId>),
    LogOut,
    LoadSessions,
    EndSession(String),
    EndOtherSessions,
    /// The current password, and the new one.
    ChangePassword(String, Password),
    /// The password, to confirm.
    DeleteAccount(String),
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `Password`'s own Debug is redacted; spelled out so it stays so.
        match self {
            Self::CheckSession => f.write_str("CheckSession"),
            Self::LogIn(name, _) => write!(f, "LogIn({name}, <redacted>)"),
            Self::Register(name, _) => write!(f, "Register({name}, <redacted>)"),
            Self::LoadNewest(feed) => write!(f, "LoadNewest({feed:?})"),
            Self::LoadOlder(feed, id) => write!(f, "LoadOlder({feed:?}, {id})"),
            Self::LoadGap(feed, id) => write!(f, "LoadGap({feed:?}, {id})"),
            Self::LoadFollowing(name, before) => write!(f, "LoadFollowing({name}, {before:?})"),
            Self::Post(body, reply_to) => write!(f, "Post({:?}, {reply_to:?})", body.as_str()),
            Self::Delete(id) => write!(f, "Delete({id})"),
            Self::Like(id, like) => write!(f, "Like({id}, {like})"),
            Self::LoadProfile(name) => write!(f, "LoadProfile({name})"),
            Self::Follow(name, follow) => write!(f, "Follow({name}, {follow})"),
            Self::LoadWoof(id) => write!(f, "LoadWoof({id})"),
            Self::LoadReplies(id, after) => write!(f, "LoadReplies({id}, {after:?})"),
            Self::LogOut => f.write_str("LogOut"),
            Self::LoadSessions => f.write_str("LoadSessions"),
            Self::EndSession(id) => write!(f, "EndSession({id})"),
            Self::EndOtherSessions => f.write_str("EndOtherSessions"),
            Self::ChangePassword(..) => f.write_str("ChangePassword(<redacted>)"),
            Self::DeleteAccount(_) => f.write_str("DeleteAccount(<redacted>)"),
        }
    }
}

/// What came back.
#[derive(Debug, Clone)]
pub enum Outcome {
    SessionChecked(Result<User, ApiError>),
    LoggedIn(Result<User, ApiError>),
    NewestLoaded(Feed, Result<FeedPage, ApiError>),
    OlderLoaded(Feed, Result<FeedPage, ApiError>),
    /// A page of a gap, and the `before` it was asked for with.
    GapLoaded(Feed, WoofId, Result<FeedPage, ApiError>),
    /// A page of the dogs this dog follows, and the cursor it was asked
    /// for with.
    FollowingLoaded(Option<i64>, Result<UserPage, ApiError>),
    Posted(Result<Woof, ApiError>),
    Deleted(WoofId, Result<(), ApiError>),
    Liked(WoofId, bool, Result<(), ApiError>),
    ProfileLoaded(Username, Result<Profile, ApiError>),
    Followed(Username, bool, Result<(), ApiError>),
    WoofLoaded(WoofId, Result<Woof, ApiError>),
    /// The replies of a woof, and the `after` they were asked for with.
    RepliesLoaded(WoofId, Option<WoofId>, Result<ReplyPage, ApiError>),
    LoggedOut(Result<(), ApiError>),
    SessionsLoaded(Result<Vec<Session>, ApiError>),
    SessionEnded(Result<(), ApiError>),
    OthersEnded(Result<(), ApiError>),
    PasswordChanged(Result<(), ApiError>),
    AccountDeleted(Result<(), ApiError>),
    /// Saving the cookie jar failed (local, not a request).
    JarNotSaved(String),
    /// The live stream's news (not an answer to a request).
    Live(LiveUpdate),
}

/// Dogs in a page of whom this dog follows (the most the server gives).
const FOLLOWING_PAGE: u32 = 100;

/// Carries out one request.
pub async fn perform(client: &ApiClient, request: Request) -> Outcome {
    match request {
        Request::CheckSession => Outcome::SessionChecked(client.whoami().await),
        Request::LogIn(name, password) => Outcome::LoggedIn(client.login(&name, &password).await),
        Request::Register(name, password) => {
            Outcome::LoggedIn(client.register(&name, &password).await)
        }
        Request::LoadNewest(feed) => {
            let page = client.page(&feed, None, None).await;
            Outcome::NewestLoaded(feed, page)
        }
        Request::LoadOlder(feed, before) => {
            let page = client.page(&feed, Some(before), None).await;
            Outcome::OlderLoaded(feed, page)
        }
        Request::LoadGap(feed, before) => {
            let page = client.page(&feed, Some(before), Some(GAP_PAGE)).await;
            Outcome::GapLoaded(feed, before, page)
        }
        Request::LoadFollowing(name, before) => {
            let page = client
                .follows(&name, Follows::Following, before, Some(FOLLOWING_PAGE))
                .await;
            Outcome::FollowingLoaded(before, page)
        }
        Request::Post(body, reply_to) => Outcome::Posted(client.post(&body, reply_to).await),
        Request::Delete(id) => Outcome::Deleted(id, client.delete(id).await),
        Request::Like(id, like) => Outcome::Liked(id, like, client.like(id, like).await),
        Request::LoadProfile(name) => {
            let profile = client.profile(&name).await;
            Outcome::ProfileLoaded(name, profile)
        }
        Request::Follow(name, follow) => {
            let done = client.follow(&name, follow).await;
            Outcome::Followed(name, follow, done)
        }
        Request::LoadWoof(id) => Outcome::WoofLoaded(id, client.woof(id).await),
        Request::LoadReplies(id, after) => {
            Outcome::RepliesLoaded(id, after, client.replies(id, after, None).await)
        }
        Request::LogOut => Outcome::LoggedOut(client.logout().await),
        Request::LoadSessions => Outcome::SessionsLoaded(client.sessions().await),
        Request::EndSession(id) => Outcome::SessionEnded(client.end_session(&id).await),
        Request::EndOtherSessions => Outcome::OthersEnded(client.end_other_sessions().await),
        Request::ChangePassword(current, new) => {
            Outcome::PasswordChanged(client.change_password(&current, &new).await)
        }
        Request::DeleteAccount(password) => {
            Outcome::AccountDeleted(client.delete_account(&password).await)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_requests_never_show_their_passwords() {
        let change =
            Request::ChangePassword("old secret".into(), Password::parse("new secret!").unwrap());
        let leave = Request::DeleteAccount("old secret".into());
        let shown = format!("{change:?} {leave:?}");
        assert!(!shown.contains("secret"), "{shown}");
    }

    #[test]
    fn a_request_never_shows_its_password() {
        let request = Request::LogIn(
            Username::parse("rex").unwrap(),
            Password::parse("hunter2hunter2").unwrap(),
        );
        let shown = format!("{request:?}");
        assert!(
            shown.contains("rex") && !shown.contains("hunter2"),
            "{shown}"
        );
    }
}
