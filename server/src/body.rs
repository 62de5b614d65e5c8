//! Request bodies as the contract wants them read: at most 16 KiB, JSON
//! (with or without `charset=utf-8`) or, where allowed, an HTML form; each
//! failure a contract error rather than the framework's own.

use rocket::data::{self, Data, FromData, ToByteUnit};
use rocket::Request;
use serde::de::DeserializeOwned;
use woofer_shared::api::{Credentials, BODY_LIMIT_BYTES};

use crate::error::Error;

/// A JSON body of type `T`; anything but `application/json` is a `415`.
pub struct JsonBody<T>(pub T);

/// A body that may be JSON or `application/x-www-form-urlencoded`, so a
/// plain HTML form can register and log in. A form that the browser says
/// came from another site is refused (`403`) before it is read: no other
/// site may log a visitor in to an account of its choosing (login CSRF).
pub struct CredentialsBody(pub Credentials);

/// An `application/x-www-form-urlencoded` body of type `T` (the web
/// pages' forms); anything else is a `415`.
pub struct FormBody<T>(pub T);

pub const CROSS_SITE_FORM: &str =
    "a form from another site cannot log in or register here; use this server's own pages";

#[derive(Clone, Copy, PartialEq, Eq)]
enum BodyKind {
    Json,
    Form,
}

fn kind_of(req: &Request<'_>) -> Option<BodyKind> {
    let ct = req.content_type()?;
    if ct.top() == "application" && ct.sub() == "json" {
        Some(BodyKind::Json)
    } else if ct.top() == "application" && ct.sub() == "x-www-form-urlencoded" {
        Some(BodyKind::Form)
    } else {
        None
    }
}

async fn read_limited(data: Data<'_>) -> Result<Vec<u8>, Error> {
    let capped = data
        .open((BODY_LIMIT_BYTES as u64).bytes())
        .into_bytes()
        .await
        .map_err(|_| Error::Malformed("the request body could not be read".into()))?;
    if !capped.is_complete() {
        return Err(Error::PayloadTooLarge);
    }
    Ok(capped.into_inner())
}

fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Error> {
    serde_json::from_slice(bytes).map_err(|e| {
        let what = match e.classify() {
            serde_json::error::Category::Data => "has the wrong fields or types",
            _ => "is not valid JSON",
        };
        Error::Malformed(format!(
            "the request body {what} (line {}, column {})",
            e.line(),
            e.column()
        ))
    })
}

/// Whether the browser says this request came from another site:
/// `Sec-Fetch-Site: cross-site`, or an `Origin` other than the server's own
/// (the `Host` the request was sent to). Clients that send neither header
/// (curl, scripts) are not browsers on another site.
pub fn sent_from_another_site(req: &Request<'_>) -> bool {
    let headers = req.headers();
    let fetch_site_says_so = headers
        .get("Sec-Fetch-Site")
        .any(|site| site.trim().eq_ignore_ascii_case("cross-site"));
    let foreign_origin = headers
        .get_one("Origin")
        .is_some_and(|origin| !is_own_origin(origin, headers.get_one("Host")));
    fetch_site_says_so || foreign_origin
}

/// `origin` (`scheme://host[:port]`, or `null`) names `host`. A `Host`
/// without a port (a proxy passing on `$host`) matches the origin's host
/// name on any port.
fn is_own_origin(origin: &str, host: Option<&str>) -> bool {
    let (Some((_, authority)), Some(host)) = (origin.split_once("://"), host) else {
        return false;
    };
    let authority = authority.trim_end_matches('/');
    let name_of = |a: &str| a.rsplit_once(':').map_or(a, |(name, _)| name).to_owned();
    authority.eq_ignore_ascii_case(host)
        || (!host.contains(':') && name_of(authority).eq_ignore_ascii_case(host))
}

