//! What every page shares: the layout (title, the dog logged in, the
//! notice after a redirect, the form token), the request guard that
//! gathers it, and the responders for pages and for refusals drawn as pages.

use askama::Template;
use rocket::http::{Header, Status};
use rocket::request::{FlashMessage, FromRequest, Outcome};
use rocket::response::content::RawHtml;
use rocket::response::{self, Flash, Redirect, Responder};
use rocket::Request;

use time::macros::format_description;
use woofer_shared::{Timestamp, Woof};

use crate::auth::session::looked_up;
use crate::auth::CurrentSession;
use crate::config::WooferConfig;
use crate::error::Error;
use crate::web::{assets, csrf};

/// A one-line message shown at the top of the next page (post/redirect/get).
pub struct Notice {
    /// `success` or `error`: the flash cookie's kind, used as a CSS class.
    pub kind: String,
    pub message: String,
}

/// What the base template draws around every page.
pub struct Layout {
    /// Where the visitor is; the `<title>` is "TITLE · Woofer".
    pub title: String,
    /// The logged-in dog's name.
    pub dog: Option<String>,
    /// The token for this page's forms (see [`csrf`]).
    pub csrf: String,
    pub notice: Option<Notice>,
}

impl Layout {
    /// The URL of an embedded asset (CSS, script, icon).
    pub fn asset(&self, name: &str) -> String {
        assets::url(name)
    }

    /// Whether the dog reading wrote this woof (and may delete it).
    pub fn is_mine(&self, woof: &Woof) -> bool {
        self.dog.as_deref() == Some(woof.author.as_str())
    }

    /// When a woof was posted, for people: `25 Nov 2026, 19:04` (UTC, as
    /// the element's title says; short enough to sit beside the name on a
    /// phone).
    pub fn when(&self, woof: &Woof) -> String {
        let format =
            format_description!("[day padding:none] [month repr:short] [year], [hour]:[minute]");
        woof.created_at
            .datetime()
            .format(&format)
            .unwrap_or_else(|_| woof.created_at.to_string())
    }

    /// A day, for people: `25 Nov 2026`.
    pub fn date(&self, at: &Timestamp) -> String {
        let format = format_description!("[day padding:none] [month repr:short] [year]");
        at.datetime()
            .format(&format)
            .unwrap_or_else(|_| at.to_string())
    }
}

/// A refused form's message and the field it belongs to (`"form"` for the
/// whole form), so the page can tie it to its input.
#[derive(Default)]
pub struct FormError {
    field: &'static str,
    message: String,
}

impl FormError {
    pub fn none() -> Self {
        Self::default()
    }

    pub fn on(field: &'static str, message: &str) -> Self {
        Self {
            field,
            message: sentence(message),
        }
    }

    /// The message, if it is shown under `field`.
    pub fn under(&self, field: &str) -> Option<&str> {
        (!self.message.is_empty() && self.field == field).then_some(self.message.as_str())
    }

    /// The id of the message that describes `field`: its own, or the
    /// whole form's.
    pub fn describing(&self, field: &str) -> Option<String> {
        match self.field {
            _ if self.message.is_empty() => None,
            "form" => Some("form-error".to_owned()),
            own if own == field => Some(format!("{field}-error")),
            _ => None,
        }
    }
}

/// A page's request guard: who is visiting, the notice left for them, and
/// the token their forms carry. A fault looking the session up is a `500`.
pub struct PageContext<'r> {
    pub session: Option<&'r CurrentSession>,
    notice: Option<Notice>,
    csrf: String,
}

impl PageContext<'_> {
    pub fn layout(&self, title: impl Into<String>) -> Layout {
        Layout {
            title: title.into(),
            dog: self.session.map(|s| s.user.username.clone()),
            csrf: self.csrf.clone(),
            notice: self.notice.as_ref().map(|n| Notice {
                kind: n.kind.clone(),
                message: n.message.clone(),
            }),
        }
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for PageContext<'r> {
    type Error = &'r Error;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, &'r Error> {
        let session = match req.guard::<&CurrentSession>().await {
            Outcome::Success(session) => Some(session),
            Outcome::Error((status, e)) if e.is_fault() => return Outcome::Error((status, e)),
            _ => None,
        };
        let notice = FlashMessage::from_request(req)
            .await
            .succeeded()
            .map(|flash| Notice {
                kind: flash.kind().to_owned(),
                message: flash.message().to_owned(),
            });
        let csrf = match session {
            Some(_) => csrf::session_token(req.cookies()).unwrap_or_default(),
            None => {
                let secure = req
                    .rocket()
                    .state::<WooferConfig>()
                    .is_some_and(|c| c.cookie_secure);
                csrf::ensure_pre_session_token(req.cookies(), secure)
            }
        };
        Outcome::Success(PageContext {
            session,
            notice,
            csrf,
        })
    }
}

/// A rendered page with its status (and any header a refusal needs).
pub struct Page {
    status: Status,
    html: String,
    headers: Vec<Header<'static>>,
}

impl Page {
    pub fn render(status: Status, template: &impl Template) -> Result<Self, WebError> {
        let html = template
            .render()
            .map_err(|e| Error::internal("rendering a page", e))?;
        Ok(Self {
            status,
            html,
            headers: Vec::new(),
        })
    }

    pub fn ok(template: &impl Template) -> Result<Self, WebError> {
        Self::render(Status::Ok, template)
    }

    pub fn with_header(mut self, header: Option<Header<'static>>) -> Self {
        self.headers.extend(header);
        self
    }
}

impl<'r> Responder<'r, 'static> for Page {
    fn respond_to(self, req: &'r Request<'_>) -> response::Result<'static> {
        let mut response = (self.status, RawHtml(self.html)).respond_to(req)?;
        for header in self.headers {
            response.set_header(header);
        }
        Ok(response)
    }
}

/// `303 See Other` to `to`, with a notice for the next page.
pub fn see_other(to: &'static str, notice: impl Into<String>) -> Flash<Redirect> {
    Flash::success(Redirect::to(to), notice.into())
}

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
                page.with_header(e.retry_after()).respond_to(req)
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
