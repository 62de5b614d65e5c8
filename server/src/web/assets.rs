//! The stylesheet, script and icon, compiled into the binary (so it serves
//! them from whatever directory it starts in) and served under a path
//! holding a hash of their content: a changed file gets a new URL, so the
//! old one may be cached for good.

use std::sync::LazyLock;

use rocket::fairing::AdHoc;
use rocket::http::{ContentType, Header};
use rocket::response::{self, Responder};
use rocket::{Request, Response};
use sha2::{Digest, Sha256};

use crate::token::hex;

struct Asset {
    name: &'static str,
    content_type: fn() -> ContentType,
    body: &'static str,
}

const ASSETS: &[Asset] = &[
    Asset {
        name: "app.css",
        content_type: || ContentType::CSS,
        body: include_str!("../../assets/app.css"),
    },
    Asset {
        name: "app.js",
        content_type: || ContentType::JavaScript,
        body: include_str!("../../assets/app.js"),
    },
    Asset {
        name: "icon.svg",
        content_type: || ContentType::SVG,
        body: include_str!("../../assets/icon.svg"),
    },
];

/// A short hash of every asset's content, in `ASSETS` order.
static VERSIONS: LazyLock<Vec<String>> = LazyLock::new(|| {
    ASSETS
        .iter()
        .map(|a| hex(&Sha256::digest(a.body.as_bytes()))[..12].to_owned())
        .collect()
});

fn find(name: &str) -> Option<(&'static Asset, &'static str)> {
    ASSETS
        .iter()
        .zip(VERSIONS.iter())
        .find(|(a, _)| a.name == name)
        .map(|(a, v)| (a, v.as_str()))
}

/// `/static/VERSION/NAME`; an unknown name is a programming error caught by
/// the page tests (the link would 404).
pub fn url(name: &str) -> String {
    let version = find(name).map_or("missing", |(_, v)| v);
    format!("/static/{version}/{name}")
}

/// An asset, cached for a year when asked for by its current version and
/// revalidated each time otherwise (a page from before an upgrade).
struct Served {
    asset: &'static Asset,
    immutable: bool,
}

impl<'r> Responder<'r, 'static> for Served {
    fn respond_to(self, _: &'r Request<'_>) -> response::Result<'static> {
        let cache = if self.immutable {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        Response::build()
            .header((self.asset.content_type)())
            .header(Header::new("Cache-Control", cache))
            .sized_body(self.asset.body.len(), std::io::Cursor::new(self.asset.body))
            .ok()
    }
}

#[rocket::get("/static/<version>/<name>")]
fn asset(version: &str, name: &str) -> Option<Served> {
    find(name).map(|(asset, current)| Served {
        asset,
        immutable: version == current,
    })
}

pub fn stage() -> AdHoc {
    AdHoc::on_ignite("Web assets", |rocket| async {
        rocket.mount("/", rocket::routes![asset])
    })
}
