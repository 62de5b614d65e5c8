//! The one HTTP client of the app: reqwest with a cookie jar, typed results
//! and errors from the shared API types.

use std::sync::Arc;
use std::time::Duration;

use reqwest::{Method, StatusCode};
use reqwest_cookie_store::CookieStoreMutex;
use serde::de::DeserializeOwned;
use woofer_shared::api::{
    AccountDeletion, Credentials, ErrorBody, ErrorCode, FeedPage, NewWoof, PasswordChange, Profile,
    ReplyPage, Session, SessionList, User, UserEnvelope, UserPage, Woof, WoofEnvelope,
};
use woofer_shared::{Password, Username, WoofBody, WoofId};

use crate::jar::JarFile;

mod live;
use crate::text::scrub;
pub use live::{LiveEvent, LiveStream};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    #[error("cannot reach {url}")]
    Unreachable { url: String },
    #[error("{message}")]
    Server {
        code: ErrorCode,
        message: String,
        field: Option<String>,
        retry_after: Option<u64>,
    },
    #[error("unexpected answer from the server: {0}")]
    Protocol(String),
}

impl ApiError {
    /// The contract's code for this error; `Unknown` when the server
    /// could not be reached or answered something else than the contract.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Server { code, .. } => *code,
            Self::Unreachable { .. } | Self::Protocol(_) => ErrorCode::Unknown,
        }
    }

    /// The session is gone (logged out elsewhere, expired, revoked).
    pub fn is_session_ended(&self) -> bool {
        self.code() == ErrorCode::Unauthenticated
    }
}

/// Which woofs a page is cut from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Feed {
    /// The dogs the asking dog follows, and its own woofs.
    Home,
    Everyone,
    /// One dog's woofs (a valid name is safe in a path as it is).
    Dog(Username),
}

/// Whose list of dogs: those who follow a dog, or those it follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Follows {
    Followers,
    Following,
}

/// `path?a=1&b=2`, leaving out the parameters that are `None`.
fn with_query(path: String, params: &[(&str, Option<i64>)]) -> String {
    let query: Vec<String> = params
        .iter()
        .filter_map(|(name, value)| value.map(|v| format!("{name}={v}")))
        .collect();
    if query.is_empty() {
        path
    } else {
        format!("{path}?{}", query.join("&"))
    }
}

#[derive(Clone)]
pub struct ApiClient {
    base_url: String,
    http: reqwest::Client,
    jar: Arc<CookieStoreMutex>,
    jar_file: Option<JarFile>,
}

impl std::fmt::Debug for ApiClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the cookies.
        f.debug_struct("ApiClient")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

/// rustls needs a crypto provider chosen once per process.
pub fn install_crypto() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

impl ApiClient {
    /// A client for `base_url` whose cookies live in `jar_file` (if any).
    /// Returns the one-line warning when the saved jar was unusable.
    pub fn new(base_url: &str, jar_file: Option<JarFile>) -> (Self, Option<String>) {
        install_crypto();
        let (store, warning) = match &jar_file {
            Some(file) => {
                let loaded = file.load();
                (loaded.store, loaded.warning)
            }
            None => (cookie_store::CookieStore::default(), None),
        };
        let jar = Arc::new(CookieStoreMutex::new(store));
        let http = reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(20))
            .user_agent(concat!("woofer/", env!("CARGO_PKG_VERSION")))
            .build()
            .expect("an HTTP client with default settings");
        (
            Self {
                base_url: base_url.trim_end_matches('/').to_owned(),
                http,
                jar,
                jar_file,
            },
            warning,
        )
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Whether the jar holds a session cookie (for "your session has ended").
    pub fn has_session_cookie(&self) -> bool {
        let store = self.jar.lock().unwrap_or_else(|p| p.into_inner());
        let found = store
            .iter_any()
            .any(|c| c.name() == woofer_shared::api::SESSION_COOKIE);
        found
    }

    /// Writes the jar to disk (if it has a file).
    pub fn save_jar(&self) -> std::io::Result<()> {
        let Some(file) = &self.jar_file else {
            return Ok(());
        };
        // Synchronous: the guard is never held across an await.
        let store = self.jar.lock().unwrap_or_else(|p| p.into_inner());
        file.save(&store)
    }

