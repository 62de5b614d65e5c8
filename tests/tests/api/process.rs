//! The real server binary as a process: zero set-up start, a kept secret
//! key, clear start-up failures, and crash safety under SIGKILL.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use reqwest::StatusCode;
use woofer_tests::trials::Trial;
use woofer_tests::{async_tests, sync_tests, ApiClient, ServerProcess};

use crate::{start_server_process as start, SERVER};

pub fn trials() -> Vec<Trial> {
    [
        async_tests![
            release_profile_starts_with_zero_setup_and_keeps_its_key,
            acknowledged_woofs_survive_sigkill,
        ],
        sync_tests![
            configured_secret_key_is_used_and_no_file_is_made,
            unreachable_or_unknown_database_is_a_one_line_error,
        ],
    ]
    .into_iter()
    .flatten()
    .collect()
}

async fn release_profile_starts_with_zero_setup_and_keeps_its_key() {
    let dir = tempfile::tempdir().unwrap();
    let release = [("ROCKET_PROFILE", "release")];

    let first = start(dir.path(), &release);
    let client = ApiClient::new(first.base_url());
    let registered = client.register("rex", "correct horse").await;
    let cookie = registered.session_cookie().expect("a session cookie");
    let key_file = dir.path().join("data/secret.key");
    let key = std::fs::read_to_string(&key_file).expect("a key file beside the database");
    let first_output = first.kill();

    let second = start(dir.path(), &release);
    let moved = ApiClient::with_jar(second.base_url(), client.jar());
    let me = moved.get("/api/session").await;
    let second_output = second.kill();

    assert_eq!(registered.status, StatusCode::CREATED);
    assert!(dir.path().join("data/woofer.db").exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key_file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "key file mode {mode:o}");
    }
    assert_eq!(
        std::fs::read_to_string(&key_file).unwrap(),
        key,
        "the key is reused, not remade"
    );
    assert_eq!(me.status, StatusCode::OK, "the session survives a restart");
    for output in [&first_output, &second_output] {
        assert!(
            output.contains("secret.key"),
            "says where the key is:\n{output}"
        );
        assert!(!output.contains(key.trim()), "never prints the key");
        assert!(!output.contains("correct horse"), "never prints a password");
        assert!(!output.contains(&cookie), "never prints a cookie");
    }
}

fn configured_secret_key_is_used_and_no_file_is_made() {
    let dir = tempfile::tempdir().unwrap();
    let key = "a".repeat(64);

    let server = start(
        dir.path(),
        &[("ROCKET_PROFILE", "release"), ("ROCKET_SECRET_KEY", &key)],
    );
    server.kill();

    assert!(!dir.path().join("data/secret.key").exists());
}

fn unreachable_or_unknown_database_is_a_one_line_error() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            r#"{woofer={url="postgres://postgres@127.0.0.1:1/woofer",connect_timeout=2}}"#,
            "postgres://postgres@127.0.0.1:1/woofer",
        ),
        (
            r#"{woofer={url="mysql://root@127.0.0.1/woofer"}}"#,
            "names neither",
        ),
        (
            r#"{woofer={url="postgres://dog:hunter2@127.0.0.1:1/w",connect_timeout=2}}"#,
            "postgres://dog:***@127.0.0.1:1/w",
        ),
    ];

    for (databases, expected) in cases {
        let failure = ServerProcess::start(
            Path::new(SERVER),
            dir.path(),
            &[("ROCKET_DATABASES", databases)],
        );

        let output = failure.err().expect("the server refuses to start");
        let said: Vec<&str> = output
            .lines()
            .skip(1)
            .filter(|l| !l.trim().is_empty())
            .collect();
        assert_eq!(said.len(), 1, "one line, not {}:\n{output}", said.len());
        assert!(
            output.contains(expected),
            "{databases}: expected {expected:?} in:\n{output}"
        );
        assert!(
            !output.contains("hunter2"),
            "the password is hidden:\n{output}"
        );
    }
}

/// Every woof that got a 201 before a SIGKILL is there after a restart.
async fn acknowledged_woofs_survive_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), &[]);
    let mut dogs = Vec::new();
    for i in 0..4 {
        dogs.push(Arc::new(
            ApiClient::registered(server.base_url(), &format!("dog{i}")).await,
        ));
    }
    let acknowledged = Arc::new(std::sync::Mutex::new(Vec::new()));
    let mut storm = tokio::task::JoinSet::new();
    for dog in &dogs {
        for _ in 0..4 {
            let (dog, acknowledged) = (dog.clone(), acknowledged.clone());
            storm.spawn(async move {
                for n in 0..10_000 {
                    let Ok(r) = dog
                        .request(reqwest::Method::POST, "/api/woofs")
                        .json(&serde_json::json!({"body": format!("storm {n}")}))
                        .send()
                        .await
                    else {
                        return;
                    };
                    if r.status() == StatusCode::CREATED {
                        let Ok(body) = r.json::<serde_json::Value>().await else {
                            return;
                        };
                        acknowledged
                            .lock()
                            .unwrap()
                            .push(body["woof"]["id"].as_i64().unwrap());
                    }
                }
            });
        }
    }

    tokio::time::sleep(Duration::from_millis(1500)).await;
    server.kill();
    while storm.join_next().await.is_some() {}
    let restarted = start(dir.path(), &[]);
    let reader = ApiClient::with_jar(restarted.base_url(), dogs[0].jar());

    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(
        acknowledged.len() > 50,
        "the storm was under way: {} woofs",
        acknowledged.len()
    );
    let stored: std::collections::HashSet<i64> = reader
        .walk("/api/woofs", 100)
        .await
        .iter()
        .map(|w| w["id"].as_i64().unwrap())
        .collect();
    let lost: Vec<_> = acknowledged
        .iter()
        .filter(|id| !stored.contains(id))
        .collect();
    assert!(
        lost.is_empty(),
        "{} of {} acknowledged woofs lost: {lost:?}",
        lost.len(),
        acknowledged.len()
    );
}
