//! The live stream, `GET /api/stream` (API.md): woofs and deletions as
//! they happen, the replay after a reconnect, the end of a stream with its
//! session, and several instances on one PostgreSQL.

use std::sync::Arc;
use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use woofer_tests::trials::Trial;
use woofer_tests::{
    on_every_backend, on_postgres, ApiClient, EventStream, ServerOptions, Sse, TestServer,
};

pub fn trials() -> Vec<Trial> {
    let mut trials = on_every_backend![
        a_listener_receives_new_woofs_replies_included_and_deletions,
        a_quiet_stream_pings_within_15_seconds,
        a_reconnect_gets_exactly_the_missed_woofs_oldest_first,
        a_reconnect_after_more_than_100_woofs_gets_reload,
        an_id_that_is_no_woof_id_is_ignored,
        the_stream_ends_on_logout,
        the_stream_ends_when_its_session_is_ended_from_another_terminal,
        the_stream_ends_on_a_password_change_elsewhere,
        the_stream_ends_when_the_account_is_deleted,
        a_deleted_account_s_woofs_are_deleted_from_other_streams,
        the_stream_ends_when_its_session_expires,
        shutdown_ends_the_stream,
        no_session_gets_401_json,
    ];
    // On PostgreSQL woofs may commit out of id order (docs/stream.md).
    trials.push(woofer_tests::trials::on_sqlite(
        &woofer_tests::trials::name(
            module_path!(),
            "a_burst_of_woofs_reaches_a_listener_in_id_order",
        ),
        a_burst_of_woofs_reaches_a_listener_in_id_order,
    ));
    trials.extend(on_postgres![
        two_instances_deliver_each_others_woofs,
        a_killed_listening_connection_loses_nothing,
    ]);
    trials
}

/// Generous for a live event: the contract says within a second.
const SOON: Duration = Duration::from_secs(5);
/// The contract's bound on a stream outliving its session.
const SESSION_END_BOUND: Duration = Duration::from_secs(15);