fn parse_form<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Error> {
    // serde_urlencoded decodes invalid UTF-8 lossily; the contract wants a 400.
    let text = std::str::from_utf8(bytes).ok();
    let valid = text.is_some_and(|t| {
        t.split('&')
            .all(|pair| rocket::http::RawStr::new(pair).url_decode().is_ok())
    });
    if !valid {
        return Err(Error::Malformed("the form body is not valid UTF-8".into()));
    }
    serde_urlencoded::from_bytes(bytes).map_err(|_| {
        Error::Malformed("the form lacks a field it needs, or is not URL-encoded as UTF-8".into())
    })
}

#[rocket::async_trait]
impl<'r, T: DeserializeOwned + Send> FromData<'r> for JsonBody<T> {
    type Error = Error;

    async fn from_data(req: &'r Request<'_>, data: Data<'r>) -> data::Outcome<'r, Self> {
        let result = match kind_of(req) {
            Some(BodyKind::Json) => match read_limited(data).await {
                Ok(bytes) => parse_json(&bytes).map(JsonBody),
                Err(e) => Err(e),
            },
            _ => Err(Error::UnsupportedMediaType(
                "send the body as JSON (Content-Type: application/json)",
            )),
        };
        outcome(result)
    }
}

#[rocket::async_trait]
impl<'r> FromData<'r> for CredentialsBody {
    type Error = Error;

    async fn from_data(req: &'r Request<'_>, data: Data<'r>) -> data::Outcome<'r, Self> {
        let result = match kind_of(req) {
            Some(BodyKind::Form) if sent_from_another_site(req) => {
                Err(Error::Forbidden(CROSS_SITE_FORM))
            }
            Some(kind) => match read_limited(data).await {
                Ok(bytes) if kind == BodyKind::Json => parse_json(&bytes).map(CredentialsBody),
                Ok(bytes) => parse_form(&bytes).map(CredentialsBody),
                Err(e) => Err(e),
            },
            None => Err(Error::UnsupportedMediaType(
                "send the body as JSON (application/json) or as a form (application/x-www-form-urlencoded)",
            )),
        };
        outcome(result)
    }
}

#[rocket::async_trait]
impl<'r, T: DeserializeOwned + Send> FromData<'r> for FormBody<T> {
    type Error = Error;

    async fn from_data(req: &'r Request<'_>, data: Data<'r>) -> data::Outcome<'r, Self> {
        let result = match kind_of(req) {
            Some(BodyKind::Form) => match read_limited(data).await {
                Ok(bytes) => parse_form(&bytes).map(FormBody),
                Err(e) => Err(e),
            },
            _ => Err(Error::UnsupportedMediaType(
                "send the form as application/x-www-form-urlencoded",
            )),
        };
        outcome(result)
    }
}

fn outcome<'r, T>(result: Result<T, Error>) -> data::Outcome<'r, T, Error> {
    match result {
        Ok(value) => data::Outcome::Success(value),
        Err(e) => data::Outcome::Error((e.status(), e)),
    }
}

#[cfg(test)]
mod tests {
    use super::is_own_origin;

    #[test]
    fn an_origin_is_the_servers_own_only_when_it_names_the_host_asked() {
        let own = [
            ("http://127.0.0.1:8000", "127.0.0.1:8000"),
            ("https://Woofer.example", "woofer.example"),
            ("https://woofer.example:8443", "woofer.example"),
        ];
        let foreign = [
            ("http://evil.example", "127.0.0.1:8000"),
            ("http://127.0.0.1:9000", "127.0.0.1:8000"),
            ("https://woofer.example.evil", "woofer.example"),
            ("https://sub.woofer.example", "woofer.example"),
            ("null", "woofer.example"),
        ];
        for (origin, host) in own {
            assert!(is_own_origin(origin, Some(host)), "{origin} {host}");
        }
        for (origin, host) in foreign {
            assert!(!is_own_origin(origin, Some(host)), "{origin} {host}");
        }
        assert!(!is_own_origin("http://127.0.0.1:8000", None));
    }
}
