//! The web face: HTML pages outside `/api`, on the same accounts, rules,
//! login service and server-side sessions as the API. Each page area is a
//! module with a `stage()`; [`stage()`] attaches them all, the embedded
//! assets, the security headers and the error pages.
//!
//! Templates are askama's (`server/templates/`): compiled and checked with
//! the server, embedded in the binary, HTML auto-escaped.

pub mod account;
pub mod assets;
pub mod back;
pub mod csrf;
pub mod dogs;
pub mod errors;
pub mod feed;
pub mod form_error;
pub mod page;
pub mod refusal;
pub mod security;
pub mod settings;
pub mod woof_list;
pub mod woofs;

use rocket::fairing::AdHoc;

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