async fn posted(client: &ApiClient, body: &str) -> Value {
    let r = client.post_woof(body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.json()["woof"].clone()
}

fn id_of(woof: &Value) -> i64 {
    woof["id"].as_i64().expect("a woof id")
}

/// Woofs posted at once by eight dogs come to a listener in id order, so
/// the last id a client got (its `Last-Event-ID`) covers every woof before
/// it: none is skipped by a reconnect.
async fn a_burst_of_woofs_reaches_a_listener_in_id_order(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let rex = ApiClient::registered(server.base_url(), "rex").await;
    let mut posters = Vec::new();
    for i in 0..8 {
        posters.push(ApiClient::registered(server.base_url(), &format!("pup{i}")).await);
    }
    let mut stream = EventStream::opened(&rex, None).await;

    let posting: Vec<_> = posters
        .into_iter()
        .map(|pup| {
            tokio::spawn(async move {
                for n in 0..25 {
                    posted(&pup, &format!("woof {n}")).await;
                }
            })
        })
        .collect();
    for pup in posting {
        pup.await.unwrap();
    }
    let mut ids = Vec::new();
    for _ in 0..200 {
        let event = stream.next_event(SOON).await;
        assert_eq!(event.event, "woof");
        ids.push(event.id.expect("an id").parse::<i64>().unwrap());
    }

    let mut in_order = ids.clone();
    in_order.sort_unstable();
    in_order.dedup();
    assert_eq!(ids, in_order, "200 woofs, each once, in id order");
}

async fn a_listener_receives_new_woofs_replies_included_and_deletions(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let rex = ApiClient::registered(server.base_url(), "rex").await;
    let fido = ApiClient::registered(server.base_url(), "fido").await;
    let mut stream = EventStream::opened(&rex, None).await;

    let woof = posted(&fido, "Squirrel!!").await;
    let arrived = stream.next_event(SOON).await;
    let reply = rex
        .post_json(
            "/api/woofs",
            &json!({"body": "Where?", "reply_to": id_of(&woof)}),
        )
        .await
        .json()["woof"]
        .clone();
    let reply_arrived = stream.next_event(SOON).await;
    let deleted = fido.delete(&format!("/api/woofs/{}", id_of(&woof))).await;
    let gone = stream.next_event(SOON).await;

    assert_eq!(arrived.event, "woof");
    assert_eq!(arrived.id, Some(id_of(&woof).to_string()));
    assert_eq!(arrived.json(), woof, "every field of the stored woof");
    assert_eq!(reply["reply_to"], woof["id"]);
    assert_eq!(reply_arrived.json(), reply, "replies are woofs too");
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    assert_eq!(gone.event, "delete");
    assert_eq!(gone.id, None);
    assert_eq!(gone.json(), json!({ "id": id_of(&woof) }));
}

async fn a_quiet_stream_pings_within_15_seconds(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let rex = ApiClient::registered(server.base_url(), "rex").await;
    let mut stream = EventStream::opened(&rex, None).await;

    let first = stream.next(Duration::from_secs(15)).await;

    assert_eq!(first, Sse::Comment("ping".into()));
}

async fn a_reconnect_gets_exactly_the_missed_woofs_oldest_first(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let rex = ApiClient::registered(server.base_url(), "rex").await;
    let seen = posted(&rex, "seen before the drop").await;
    let mut missed = Vec::new();
    for i in 0..5 {
        missed.push(posted(&rex, &format!("missed {i}")).await);
    }

    let last_event_id = id_of(&seen).to_string();
    let mut stream = EventStream::opened(&rex, Some(&last_event_id)).await;
    let mut replayed = Vec::new();
    for _ in 0..missed.len() {
        replayed.push(stream.next_event(SOON).await);
    }
    let live = posted(&rex, "live after the replay").await;
    let next = stream.next_event(SOON).await;

    let replayed_woofs: Vec<Value> = replayed.iter().map(|e| e.json()).collect();
    assert_eq!(
        replayed_woofs, missed,
        "exactly the missed woofs, oldest first"
    );
    assert!(replayed.iter().all(|e| e.event == "woof"));
    let ids: Vec<_> = replayed.iter().map(|e| e.id.clone().unwrap()).collect();
    let missed_ids: Vec<_> = missed.iter().map(|w| id_of(w).to_string()).collect();
    assert_eq!(ids, missed_ids);
    assert_eq!(next.json(), live, "then live, with no woof twice");
    stream.assert_no_event(Duration::from_secs(1)).await;
}

async fn a_reconnect_after_more_than_100_woofs_gets_reload(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let rex = ApiClient::registered(server.base_url(), "rex").await;
    let seen = posted(&rex, "seen before the drop").await;
    for i in 0..101 {
        posted(&rex, &format!("missed {i}")).await;
    }

    let last_event_id = id_of(&seen).to_string();
    let mut stream = EventStream::opened(&rex, Some(&last_event_id)).await;
    let first = stream.next_event(SOON).await;
    let live = posted(&rex, "after the reload").await;
    let next = stream.next_event(SOON).await;

    assert_eq!(first.event, "reload");
    assert_eq!(first.id, None);
    assert_eq!(first.json(), json!({}));
    assert_eq!(next.json(), live);
}

async fn an_id_that_is_no_woof_id_is_ignored(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let rex = ApiClient::registered(server.base_url(), "rex").await;
    posted(&rex, "already there").await;

    let mut stream = EventStream::opened(&rex, Some("not-an-id")).await;
    let live = posted(&rex, "new").await;
    let first = stream.next_event(SOON).await;

    assert_eq!(
        first.json(),
        live,
        "no replay, as if no Last-Event-ID was sent"
    );
}

/// Asserts that `stream` ends within the contract's bound, with nothing
/// but comment lines on the way.
async fn assert_ends(stream: &mut EventStream) {
    // A little over the bound: the test's own requests take time too.
    match stream.end(SESSION_END_BOUND + Duration::from_secs(2)).await {
        Ok(_comments) => {}
        Err(other) => panic!("the stream should have ended, got {other:?}"),
    }
}

async fn the_stream_ends_on_logout(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let rex = ApiClient::registered(server.base_url(), "rex").await;
    let mut stream = EventStream::opened(&rex, None).await;

    assert_eq!(
        rex.delete("/api/session").await.status,
        StatusCode::NO_CONTENT
    );

    assert_ends(&mut stream).await;
}

async fn the_stream_ends_when_its_session_is_ended_from_another_terminal(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let laptop = ApiClient::registered(server.base_url(), "rex").await;
    let phone = ApiClient::logged_in_with_agent(server.base_url(), "rex", "phone").await;
    let laptop_session = laptop.session_id_where("current", true).await;
    let mut laptop_stream = EventStream::opened(&laptop, None).await;
    let mut phone_stream = EventStream::opened(&phone, None).await;

    let ended = phone
        .delete(&format!("/api/sessions/{laptop_session}"))
        .await;

    assert_eq!(ended.status, StatusCode::NO_CONTENT);
    assert_ends(&mut laptop_stream).await;
    let woof = posted(&phone, "still listening here").await;
    assert_eq!(phone_stream.next_event(SOON).await.json(), woof);
}

async fn the_stream_ends_on_a_password_change_elsewhere(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let laptop = ApiClient::registered(server.base_url(), "rex").await;
    let phone = ApiClient::logged_in_with_agent(server.base_url(), "rex", "phone").await;
    let mut laptop_stream = EventStream::opened(&laptop, None).await;

    let changed =
        phone
            .send(phone.request(Method::PUT, "/api/account/password").json(
                &json!({"current_password": "correct horse", "new_password": "battery staple"}),
            ))
            .await;

    assert_eq!(changed.status, StatusCode::NO_CONTENT, "{}", changed.text);
    assert_ends(&mut laptop_stream).await;
}

async fn the_stream_ends_when_the_account_is_deleted(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let rex = ApiClient::registered(server.base_url(), "rex").await;
    let mut stream = EventStream::opened(&rex, None).await;

    let deleted = rex
        .send(
            rex.request(Method::DELETE, "/api/account")
                .json(&json!({ "password": "correct horse" })),
        )
        .await;

    assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{}", deleted.text);
    assert_ends(&mut stream).await;
}

async fn a_deleted_account_s_woofs_are_deleted_from_other_streams(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let rex = ApiClient::registered(server.base_url(), "rex").await;
    let fido = ApiClient::registered(server.base_url(), "fido").await;
    let mut ids = Vec::new();
    for body in ["Squirrel!", "Another squirrel!", "Ball?"] {
        ids.push(id_of(&posted(&fido, body).await));
    }
    let mut stream = EventStream::opened(&rex, None).await;

    let deleted = fido
        .send(
            fido.request(Method::DELETE, "/api/account")
                .json(&json!({ "password": "correct horse" })),
        )
        .await;
    let mut gone = Vec::new();
    for _ in &ids {
        gone.push(stream.next_event(SOON).await);
    }
    let still_live = posted(&rex, "Where did fido go?").await;
    let after = stream.next_event(SOON).await;

    assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{}", deleted.text);
    let expected: Vec<_> = ids
        .iter()
        .rev()
        .map(|id| ("delete".to_owned(), json!({ "id": id })))
        .collect();
    let got: Vec<_> = gone.iter().map(|e| (e.event.clone(), e.json())).collect();
    assert_eq!(got, expected, "each of its woofs, newest first");
    assert_eq!(after.event, "woof", "the other dog's stream goes on");
    assert_eq!(after.json(), still_live);
}

async fn the_stream_ends_when_its_session_expires(options: ServerOptions) {
    let server = TestServer::start(ServerOptions {
        session_lifetime: 3,
        ..options
    })
    .await;
    let rex = ApiClient::registered(server.base_url(), "rex").await;
    let mut stream = EventStream::opened(&rex, None).await;

    // The session's 3 s, then the contract's bound.
    match stream
        .end(Duration::from_secs(3) + SESSION_END_BOUND + Duration::from_secs(2))
        .await
    {
        Ok(_) => {}
        Err(other) => panic!("the stream should have ended, got {other:?}"),
    }
}

async fn shutdown_ends_the_stream(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let rex = ApiClient::registered(server.base_url(), "rex").await;
    let mut stream = EventStream::opened(&rex, None).await;

    let stopping = tokio::spawn(server.stop());

    match stream.end(Duration::from_secs(5)).await {
        Ok(_) => {}
        Err(other) => panic!("the stream should have ended, got {other:?}"),
    }
    let _ = stopping.await;
}

async fn no_session_gets_401_json(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let stranger = ApiClient::new(server.base_url());

    let refused = EventStream::open(&stranger, Some("1")).await;

    match refused {
        Err(r) => r.assert_error(StatusCode::UNAUTHORIZED, "unauthenticated"),
        Ok(_) => panic!("a stream without a session"),
    }
}

/// A second server on the first's PostgreSQL database and secret key.
async fn second_instance(first: &TestServer, options: &ServerOptions) -> TestServer {
    TestServer::start_on(options.clone(), first.data()).await
}

async fn two_instances_deliver_each_others_woofs(mut options: ServerOptions) {
    options.secret_key = Some("6a".repeat(32));
    let a = TestServer::start(options.clone()).await;
    let b = second_instance(&a, &options).await;
    let rex_on_a = ApiClient::registered(a.base_url(), "rex").await;
    let rex_on_b = ApiClient::with_jar(b.base_url(), rex_on_a.jar());
    let mut listening_on_a = EventStream::opened(&rex_on_a, None).await;
    let mut listening_on_b = EventStream::opened(&rex_on_b, None).await;

    let from_a = posted(&rex_on_a, "posted through A").await;
    let from_b = posted(&rex_on_b, "posted through B").await;
    let deleted = rex_on_b
        .delete(&format!("/api/woofs/{}", id_of(&from_a)))
        .await;

    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    for stream in [&mut listening_on_a, &mut listening_on_b] {
        assert_eq!(stream.next_event(SOON).await.json(), from_a);
        assert_eq!(stream.next_event(SOON).await.json(), from_b);
        let gone = stream.next_event(SOON).await;
        assert_eq!(
            (gone.event.as_str(), gone.json()),
            ("delete", json!({"id": id_of(&from_a)}))
        );
    }

    // Logging out through A ends the stream on B.
    assert_eq!(
        rex_on_a.delete("/api/session").await.status,
        StatusCode::NO_CONTENT
    );
    assert_ends(&mut listening_on_b).await;
}

/// Terminates the server's listening connection from PostgreSQL's side;
/// how many were terminated.
async fn terminate_listening_connections(database_url: &str) -> i64 {
    use sqlx::Connection;
    let mut admin = sqlx::PgConnection::connect(database_url)
        .await
        .expect("connect to the test database");
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity \
         WHERE datname = current_database() AND application_name = 'woofer-stream'",
    )
    .fetch_one(&mut admin)
    .await
    .expect("terminate the listening connection");
    n
}

async fn a_killed_listening_connection_loses_nothing(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let rex = ApiClient::registered(server.base_url(), "rex").await;
    let mut stream = EventStream::opened(&rex, None).await;
    let before = posted(&rex, "before the cut").await;
    assert_eq!(stream.next_event(SOON).await.json(), before);
    let data: Arc<_> = server.data();

    let terminated = terminate_listening_connections(data.database_url()).await;
    let mut during = Vec::new();
    for i in 0..3 {
        during.push(posted(&rex, &format!("while reconnecting {i}")).await);
    }
    let mut arrived = Vec::new();
    for _ in 0..during.len() {
        arrived.push(stream.next_event(SOON).await.json());
    }
    let after = posted(&rex, "after the reconnect").await;

    assert_eq!(terminated, 1, "one listening connection per instance");
    arrived.sort_by_key(id_of);
    assert_eq!(arrived, during, "nothing lost, nothing twice");
    assert_eq!(stream.next_event(SOON).await.json(), after);
    stream.assert_no_event(Duration::from_secs(1)).await;
}
