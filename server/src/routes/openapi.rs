//! The OpenAPI document of the whole API, generated from the route
//! annotations and the shared types, at `GET /api/openapi.json`.
//!
//! It declares every rule the server enforces (patterns, lengths, ranges,
//! required fields, which routes need the session cookie, every status a
//! route can answer), so generated clients and fuzzers know them; the
//! end-to-end suite runs schemathesis against it (`schemathesis.rs`).

use rocket::fairing::AdHoc;
use rocket::serde::json::Json;
use serde_json::Value;
use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
use utoipa::{Modify, OpenApi};
use woofer_shared::rules::WOOF_MAX;

use super::{account, follows, health, likes, session, sessions, stream, timeline, users, woofs};

#[derive(OpenApi)]
#[openapi(
    info(title = "Woofer API", description = "Twitter for dogs. The contract is API.md; this document describes the same API. \
        Every error is `application/json` in the `ErrorBody` shape. A method a path does not take gets \
        `405 method_not_allowed` with an `Allow` header naming the methods it does take; a path that does not exist gets `404 not_found`."),
    paths(
        health::health, openapi_json,
        session::login, session::whoami, session::logout,
        sessions::list, sessions::end_others, sessions::end_one,
        account::change_password, account::delete_account,
        users::register, users::profile, users::timeline,
        woofs::feed, woofs::post, woofs::read, woofs::delete, woofs::replies,
        timeline::home, likes::like, likes::unlike,
        follows::follow, follows::unfollow, follows::followers, follows::following,
        stream::stream,
    ),
    modifiers(&SessionCookie, &Faults),
)]
pub struct ApiDoc;

struct SessionCookie;

impl Modify for SessionCookie {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session_cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(
                woofer_shared::api::SESSION_COOKIE,
            ))),
        );
    }
}

/// Any route can meet a fault (the database gone, say): `500 internal`,
/// declared once here rather than on every route.
struct Faults;

impl Modify for Faults {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let fault = ResponseBuilder::new()
            .description(
                "internal: a fault on the server; the message says nothing about internals",
            )
            .content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("ErrorBody")))
                    .build(),
            )
            .build();
        for item in openapi.paths.paths.values_mut() {
            let operations: [&mut Option<Operation>; 4] = [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.delete,
            ];
            for operation in operations.into_iter().flatten() {
                operation
                    .responses
                    .responses
                    .entry("500".to_owned())
                    .or_insert_with(|| fault.clone().into());
            }
        }
    }
}

/// The document as served, with what utoipa 5 cannot write: every header
/// this API declares (`Location`, `Retry-After`, `Set-Cookie`) is always
/// sent with its response, so each is marked `required`; a link names its
/// operation as `operationId` (utoipa writes `operation_id`, which no reader
/// knows); and a woof body's limit in graphemes, which no JSON Schema keyword
/// counts, is stated as `x-max-graphemes`.
pub fn document() -> Value {
    let mut doc = serde_json::to_value(ApiDoc::openapi()).expect("the document serialises");
    for schema in ["NewWoof", "Woof"] {
        let pointer = format!("/components/schemas/{schema}/properties/body");
        if let Some(body) = doc.pointer_mut(&pointer).and_then(Value::as_object_mut) {
            body.insert("x-max-graphemes".to_owned(), WOOF_MAX.into());
        }
    }
    let Some(paths) = doc["paths"].as_object_mut() else {
        return doc;
    };
    let responses = paths
        .values_mut()
        .filter_map(Value::as_object_mut)
        .flat_map(|item| item.values_mut())
        .filter_map(|operation| operation.get_mut("responses")?.as_object_mut())
        .flat_map(|responses| responses.values_mut())
        .filter_map(Value::as_object_mut);
    for response in responses {
        if let Some(headers) = response.get_mut("headers").and_then(Value::as_object_mut) {
            for header in headers.values_mut() {
                header["required"] = Value::Bool(true);
            }
        }
        if let Some(links) = response.get_mut("links").and_then(Value::as_object_mut) {
            for link in links.values_mut().filter_map(Value::as_object_mut) {
                for (snake, camel) in [
                    ("operation_id", "operationId"),
                    ("operation_ref", "operationRef"),
                    ("request_body", "requestBody"),
                ] {
                    if let Some(value) = link.remove(snake) {
                        link.insert(camel.to_owned(), value);
                    }
                }
            }
        }
    }
    doc
}

#[utoipa::path(get, path = "/api/openapi.json", tag = "meta",
    responses((status = 200, description = "this document", content_type = "application/json")))]
#[rocket::get("/openapi.json")]
fn openapi_json() -> Json<Value> {
    Json(document())
}

pub fn stage() -> AdHoc {
    AdHoc::on_ignite("OpenAPI document", |rocket| async {
        rocket.mount("/api", rocket::routes![openapi_json])
    })
}

#[cfg(test)]
mod tests {
    use regex::Regex;
    use serde_json::Value;
    use woofer_shared::{Username, WoofBody};

    use super::document;

    fn pattern(doc: &Value, schema: &str, field: &str) -> Regex {
        let pointer = format!("/components/schemas/{schema}/properties/{field}/pattern");
        let source = doc.pointer(&pointer).and_then(Value::as_str);
        Regex::new(source.unwrap_or_else(|| panic!("{pointer} is declared"))).unwrap()
    }

    /// Every code point up to U+3100 (all the white space, control and
    /// bidirectional characters are there) and a few far beyond.
    fn characters() -> impl Iterator<Item = char> {
        (0..0x3100)
            .chain([0xFEFF, 0xFFFD, 0x1F415, 0xE0001, 0x10FFFF])
            .filter_map(char::from_u32)
    }

    #[test]
    fn the_username_pattern_is_the_rule_on_the_name_as_sent() {
        let doc = document();
        let sent = pattern(&doc, "Credentials", "username");
        let stored = pattern(&doc, "User", "username");

        for c in characters() {
            for name in [format!("{c}rex"), format!("rex{c}"), format!("r{c}x")] {
                let parsed = Username::parse(&name);
                assert_eq!(sent.is_match(&name), parsed.is_ok(), "{name:?}");
                if let Ok(name) = parsed {
                    assert!(stored.is_match(name.as_str()), "{name:?}");
                }
            }
        }
        for name in [
            "ab",
            "abc",
            &"a".repeat(20),
            &"a".repeat(21),
            "  Rex_9 ",
            "rex\n",
        ] {
            assert_eq!(
                sent.is_match(name),
                Username::parse(name).is_ok(),
                "{name:?}"
            );
        }
    }

    #[test]
    fn the_woof_body_pattern_is_the_rule_but_for_the_length() {
        let doc = document();
        let sent = pattern(&doc, "NewWoof", "body");
        let stored = pattern(&doc, "Woof", "body");

        for c in characters() {
            for body in [
                c.to_string(),
                format!("{c}woof"),
                format!("wo{c}of"),
                format!(" {c} "),
            ] {
                let parsed = WoofBody::parse(&body);
                assert_eq!(sent.is_match(&body), parsed.is_ok(), "{body:?}");
                if let Ok(body) = parsed {
                    assert!(stored.is_match(body.as_str()), "{body:?}");
                }
            }
        }
    }
}
