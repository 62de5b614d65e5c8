//! The home timeline (API.md: `GET /api/timeline`), and a database of the
//! release before following existed upgrading in place.

use std::sync::Arc;

use reqwest::StatusCode;
use serde_json::Value;
use woofer_tests::server::TestData;
use woofer_tests::trials::Trial;
use woofer_tests::{on_every_backend, ApiClient, ServerOptions, TestServer};

pub fn trials() -> Vec<Trial> {
    on_every_backend![
        home_holds_your_woofs_and_those_you_follow,
        home_pages_visit_each_woof_once,
        a_follow_racing_a_burst_of_posts_misses_none,
        home_refusals_follow_the_contract,
        a_database_from_before_following_upgrades_in_place,
    ]
}

fn bodies(woofs: &[Value]) -> Vec<String> {
    woofs
        .iter()
        .map(|w| w["body"].as_str().unwrap().to_owned())
        .collect()
}

async fn home(dog: &ApiClient) -> Vec<String> {
    bodies(&dog.walk("/api/timeline", 100).await)
}

async fn home_holds_your_woofs_and_those_you_follow(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let rex = ApiClient::registered(server.base_url(), "rex").await;
    let fido = ApiClient::registered(server.base_url(), "fido").await;
    let luna = ApiClient::registered(server.base_url(), "luna").await;
    fido.woof_id("fido 1").await;
    let fido_2 = fido.woof_id("fido 2").await;
    luna.woof_id("luna 1").await;
    rex.woof_id("rex 1").await;

    let alone = home(&rex).await;
    rex.put("/api/users/fido/follow").await;
    let following_fido = home(&rex).await;
    rex.put("/api/users/luna/follow").await;
    luna.woof_id("luna 2").await;
    fido.delete(&format!("/api/woofs/{fido_2}")).await;
    let following_both = home(&rex).await;
    rex.delete("/api/users/fido/follow").await;
    let after_unfollow = home(&rex).await;
    let fido_home = home(&fido).await;

    assert_eq!(alone, ["rex 1"], "a dog who follows nobody sees its own");
    assert_eq!(
        following_fido,
        ["rex 1", "fido 2", "fido 1"],
        "following brings earlier woofs in"
    );
    assert_eq!(
        following_both,
        ["luna 2", "rex 1", "luna 1", "fido 1"],
        "new woofs arrive, deleted ones go"
    );
    assert_eq!(after_unfollow, ["luna 2", "rex 1", "luna 1"]);
    assert_eq!(fido_home, ["fido 1"], "following is one-way");
}

async fn home_pages_visit_each_woof_once(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let rex = ApiClient::registered(server.base_url(), "rex").await;
    let fido = ApiClient::registered(server.base_url(), "fido").await;
    let luna = ApiClient::registered(server.base_url(), "luna").await;
    rex.put("/api/users/fido/follow").await;
    let mut expected = Vec::new();
    for i in 0..23 {
        let dog = [&rex, &fido, &luna][i % 3];
        let id = dog.woof_id(&format!("woof {i}")).await;
        if i % 3 != 2 {
            expected.push(id);
        }
    }
    expected.reverse();

    let walked: Vec<i64> = rex
        .walk("/api/timeline", 4)
        .await
        .iter()
        .map(|w| w["id"].as_i64().unwrap())
        .collect();

    assert_eq!(walked, expected, "newest first, each once, luna's never");
}

/// A follow committed while the followed dog posts: every woof reaches the
/// follower's home, by the push or by the backfill, on either backend.
async fn a_follow_racing_a_burst_of_posts_misses_none(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let rex = Arc::new(ApiClient::registered(server.base_url(), "rex").await);
    let fido = Arc::new(ApiClient::registered(server.base_url(), "fido").await);

    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..60 {
        let fido = fido.clone();
        tasks.spawn(async move { fido.post_woof(&format!("woof {n}")).await.status });
        if n == 20 {
            let rex = rex.clone();
            tasks.spawn(async move { rex.put("/api/users/fido/follow").await.status });
        }
    }
    while let Some(status) = tasks.join_next().await {
        assert!(status.unwrap().is_success());
    }

    assert_eq!(home(&rex).await.len(), 60);
}

