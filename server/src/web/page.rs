//! What every page shares: the layout (title, the dog logged in, the
//! notice after a redirect, the form token), the request guard that
//! gathers it, and the responder for a rendered page.

use askama::Template;
use rocket::http::{Header, Status};
use rocket::request::{FlashMessage, FromRequest, Outcome};
use rocket::response::content::RawHtml;
use rocket::response::{self, Flash, Redirect, Responder};
use rocket::Request;
use time::macros::format_description;
use woofer_shared::{Timestamp, Woof};

use crate::auth::CurrentSession;
use crate::config::WooferConfig;
use crate::error::Error;
use crate::web::refusal::WebError;
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
    /// The page's own path and query: where its buttons send the dog back
    /// to (the `back` field, see [`crate::web::back`]).
    pub here: String,
}

impl Layout {
    /// The same page, as found at `here` (a page drawn in answer to a
    /// form is found at its own address, not the form's).
    pub fn at(mut self, here: impl Into<String>) -> Self {
        self.here = here.into();
        self
    }

    /// `n` and the noun for it: `1 like`, `3 likes`.
    pub fn count(&self, n: &i64, one: &str, many: &str) -> String {
        format!("{n} {}", if *n == 1 { one } else { many })
    }

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
        self.moment(&woof.created_at)
    }

    /// A moment, for people: `25 Nov 2026, 19:04` (UTC).
    pub fn moment(&self, at: &Timestamp) -> String {
        let format =
            format_description!("[day padding:none] [month repr:short] [year], [hour]:[minute]");
        at.datetime()
            .format(&format)
            .unwrap_or_else(|_| at.to_string())
    }

    /// A day, for people: `25 Nov 2026`.
    pub fn date(&self, at: &Timestamp) -> String {
        let format = format_description!("[day padding:none] [month repr:short] [year]");
        at.datetime()
            .format(&format)
            .unwrap_or_else(|_| at.to_string())
    }
}

/// A page's request guard: who is visiting, the notice left for them, and
/// the token their forms carry. A fault looking the session up is a `500`.
pub struct PageContext<'r> {
    pub session: Option<&'r CurrentSession>,
    notice: Option<Notice>,
    csrf: String,
    here: String,
}

impl<'r> PageContext<'r> {
    /// The visiting dog, for a page only a logged-in dog may see or use.
    pub fn logged_in(&self) -> Result<&'r CurrentSession, WebError> {
        self.session
            .ok_or(WebError::Refused(Error::Unauthenticated))
    }
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
            here: self.here.clone(),
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
            here: req.uri().to_string(),
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

/// `303 See Other` to `to` (a path of ours), with a notice for the next
/// page.
pub fn see_other(to: impl Into<String>, notice: impl Into<String>) -> Flash<Redirect> {
    Flash::success(Redirect::to(to.into()), notice.into())
}
