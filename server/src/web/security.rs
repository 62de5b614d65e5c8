//! The headers every response carries, pages, assets, error pages and the
//! API alike: a Content-Security-Policy that allows only this server's own
//! script and style (no inline script, so markup smuggled into a page can
//! never run) and no framing, no MIME sniffing, and a referrer kept to this
//! site. Pages also say not to store them: they hold form tokens and a
//! dog's own feed.

use rocket::fairing::{Fairing, Info, Kind};
use rocket::http::Header;
use rocket::{Request, Response};

pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
     style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; \
     base-uri 'none'; frame-ancestors 'none'";

pub struct SecurityHeaders;

#[rocket::async_trait]
impl Fairing for SecurityHeaders {
    fn info(&self) -> Info {
        Info {
            name: "Security headers",
            kind: Kind::Response,
        }
    }

    async fn on_response<'r>(&self, req: &'r Request<'_>, res: &mut Response<'r>) {
        res.set_header(Header::new(
            "Content-Security-Policy",
            CONTENT_SECURITY_POLICY,
        ));
        res.set_header(Header::new("X-Content-Type-Options", "nosniff"));
        res.set_header(Header::new("Referrer-Policy", "same-origin"));
        res.set_header(Header::new("X-Frame-Options", "DENY"));
        let is_page = !req.uri().path().starts_with("/api/");
        if is_page && !res.headers().contains("Cache-Control") {
            res.set_header(Header::new("Cache-Control", "no-store"));
        }
    }
}