async fn home_refusals_follow_the_contract(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let rex = ApiClient::registered(server.base_url(), "rex").await;
    let stranger = ApiClient::new(server.base_url());

    for (query, field) in [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("before=0", "before"),
        ("before=abc", "before"),
    ] {
        let r = rex.get(&format!("/api/timeline?{query}")).await;
        r.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
        assert_eq!(r.json()["error"]["field"], field);
    }
    stranger
        .get("/api/timeline")
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "unauthenticated");
}

async fn a_database_from_before_following_upgrades_in_place(options: ServerOptions) {
    use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
    use woofer_server::db::{migrator_until, Backend};

    // Arrange: a database as the release before following left it
    // (migrations 1 to 3), with two dogs and their woofs.
    let data = Arc::new(TestData::create(&options.backend).await);
    let url = match &options.backend {
        woofer_tests::Backend::Sqlite => format!("{}?mode=rwc", data.database_url()),
        _ => data.database_url().to_owned(),
    };
    sqlx::any::install_default_drivers();
    let old = sqlx::AnyPool::connect(&url).await.unwrap();
    migrator_until(Backend::of_url(&url).unwrap(), 3)
        .run(&old)
        .await
        .unwrap();
    let hash = argon2::Argon2::default()
        .hash_password(b"correct horse", &SaltString::generate(&mut OsRng))
        .unwrap()
        .to_string();
    for (name, woofs) in [
        ("rex", ["rex old 1", "rex old 2"]),
        ("fido", ["fido old 1", "fido old 2"]),
    ] {
        sqlx::query(
            "INSERT INTO users (username, password_hash, created_at) VALUES ($1, $2, 1795633445)",
        )
        .bind(name)
        .bind(&hash)
        .execute(&old)
        .await
        .unwrap();
        for body in woofs {
            sqlx::query(
                "INSERT INTO woofs (author_id, body, created_at) \
                 SELECT id, $2, 1795633445 FROM users WHERE username = $1",
            )
            .bind(name)
            .bind(body)
            .execute(&old)
            .await
            .unwrap();
        }
    }
    old.close().await;

    // Act: today's server starts on it, and the dogs use the new features.
    let server = TestServer::start_on(options, data).await;
    let rex = ApiClient::new(server.base_url());
    assert_eq!(
        rex.login("rex", "correct horse").await.status,
        StatusCode::OK
    );
    let rex_home_before = home(&rex).await;
    let profile = rex.get("/api/users/fido").await.json();
    let feed = rex.get("/api/woofs").await.json();
    rex.put("/api/users/fido/follow").await;
    let oldest = feed["woofs"][3]["id"].as_i64().unwrap();
    rex.put(&format!("/api/woofs/{oldest}/like")).await;
    let reply = rex.reply_id(oldest, "an answer, years later").await;

    // Assert: nothing was lost, and the old woofs take part in everything.
    assert_eq!(rex_home_before, ["rex old 2", "rex old 1"]);
    assert_eq!(profile["woof_count"], 2, "{profile}");
    assert_eq!(profile["follower_count"], 0);
    assert_eq!(bodies(feed["woofs"].as_array().unwrap()).len(), 4);
    for woof in feed["woofs"].as_array().unwrap() {
        assert_eq!(woof["reply_to"], Value::Null);
        assert_eq!(woof["like_count"], 0);
        assert_eq!(woof["reply_count"], 0);
    }
    let liked = rex.woof(oldest).await;
    assert_eq!(liked["like_count"], 1);
    assert_eq!(liked["reply_count"], 1);
    assert_eq!(
        home(&rex).await,
        [
            "an answer, years later",
            "fido old 2",
            "fido old 1",
            "rex old 2",
            "rex old 1"
        ]
    );
    assert_eq!(rex.woof(reply).await["reply_to"], oldest);
}
