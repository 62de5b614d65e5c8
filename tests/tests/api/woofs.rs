//! Woofs and the feed (API.md: woofs, users' timelines, rules on values).

use std::collections::HashSet;

use reqwest::StatusCode;
use serde_json::Value;
use woofer_tests::trials::Trial;
use woofer_tests::{on_every_backend, ApiClient, ServerOptions, TestServer};

pub fn trials() -> Vec<Trial> {
    let mut trials = on_every_backend![
        post_read_and_delete_own_woof,
        other_dogs_woofs_cannot_be_deleted,
        missing_woofs_are_not_found,
        hostile_bodies_are_refused_and_never_stored,
        bodies_are_trimmed_and_counted_in_graphemes,
        sql_looking_text_is_stored_literally,
        paging_visits_each_woof_exactly_once,
        timeline_holds_only_that_dogs_woofs,
        bad_paging_parameters_name_the_field,
        ids_only_grow_even_after_deletes,
        hundreds_of_concurrent_posts_are_all_stored,
    ];
    // SQLite's write-ahead log is a file beside the database.
    trials.push(woofer_tests::trials::on_sqlite(
        &woofer_tests::trials::name(module_path!(), "a_stream_of_posts_keeps_sqlites_log_short"),
        a_stream_of_posts_keeps_sqlites_log_short,
    ));
    trials
}

fn ids(woofs: &[Value]) -> Vec<i64> {
    woofs.iter().map(|w| w["id"].as_i64().unwrap()).collect()
}

async fn post_read_and_delete_own_woof(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let rex = ApiClient::registered(server.base_url(), "rex").await;

    let posted = rex.post_woof("Squirrel!!").await;
    let woof = posted.json()["woof"].clone();
    let location = posted.header("location").expect("Location header");
    let read = rex.get(&location).await;
    let feed = rex.get("/api/woofs").await;
    let deleted = rex.delete(&location).await;
    let after = rex.get(&location).await;

    assert_eq!(posted.status, StatusCode::CREATED, "{}", posted.text);
    assert_eq!(woof["author"], "rex");
    assert_eq!(woof["body"], "Squirrel!!");
    assert!(woof["created_at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(location, format!("/api/woofs/{}", woof["id"]));
    assert_eq!(read.json()["woof"], woof);
    assert_eq!(feed.json()["woofs"][0], woof);
    assert_eq!(feed.json()["next_before"], Value::Null);
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    assert_eq!(after.status, StatusCode::NOT_FOUND);
    assert_eq!(after.error_code(), "not_found");
}

async fn other_dogs_woofs_cannot_be_deleted(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let rex = ApiClient::registered(server.base_url(), "rex").await;
    let fido = ApiClient::registered(server.base_url(), "fido").await;
    let location = rex.post_woof("mine").await.header("location").unwrap();

    let r = fido.delete(&location).await;

    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.error_code(), "forbidden");
    assert_eq!(
        fido.get(&location).await.status,
        StatusCode::OK,
        "still there"
    );
}

async fn missing_woofs_are_not_found(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let rex = ApiClient::registered(server.base_url(), "rex").await;
    rex.post_woof("the first woof, id 1").await;

    for path in [
        "/api/woofs/999999",
        "/api/woofs/0",
        "/api/woofs/-3",
        "/api/woofs/abc",
        "/api/woofs/99999999999999999999",
        // Woof 1 exists, but only `1` names it.
        "/api/woofs/+1",
        "/api/woofs/01",
        "/api/woofs/1.0",
    ] {
        let read = rex.get(path).await;
        let delete = rex.delete(path).await;
        assert_eq!(read.status, StatusCode::NOT_FOUND, "GET {path}");
        assert_eq!(read.error_code(), "not_found");
        assert_eq!(delete.status, StatusCode::NOT_FOUND, "DELETE {path}");
    }
}

async fn hostile_bodies_are_refused_and_never_stored(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let rex = ApiClient::registered(server.base_url(), "rex").await;
    let hostile = [
        "\x1b[2J\x1b[Hcleared",
        "\x1b]0;pwned\x07title",
        "tab\there",
        "carriage\rreturn",
        "nul\0byte",
        "del\x7f",
        "c1 \u{9b}31m",
        "bidi \u{202E}txet",
        "isolate \u{2066}x\u{2069}",
        "trailing tab\t",
        "",
        "   \n  ",
    ];

    for body in hostile {
        let r = rex.post_woof(body).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body:?}: {}",
            r.text
        );
        assert_eq!(r.error_code(), "validation_failed");
        assert_eq!(r.json()["error"]["field"], "body");
    }
    let too_long = rex.post_woof(&"🐕".repeat(281)).await;

    assert_eq!(too_long.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        too_long.json()["error"]["message"],
        "a woof may hold at most 280 characters"
    );
    assert!(
        rex.walk("/api/woofs", 100).await.is_empty(),
        "nothing stored"
    );
}