    fn forget_session(&self) {
        let mut store = self.jar.lock().unwrap_or_else(|p| p.into_inner());
        store.clear();
    }

    async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> Result<T, ApiError> {
        let response = self.send(method, path, body).await?;
        let bytes = response.bytes().await.map_err(|_| self.unreachable())?;
        serde_json::from_slice(&bytes).map_err(|e| ApiError::Protocol(e.to_string()))
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> Result<reqwest::Response, ApiError> {
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.base_url));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.map_err(|_| self.unreachable())?;
        if response.status().is_success() {
            return Ok(response);
        }
        Err(error_of(response).await)
    }

    fn unreachable(&self) -> ApiError {
        ApiError::Unreachable {
            url: self.base_url.clone(),
        }
    }

    pub async fn whoami(&self) -> Result<User, ApiError> {
        Ok(self
            .call::<UserEnvelope>(Method::GET, "/api/session", None)
            .await?
            .user)
    }

    pub async fn login(&self, username: &Username, password: &Password) -> Result<User, ApiError> {
        let body = credentials(username, password);
        Ok(self
            .call::<UserEnvelope>(Method::POST, "/api/session", Some(body))
            .await?
            .user)
    }

    pub async fn register(
        &self,
        username: &Username,
        password: &Password,
    ) -> Result<User, ApiError> {
        let body = credentials(username, password);
        Ok(self
            .call::<UserEnvelope>(Method::POST, "/api/users", Some(body))
            .await?
            .user)
    }

    /// Revokes the session on the server and drops it from the jar, even
    /// when the server cannot be reached.
    pub async fn logout(&self) -> Result<(), ApiError> {
        let result = self
            .send(Method::DELETE, "/api/session", None)
            .await
            .map(|_| ());
        self.forget_session();
        result
    }

    pub async fn feed(&self, before: Option<WoofId>) -> Result<FeedPage, ApiError> {
        self.page(&Feed::Everyone, before, None).await
    }

    /// One page of `feed`, newest first; `limit` is the server's default
    /// when `None`.
    pub async fn page(
        &self,
        feed: &Feed,
        before: Option<WoofId>,
        limit: Option<u32>,
    ) -> Result<FeedPage, ApiError> {
        let path = match feed {
            Feed::Home => "/api/timeline".to_owned(),
            Feed::Everyone => "/api/woofs".to_owned(),
            Feed::Dog(name) => format!("/api/users/{name}/woofs"),
        };
        let path = with_query(
            path,
            &[
                ("before", before.map(|id| id.0)),
                ("limit", limit.map(i64::from)),
            ],
        );
        self.call(Method::GET, &path, None).await
    }

    /// One woof.
    pub async fn woof(&self, id: WoofId) -> Result<Woof, ApiError> {
        Ok(self
            .call::<WoofEnvelope>(Method::GET, &format!("/api/woofs/{id}"), None)
            .await?
            .woof)
    }

    /// One page of a woof's direct replies, oldest first, after `after`.
    pub async fn replies(
        &self,
        id: WoofId,
        after: Option<WoofId>,
        limit: Option<u32>,
    ) -> Result<ReplyPage, ApiError> {
        let path = with_query(
            format!("/api/woofs/{id}/replies"),
            &[
                ("after", after.map(|id| id.0)),
                ("limit", limit.map(i64::from)),
            ],
        );
        self.call(Method::GET, &path, None).await
    }

    /// Likes (`true`) or stops liking (`false`) a woof.
    pub async fn like(&self, id: WoofId, like: bool) -> Result<(), ApiError> {
        let method = if like { Method::PUT } else { Method::DELETE };
        self.send(method, &format!("/api/woofs/{id}/like"), None)
            .await
            .map(|_| ())
    }

    /// Follows (`true`) or unfollows (`false`) a dog.
    pub async fn follow(&self, name: &Username, follow: bool) -> Result<(), ApiError> {
        let method = if follow { Method::PUT } else { Method::DELETE };
        self.send(method, &format!("/api/users/{name}/follow"), None)
            .await
            .map(|_| ())
    }

    /// One page of a dog's followers, or of the dogs it follows, most
    /// recent follow first.
    pub async fn follows(
        &self,
        name: &Username,
        which: Follows,
        before: Option<i64>,
        limit: Option<u32>,
    ) -> Result<UserPage, ApiError> {
        let list = match which {
            Follows::Followers => "followers",
            Follows::Following => "following",
        };
        let path = with_query(
            format!("/api/users/{name}/{list}"),
            &[("before", before), ("limit", limit.map(i64::from))],
        );
        self.call(Method::GET, &path, None).await
    }

    /// Where the dog is logged in, newest first.
    pub async fn sessions(&self) -> Result<Vec<Session>, ApiError> {
        Ok(self
            .call::<SessionList>(Method::GET, "/api/sessions", None)
            .await?
            .sessions)
    }

    /// Ends one of the dog's sessions (the current one too: a logout).
    pub async fn end_session(&self, id: &str) -> Result<(), ApiError> {
        // Ids are opaque, URL-safe strings: anything else names no session
        // (and must not change the path it is sent in).
        let url_safe = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_');
        if id.is_empty() || !id.chars().all(url_safe) {
            return Err(ApiError::Server {
                code: ErrorCode::NotFound,
                message: "you have no session with that id".into(),
                field: None,
                retry_after: None,
            });
        }
        self.send(Method::DELETE, &format!("/api/sessions/{id}"), None)
            .await
            .map(|_| ())
    }

    /// Ends every session of the dog but this one.
    pub async fn end_other_sessions(&self) -> Result<(), ApiError> {
        self.send(Method::DELETE, "/api/sessions/others", None)
            .await
            .map(|_| ())
    }

    /// A new password; every other session ends.
    pub async fn change_password(&self, current: &str, new: &Password) -> Result<(), ApiError> {
        let body = serde_json::to_value(PasswordChange {
            current_password: current.to_owned(),
            new_password: new.expose().to_owned(),
        })
        .expect("a password change serialises");
        self.send(Method::PUT, "/api/account/password", Some(body))
            .await
            .map(|_| ())
    }

    /// Deletes the dog's account, and forgets its session here.
    pub async fn delete_account(&self, password: &str) -> Result<(), ApiError> {
        let body = serde_json::to_value(AccountDeletion {
            password: password.to_owned(),
        })
        .expect("an account deletion serialises");
        self.send(Method::DELETE, "/api/account", Some(body))
            .await?;
        self.forget_session();
        Ok(())
    }

    pub async fn profile(&self, name: &Username) -> Result<Profile, ApiError> {
        self.call(Method::GET, &format!("/api/users/{name}"), None)
            .await
    }

    /// Posts a woof; with `reply_to`, as an answer to that woof.
    pub async fn post(&self, body: &WoofBody, reply_to: Option<WoofId>) -> Result<Woof, ApiError> {
        let body = serde_json::to_value(NewWoof {
            body: body.as_str().to_owned(),
            reply_to,
        })
        .expect("a woof serialises");
        Ok(self
            .call::<WoofEnvelope>(Method::POST, "/api/woofs", Some(body))
            .await?
            .woof)
    }

    pub async fn delete(&self, id: WoofId) -> Result<(), ApiError> {
        self.send(Method::DELETE, &format!("/api/woofs/{id}"), None)
            .await
            .map(|_| ())
    }
}

fn credentials(username: &Username, password: &Password) -> serde_json::Value {
    serde_json::to_value(Credentials {
        username: username.as_str().to_owned(),
        password: password.expose().to_owned(),
    })
    .expect("credentials serialise")
}

async fn error_of(response: reqwest::Response) -> ApiError {
    let status = response.status();
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok());
    let body = response.bytes().await.unwrap_or_default();
    match serde_json::from_slice::<ErrorBody>(&body) {
        // The server is untrusted: its words are made inert before anyone
        // can draw them.
        Ok(ErrorBody { error }) => ApiError::Server {
            code: error.code,
            message: scrub(&error.message, false),
            field: error.field.map(|f| scrub(&f, false)),
            retry_after,
        },
        Err(_) => ApiError::Server {
            code: ErrorCode::Unknown,
            message: format!("the server answered {}", status_text(status)),
            field: None,
            retry_after,
        },
    }
}

fn status_text(status: StatusCode) -> String {
    match status.canonical_reason() {
        Some(reason) => format!("{} {reason}", status.as_u16()),
        None => status.as_u16().to_string(),
    }
}
