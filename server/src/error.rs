//! One error type for the API, mapped to the contract's status, code and
//! JSON shape in one place; and the catchers that give every other error
//! under `/api` the same shape.

use rocket::http::{Header, Status};
use rocket::response::{self, Responder};
use rocket::serde::json::Json;
use rocket::{Catcher, Request};
use woofer_shared::api::{ApiError, ErrorBody, ErrorCode};
use woofer_shared::ValueError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Malformed(String),
    #[error("you need to log in first")]
    Unauthenticated,
    #[error("wrong username or password")]
    InvalidCredentials,
    #[error("{0}")]
    Forbidden(&'static str),
    #[error("{0}")]
    NotFound(&'static str),
    #[error("that username is taken; pick another")]
    UsernameTaken,
    #[error("the request body is larger than 16 KiB")]
    PayloadTooLarge,
    #[error("{0}")]
    UnsupportedMediaType(&'static str),
    #[error("{0}")]
    Validation(#[from] ValueError),
    #[error("too many failed logins for this username; try again in {retry_after} seconds")]
    RateLimited { retry_after: i64 },
    #[error("internal fault: {0}")]
    Internal(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Malformed(_) => ErrorCode::MalformedRequest,
            Self::Unauthenticated => ErrorCode::Unauthenticated,
            Self::InvalidCredentials => ErrorCode::InvalidCredentials,
            Self::Forbidden(_) => ErrorCode::Forbidden,
            Self::NotFound(_) => ErrorCode::NotFound,
            Self::UsernameTaken => ErrorCode::UsernameTaken,
            Self::PayloadTooLarge => ErrorCode::PayloadTooLarge,
            Self::UnsupportedMediaType(_) => ErrorCode::UnsupportedMediaType,
            Self::Validation(_) => ErrorCode::ValidationFailed,
            Self::RateLimited { .. } => ErrorCode::RateLimited,
            Self::Internal(_) => ErrorCode::Internal,
        }
    }

    fn body(&self) -> ErrorBody {
        let (message, field) = match self {
            // The detail went to the server log; the client learns nothing of internals.
            Self::Internal(_) => (INTERNAL_MESSAGE.to_owned(), None),
            Self::Validation(e) => (e.message.to_owned(), Some(e.field.to_owned())),
            other => (other.to_string(), None),
        };
        ErrorBody {
            error: ApiError {
                code: self.code(),
                message,
                field,
            },
        }
    }
}

const INTERNAL_MESSAGE: &str = "something went wrong on the server; try again in a moment";

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        Self::Internal(format!("database: {e}"))
    }
}

impl From<rocket_db_pools::Error<crate::db::DbInitError>> for Error {
    fn from(e: rocket_db_pools::Error<crate::db::DbInitError>) -> Self {
        Self::Internal(e.to_string())
    }
}

impl<'r> Responder<'r, 'static> for Error {
    fn respond_to(self, req: &'r Request<'_>) -> response::Result<'static> {
        if let Self::Internal(detail) = &self {
            rocket::error!("{} {}: {detail}", req.method(), req.uri().path());
        }
        let status = Status::from_code(self.code().status()).unwrap_or(Status::InternalServerError);
        let mut response = (status, Json(self.body())).respond_to(req)?;
        if let Self::RateLimited { retry_after } = self {
            response.set_header(Header::new("Retry-After", retry_after.max(1).to_string()));
        }
        Ok(response)
    }
}

/// What the framework itself refused (no route, a guard, a limit), in the
/// contract's shape.
#[rocket::catch(default)]
fn api_default(status: Status, req: &Request<'_>) -> (Status, Json<ErrorBody>) {
    if status == Status::NotFound && another_method_matches(req) {
        return method_not_allowed();
    }
    let error = match status.code {
        400 => Error::Malformed("the request could not be understood".into()),
        401 => Error::Unauthenticated,
        403 => Error::Forbidden("that is not yours"),
        404 => Error::NotFound("there is nothing here; see the API documentation for the routes"),
        405 => return method_not_allowed(),
        413 => Error::PayloadTooLarge,
        415 => {
            Error::UnsupportedMediaType("send the body as JSON (Content-Type: application/json)")
        }
        422 => Error::Malformed("the request body has the wrong shape".into()),
        _ => Error::Internal(format!("status {status}")),
    };
    let response_status = Status::from_code(error.code().status()).unwrap_or(status);
    (response_status, Json(error.body()))
}

/// Rocket answers 404 when only the method is wrong; a route with the same
/// path under another method means the contract's 405.
fn another_method_matches(req: &Request<'_>) -> bool {
    let segments: Vec<&str> = req.uri().path().segments().collect();
    req.rocket()
        .routes()
        .any(|route| route.method != req.method() && path_matches(route.uri.path(), &segments))
}

fn path_matches(template: &str, segments: &[&str]) -> bool {
    let parts: Vec<&str> = template.split('/').filter(|p| !p.is_empty()).collect();
    parts.len() == segments.len()
        && parts
            .iter()
            .zip(segments)
            .all(|(t, s)| t.starts_with('<') || t == s)
}

fn method_not_allowed() -> (Status, Json<ErrorBody>) {
    let body = ErrorBody {
        error: ApiError {
            code: ErrorCode::MethodNotAllowed,
            message: "this route does not take that method".into(),
            field: None,
        },
    };
    (Status::MethodNotAllowed, Json(body))
}

pub fn catchers() -> Vec<Catcher> {
    rocket::catchers![api_default]
}

#[cfg(test)]
mod tests {
    use super::path_matches;

    #[test]
    fn route_templates_match_paths_segment_by_segment() {
        assert!(path_matches("/api/woofs/<id>", &["api", "woofs", "12"]));
        assert!(path_matches("/api/session", &["api", "session"]));
        assert!(!path_matches("/api/woofs/<id>", &["api", "woofs"]));
        assert!(!path_matches(
            "/api/users/<username>/woofs",
            &["api", "users", "rex", "barks"]
        ));
    }
}
