//! The web face: HTML pages outside `/api`, on the same accounts, rules,
//! login service and server-side sessions as the API. Each page area is a
//! module with a `stage()`; [`stage()`] attaches them all, the embedded
//! assets, the security headers and the error pages.
//!
//! Templates are askama's (`server/templates/`): compiled and checked with
//! the server, embedded in the binary, HTML auto-escaped.

pub mod account;
pub mod assets;
pub mod csrf;
pub mod dogs;
pub mod errors;
pub mod feed;
pub mod form_error;
pub mod page;
pub mod refusal;
pub mod security;
pub mod settings;
pub mod woofs;

use rocket::fairing::AdHoc;
use woofer_shared::api::FeedPage;
use woofer_shared::Woof;

/// A page of woofs as the pages draw it, with its "Newest" and "Older" links.
pub struct WoofList {
    pub woofs: Vec<Woof>,
    /// Not the first page: a link back to the newest woofs is shown.
    pub paged: bool,
    pub newest_url: String,
    pub older_url: Option<String>,
    pub empty_message: &'static str,
}

impl WoofList {
    /// `page` of the list found at `url`.
    pub fn new(page: FeedPage, paged: bool, url: &str, empty_message: &'static str) -> Self {
        Self {
            older_url: page.next_before.map(|id| format!("{url}?before={id}")),
            woofs: page.woofs,
            paged,
            newest_url: url.to_owned(),
            empty_message,
        }
    }
}

pub fn stage() -> AdHoc {
    AdHoc::on_ignite("Web face", |rocket| async {
        rocket
            .attach(security::SecurityHeaders)
            .attach(assets::stage())
            .attach(account::stage())
            .attach(feed::stage())
            .attach(woofs::stage())
            .attach(dogs::stage())
            .attach(settings::stage())
            .register("/", errors::catchers())
    })
}
