//! Refusals drawn as pages: the API's own error with its status, its
//! message as a sentence, and the layout for whoever asked.

use askama::Template;
use rocket::http::Status;
use rocket::response::{self, Flash, Redirect, Responder};
use rocket::Request;

use crate::auth::session::looked_up;
use crate::error::Error;
use crate::web::csrf;
use crate::web::page::{Layout, Page};

/// A refusal, drawn as a page.
#[derive(Debug)]
pub enum WebError {
    /// The API's own error: the same status, its message as a sentence.
    Refused(Error),
    /// Not a page of the web face at all: the catcher for the path answers
    /// (JSON under `/api`).
    NotHere,
}

impl From<Error> for WebError {
    fn from(e: Error) -> Self {
        Self::Refused(e)
    }
}

impl From<sqlx::Error> for WebError {
    fn from(e: sqlx::Error) -> Self {
        Self::Refused(e.into())
    }
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub layout: Layout,
    pub heading: &'static str,
    pub message: String,
}

/// The heading of the page a status is drawn as.
pub fn heading_for(status: Status) -> &'static str {
    match status.code {
        400 => "That request could not be read",
        401 => "Log in first",
        403 => "Not allowed",
        404 => "Nothing here",
        405 => "Not like that",
        409 => "Already taken",
        413 => "Too much at once",
        415 => "Not a form this page takes",
        422 => "Not accepted",
        429 => "Too many tries",
        503 => "Busy",
        _ => "Something went wrong",
    }
}

/// A message from the rules ("a woof may hold at most 280 characters") as
/// a sentence on a page.
pub fn sentence(message: &str) -> String {
    let mut chars = message.chars();
    let mut out: String = chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default();
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

/// The error page for `status` with `message`, laid out for whoever the
/// request was already found to be.
pub fn error_page(req: &Request<'_>, status: Status, message: &str) -> Result<Page, WebError> {
    let dog = looked_up(req).map(|s| s.user.username.clone());
    let csrf = match dog {
        Some(_) => csrf::session_token(req.cookies()).unwrap_or_default(),
        None => String::new(),
    };
    let heading = heading_for(status);
    let page = ErrorPage {
        layout: Layout {
            title: heading.to_owned(),
            dog,
            csrf,
            notice: None,
            here: req.uri().to_string(),
        },
        heading,
        message: sentence(message),
    };
    Page::render(status, &page)
}

impl<'r> Responder<'r, 'static> for WebError {
    fn respond_to(self, req: &'r Request<'_>) -> response::Result<'static> {
        match self {
            WebError::NotHere => Err(Status::NotFound),
            // A page that needs a dog sends a visitor to the login page.
            WebError::Refused(Error::Unauthenticated) => {
                Flash::error(Redirect::to("/"), "Log in first.").respond_to(req)
            }
            WebError::Refused(e) => {
                e.log_if_fault(req);
                let page = error_page(req, e.status(), &e.body().error.message)
                    .map_err(|_| Status::InternalServerError)?;
                page.with_header(e.refusal_header()).respond_to(req)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::sentence;

    #[test]
    fn rule_messages_read_as_sentences() {
        assert_eq!(
            sentence("a woof may hold at most 280 characters"),
            "A woof may hold at most 280 characters."
        );
        assert_eq!(sentence("done."), "Done.");
        assert_eq!(sentence(""), ".");
    }
}
