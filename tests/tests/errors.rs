//! Every row of API.md's error table, and the shape of every error.

use reqwest::{Method, StatusCode};
use woofer_tests::{on_every_backend, ApiClient, ApiResponse, ServerOptions, TestServer};

on_every_backend!(
    health_needs_no_session,
    session_is_required_before_the_body_is_read,
    malformed_bodies_are_400,
    oversized_bodies_are_413,
    wrong_media_types_are_415,
    unknown_routes_and_methods_get_json,
);

/// The contract's error shape: `{"error": {"code", "message", "field"?}}`, JSON.
fn assert_error(r: &ApiResponse, status: StatusCode, code: &str) {
    assert_eq!(r.status, status, "{}", r.text);
    assert!(
        r.header("content-type")
            .unwrap_or_default()
            .starts_with("application/json"),
        "{:?}",
        r.headers
    );
    let body = r.json();
    let error = body["error"]
        .as_object()
        .unwrap_or_else(|| panic!("no error object: {}", r.text));
    assert_eq!(error["code"], code, "{}", r.text);
    let message = error["message"].as_str().unwrap();
    assert!(!message.is_empty());
    for leak in ["SELECT", "sqlite", "/src/", ".rs:", "panicked", "sqlx"] {
        assert!(!message.contains(leak), "message leaks {leak}: {message}");
    }
    assert_eq!(
        error.contains_key("field"),
        code == "validation_failed",
        "{}",
        r.text
    );
    assert_eq!(body.as_object().unwrap().len(), 1);
}

async fn health_needs_no_session(options: ServerOptions) {
    let server = TestServer::start(options).await;

    let r = ApiClient::new(server.base_url()).get("/api/health").await;

    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["status"], "ok");
    assert_eq!(r.json()["version"], env!("CARGO_PKG_VERSION"));
}

async fn session_is_required_before_the_body_is_read(options: ServerOptions) {
    let server = TestServer::start(options).await;
    ApiClient::registered(server.base_url(), "rex").await;
    let anonymous = ApiClient::new(server.base_url());

    let cases = [
        anonymous.get("/api/session").await,
        anonymous.get("/api/woofs").await,
        anonymous.get("/api/woofs?limit=9999").await,
        anonymous.get("/api/woofs/1").await,
        anonymous.delete("/api/woofs/1").await,
        anonymous.get("/api/users/rex").await,
        anonymous.get("/api/users/rex/woofs").await,
        anonymous.post_woof("hello").await,
        anonymous
            .send(
                anonymous
                    .request(Method::POST, "/api/woofs")
                    .header("content-type", "application/json")
                    .body("{not json"),
            )
            .await,
        anonymous
            .send(
                anonymous
                    .request(Method::POST, "/api/woofs")
                    .header("content-type", "text/plain")
                    .body("hi"),
            )
            .await,
        anonymous
            .send(
                anonymous
                    .request(Method::POST, "/api/woofs")
                    .header("content-type", "application/json")
                    .body(vec![b'x'; 40_000]),
            )
            .await,
    ];

    for r in &cases {
        assert_error(r, StatusCode::UNAUTHORIZED, "unauthenticated");
    }
}

async fn malformed_bodies_are_400(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let rex = ApiClient::registered(server.base_url(), "rex").await;
    let json = |body: &'static [u8]| {
        rex.request(Method::POST, "/api/woofs")
            .header("content-type", "application/json; charset=utf-8")
            .body(body)
    };

    let cases = [
        rex.send(json(b"{\"body\": ")).await,
        rex.send(json(b"[1, 2")).await,
        rex.send(json(b"{\"body\": 42}")).await,
        rex.send(json(b"{}")).await,
        rex.send(json(b"")).await,
        rex.send(json(b"{\"body\": \"\\ud800\"}")).await,
        rex.send(json(b"{\"body\": \"\xff\xfe\"}")).await,
        rex.send(json(b"null")).await,
        rex.send(
            rex.request(Method::POST, "/api/session")
                .header("content-type", "application/json")
                .body("{\"username\": \"rex\"}"),
        )
        .await,
        rex.send(
            rex.request(Method::POST, "/api/users")
                .header("content-type", "application/x-www-form-urlencoded")
                .body("username=rex"),
        )
        .await,
        rex.send(
            rex.request(Method::POST, "/api/session")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(b"username=%ff%fe&password=12345678".to_vec()),
        )
        .await,
    ];

    for (i, r) in cases.iter().enumerate() {
        assert_error(r, StatusCode::BAD_REQUEST, "malformed_request");
        assert!(r.status != StatusCode::INTERNAL_SERVER_ERROR, "case {i}");
    }
    let ok = rex
        .send(json(b"{\"body\": \"with charset\", \"extra\": true}"))
        .await;
    assert_eq!(
        ok.status,
        StatusCode::CREATED,
        "charset and unknown fields are fine: {}",
        ok.text
    );
}

async fn oversized_bodies_are_413(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let rex = ApiClient::registered(server.base_url(), "rex").await;
    let big_json = format!("{{\"body\": \"{}\"}}", "a".repeat(17 * 1024));
    let big_form = format!("username=rex&password={}", "a".repeat(17 * 1024));

    let json = rex
        .send(
            rex.request(Method::POST, "/api/woofs")
                .header("content-type", "application/json")
                .body(big_json),
        )
        .await;
    let form = rex
        .send(
            rex.request(Method::POST, "/api/session")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(big_form),
        )
        .await;

    assert_error(&json, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large");
    assert_error(&form, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large");
    assert_eq!(
        rex.get("/api/session").await.status,
        StatusCode::OK,
        "the server keeps serving"
    );
}

async fn wrong_media_types_are_415(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let rex = ApiClient::registered(server.base_url(), "rex").await;

    let cases = [
        rex.send(
            rex.request(Method::POST, "/api/woofs")
                .header("content-type", "text/plain")
                .body("{\"body\":\"hi\"}"),
        )
        .await,
        rex.send(
            rex.request(Method::POST, "/api/woofs")
                .form(&[("body", "hi")]),
        )
        .await,
        rex.send(
            rex.request(Method::POST, "/api/woofs")
                .body("{\"body\":\"hi\"}"),
        )
        .await,
        rex.send(
            rex.request(Method::POST, "/api/session")
                .header("content-type", "text/xml")
                .body("<x/>"),
        )
        .await,
    ];

    for r in &cases {
        assert_error(
            r,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        );
    }
}

async fn unknown_routes_and_methods_get_json(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let rex = ApiClient::registered(server.base_url(), "rex").await;

    let unknown = rex.get("/api/nothing/here").await;
    let wrong_method = rex.send(rex.request(Method::PUT, "/api/session")).await;
    let wrong_method_woof = rex.send(rex.request(Method::PATCH, "/api/woofs/1")).await;

    assert_error(&unknown, StatusCode::NOT_FOUND, "not_found");
    assert_error(
        &wrong_method,
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
    );
    assert_error(
        &wrong_method_woof,
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
    );
}
