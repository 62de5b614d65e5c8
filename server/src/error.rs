//! One error type for the API. Each error knows its contract code, its
//! status and its body; the one [`Responder`] turns it into a response and
//! is the one place a server fault is logged. The catcher gives everything
//! else under `/api` (no route, a refused guard, a framework limit) the
//! same shape by going through that same Responder.

use rocket::http::{Header, Status};
use rocket::response::{self, Responder};
use rocket::serde::json::Json;
use rocket::{Catcher, Either, Request};
use woofer_shared::api::{ApiError, ErrorBody, ErrorCode};
use woofer_shared::ValueError;

/// A fault's cause, kept for the log.
pub type Source = Box<dyn std::error::Error + Send + Sync>;

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
    #[error("this route does not take that method")]
    /// With the methods the path does take, for the `Allow` header.
    MethodNotAllowed(Vec<&'static str>),
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
    #[error("too many new accounts from this address; try again in {retry_after} seconds")]
    TooManyRegistrations { retry_after: i64 },
    #[error("the server is busy checking passwords; try again in {retry_after} seconds")]
    Unavailable { retry_after: i64 },
    /// A server fault: the database failed.
    #[error("database error")]
    Database(#[from] sqlx::Error),
    /// Any other server fault: what we were doing, and why it failed.
    #[error("{context}")]
    Internal {
        context: &'static str,
        #[source]
        source: Source,
    },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// All a client learns of a fault: the detail goes to the server log.
pub const INTERNAL_MESSAGE: &str = "something went wrong on the server; try again in a moment";

impl Error {
    /// A server fault while doing `context`, caused by `source`.
    pub fn internal(context: &'static str, source: impl Into<Source>) -> Self {
        Self::Internal {
            context,
            source: source.into(),
        }
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Malformed(_) => ErrorCode::MalformedRequest,
            Self::Unauthenticated => ErrorCode::Unauthenticated,
            Self::InvalidCredentials => ErrorCode::InvalidCredentials,
            Self::Forbidden(_) => ErrorCode::Forbidden,
            Self::NotFound(_) => ErrorCode::NotFound,
            Self::MethodNotAllowed(_) => ErrorCode::MethodNotAllowed,
            Self::UsernameTaken => ErrorCode::UsernameTaken,
            Self::PayloadTooLarge => ErrorCode::PayloadTooLarge,
            Self::UnsupportedMediaType(_) => ErrorCode::UnsupportedMediaType,
            Self::Validation(_) => ErrorCode::ValidationFailed,
            Self::RateLimited { .. } | Self::TooManyRegistrations { .. } => ErrorCode::RateLimited,
            Self::Unavailable { .. } => ErrorCode::Unavailable,
            Self::Database(_) | Self::Internal { .. } => ErrorCode::Internal,
        }
    }

    /// The HTTP status the contract pairs with this error: the only place
    /// one is derived, for responses, guards and the catcher alike.
    pub fn status(&self) -> Status {
        Status::new(self.code().status())
    }

    /// The server's fault rather than the client's.
    pub fn is_fault(&self) -> bool {
        self.code() == ErrorCode::Internal
    }

    /// The body the client gets: the contract's shape, and for a fault
    /// nothing but [`INTERNAL_MESSAGE`].
    pub fn body(&self) -> ErrorBody {
        let (message, field) = match self {
            _ if self.is_fault() => (INTERNAL_MESSAGE.to_owned(), None),
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

    /// Logs a server fault with its causes: the one place faults are
    /// logged, for the API's JSON answers and the web pages alike.
    pub fn log_if_fault(&self, req: &Request<'_>) {
        if self.is_fault() {
            // Method and path only: the query, headers and form may hold
            // what must never reach a log.
            rocket::error!("{} {}: {}", req.method(), req.uri().path(), self.detail());
        }
    }

    /// The header a refusal carries: how long to wait (`Retry-After`, in
    /// whole seconds), or which methods the path takes (`Allow`).
    pub fn refusal_header(&self) -> Option<Header<'static>> {
        match self {
            Error::MethodNotAllowed(allowed) => Some(Header::new("Allow", allowed.join(", "))),
            Error::RateLimited { retry_after }
            | Error::TooManyRegistrations { retry_after }
            | Error::Unavailable { retry_after } => Some(Header::new(
                "Retry-After",
                (*retry_after).max(1).to_string(),
            )),
            _ => None,
        }
    }

    /// This error and every cause under it, for the log: `context: cause: …`.
    pub fn detail(&self) -> String {
        let mut detail = self.to_string();
        let mut source = std::error::Error::source(self);
        while let Some(cause) = source {
            detail.push_str(": ");
            detail.push_str(&cause.to_string());
            source = cause.source();
        }
        detail
    }
}

/// Responds for a borrowed error too: the catcher answers with the error a
/// guard left in the request's cache.
impl<'r> Responder<'r, 'static> for &Error {
    fn respond_to(self, req: &'r Request<'_>) -> response::Result<'static> {
        self.log_if_fault(req);
        let mut response = (self.status(), Json(self.body())).respond_to(req)?;
        if let Some(header) = self.refusal_header() {
            response.set_header(header);
        }
        Ok(response)
    }
}

