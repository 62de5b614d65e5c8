//! Every row of API.md's error table, and the shape of every error.

use reqwest::{Method, StatusCode};
use woofer_server::error::INTERNAL_MESSAGE;
use woofer_tests::trials::Trial;
use woofer_tests::{async_tests, on_every_backend, ApiClient, ServerOptions, TestServer};

pub fn trials() -> Vec<Trial> {
    [
        on_every_backend![
            health_needs_no_session,
            session_is_required_before_the_body_is_read,
            malformed_bodies_are_400,
            oversized_bodies_are_413,
            wrong_media_types_are_415,
            unknown_routes_and_methods_get_json,
        ],
        async_tests![faults_are_a_plain_internal_error_and_logged_in_full],
    ]
    .into_iter()
    .flatten()
    .collect()
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
        r.assert_error(StatusCode::UNAUTHORIZED, "unauthenticated");
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
        r.assert_error(StatusCode::BAD_REQUEST, "malformed_request");
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

    json.assert_error(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large");
    form.assert_error(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large");
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
        r.assert_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
    }
}

async fn unknown_routes_and_methods_get_json(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let rex = ApiClient::registered(server.base_url(), "rex").await;

    let unknown = rex.get("/api/nothing/here").await;
    let wrong_method = rex.send(rex.request(Method::PUT, "/api/session")).await;
    let wrong_method_woof = rex.send(rex.request(Method::PATCH, "/api/woofs/1")).await;
    // Methods Rocket does not know at all, which it refuses before routing.
    let query = Method::from_bytes(b"QUERY").unwrap();
    let unknown_method = rex.send(rex.request(query.clone(), "/api/woofs")).await;
    let unknown_method_nowhere = rex.send(rex.request(query, "/api/nothing/here")).await;

    unknown.assert_error(StatusCode::NOT_FOUND, "not_found");
    wrong_method.assert_error(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
    wrong_method_woof.assert_error(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
    assert_eq!(
        wrong_method.header("allow").as_deref(),
        Some("DELETE, GET, POST")
    );
    assert_eq!(
        wrong_method_woof.header("allow").as_deref(),
        Some("DELETE, GET")
    );
    assert_eq!(unknown.header("allow"), None);
    unknown_method.assert_error(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
    assert_eq!(unknown_method.header("allow").as_deref(), Some("GET, POST"));
    unknown_method_nowhere.assert_error(StatusCode::NOT_FOUND, "not_found");
}

/// A database fault, in a route and in the session guard: the client gets
/// the contract's plain `internal` error; the log gets what went wrong
/// (and never the cookie).
async fn faults_are_a_plain_internal_error_and_logged_in_full() {
    let dir = tempfile::tempdir().unwrap();
    let server = crate::start_server_process(dir.path(), &[]);
    let rex = ApiClient::registered(server.base_url(), "rex").await;
    // A session the server has not looked up yet, so that its guard asks
    // the database (a lookup is trusted for a second on SQLite).
    let rex_elsewhere = ApiClient::new(server.base_url());
    let cookie = rex_elsewhere
        .login("rex", "correct horse")
        .await
        .session_cookie()
        .unwrap();
    sqlx::any::install_default_drivers();
    let url = format!("sqlite://{}", dir.path().join("data/woofer.db").display());
    let pool = sqlx::AnyPool::connect(&url).await.unwrap();

    sqlx::query("DROP TABLE woofs")
        .execute(&pool)
        .await
        .unwrap();
    let in_route = rex.get("/api/woofs").await;
    sqlx::query("DROP TABLE sessions")
        .execute(&pool)
        .await
        .unwrap();
    let in_guard = rex_elsewhere.get("/api/session").await;
    let output = server.kill();

    for r in [&in_route, &in_guard] {
        r.assert_error(StatusCode::INTERNAL_SERVER_ERROR, "internal");
        assert_eq!(r.json()["error"]["message"], INTERNAL_MESSAGE);
    }
    for logged in [
        "GET /api/woofs: database error: ",
        "no such table: woofs",
        "GET /api/session: database error: ",
        "no such table: sessions",
    ] {
        assert!(output.contains(logged), "{logged:?} not logged:\n{output}");
    }
    assert!(!output.contains(&cookie), "never logs a cookie");
    assert!(!output.contains("correct horse"), "never logs a password");
}
