//! How a command fails: one line on standard error and an exit status a
//! script can act on.

use std::process::ExitCode;

use woofer_shared::api::ErrorCode;
use woofer_shared::ValueError;

use crate::api::ApiError;
use crate::text::scrub;

/// The exit statuses, as `woofer --help` lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Success = 0,
    /// The server or the network said no, or a value breaks the rules.
    Failed = 1,
    /// The command line itself is wrong (clap uses 2 too).
    Usage = 2,
    NotLoggedIn = 3,
    RateLimited = 4,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> Self {
        ExitCode::from(exit as u8)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub exit: Exit,
    pub message: String,
}

impl Failure {
    pub fn usage(message: impl Into<String>) -> Self {
        Self {
            exit: Exit::Usage,
            message: message.into(),
        }
    }

    pub fn failed(message: impl Into<String>) -> Self {
        Self {
            exit: Exit::Failed,
            message: message.into(),
        }
    }

    /// The line for standard error: inert, and on one line.
    pub fn line(&self) -> String {
        format!("woofer: {}", scrub(&self.message, false))
    }
}

impl From<ApiError> for Failure {
    fn from(e: ApiError) -> Self {
        match (e.code(), &e) {
            (ErrorCode::Unauthenticated, _) => Self {
                exit: Exit::NotLoggedIn,
                message: "not logged in (or the session has ended): run `woofer login`".into(),
            },
            (
                ErrorCode::RateLimited,
                ApiError::Server {
                    retry_after: Some(secs),
                    ..
                },
            ) => Self {
                exit: Exit::RateLimited,
                message: format!("{e} (retry after {secs} seconds)"),
            },
            (
                ErrorCode::Unavailable,
                ApiError::Server {
                    retry_after: Some(secs),
                    ..
                },
            ) => Self::failed(format!("{e} (retry after {secs} seconds)")),
            (ErrorCode::RateLimited, _) => Self {
                exit: Exit::RateLimited,
                message: e.to_string(),
            },
            (
                ErrorCode::ValidationFailed,
                ApiError::Server {
                    field: Some(field), ..
                },
            ) => Self::failed(format!("{field}: {e}")),
            _ => Self::failed(e.to_string()),
        }
    }
}

/// A value refused before sending, with the sentence the server would give.
impl From<ValueError> for Failure {
    fn from(e: ValueError) -> Self {
        Self::failed(format!("{}: {}", e.field, e.message))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server(code: ErrorCode, message: &str, retry_after: Option<u64>) -> ApiError {
        ApiError::Server {
            code,
            message: message.into(),
            field: None,
            retry_after,
        }
    }

    #[test]
    fn the_contract_code_decides_the_exit_status() {
        let ended = Failure::from(server(ErrorCode::Unauthenticated, "x", None));
        let wrong = Failure::from(server(ErrorCode::InvalidCredentials, "wrong", None));
        let limited = Failure::from(server(ErrorCode::RateLimited, "slow down", Some(90)));
        assert_eq!(ended.exit, Exit::NotLoggedIn);
        assert!(ended.message.contains("woofer login"));
        assert_eq!(wrong.exit, Exit::Failed);
        assert_eq!(limited.exit, Exit::RateLimited);
        assert_eq!(limited.message, "slow down (retry after 90 seconds)");
    }

    #[test]
    fn a_hostile_message_is_one_inert_line() {
        let f = Failure::from(server(
            ErrorCode::Internal,
            "line one\nline\x1b[31m two",
            None,
        ));
        assert_eq!(f.line(), "woofer: line one line\u{FFFD}[31m two");
    }
}