async fn bodies_are_trimmed_and_counted_in_graphemes(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let rex = ApiClient::registered(server.base_url(), "rex").await;
    let family = "👨‍👩‍👧‍👦".repeat(280);
    let accents = "e\u{301}".repeat(280);
    let dogs = "🐕".repeat(280);

    for body in [&family, &accents, &dogs] {
        let r = rex.post_woof(body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        assert_eq!(r.json()["woof"]["body"], body.as_str());
    }
    let trimmed = rex.post_woof("  \n line one\nline two \u{3000}").await;

    assert_eq!(trimmed.json()["woof"]["body"], "line one\nline two");
}

async fn sql_looking_text_is_stored_literally(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let rex = ApiClient::registered(server.base_url(), "rex").await;
    let body = "Robert'); DROP TABLE woofs;-- \" OR 1=1 $1 ? %s";

    let posted = rex.post_woof(body).await;
    let read = rex.get(&posted.header("location").unwrap()).await;

    assert_eq!(read.json()["woof"]["body"], body);
    assert_eq!(
        rex.get("/api/woofs").await.json()["woofs"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

async fn paging_visits_each_woof_exactly_once(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let rex = ApiClient::registered(server.base_url(), "rex").await;
    let fido = ApiClient::registered(server.base_url(), "fido").await;
    let mut posted = Vec::new();
    for i in 0..47 {
        let dog = if i % 3 == 0 { &fido } else { &rex };
        posted.push(
            dog.post_woof(&format!("woof {i}")).await.json()["woof"]["id"]
                .as_i64()
                .unwrap(),
        );
    }

    let default_page = rex.get("/api/woofs").await.json();
    let visited = ids(&rex.walk("/api/woofs", 10).await);

    assert_eq!(
        default_page["woofs"].as_array().unwrap().len(),
        20,
        "limit defaults to 20"
    );
    let mut expected = posted.clone();
    expected.reverse();
    assert_eq!(visited, expected, "newest first, each once");
    assert_eq!(visited.iter().collect::<HashSet<_>>().len(), 47);
    let last_page = rex.get("/api/woofs?limit=7").await.json();
    assert_eq!(last_page["next_before"], last_page["woofs"][6]["id"]);
}

async fn timeline_holds_only_that_dogs_woofs(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let rex = ApiClient::registered(server.base_url(), "rex").await;
    let fido = ApiClient::registered(server.base_url(), "fido").await;
    for i in 0..25 {
        rex.post_woof(&format!("rex {i}")).await;
        if i % 2 == 0 {
            fido.post_woof(&format!("fido {i}")).await;
        }
    }

    let timeline = rex.walk("/api/users/FIDO/woofs", 4).await;
    let missing = rex.get("/api/users/nobody/woofs").await;

    assert_eq!(timeline.len(), 13);
    assert!(timeline.iter().all(|w| w["author"] == "fido"));
    let got = ids(&timeline);
    assert!(got.windows(2).all(|w| w[0] > w[1]), "newest first: {got:?}");
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.error_code(), "not_found");
}

async fn bad_paging_parameters_name_the_field(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let rex = ApiClient::registered(server.base_url(), "rex").await;

    for (query, field) in [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=ten", "limit"),
        ("limit=-1", "limit"),
        ("before=0", "before"),
        ("before=abc", "before"),
        ("before=99999999999999999999999", "before"),
        // One spelling per number, each field once: Rocket alone read a
        // repeated or undecodable field as absent, the default page.
        ("limit=+5", "limit"),
        ("limit=05", "limit"),
        ("limit=", "limit"),
        ("limit=%FF", "limit"),
        ("limit=5&limit=7", "limit"),
        ("limit=null&limit=null", "limit"),
        ("before=+5", "before"),
        ("before=5&before=5", "before"),
    ] {
        for path in ["/api/woofs", "/api/users/rex/woofs"] {
            let r = rex.get(&format!("{path}?{query}")).await;
            assert_eq!(
                r.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{path}?{query}: {}",
                r.text
            );
            assert_eq!(r.json()["error"]["field"], field);
        }
    }
    assert_eq!(
        rex.get("/api/woofs?limit=100&before=5&unknown=1")
            .await
            .status,
        StatusCode::OK
    );
}

async fn ids_only_grow_even_after_deletes(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let rex = ApiClient::registered(server.base_url(), "rex").await;
    let first = rex.post_woof("first").await.json()["woof"]["id"]
        .as_i64()
        .unwrap();
    let newest = rex.post_woof("second").await;
    rex.delete(&newest.header("location").unwrap()).await;

    let next = rex.post_woof("third").await.json()["woof"]["id"]
        .as_i64()
        .unwrap();

    assert!(next > newest.json()["woof"]["id"].as_i64().unwrap());
    assert!(next > first);
}

async fn hundreds_of_concurrent_posts_are_all_stored(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let mut dogs = Vec::new();
    for i in 0..8 {
        dogs.push(std::sync::Arc::new(
            ApiClient::registered(server.base_url(), &format!("dog{i}")).await,
        ));
    }
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..400 {
        let dog = dogs[n % dogs.len()].clone();
        tasks.spawn(async move { dog.post_woof(&format!("woof number {n}")).await.status });
    }

    let mut created = 0;
    while let Some(status) = tasks.join_next().await {
        assert_eq!(status.unwrap(), StatusCode::CREATED);
        created += 1;
    }

    let stored = dogs[0].walk("/api/woofs", 100).await;
    assert_eq!(created, 400);
    assert_eq!(stored.len(), 400, "every acknowledged woof is stored");
    let bodies: HashSet<_> = stored
        .iter()
        .map(|w| w["body"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(bodies.len(), 400);
}

/// The server checkpoints SQLite's log every 250 pages (1 MiB), not at
/// SQLite's 1,000: a quarter of the stall each time (docs/benchmarks.md,
/// "The write tail, taken apart"), and the log file beside the database stays
/// small however many woofs stream in.
async fn a_stream_of_posts_keeps_sqlites_log_short(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let data = server.data();
    let database = data
        .database_url()
        .strip_prefix("sqlite://")
        .expect("a SQLite database file");
    let log = format!("{database}-wal");
    let mut dogs = Vec::new();
    for i in 0..8 {
        dogs.push(std::sync::Arc::new(
            ApiClient::registered(server.base_url(), &format!("dog{i}")).await,
        ));
    }

    // Eight dogs at once, so the server stores them in groups, as it does
    // under load: each group commit adds a few pages to the log.
    let mut tasks = tokio::task::JoinSet::new();
    for dog in &dogs {
        let dog = dog.clone();
        tasks.spawn(async move {
            for n in 0..400 {
                let posted = dog
                    .post_woof(&format!("woof {n} of a long day, {}", "a".repeat(200)))
                    .await;
                assert_eq!(posted.status, StatusCode::CREATED, "{}", posted.text);
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.unwrap();
    }
    let log_bytes = std::fs::metadata(&log)
        .expect("the log file beside the database while the server runs")
        .len();

    // At SQLite's default the log reaches 1,000 pages of 4 KiB before its
    // first checkpoint (4.3 MB in this test, measured); at 250 it measured
    // 1.4–1.8 MB, a commit or two past the mark.
    assert!(
        log_bytes < 3 << 20,
        "the log is {log_bytes} bytes after 3,200 woofs; checkpoints every 250 pages keep it under 3 MiB"
    );
}
