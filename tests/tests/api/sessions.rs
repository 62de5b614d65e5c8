//! Sessions: private cookies naming server-side sessions (API.md: Sessions).

use std::time::Duration;

use reqwest::StatusCode;
use woofer_tests::trials::Trial;
use woofer_tests::{
    on_every_backend, status_with_cookie, ApiClient, ApiResponse, ServerOptions, TestServer,
};

pub fn trials() -> Vec<Trial> {
    on_every_backend![
        session_cookie_has_the_contract_attributes,
        secure_flag_when_configured_for_https,
        tampered_cookie_is_unauthenticated,
        cookie_from_another_secret_is_unauthenticated,
        logout_revokes_a_copied_cookie_and_spares_other_sessions,
        logout_without_a_session_is_fine,
        each_login_issues_a_new_session,
        sessions_end_after_their_lifetime,
        sessions_survive_a_restart_with_the_same_key,
        ended_sessions_are_swept_from_the_database,
    ]
}

/// The value of the session cookie `r` set; panics if it set none.
fn session_cookie(r: &ApiResponse) -> String {
    r.session_cookie().expect("a woofer_session cookie")
}

/// Who am I, asked with exactly this cookie value and no jar.
async fn whoami_with(server: &TestServer, value: &str) -> StatusCode {
    status_with_cookie(server.base_url(), "/api/session", value).await
}

async fn session_cookie_has_the_contract_attributes(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let client = ApiClient::new(server.base_url());

    let r = client.register("rex", "correct horse").await;
    let cookie = r.session_set_cookie().expect("a woofer_session cookie");

    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Strict"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");
    assert!(
        cookie.contains("Expires=") || cookie.contains("Max-Age="),
        "{cookie}"
    );
    assert!(
        !cookie.contains("Secure"),
        "plain HTTP server sets no Secure flag: {cookie}"
    );
    // Sealed (encrypted and authenticated): no name or id in plain sight.
    let value = session_cookie(&r);
    assert!(
        value.len() >= 40 && !value.contains("rex") && !value.contains("user"),
        "{value}"
    );
}

async fn secure_flag_when_configured_for_https(options: ServerOptions) {
    let server = TestServer::start(ServerOptions {
        cookie_secure: true,
        ..options
    })
    .await;
    // Read from the header: a jar would not keep a Secure cookie from plain HTTP.
    let r = ApiClient::new(server.base_url())
        .register("rex", "correct horse")
        .await;

    let cookie = r.session_set_cookie().expect("a woofer_session cookie");

    assert!(cookie.contains("Secure"), "{cookie}");
}

async fn tampered_cookie_is_unauthenticated(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let r = ApiClient::new(server.base_url())
        .register("rex", "correct horse")
        .await;
    let value = session_cookie(&r);
    let mut tampered = value.clone().into_bytes();
    let i = tampered.len() / 2;
    tampered[i] = if tampered[i] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered).unwrap();

    assert_eq!(whoami_with(&server, &value).await, StatusCode::OK);
    for bad in [
        tampered.as_str(),
        "garbage",
        "",
        "%ff%00",
        &"A".repeat(5000),
    ] {
        assert_eq!(
            whoami_with(&server, bad).await,
            StatusCode::UNAUTHORIZED,
            "{bad:.40}"
        );
    }
}

async fn cookie_from_another_secret_is_unauthenticated(options: ServerOptions) {
    let server = TestServer::start(options.clone()).await;
    let other = TestServer::start_on(
        ServerOptions {
            secret_key: None,
            ..options
        },
        server.data(),
    )
    .await;
    let r = ApiClient::new(server.base_url())
        .register("rex", "correct horse")
        .await;
    let value = session_cookie(&r);

    let here = whoami_with(&server, &value).await;
    let there = whoami_with(&other, &value).await;

    assert_eq!(here, StatusCode::OK);
    assert_eq!(there, StatusCode::UNAUTHORIZED);
}

async fn logout_revokes_a_copied_cookie_and_spares_other_sessions(options: ServerOptions) {
    let server = TestServer::start(options).await;
    ApiClient::registered(server.base_url(), "rex").await;
    let laptop = ApiClient::new(server.base_url());
    let phone = ApiClient::new(server.base_url());
    let copied = session_cookie(&laptop.login("rex", "correct horse").await);
    phone.login("rex", "correct horse").await;

    let out = laptop.delete("/api/session").await;

    assert_eq!(out.status, StatusCode::NO_CONTENT);
    let removal = out.session_set_cookie().expect("a woofer_session cookie");
    assert!(
        removal.contains("Max-Age=0") || removal.contains("Expires="),
        "{removal}"
    );
    assert_eq!(
        laptop.get("/api/session").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        whoami_with(&server, &copied).await,
        StatusCode::UNAUTHORIZED,
        "the copy is revoked too"
    );
    assert_eq!(
        phone.get("/api/session").await.status,
        StatusCode::OK,
        "other terminals stay logged in"
    );
}

async fn logout_without_a_session_is_fine(options: ServerOptions) {
    let server = TestServer::start(options).await;

    let r = ApiClient::new(server.base_url())
        .delete("/api/session")
        .await;

    assert_eq!(r.status, StatusCode::NO_CONTENT);
}

async fn each_login_issues_a_new_session(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let client = ApiClient::registered(server.base_url(), "rex").await;

    let first = session_cookie(&client.login("rex", "correct horse").await);
    let second = session_cookie(&client.login("rex", "correct horse").await);

    assert_ne!(first, second);
    assert_eq!(whoami_with(&server, &first).await, StatusCode::OK);
    assert_eq!(whoami_with(&server, &second).await, StatusCode::OK);
}

async fn sessions_end_after_their_lifetime(options: ServerOptions) {
    let server = TestServer::start(ServerOptions {
        session_lifetime: 2,
        ..options
    })
    .await;
    let r = ApiClient::new(server.base_url())
        .register("rex", "correct horse")
        .await;
    let value = session_cookie(&r);
    assert_eq!(whoami_with(&server, &value).await, StatusCode::OK);

    tokio::time::sleep(Duration::from_millis(3100)).await;

    // Sent by hand: a jar would drop the expired cookie itself, proving nothing about the server.
    assert_eq!(whoami_with(&server, &value).await, StatusCode::UNAUTHORIZED);
}

async fn sessions_survive_a_restart_with_the_same_key(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let r = ApiClient::new(server.base_url())
        .register("rex", "correct horse")
        .await;
    let value = session_cookie(&r);

    let server = server.restart().await;

    assert_eq!(whoami_with(&server, &value).await, StatusCode::OK);
}

async fn ended_sessions_are_swept_from_the_database(options: ServerOptions) {
    let server = TestServer::start(ServerOptions {
        session_lifetime: 1,
        ..options
    })
    .await;
    ApiClient::registered(server.base_url(), "rex").await;
    ApiClient::registered(server.base_url(), "fido").await;
    tokio::time::sleep(Duration::from_millis(2100)).await;
    ApiClient::registered(server.base_url(), "luna").await;
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(server.data().database_url())
        .await
        .unwrap();
    let count = || async {
        sqlx::query_as::<_, (i64,)>("SELECT COUNT(*) FROM sessions")
            .fetch_one(&pool)
            .await
            .unwrap()
            .0
    };
    assert_eq!(count().await, 3, "expired rows stay until swept");

    let swept = woofer_server::store::sessions::delete_expired(&pool, woofer_server::clock::now())
        .await
        .unwrap();

    assert_eq!(swept, 2);
    assert_eq!(count().await, 1, "the live session is kept");
}
