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
/// plain HTML form can register and log in.
pub struct CredentialsBody(pub Credentials);

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
        Error::Malformed(
            "the form needs the fields username and password, URL-encoded as UTF-8".into(),
        )
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

fn outcome<'r, T>(result: Result<T, Error>) -> data::Outcome<'r, T, Error> {
    match result {
        Ok(value) => data::Outcome::Success(value),
        Err(e) => data::Outcome::Error((e.status(), e)),
    }
}
