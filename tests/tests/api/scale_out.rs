//! Several server processes, one PostgreSQL, one secret key: one truth.

use reqwest::StatusCode;
use woofer_tests::server::TestData;
use woofer_tests::trials::Trial;
use woofer_tests::{on_postgres, status_with_cookie, ApiClient, ServerOptions};

use crate::start_server_process;

pub fn trials() -> Vec<Trial> {
    on_postgres![two_instances_on_one_postgres_share_everything]
}

async fn two_instances_on_one_postgres_share_everything(options: ServerOptions) {
    let data = TestData::create(&options.backend).await;
    let databases = format!(
        r#"{{woofer={{url="{}",max_connections=8}}}}"#,
        data.database_url()
    );
    let key = "5f".repeat(32);
    let env = [
        ("ROCKET_DATABASES", databases.as_str()),
        ("ROCKET_SECRET_KEY", key.as_str()),
    ];
    let a = start_server_process(data.dir(), &env);
    let b = start_server_process(data.dir(), &env);
    let rex_on_a = ApiClient::new(a.base_url());

    // Registered through A, logged in on B.
    let registered = rex_on_a.register("rex", "correct horse").await;
    assert_eq!(registered.status, StatusCode::CREATED);
    let copied_cookie = registered.session_cookie().unwrap();
    let rex_on_b = ApiClient::with_jar(b.base_url(), rex_on_a.jar());
    assert_eq!(
        rex_on_b.get("/api/session").await.json()["user"]["username"],
        "rex"
    );

    // A woof posted on one is in the other's feed at once; ids only grow across instances.
    let mut ids = Vec::new();
    for i in 0..10 {
        let on = if i % 2 == 0 { &rex_on_a } else { &rex_on_b };
        ids.push(
            on.post_woof(&format!("woof {i}")).await.json()["woof"]["id"]
                .as_i64()
                .unwrap(),
        );
    }
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
    let feed_b = rex_on_b.get("/api/woofs").await.json();
    let feed_a = rex_on_a.get("/api/woofs").await.json();
    assert_eq!(feed_a, feed_b);
    assert_eq!(feed_b["woofs"][0]["body"], "woof 9");

    // Failed logins counted on both add up.
    let attacker_a = ApiClient::new(a.base_url());
    let attacker_b = ApiClient::new(b.base_url());
    for i in 0..10 {
        let on = if i % 2 == 0 { &attacker_a } else { &attacker_b };
        assert_eq!(
            on.login("rex", "wrong horse").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        attacker_a.login("rex", "correct horse").await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        attacker_b.login("rex", "correct horse").await.status,
        StatusCode::TOO_MANY_REQUESTS
    );

    // Logging out on B ends the session on A (checked with a copy of the cookie).
    assert_eq!(
        status_with_cookie(a.base_url(), "/api/session", &copied_cookie).await,
        StatusCode::OK
    );
    assert_eq!(
        rex_on_b.delete("/api/session").await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        rex_on_a.get("/api/session").await.status,
        StatusCode::UNAUTHORIZED
    );

    drop((a, b));
}
