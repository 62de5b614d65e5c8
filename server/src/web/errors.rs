//! What the framework refuses outside `/api` (no such page, a body too
//! large, a fault in a guard), drawn as a page like every other refusal.
//! Under `/api` the API's own JSON catcher answers: it is more specific.

use rocket::http::Status;
use rocket::{Catcher, Request};

use crate::auth::CurrentSession;
use crate::web::page::Page;
use crate::web::refusal::{error_page, WebError};

#[rocket::catch(default)]
async fn page_default(status: Status, req: &Request<'_>) -> Result<Page, WebError> {
    // Looked up (once per request, cached) so the page's bar shows the
    // dog; a fault met by the session guard is in that cache too.
    let _ = req.guard::<&CurrentSession>().await;
    if let Some(fault) = crate::auth::session::lookup_fault(req) {
        fault.log_if_fault(req);
    }
    let message = match status.code {
        404 => "there is no page at this address",
        413 => "the form is larger than 16 KiB",
        400 | 422 => "the request could not be understood",
        _ if status.code >= 500 => crate::error::INTERNAL_MESSAGE,
        _ => "the request was refused",
    };
    error_page(req, status, message)
}

pub fn catchers() -> Vec<Catcher> {
    rocket::catchers![page_default]
}
