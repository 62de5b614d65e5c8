//! Likes (API.md: `PUT`/`DELETE /api/woofs/ID/like`, `like_count` and
//! `liked_by_me` on every woof).

use std::sync::Arc;

use reqwest::StatusCode;
use woofer_tests::trials::Trial;
use woofer_tests::{on_every_backend, ApiClient, ServerOptions, TestServer};

pub fn trials() -> Vec<Trial> {
    on_every_backend![
        a_like_shows_wherever_the_woof_does,
        like_refusals_follow_the_contract,
        a_hundred_dogs_liking_at_once_count_a_hundred,
        one_dog_liking_many_times_at_once_counts_once,
    ]
}

async fn a_like_shows_wherever_the_woof_does(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let rex = ApiClient::registered(server.base_url(), "rex").await;
    let fido = ApiClient::registered(server.base_url(), "fido").await;
    let id = rex.woof_id("Squirrel!!").await;
    let like = format!("/api/woofs/{id}/like");
    fido.put("/api/users/rex/follow").await;

    let liked = fido.put(&like).await;
    let liked_again = fido.put(&like).await;
    let own = rex.put(&like).await;
    let as_fido = [
        fido.woof(id).await,
        fido.get("/api/woofs").await.json()["woofs"][0].clone(),
        fido.get("/api/timeline").await.json()["woofs"][0].clone(),
        fido.get("/api/users/rex/woofs").await.json()["woofs"][0].clone(),
    ];
    let as_luna = {
        let luna = ApiClient::registered(server.base_url(), "luna").await;
        luna.woof(id).await
    };
    let unliked = fido.delete(&like).await;
    let unliked_again = fido.delete(&like).await;
    let after = fido.woof(id).await;

    assert_eq!(liked.status, StatusCode::NO_CONTENT, "{}", liked.text);
    assert_eq!(liked_again.status, StatusCode::NO_CONTENT, "idempotent");
    assert_eq!(own.status, StatusCode::NO_CONTENT, "a dog may like its own");
    for woof in &as_fido {
        assert_eq!(woof["id"], id);
        assert_eq!(woof["like_count"], 2, "{woof}");
        assert_eq!(woof["liked_by_me"], true, "{woof}");
    }
    assert_eq!(as_luna["like_count"], 2);
    assert_eq!(as_luna["liked_by_me"], false, "liked_by_me is per dog");
    assert_eq!(unliked.status, StatusCode::NO_CONTENT);
    assert_eq!(unliked_again.status, StatusCode::NO_CONTENT, "idempotent");
    assert_eq!(after["like_count"], 1);
    assert_eq!(after["liked_by_me"], false);
}

async fn like_refusals_follow_the_contract(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let rex = ApiClient::registered(server.base_url(), "rex").await;
    let id = rex.woof_id("soon gone").await;
    rex.delete(&format!("/api/woofs/{id}")).await;
    let stranger = ApiClient::new(server.base_url());
    let alive = rex.woof_id("here").await;

    for path in [
        format!("/api/woofs/{id}/like"),
        "/api/woofs/999999/like".to_owned(),
        "/api/woofs/abc/like".to_owned(),
    ] {
        rex.put(&path)
            .await
            .assert_error(StatusCode::NOT_FOUND, "not_found");
        rex.delete(&path)
            .await
            .assert_error(StatusCode::NOT_FOUND, "not_found");
    }
    stranger
        .put(&format!("/api/woofs/{alive}/like"))
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "unauthenticated");
    assert_eq!(rex.woof(alive).await["like_count"], 0, "nothing counted");
}

async fn a_hundred_dogs_liking_at_once_count_a_hundred(options: ServerOptions) {
    let server = TestServer::start(ServerOptions {
        registrations_per_hour: Some(0),
        ..options
    })
    .await;
    let rex = ApiClient::registered(server.base_url(), "rex").await;
    let id = rex.woof_id("like me").await;
    let mut dogs = Vec::new();
    for i in 0..100 {
        dogs.push(ApiClient::registered(server.base_url(), &format!("dog{i:03}")).await);
    }

    let mut tasks = tokio::task::JoinSet::new();
    for dog in dogs {
        tasks.spawn(async move { dog.put(&format!("/api/woofs/{id}/like")).await.status });
    }
    while let Some(status) = tasks.join_next().await {
        assert_eq!(status.unwrap(), StatusCode::NO_CONTENT);
    }

    assert_eq!(rex.woof(id).await["like_count"], 100);
}

async fn one_dog_liking_many_times_at_once_counts_once(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let rex = Arc::new(ApiClient::registered(server.base_url(), "rex").await);
    let id = rex.woof_id("like me once").await;

    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..30 {
        let rex = rex.clone();
        tasks.spawn(async move { rex.put(&format!("/api/woofs/{id}/like")).await.status });
    }
    while let Some(status) = tasks.join_next().await {
        assert_eq!(status.unwrap(), StatusCode::NO_CONTENT);
    }

    let woof = rex.woof(id).await;
    assert_eq!(woof["like_count"], 1);
    assert_eq!(woof["liked_by_me"], true);
}
