//! What the app asks the world to do, as data: `App` returns effects, the
//! event loop carries them out, and network answers come back as
//! outcomes. Nothing here draws or holds state.

use std::fmt;

use woofer_shared::api::{FeedPage, Session, User, Woof};
use woofer_shared::{Password, Username, WoofBody, WoofId};

use crate::api::{ApiClient, ApiError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Request(Request),
    /// Write the cookie jar to disk: local and quick, not network work.
    SaveJar,
}

/// Network work, answered by one [`Outcome`].
#[derive(Clone, PartialEq, Eq)]
pub enum Request {
    CheckSession,
    LogIn(Username, Password),
    Register(Username, Password),
    LoadNewest,
    LoadOlder(WoofId),
    Post(WoofBody),
    Delete(WoofId),
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
            Self::LoadNewest => f.write_str("LoadNewest"),
            Self::LoadOlder(id) => write!(f, "LoadOlder({id})"),
            Self::Post(body) => write!(f, "Post({:?})", body.as_str()),
            Self::Delete(id) => write!(f, "Delete({id})"),
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
    NewestLoaded(Result<FeedPage, ApiError>),
    OlderLoaded(Result<FeedPage, ApiError>),
    Posted(Result<Woof, ApiError>),
    Deleted(WoofId, Result<(), ApiError>),
    LoggedOut(Result<(), ApiError>),
    SessionsLoaded(Result<Vec<Session>, ApiError>),
    SessionEnded(Result<(), ApiError>),
    OthersEnded(Result<(), ApiError>),
    PasswordChanged(Result<(), ApiError>),
    AccountDeleted(Result<(), ApiError>),
    /// Saving the cookie jar failed (local, not a request).
    JarNotSaved(String),
}

impl Outcome {
    /// Answers that only mean something on the feed of the dog who asked.
    pub fn is_for_the_feed(&self) -> bool {
        matches!(
            self,
            Self::NewestLoaded(_)
                | Self::OlderLoaded(_)
                | Self::Posted(_)
                | Self::Deleted(..)
                | Self::SessionsLoaded(_)
                | Self::SessionEnded(_)
                | Self::OthersEnded(_)
                | Self::PasswordChanged(_)
                | Self::AccountDeleted(_)
        )
    }
}

/// Carries out one request.
pub async fn perform(client: &ApiClient, request: Request) -> Outcome {
    match request {
        Request::CheckSession => Outcome::SessionChecked(client.whoami().await),
        Request::LogIn(name, password) => Outcome::LoggedIn(client.login(&name, &password).await),
        Request::Register(name, password) => {
            Outcome::LoggedIn(client.register(&name, &password).await)
        }
        Request::LoadNewest => Outcome::NewestLoaded(client.feed(None).await),
        Request::LoadOlder(before) => Outcome::OlderLoaded(client.feed(Some(before)).await),
        Request::Post(body) => Outcome::Posted(client.post(&body).await),
        Request::Delete(id) => Outcome::Deleted(id, client.delete(id).await),
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