impl<'r> Responder<'r, 'static> for Error {
    fn respond_to(self, req: &'r Request<'_>) -> response::Result<'static> {
        (&self).respond_to(req)
    }
}

/// What the framework itself refused (no route, a guard, a limit), in the
/// contract's shape.
#[rocket::catch(default)]
fn api_default<'r>(status: Status, req: &'r Request<'_>) -> Either<&'r Error, Error> {
    // Rocket drops a failed guard's error and passes on only its status;
    // the session guard's fault is still in the request's cache.
    match crate::auth::session::lookup_fault(req) {
        Some(fault) => Either::Left(fault),
        None => Either::Right(refused_by_framework(status, req)),
    }
}

fn refused_by_framework(status: Status, req: &Request<'_>) -> Error {
    match status.code {
        // Rocket refuses a method it does not know (`QUERY`, `FOO`) with a
        // 400 before routing, handing the catcher a stand-in `GET` request
        // on the same path that no route has seen; for a known path that
        // is the contract's 405 like any other wrong method.
        400 if req.route().is_none() => match path_methods(req) {
            allowed if !allowed.is_empty() => Error::MethodNotAllowed(allowed),
            _ => Error::NotFound("there is nothing here; see the API documentation for the routes"),
        },
        400 => Error::Malformed("the request could not be understood".into()),
        401 => Error::Unauthenticated,
        403 => Error::Forbidden("that is not yours"),
        // Rocket answers 404 when only the method is wrong; a route with
        // the same path under another method means the contract's 405.
        404 | 405 => match allowed_methods(req) {
            allowed if !allowed.is_empty() => Error::MethodNotAllowed(allowed),
            _ => Error::NotFound("there is nothing here; see the API documentation for the routes"),
        },
        413 => Error::PayloadTooLarge,
        415 => {
            Error::UnsupportedMediaType("send the body as JSON (Content-Type: application/json)")
        }
        422 => Error::Malformed("the request body has the wrong shape".into()),
        _ => Error::internal("the framework answered", format!("status {status}")),
    }
}

/// The methods the request's path takes, when they are not its own.
fn allowed_methods(req: &Request<'_>) -> Vec<&'static str> {
    let allowed = path_methods(req);
    if allowed.contains(&req.method().as_str()) {
        // The path takes this method: the refusal was something else.
        return Vec::new();
    }
    allowed
}

/// Every method the request's path takes, sorted.
fn path_methods(req: &Request<'_>) -> Vec<&'static str> {
    let segments: Vec<&str> = req.uri().path().segments().collect();
    let mut methods: Vec<&'static str> = req
        .rocket()
        .routes()
        .filter(|route| path_matches(route.uri.path(), &segments))
        .map(|route| route.method.as_str())
        .collect();
    methods.sort_unstable();
    methods.dedup();
    methods
}

fn path_matches(template: &str, segments: &[&str]) -> bool {
    let parts: Vec<&str> = template.split('/').filter(|p| !p.is_empty()).collect();
    parts.len() == segments.len()
        && parts
            .iter()
            .zip(segments)
            .all(|(t, s)| t.starts_with('<') || t == s)
}

pub fn catchers() -> Vec<Catcher> {
    rocket::catchers![api_default]
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn faults_tell_the_client_nothing_and_the_log_everything() {
        let io = std::io::Error::other("disk on fire at /var/lib/woofer");
        let faults = [
            Error::Database(sqlx::Error::Protocol("SELECT went wrong".into())),
            Error::internal("password hashing task", io),
        ];

        for fault in &faults {
            assert_eq!(fault.status(), Status::InternalServerError);
            let body = fault.body();
            assert_eq!(body.error.code, ErrorCode::Internal);
            assert_eq!(body.error.message, INTERNAL_MESSAGE);
            assert_eq!(body.error.field, None);
        }
        assert_eq!(
            faults[0].detail(),
            "database error: encountered unexpected or invalid data: SELECT went wrong"
        );
        assert_eq!(
            faults[1].detail(),
            "password hashing task: disk on fire at /var/lib/woofer"
        );
    }

    #[test]
    fn every_error_has_the_contract_status_for_its_code() {
        let cases = [
            (Error::Malformed("x".into()), 400),
            (Error::Unauthenticated, 401),
            (Error::InvalidCredentials, 401),
            (Error::Forbidden("x"), 403),
            (Error::NotFound("x"), 404),
            (Error::MethodNotAllowed(vec!["GET"]), 405),
            (Error::UsernameTaken, 409),
            (Error::PayloadTooLarge, 413),
            (Error::UnsupportedMediaType("x"), 415),
            (Error::Validation(ValueError::new("body", "x")), 422),
            (Error::RateLimited { retry_after: 3 }, 429),
        ];

        for (error, status) in cases {
            assert_eq!(error.status().code, status, "{error:?}");
            assert!(!error.is_fault());
            assert_eq!(error.body().error.message, error.to_string());
        }
        let validation = Error::Validation(ValueError::new("body", "too long")).body();
        assert_eq!(validation.error.field.as_deref(), Some("body"));
    }
}
