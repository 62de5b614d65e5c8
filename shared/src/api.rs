//! The shapes of the HTTP API (see API.md, "Shapes" and "Errors").

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::ids::{Timestamp, UserId, WoofId};

/// The name of the private session cookie.
pub const SESSION_COOKIE: &str = "woofer_session";
/// Largest request body the server takes, JSON and form alike.
pub const BODY_LIMIT_BYTES: usize = 16 * 1024;
pub const PAGE_LIMIT_DEFAULT: u32 = 20;
pub const PAGE_LIMIT_MAX: u32 = 100;
/// Failed logins allowed per username within the window before `429`.
pub const LOGIN_FAILURES_ALLOWED: u32 = 10;
pub const LOGIN_WINDOW_SECS: i64 = 15 * 60;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    pub id: UserId,
    /// Always in its normal form: 3 to 20 of `a-z`, `0-9` and `_`.
    #[cfg_attr(feature = "openapi", schema(pattern = r"^[a-z0-9_]{3,20}$"))]
    pub username: String,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Woof {
    pub id: WoofId,
    /// The author's username.
    #[cfg_attr(feature = "openapi", schema(pattern = r"^[a-z0-9_]{3,20}$"))]
    pub author: String,
    /// As stored: trimmed, 1 to 280 characters (see `NewWoof.body`).
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            pattern = r"^[^\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]*[^\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\n \u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000][^\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]*$"
        )
    )]
    pub body: String,
    pub created_at: Timestamp,
    /// The woof this one answers; it may since have been deleted.
    #[serde(default)]
    pub reply_to: Option<WoofId>,
    /// Direct replies that exist now.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0))]
    pub reply_count: i64,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0))]
    pub like_count: i64,
    /// Whether the asking dog likes it (a hint in stream events).
    #[serde(default)]
    pub liked_by_me: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserEnvelope {
    pub user: User,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WoofEnvelope {
    pub woof: Woof,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Profile {
    pub user: User,
    #[cfg_attr(feature = "openapi", schema(minimum = 0))]
    pub woof_count: i64,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0))]
    pub follower_count: i64,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0))]
    pub following_count: i64,
    /// Whether the asking dog follows this one (`false` for yourself).
    #[serde(default)]
    pub followed_by_me: bool,
}

/// One page of a dog's followers or of the dogs it follows, most recent
/// follow first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserPage {
    pub users: Vec<User>,
    /// An opaque positive cursor: pass as `before` for the next page;
    /// `None` at the end.
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub next_before: Option<i64>,
}

/// One page of a woof's direct replies, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReplyPage {
    pub woofs: Vec<Woof>,
    /// Pass as `after` for the next (newer) page; `None` at the end.
    pub next_after: Option<WoofId>,
}

/// One of a dog's live sessions (`GET /api/sessions`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Session {
    /// Opaque and URL-safe; not the cookie, and cannot be turned into it.
    #[cfg_attr(feature = "openapi", schema(pattern = r"^[A-Za-z0-9_-]+$"))]
    pub id: String,
    pub created_at: Timestamp,
    /// May lag by up to a minute.
    pub last_seen_at: Timestamp,
    /// As sent when the session began, scrubbed of control characters
    /// and cut to 200 characters; `null` when none was sent.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub user_agent: Option<String>,
    /// The session that asked.
    pub current: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionList {
    pub sessions: Vec<Session>,
}

/// The longest `user_agent` kept with a session, in characters.
pub const USER_AGENT_MAX: usize = 200;

/// One page of the feed, the home timeline or a dog's woofs, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FeedPage {
    pub woofs: Vec<Woof>,
    /// Pass as `before` for the next (older) page; `None` at the end.
    pub next_before: Option<WoofId>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    pub status: String,
    pub version: String,
}

/// Body of `POST /api/users` and `POST /api/session`. Its `Debug` hides
/// the password.
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Credentials {
    /// Trimmed (Unicode white space) and ASCII-lowercased before it is
    /// checked, then 3 to 20 of `a-z`, `0-9` and `_`: ` Rex` and `rex` are
    /// the same dog. The pattern is the rule on the name as sent. A login
    /// with a name that breaks it is not refused as invalid: it matches no
    /// dog (`401 invalid_credentials`).
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^[\t\n\u000B\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[A-Za-z0-9_]{3,20}[\t\n\u000B\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"
        )
    )]
    pub username: String,
    /// 8 to 128 characters (Unicode scalar values), any characters, never
    /// trimmed.
    #[cfg_attr(feature = "openapi", schema(format = Password, min_length = 8, max_length = 128))]
    pub password: String,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .finish()
    }
}

