//! Sessions: private cookies naming server-side sessions (API.md: Sessions).

use std::time::Duration;

use reqwest::StatusCode;
use woofer_tests::server::TestData;
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
        sessions_are_listed_newest_first_with_the_current_one_marked,
        ending_one_session_ends_its_copied_cookie_and_no_other_dogs,
        ending_the_others_keeps_only_this_one,
        ending_the_current_session_is_a_logout,
        a_database_of_the_first_release_upgrades_in_place,
    ]
}

/// The sessions a `GET /api/sessions` answer lists.
fn listed(r: &ApiResponse) -> Vec<serde_json::Value> {
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.json()["sessions"].as_array().expect("a list").clone()
}

async fn sessions_are_listed_newest_first_with_the_current_one_marked(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let first = ApiClient::registered(server.base_url(), "rex").await;
    // Times are whole seconds: a second later, the order is certain.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let hostile_agent = format!("Lynx/2.9 \u{202e}{}", "x".repeat(300));
    let second = ApiClient::logged_in_with_agent(server.base_url(), "rex", &hostile_agent).await;
    let cookie = second.session_cookie_in_jar();

    let seen_by_first = listed(&first.get("/api/sessions").await);
    let seen_by_second = listed(&second.get("/api/sessions").await);

    assert_eq!(seen_by_first.len(), 2);
    let (newest, oldest) = (&seen_by_first[0], &seen_by_first[1]);
    assert_eq!(
        (newest["current"].as_bool(), oldest["current"].as_bool()),
        (Some(false), Some(true))
    );
    assert_eq!(seen_by_second[0]["current"], true);
    assert_eq!(seen_by_second[0]["id"], newest["id"]);
    let agent = newest["user_agent"].as_str().unwrap();
    assert!(
        agent.starts_with("Lynx/2.9 x") && agent.chars().count() == 200,
        "{agent}"
    );
    let id = newest["id"].as_str().unwrap();
    assert!(
        !cookie.contains(id) && id.chars().all(|c| c.is_ascii_alphanumeric()),
        "{id}"
    );
    for session in &seen_by_first {
        let created = session["created_at"].as_str().unwrap();
        let seen = session["last_seen_at"].as_str().unwrap();
        assert!(created.ends_with('Z') && seen >= created, "{session}");
    }
}

async fn ending_one_session_ends_its_copied_cookie_and_no_other_dogs(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let rex = ApiClient::registered(server.base_url(), "rex").await;
    let phone = ApiClient::logged_in_with_agent(server.base_url(), "rex", "woofer/phone").await;
    let copied = phone.session_cookie_in_jar();
    let fido = ApiClient::registered(server.base_url(), "fido").await;
    let phone_id = rex.session_id_where("user_agent", "woofer/phone").await;

    let by_fido = fido.delete(&format!("/api/sessions/{phone_id}")).await;
    let still = whoami_with(&server, &copied).await;
    let by_rex = rex.delete(&format!("/api/sessions/{phone_id}")).await;
    let after = whoami_with(&server, &copied).await;
    let again = rex.delete(&format!("/api/sessions/{phone_id}")).await;

    by_fido.assert_error(StatusCode::NOT_FOUND, "not_found");
    assert_eq!(still, StatusCode::OK, "another dog cannot end it");
    assert_eq!(by_rex.status, StatusCode::NO_CONTENT);
    assert_eq!(after, StatusCode::UNAUTHORIZED);
    again.assert_error(StatusCode::NOT_FOUND, "not_found");
    assert_eq!(rex.get("/api/session").await.status, StatusCode::OK);
}

async fn ending_the_others_keeps_only_this_one(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let rex = ApiClient::registered(server.base_url(), "rex").await;
    let others = [
        ApiClient::logged_in_with_agent(server.base_url(), "rex", "woofer/laptop").await,
        ApiClient::logged_in_with_agent(server.base_url(), "rex", "woofer/phone").await,
    ];
    let fido = ApiClient::registered(server.base_url(), "fido").await;
    for other in &others {
        assert_eq!(
            other.get("/api/session").await.status,
            StatusCode::OK,
            "in use"
        );
    }

    let ended = rex.delete("/api/sessions/others").await;
    let left = listed(&rex.get("/api/sessions").await);

    assert_eq!(ended.status, StatusCode::NO_CONTENT);
    assert_eq!(left.len(), 1);
    assert_eq!(left[0]["current"], true);
    for other in &others {
        assert_eq!(
            other.get("/api/session").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        fido.get("/api/session").await.status,
        StatusCode::OK,
        "other dogs keep theirs"
    );
}

async fn ending_the_current_session_is_a_logout(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let rex = ApiClient::registered(server.base_url(), "rex").await;
    let copied = rex.session_cookie_in_jar();
    let own_id = rex.session_id_where("current", true).await;

    let ended = rex.delete(&format!("/api/sessions/{own_id}")).await;

    assert_eq!(ended.status, StatusCode::NO_CONTENT);
    assert!(
        ended
            .set_cookies()
            .iter()
            .any(|c| c.starts_with("woofer_session=") && c.contains("Max-Age=0")),
        "the cookie is removed: {:?}",
        ended.set_cookies()
    );
    assert_eq!(
        whoami_with(&server, &copied).await,
        StatusCode::UNAUTHORIZED
    );
}

async fn a_database_of_the_first_release_upgrades_in_place(options: ServerOptions) {
    use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
    use woofer_server::db::{migrator_until, Backend};

    // Arrange: a database as release 0.1 left it (migration 1 only), with a
    // dog and one of its sessions in it.
    let data = std::sync::Arc::new(TestData::create(&options.backend).await);
    let url = match &options.backend {
        woofer_tests::Backend::Sqlite => format!("{}?mode=rwc", data.database_url()),
        _ => data.database_url().to_owned(),
    };
    let backend = Backend::of_url(&url).unwrap();
    sqlx::any::install_default_drivers();
    let old = sqlx::AnyPool::connect(&url).await.unwrap();
    migrator_until(backend, 1).run(&old).await.unwrap();
    let salt = SaltString::generate(&mut OsRng);
    let hash = argon2::Argon2::default()
        .hash_password(b"correct horse", &salt)
        .unwrap()
        .to_string();
    sqlx::query(
        "INSERT INTO users (username, password_hash, created_at) VALUES ('rex', $1, 1795633445)",
    )
    .bind(hash)
    .execute(&old)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) \
         SELECT 'from-release-0.1', id, 1795633445, 4102444800 FROM users",
    )
    .execute(&old)
    .await
    .unwrap();
    old.close().await;

    // Act: today's server starts on it.
    let server = TestServer::start_on(options, data).await;
    let rex = ApiClient::logged_in_with_agent(server.base_url(), "rex", "woofer/0.2").await;
    let sessions = listed(&rex.get("/api/sessions").await);

    // Assert: the dog and its old session are there, the old one with the
    // new fields filled in.
    assert_eq!(sessions.len(), 2, "{sessions:?}");
    let old_session = sessions.iter().find(|s| s["current"] == false).unwrap();
    assert_eq!(old_session["created_at"], "2026-11-25T19:04:05Z");
    assert_eq!(old_session["last_seen_at"], "2026-11-25T19:04:05Z");
    assert_eq!(old_session["user_agent"], serde_json::Value::Null);
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
    assert_eq!(
        whoami_with(&server, &copied).await,
        StatusCode::OK,
        "in use"
    );

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
    // The removal goes out all the same, as the document promises.
    let removal = r.session_set_cookie().expect("a woofer_session cookie");
    assert!(removal.contains("Max-Age=0"), "{removal}");
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
