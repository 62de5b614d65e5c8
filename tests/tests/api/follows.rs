//! Following (API.md: `PUT`/`DELETE /api/users/NAME/follow`, followers and
//! following lists, the profile's counts).

use std::sync::Arc;

use reqwest::StatusCode;
use serde_json::Value;
use woofer_tests::trials::Trial;
use woofer_tests::{on_every_backend, ApiClient, ServerOptions, TestServer};

pub fn trials() -> Vec<Trial> {
    on_every_backend![
        following_shows_in_counts_and_lists,
        follow_refusals_follow_the_contract,
        follow_lists_page_most_recent_first_each_once,
        racing_follows_count_once_and_never_deadlock,
    ]
}

fn names(users: &[Value]) -> Vec<String> {
    users
        .iter()
        .map(|u| u["username"].as_str().unwrap().to_owned())
        .collect()
}

async fn list(dog: &ApiClient, path: &str) -> Vec<String> {
    let r = dog.get(path).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    names(r.json()["users"].as_array().unwrap())
}

async fn following_shows_in_counts_and_lists(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let rex = ApiClient::registered(server.base_url(), "rex").await;
    let fido = ApiClient::registered(server.base_url(), "fido").await;

    let first = rex.put("/api/users/fido/follow").await;
    let again = rex.put("/api/users/FIDO/follow").await;
    let fido_seen_by_rex = rex.get("/api/users/fido").await.json();
    let fido_seen_by_fido = fido.get("/api/users/fido").await.json();
    let rex_profile = fido.get("/api/users/rex").await.json();
    let followers = list(&fido, "/api/users/fido/followers").await;
    let following = list(&fido, "/api/users/rex/following").await;
    let unfollowed = rex.delete("/api/users/fido/follow").await;
    let unfollowed_again = rex.delete("/api/users/fido/follow").await;
    let after = rex.get("/api/users/fido").await.json();

    assert_eq!(first.status, StatusCode::NO_CONTENT, "{}", first.text);
    assert_eq!(again.status, StatusCode::NO_CONTENT, "idempotent");
    assert_eq!(fido_seen_by_rex["follower_count"], 1, "{fido_seen_by_rex}");
    assert_eq!(fido_seen_by_rex["following_count"], 0);
    assert_eq!(fido_seen_by_rex["followed_by_me"], true);
    assert_eq!(fido_seen_by_fido["followed_by_me"], false, "not yourself");
    assert_eq!(rex_profile["following_count"], 1);
    assert_eq!(rex_profile["followed_by_me"], false);
    assert_eq!(followers, ["rex"]);
    assert_eq!(following, ["fido"]);
    assert_eq!(unfollowed.status, StatusCode::NO_CONTENT);
    assert_eq!(
        unfollowed_again.status,
        StatusCode::NO_CONTENT,
        "idempotent"
    );
    assert_eq!(after["follower_count"], 0);
    assert_eq!(after["followed_by_me"], false);
    assert!(list(&fido, "/api/users/fido/followers").await.is_empty());
}

async fn follow_refusals_follow_the_contract(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let rex = ApiClient::registered(server.base_url(), "rex").await;
    let stranger = ApiClient::new(server.base_url());

    let self_follow = rex.put("/api/users/Rex/follow").await;
    let unknown = [
        rex.put("/api/users/nobody/follow").await,
        rex.delete("/api/users/nobody/follow").await,
        rex.get("/api/users/nobody/followers").await,
        rex.get("/api/users/nobody/following").await,
    ];
    let bad_paging = [
        ("/api/users/rex/followers?limit=0", "limit"),
        ("/api/users/rex/followers?limit=101", "limit"),
        ("/api/users/rex/following?before=0", "before"),
        ("/api/users/rex/following?before=x", "before"),
    ];
    let anonymous = stranger.put("/api/users/rex/follow").await;
    let anonymous_list = stranger.get("/api/users/rex/followers").await;

    self_follow.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(self_follow.json()["error"]["field"], "username");
    for r in &unknown {
        r.assert_error(StatusCode::NOT_FOUND, "not_found");
    }
    for (path, field) in bad_paging {
        let r = rex.get(path).await;
        r.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
        assert_eq!(r.json()["error"]["field"], field, "{path}");
    }
    anonymous.assert_error(StatusCode::UNAUTHORIZED, "unauthenticated");
    anonymous_list.assert_error(StatusCode::UNAUTHORIZED, "unauthenticated");
    let profile = rex.get("/api/users/rex").await.json();
    assert_eq!(profile["following_count"], 0, "nothing changed");
}

async fn follow_lists_page_most_recent_first_each_once(options: ServerOptions) {
    let server = TestServer::start(ServerOptions {
        registrations_per_hour: Some(0),
        ..options
    })
    .await;
    let rex = ApiClient::registered(server.base_url(), "rex").await;
    let mut expected = Vec::new();
    for i in 0..13 {
        let name = format!("pup{i:02}");
        let pup = ApiClient::registered(server.base_url(), &name).await;
        assert_eq!(
            pup.put("/api/users/rex/follow").await.status,
            StatusCode::NO_CONTENT
        );
        expected.push(name);
    }
    expected.reverse();

    let mut seen = Vec::new();
    let mut before: Option<i64> = None;
    let mut pages = 0;
    loop {
        let path = match before {
            Some(b) => format!("/api/users/rex/followers?limit=5&before={b}"),
            None => "/api/users/rex/followers?limit=5".to_owned(),
        };
        let page = rex.get(&path).await.json();
        seen.extend(names(page["users"].as_array().unwrap()));
        pages += 1;
        match page["next_before"].as_i64() {
            Some(next) => before = Some(next),
            None => break,
        }
    }

    assert_eq!(seen, expected, "most recent follow first, each once");
    assert_eq!(pages, 3);
}

async fn racing_follows_count_once_and_never_deadlock(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let rex = Arc::new(ApiClient::registered(server.base_url(), "rex").await);
    let fido = Arc::new(ApiClient::registered(server.base_url(), "fido").await);

    // The same follow twenty times at once, and the two dogs following each
    // other at once, over and over.
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..20 {
        let (rex, fido) = (rex.clone(), fido.clone());
        tasks.spawn(async move {
            if i % 2 == 0 {
                rex.put("/api/users/fido/follow").await.status
            } else {
                fido.put("/api/users/rex/follow").await.status
            }
        });
    }
    while let Some(status) = tasks.join_next().await {
        assert_eq!(status.unwrap(), StatusCode::NO_CONTENT);
    }

    for (dog, name) in [(&rex, "fido"), (&fido, "rex")] {
        let profile = dog.get(&format!("/api/users/{name}")).await.json();
        assert_eq!(profile["follower_count"], 1, "{profile}");
        assert_eq!(profile["following_count"], 1, "{profile}");
        assert_eq!(profile["followed_by_me"], true);
    }
}