/// Body of `PUT /api/account/password`. Its `Debug` hides both passwords.
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordChange {
    /// The dog's password now; a wrong one is `401 invalid_credentials`.
    #[cfg_attr(feature = "openapi", schema(format = Password, min_length = 8, max_length = 128))]
    pub current_password: String,
    /// 8 to 128 characters (Unicode scalar values), any characters.
    #[cfg_attr(feature = "openapi", schema(format = Password, min_length = 8, max_length = 128))]
    pub new_password: String,
}

impl fmt::Debug for PasswordChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PasswordChange { <redacted> }")
    }
}

/// Body of `DELETE /api/account`. Its `Debug` hides the password.
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountDeletion {
    /// The dog's password; a wrong one is `401 invalid_credentials`.
    #[cfg_attr(feature = "openapi", schema(format = Password, min_length = 8, max_length = 128))]
    pub password: String,
}

impl fmt::Debug for AccountDeletion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccountDeletion { <redacted> }")
    }
}

/// Body of `POST /api/woofs`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewWoof {
    /// After trimming (Unicode white space at both ends), 1 to 280
    /// characters, where a character is an extended grapheme cluster (what
    /// a reader sees as one: `🐕`, `e` with a combining accent, a family
    /// emoji joined by zero-width joiners). JSON Schema's `maxLength` counts
    /// code points, so it cannot state that limit: `x-max-graphemes` does.
    /// Line breaks are allowed; other control characters (C0, DEL, C1) and
    /// the bidirectional embedding, override and isolate characters are
    /// refused wherever they stand, as the pattern says.
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            pattern = r"^[^\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]*[^\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\n \u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000][^\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]*$"
        )
    )]
    pub body: String,
    /// The woof this one answers; `null` or absent: not a reply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<WoofId>,
}

/// Every error response: `{"error": {...}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub error: ApiError,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    MalformedRequest,
    Unauthenticated,
    InvalidCredentials,
    Forbidden,
    NotFound,
    MethodNotAllowed,
    UsernameTaken,
    PayloadTooLarge,
    UnsupportedMediaType,
    ValidationFailed,
    RateLimited,
    /// Too many password checks waiting; `Retry-After` says when to retry.
    Unavailable,
    Internal,
    /// A code this build does not know yet; clients treat it by status.
    #[serde(other)]
    Unknown,
}

impl ErrorCode {
    /// The HTTP status the contract pairs with this code.
    pub fn status(self) -> u16 {
        match self {
            Self::MalformedRequest => 400,
            Self::Unauthenticated | Self::InvalidCredentials => 401,
            Self::Forbidden => 403,
            Self::NotFound => 404,
            Self::MethodNotAllowed => 405,
            Self::UsernameTaken => 409,
            Self::PayloadTooLarge => 413,
            Self::UnsupportedMediaType => 415,
            Self::ValidationFailed => 422,
            Self::RateLimited => 429,
            Self::Unavailable => 503,
            Self::Internal | Self::Unknown => 500,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_body_has_the_contract_shape() {
        let body = ErrorBody {
            error: ApiError {
                code: ErrorCode::NotFound,
                message: "no such woof".into(),
                field: None,
            },
        };
        assert_eq!(
            serde_json::to_string(&body).unwrap(),
            r#"{"error":{"code":"not_found","message":"no such woof"}}"#
        );
    }

    #[test]
    fn unknown_error_codes_still_parse() {
        let e: ApiError = serde_json::from_str(r#"{"code":"teapot","message":"x"}"#).unwrap();
        assert_eq!(e.code, ErrorCode::Unknown);
    }

    #[test]
    fn credentials_debug_hides_the_password() {
        let c = Credentials {
            username: "rex".into(),
            password: "hunter2hunter2".into(),
        };
        assert!(!format!("{c:?}").contains("hunter2"));
    }
}
