//! Replies (API.md: `reply_to` on a new woof, `GET /api/woofs/ID/replies`,
//! `reply_count`).

use reqwest::StatusCode;
use serde_json::{json, Value};
use woofer_tests::trials::Trial;
use woofer_tests::{on_every_backend, ApiClient, ServerOptions, TestServer};

pub fn trials() -> Vec<Trial> {
    on_every_backend![
        replies_are_listed_oldest_first_and_counted,
        replies_page_each_once,
        reply_refusals_follow_the_contract,
        deleting_a_woof_keeps_its_replies,
    ]
}

fn ids(woofs: &Value) -> Vec<i64> {
    woofs
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["id"].as_i64().unwrap())
        .collect()
}

async fn replies_are_listed_oldest_first_and_counted(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let rex = ApiClient::registered(server.base_url(), "rex").await;
    let fido = ApiClient::registered(server.base_url(), "fido").await;
    let parent = rex.woof_id("Who took my ball?").await;

    let posted = fido
        .post_json(
            "/api/woofs",
            &json!({"body": "Not me.", "reply_to": parent}),
        )
        .await;
    let first = posted.json()["woof"]["id"].as_i64().unwrap();
    let second = rex.reply_id(parent, "Then who?").await;
    let nested = rex.reply_id(first, "Suspicious.").await;
    let third = fido.reply_id(parent, "Luna.").await;
    let not_a_reply = fido
        .post_json(
            "/api/woofs",
            &json!({"body": "new topic", "reply_to": null}),
        )
        .await;
    let listed = rex.get(&format!("/api/woofs/{parent}/replies")).await;

    assert_eq!(posted.status, StatusCode::CREATED, "{}", posted.text);
    assert_eq!(posted.json()["woof"]["reply_to"], parent);
    assert_eq!(posted.json()["woof"]["reply_count"], 0);
    assert_eq!(not_a_reply.json()["woof"]["reply_to"], Value::Null);
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.text);
    let page = listed.json();
    assert_eq!(
        ids(&page["woofs"]),
        [first, second, third],
        "direct replies only, oldest first"
    );
    assert!(page["woofs"]
        .as_array()
        .unwrap()
        .iter()
        .all(|w| w["reply_to"] == parent));
    assert_eq!(page["next_after"], Value::Null);
    assert_eq!(rex.woof(parent).await["reply_count"], 3);
    assert_eq!(rex.woof(first).await["reply_count"], 1, "threads are trees");
    assert_eq!(rex.woof(nested).await["reply_to"], first);
}

async fn replies_page_each_once(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let rex = ApiClient::registered(server.base_url(), "rex").await;
    let parent = rex.woof_id("count off").await;
    let mut expected = Vec::new();
    for i in 0..11 {
        expected.push(rex.reply_id(parent, &format!("{i}")).await);
    }

    let mut seen = Vec::new();
    let mut after: Option<i64> = None;
    loop {
        let path = match after {
            Some(a) => format!("/api/woofs/{parent}/replies?limit=4&after={a}"),
            None => format!("/api/woofs/{parent}/replies?limit=4"),
        };
        let page = rex.get(&path).await.json();
        assert!(page["woofs"].as_array().unwrap().len() <= 4);
        seen.extend(ids(&page["woofs"]));
        match page["next_after"].as_i64() {
            Some(next) => after = Some(next),
            None => break,
        }
    }

    assert_eq!(seen, expected);
}

async fn reply_refusals_follow_the_contract(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let rex = ApiClient::registered(server.base_url(), "rex").await;
    let parent = rex.woof_id("parent").await;
    let gone = rex.woof_id("gone").await;
    rex.delete(&format!("/api/woofs/{gone}")).await;
    let malformed = [
        json!(parent.to_string()),
        json!(1.5),
        json!(1.0),
        json!(true),
        json!([parent]),
        json!(u64::MAX),
    ];
    let missing = [json!(0), json!(-1), json!(999_999), json!(gone)];

    for reply_to in &malformed {
        let r = rex
            .post_json("/api/woofs", &json!({"body": "hm", "reply_to": reply_to}))
            .await;
        r.assert_error(StatusCode::BAD_REQUEST, "malformed_request");
    }
    // serde_json cannot write 1e2 as such; send the text as a client would.
    let exponent = rex
        .send(
            rex.request(reqwest::Method::POST, "/api/woofs")
                .header("Content-Type", "application/json")
                .body(r#"{"body": "hm", "reply_to": 1e2}"#),
        )
        .await;
    exponent.assert_error(StatusCode::BAD_REQUEST, "malformed_request");
    for reply_to in &missing {
        let r = rex
            .post_json("/api/woofs", &json!({"body": "hm", "reply_to": reply_to}))
            .await;
        r.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
        assert_eq!(r.json()["error"]["field"], "reply_to", "{reply_to}");
    }
    for path in [
        format!("/api/woofs/{gone}/replies"),
        "/api/woofs/999999/replies".to_owned(),
        "/api/woofs/abc/replies".to_owned(),
    ] {
        rex.get(&path)
            .await
            .assert_error(StatusCode::NOT_FOUND, "not_found");
    }
    for (query, field) in [
        ("after=0", "after"),
        ("after=-2", "after"),
        ("after=x", "after"),
        ("limit=0", "limit"),
        ("limit=101", "limit"),
    ] {
        let r = rex
            .get(&format!("/api/woofs/{parent}/replies?{query}"))
            .await;
        r.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
        assert_eq!(r.json()["error"]["field"], field, "{query}");
    }
    let feed = rex.get("/api/woofs").await.json();
    assert_eq!(ids(&feed["woofs"]), [parent], "no refused woof was stored");
    assert_eq!(rex.woof(parent).await["reply_count"], 0);
}

async fn deleting_a_woof_keeps_its_replies(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let rex = ApiClient::registered(server.base_url(), "rex").await;
    let fido = ApiClient::registered(server.base_url(), "fido").await;
    let parent = rex.woof_id("parent").await;
    let kept = fido.reply_id(parent, "I stay").await;
    let removed = fido.reply_id(parent, "I go").await;

    fido.delete(&format!("/api/woofs/{removed}")).await;
    let count_after_reply_deleted = rex.woof(parent).await["reply_count"].clone();
    rex.delete(&format!("/api/woofs/{parent}")).await;
    let feed = fido.get("/api/woofs").await.json();
    let listed = fido.get(&format!("/api/woofs/{parent}/replies")).await;

    assert_eq!(count_after_reply_deleted, 1);
    assert_eq!(ids(&feed["woofs"]), [kept]);
    assert_eq!(
        feed["woofs"][0]["reply_to"], parent,
        "still names its parent"
    );
    listed.assert_error(StatusCode::NOT_FOUND, "not_found");
}
