//! Registering, logging in, changing the password and leaving, over real
//! HTTP (API.md: users, session, account).

use std::future::Future;

use reqwest::{Method, StatusCode};
use woofer_tests::trials::Trial;
use woofer_tests::{on_every_backend, ApiClient, ApiResponse, ServerOptions, TestServer};

pub fn trials() -> Vec<Trial> {
    on_every_backend![
        register_logs_the_new_dog_in,
        usernames_are_trimmed_and_case_insensitive,
        registration_breaking_a_rule_names_the_field,
        login_with_json_or_form,
        wrong_password_and_unknown_dog_get_one_answer,
        ten_failures_lock_the_name_for_the_window,
        a_hundred_parallel_guesses_get_ten_judged,
        right_passwords_do_not_use_up_the_limit,
        a_new_password_ends_the_other_sessions_and_the_old_password,
        a_wrong_current_password_counts_toward_the_lock,
        a_new_password_breaking_the_rule_is_refused_before_anything_else,
        deleting_the_account_leaves_no_row_of_the_dog_and_frees_its_name,
        a_flood_of_registrations_past_the_hash_queue_gets_503_at_once,
        registrations_are_limited_per_peer_address_whatever_the_headers_say,
        behind_a_trusted_proxy_its_header_names_the_address,
        a_parallel_burst_from_one_address_stops_at_the_limit,
        failed_registrations_do_not_use_up_the_limit,
        profile_counts_woofs,
    ]
}

/// `n` requests sent at once, each by a client of its own (`send` gets it
/// and the request's number); their answers, in that order.
async fn at_once<F, Fut>(server: &TestServer, n: usize, send: F) -> Vec<ApiResponse>
where
    F: Fn(ApiClient, usize) -> Fut,
    Fut: Future<Output = ApiResponse> + Send + 'static,
{
    // Every client is built before the first request goes: building one
    // reads the system's certificates, and built in turn they spaced the
    // requests wider than the server takes to answer one.
    let clients: Vec<ApiClient> = (0..n).map(|_| ApiClient::new(server.base_url())).collect();
    let requests: Vec<_> = clients
        .into_iter()
        .enumerate()
        .map(|(i, client)| tokio::spawn(send(client, i)))
        .collect();
    let mut answers = Vec::new();
    for request in requests {
        answers.push(request.await.unwrap());
    }
    answers
}

fn statuses(answers: Vec<ApiResponse>) -> Vec<StatusCode> {
    answers.into_iter().map(|r| r.status).collect()
}

fn count(statuses: &[StatusCode], status: StatusCode) -> usize {
    statuses.iter().filter(|&&s| s == status).count()
}

async fn register_logs_the_new_dog_in(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let client = ApiClient::new(server.base_url());

    let created = client.register("rex", "correct horse").await;
    let me = client.get("/api/session").await;

    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let user = &created.json()["user"];
    assert_eq!(user["username"], "rex");
    assert!(user["id"].as_i64().unwrap() > 0);
    assert!(user["created_at"].as_str().unwrap().ends_with('Z'));
    assert!(user.get("password").is_none() && user.get("password_hash").is_none());
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.json()["user"], *user);
}

async fn usernames_are_trimmed_and_case_insensitive(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let first = ApiClient::new(server.base_url());
    let second = ApiClient::new(server.base_url());

    let created = first.register("  Rex ", "correct horse").await;
    let again = second.register("REX", "another password").await;
    let login = second.login(" rEx", "correct horse").await;

    assert_eq!(created.json()["user"]["username"], "rex");
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.error_code(), "username_taken");
    assert_eq!(login.status, StatusCode::OK, "{}", login.text);
    let profile = second.get("/api/users/ReX").await;
    assert_eq!(profile.json()["user"]["username"], "rex");
    // A path is not typed input: matched case-insensitively, not trimmed.
    // A name that breaks the rule is no dog's, and never looked up (a NUL
    // was a 500 on PostgreSQL).
    for padded in [
        "/api/users/%20rex",
        "/api/users/rex%20",
        "/api/users/%20rex/woofs",
        "/api/users/r%00x",
        "/api/users/r%00x/followers",
    ] {
        let r = second.get(padded).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{padded}: {}", r.text);
    }
}

async fn registration_breaking_a_rule_names_the_field(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let client = ApiClient::new(server.base_url());

    for (username, password, field) in [
        ("ab", "correct horse", "username"),
        ("rex!", "correct horse", "username"),
        ("a_very_long_dog_name_indeed", "correct horse", "username"),
        ("rex", "short", "password"),
        ("rex", &"x".repeat(129), "password"),
    ] {
        let r = client.register(username, password).await;

        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{username} {field}: {}",
            r.text
        );
        assert_eq!(r.error_code(), "validation_failed");
        assert_eq!(r.json()["error"]["field"], field);
        assert!(!r.json()["error"]["message"].as_str().unwrap().is_empty());
    }
    assert_eq!(
        client.get("/api/session").await.status,
        StatusCode::UNAUTHORIZED,
        "no session from a refused registration"
    );
}

async fn login_with_json_or_form(options: ServerOptions) {
    let server = TestServer::start(options).await;
    ApiClient::registered(server.base_url(), "rex").await;
    let json_client = ApiClient::new(server.base_url());
    let form_client = ApiClient::new(server.base_url());

    let by_json = json_client.login("rex", "correct horse").await;
    let by_form = form_client
        .send(
            form_client
                .request(Method::POST, "/api/session")
                .form(&[("username", "Rex"), ("password", "correct horse")]),
        )
        .await;
    let form_register = form_client
        .send(
            form_client
                .request(Method::POST, "/api/users")
                .form(&[("username", "fido"), ("password", "p@ss word+&=")]),
        )
        .await;

    assert_eq!(by_json.status, StatusCode::OK, "{}", by_json.text);
    assert_eq!(by_json.json()["user"]["username"], "rex");
    assert_eq!(by_form.status, StatusCode::OK, "{}", by_form.text);
    assert_eq!(
        form_register.status,
        StatusCode::CREATED,
        "{}",
        form_register.text
    );
    assert_eq!(
        ApiClient::new(server.base_url())
            .login("fido", "p@ss word+&=")
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(json_client.get("/api/session").await.status, StatusCode::OK);
}

async fn wrong_password_and_unknown_dog_get_one_answer(options: ServerOptions) {
    let server = TestServer::start(options).await;
    ApiClient::registered(server.base_url(), "rex").await;
    let client = ApiClient::new(server.base_url());

    let wrong = client.login("rex", "wrong horse").await;
    let unknown = client.login("nobody", "correct horse").await;
    let invalid_name = client.login("!!", "correct horse").await;
    // PostgreSQL cannot hold a NUL: a name with one was once a 500 there.
    let nul_name = client.login("r\u{0}x", "correct horse").await;

    for r in [&wrong, &unknown, &invalid_name, &nul_name] {
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text);
        assert_eq!(r.error_code(), "invalid_credentials");
        assert!(r
            .set_cookies()
            .iter()
            .all(|c| !c.starts_with("woofer_session=") || c.contains("Max-Age=0")));
    }
    assert_eq!(
        wrong.json()["error"]["message"],
        unknown.json()["error"]["message"]
    );
}

async fn ten_failures_lock_the_name_for_the_window(options: ServerOptions) {
    let server = TestServer::start(options).await;
    ApiClient::registered(server.base_url(), "rex").await;
    let client = ApiClient::new(server.base_url());

    for i in 0..10 {
        let r = client.login("rex", "wrong horse").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "failure {i}");
        // Any name is counted, also one no dog can have (PostgreSQL cannot
        // hold a NUL: such a name was once a 500 there).
        let r = client.login("r\u{0}x", "wrong horse").await;
        assert_eq!(
            r.status,
            StatusCode::UNAUTHORIZED,
            "failure {i}: {}",
            r.text
        );
    }
    let right_password = client.login("REX", "correct horse").await;
    let other_dog = client.login("fido", "wrong horse").await;
    let impossible_name = client.login("r\u{0}x", "wrong horse").await;

    assert_eq!(right_password.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(right_password.error_code(), "rate_limited");
    let wait: u64 = right_password
        .header("retry-after")
        .expect("Retry-After")
        .parse()
        .unwrap();
    assert!((1..=900 + 1).contains(&wait), "Retry-After {wait}");
    assert_eq!(
        other_dog.status,
        StatusCode::UNAUTHORIZED,
        "another name is not locked"
    );
    assert_eq!(impossible_name.status, StatusCode::TOO_MANY_REQUESTS);
}

async fn a_hundred_parallel_guesses_get_ten_judged(options: ServerOptions) {
    let server = TestServer::start(options).await;
    ApiClient::registered(server.base_url(), "rex").await;

    let answers = statuses(
        at_once(&server, 100, |client, i| async move {
            client.login("rex", &format!("guess number {i}")).await
        })
        .await,
    );
    let judged = count(&answers, StatusCode::UNAUTHORIZED);
    let locked = count(&answers, StatusCode::TOO_MANY_REQUESTS);
    let right_password = ApiClient::new(server.base_url())
        .login("rex", "correct horse")
        .await;

    assert_eq!((judged, locked), (10, 90), "{answers:?}");
    assert_eq!(right_password.status, StatusCode::TOO_MANY_REQUESTS);
}

async fn right_passwords_do_not_use_up_the_limit(options: ServerOptions) {
    let server = TestServer::start(options).await;
    ApiClient::registered(server.base_url(), "rex").await;
    let client = ApiClient::new(server.base_url());

    for _ in 0..9 {
        client.login("rex", "wrong horse").await;
    }
    let rights: Vec<StatusCode> = {
        let mut statuses = Vec::new();
        for _ in 0..12 {
            statuses.push(client.login("rex", "correct horse").await.status);
        }
        statuses
    };
    let tenth_failure = client.login("rex", "wrong horse").await;
    let then = client.login("rex", "correct horse").await;

    assert!(rights.iter().all(|&s| s == StatusCode::OK), "{rights:?}");
    assert_eq!(tenth_failure.status, StatusCode::UNAUTHORIZED);
    assert_eq!(then.status, StatusCode::TOO_MANY_REQUESTS);
}

async fn change_password(client: &ApiClient, current: &str, new: &str) -> ApiResponse {
    let body = serde_json::json!({"current_password": current, "new_password": new});
    client
        .send(
            client
                .request(Method::PUT, "/api/account/password")
                .json(&body),
        )
        .await
}

async fn a_new_password_ends_the_other_sessions_and_the_old_password(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let here = ApiClient::registered(server.base_url(), "rex").await;
    let elsewhere = ApiClient::new(server.base_url());
    elsewhere.login("rex", "correct horse").await;
    assert_eq!(
        elsewhere.get("/api/session").await.status,
        StatusCode::OK,
        "in use"
    );

    let changed = change_password(&here, "correct horse", "battery staple").await;

    assert_eq!(changed.status, StatusCode::NO_CONTENT, "{}", changed.text);
    assert_eq!(
        here.get("/api/session").await.status,
        StatusCode::OK,
        "this one stays"
    );
    assert_eq!(
        elsewhere.get("/api/session").await.status,
        StatusCode::UNAUTHORIZED,
        "the others end"
    );
    let fresh = ApiClient::new(server.base_url());
    assert_eq!(
        fresh.login("rex", "correct horse").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        fresh.login("rex", "battery staple").await.status,
        StatusCode::OK
    );
}

async fn a_wrong_current_password_counts_toward_the_lock(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let rex = ApiClient::registered(server.base_url(), "rex").await;

    let mut answers = Vec::new();
    for _ in 0..11 {
        answers.push(change_password(&rex, "wrong horse", "battery staple").await);
    }
    let login = ApiClient::new(server.base_url())
        .login("rex", "correct horse")
        .await;

    for wrong in &answers[..10] {
        wrong.assert_error(StatusCode::UNAUTHORIZED, "invalid_credentials");
    }
    answers[10].assert_error(StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    assert!(answers[10].header("retry-after").is_some());
    assert_eq!(
        login.status,
        StatusCode::TOO_MANY_REQUESTS,
        "one lock for the name"
    );
}

async fn a_new_password_breaking_the_rule_is_refused_before_anything_else(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let rex = ApiClient::registered(server.base_url(), "rex").await;

    let short = change_password(&rex, "wrong horse", "short").await;
    let missing = rex
        .send(
            rex.request(Method::PUT, "/api/account/password")
                .json(&serde_json::json!({"new_password": "battery staple"})),
        )
        .await;

    short.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(short.json()["error"]["field"], "new_password");
    assert!(missing.status.is_client_error() && missing.status != StatusCode::UNAUTHORIZED);
    let still = ApiClient::new(server.base_url())
        .login("rex", "correct horse")
        .await;
    assert_eq!(
        still.status,
        StatusCode::OK,
        "nothing changed, nothing counted"
    );
}

async fn deleting_the_account_leaves_no_row_of_the_dog_and_frees_its_name(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let rex = ApiClient::registered(server.base_url(), "rex").await;
    let rex_id = rex.get("/api/session").await.json()["user"]["id"]
        .as_i64()
        .unwrap();
    let rex_woof = rex.woof_id("soon gone").await;
    let elsewhere = ApiClient::new(server.base_url());
    elsewhere.login("rex", "correct horse").await;
    let fido = ApiClient::registered(server.base_url(), "fido").await;
    let fido_woof = fido.woof_id("fido stays").await;
    // Rex's likes, follows and replies, both ways.
    rex.put("/api/users/fido/follow").await;
    fido.put("/api/users/rex/follow").await;
    rex.put(&format!("/api/woofs/{fido_woof}/like")).await;
    fido.put(&format!("/api/woofs/{rex_woof}/like")).await;
    rex.reply_id(fido_woof, "rex answers").await;
    let fido_reply = fido.reply_id(rex_woof, "fido answers").await;
    let delete = |password: &str| {
        rex.request(Method::DELETE, "/api/account")
            .json(&serde_json::json!({ "password": password }))
    };

    assert_eq!(
        elsewhere.get("/api/session").await.status,
        StatusCode::OK,
        "in use"
    );

    let wrong = rex.send(delete("wrong horse")).await;
    let deleted = rex.send(delete("correct horse")).await;

    wrong.assert_error(StatusCode::UNAUTHORIZED, "invalid_credentials");
    assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{}", deleted.text);
    assert!(deleted
        .set_cookies()
        .iter()
        .any(|c| c.starts_with("woofer_session=") && c.contains("Max-Age=0")));
    assert_eq!(
        elsewhere.get("/api/session").await.status,
        StatusCode::UNAUTHORIZED
    );
    let url = match &server.data().database_url() {
        url if url.starts_with("sqlite") => format!("{url}?mode=ro"),
        url => url.to_string(),
    };
    sqlx::any::install_default_drivers();
    let db = sqlx::AnyPool::connect(&url).await.unwrap();
    for (table, sql) in [
        (
            "users",
            "SELECT COUNT(*) FROM users WHERE id = $1 OR username = 'rex'",
        ),
        ("woofs", "SELECT COUNT(*) FROM woofs WHERE author_id = $1"),
        (
            "sessions",
            "SELECT COUNT(*) FROM sessions WHERE user_id = $1",
        ),
        ("likes", "SELECT COUNT(*) FROM likes WHERE user_id = $1"),
        (
            "follows",
            "SELECT COUNT(*) FROM follows WHERE follower_id = $1 OR followee_id = $1",
        ),
        (
            "timeline",
            "SELECT COUNT(*) FROM timeline WHERE owner_id = $1",
        ),
    ] {
        let (left,): (i64,) = sqlx::query_as(sql)
            .bind(rex_id)
            .fetch_one(&db)
            .await
            .unwrap();
        assert_eq!(left, 0, "rows of rex left in {table}");
    }
    let (failures,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM login_failures WHERE username = 'rex'")
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(failures, 0, "rows of rex left in login_failures");
    db.close().await;
    let feed = fido.get("/api/woofs").await.json();
    assert_eq!(
        feed["woofs"].as_array().unwrap().len(),
        2,
        "fido's woof and fido's reply stay"
    );
    let kept = fido.woof(fido_woof).await;
    assert_eq!(kept["like_count"], 0, "rex's like went with rex");
    assert_eq!(kept["reply_count"], 0, "rex's reply went with rex");
    assert_eq!(fido.woof(fido_reply).await["reply_to"], rex_woof);
    let profile = fido.get("/api/users/fido").await.json();
    assert_eq!(profile["follower_count"], 0);
    assert_eq!(profile["following_count"], 0);
    let home = fido.get("/api/timeline").await.json();
    assert_eq!(home["woofs"].as_array().unwrap().len(), 2, "{home}");
    let again = ApiClient::new(server.base_url())
        .register("rex", "another password")
        .await;
    assert_eq!(again.status, StatusCode::CREATED, "the name is free");
}

async fn a_flood_of_registrations_past_the_hash_queue_gets_503_at_once(options: ServerOptions) {
    let server = TestServer::start(ServerOptions {
        hash_concurrency: Some(1),
        hash_queue: Some(2),
        // The line is what is tested here, not the per-address limit
        // (whose claims for one address queue on one lock).
        registrations_per_hour: Some(0),
        ..options
    })
    .await;

    let answers = at_once(&server, 24, |client, i| async move {
        client.register(&format!("pup{i}"), "correct horse").await
    })
    .await;
    let later = ApiClient::new(server.base_url())
        .register("latecomer", "correct horse")
        .await;

    let busy: Vec<&ApiResponse> = answers
        .iter()
        .filter(|r| r.status == StatusCode::SERVICE_UNAVAILABLE)
        .collect();
    assert!(!busy.is_empty(), "a line of 3 cannot hold 24 registrations");
    for r in &busy {
        r.assert_error(StatusCode::SERVICE_UNAVAILABLE, "unavailable");
        let wait: u64 = r
            .header("retry-after")
            .expect("Retry-After")
            .parse()
            .unwrap();
        assert!(wait >= 1);
    }
    for r in &answers {
        assert!(
            [StatusCode::CREATED, StatusCode::SERVICE_UNAVAILABLE].contains(&r.status),
            "{} {}",
            r.status,
            r.text
        );
    }
    assert_eq!(later.status, StatusCode::CREATED, "the line empties again");
}

/// Registers `name` saying it comes from `address` (in `X-Real-IP`).
async fn register_from(server: &TestServer, name: &str, address: Option<&str>) -> ApiResponse {
    let client = ApiClient::new(server.base_url());
    let mut request = client
        .request(Method::POST, "/api/users")
        .json(&serde_json::json!({"username": name, "password": "correct horse"}));
    if let Some(address) = address {
        request = request.header("X-Real-IP", address);
    }
    client.send(request).await
}

async fn registrations_are_limited_per_peer_address_whatever_the_headers_say(
    options: ServerOptions,
) {
    let server = TestServer::start(ServerOptions {
        registrations_per_hour: Some(3),
        ..options
    })
    .await;

    let mut allowed = Vec::new();
    for i in 0..3 {
        allowed.push(
            register_from(&server, &format!("pup{i}"), None)
                .await
                .status,
        );
    }
    let fourth = register_from(&server, "pup3", None).await;
    let forged = register_from(&server, "pup4", Some("10.9.9.9")).await;
    let login = ApiClient::new(server.base_url())
        .login("pup0", "correct horse")
        .await;

    assert_eq!(allowed, vec![StatusCode::CREATED; 3]);
    fourth.assert_error(StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    let wait: i64 = fourth.header("retry-after").unwrap().parse().unwrap();
    assert!((3500..=3601).contains(&wait), "Retry-After {wait}");
    forged.assert_error(StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    assert_eq!(login.status, StatusCode::OK, "logging in is not limited");
}

async fn behind_a_trusted_proxy_its_header_names_the_address(options: ServerOptions) {
    let server = TestServer::start(ServerOptions {
        registrations_per_hour: Some(2),
        client_ip_header: Some("X-Real-IP".into()),
        ..options
    })
    .await;

    let first = register_from(&server, "pup0", Some("10.0.0.1")).await;
    let second = register_from(&server, "pup1", Some("10.0.0.1")).await;
    let third = register_from(&server, "pup2", Some("10.0.0.1")).await;
    let elsewhere = register_from(&server, "pup3", Some("10.0.0.2")).await;

    assert_eq!(
        (first.status, second.status),
        (StatusCode::CREATED, StatusCode::CREATED)
    );
    third.assert_error(StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    assert_eq!(
        elsewhere.status,
        StatusCode::CREATED,
        "another address is not limited"
    );
}

async fn a_parallel_burst_from_one_address_stops_at_the_limit(options: ServerOptions) {
    let server = TestServer::start(ServerOptions {
        registrations_per_hour: Some(5),
        ..options
    })
    .await;

    let answers = statuses(
        at_once(&server, 30, |client, i| async move {
            client.register(&format!("pup{i}"), "correct horse").await
        })
        .await,
    );
    let created = count(&answers, StatusCode::CREATED);
    let refused = count(&answers, StatusCode::TOO_MANY_REQUESTS);

    assert_eq!((created, refused), (5, 25), "{answers:?}");
}

async fn failed_registrations_do_not_use_up_the_limit(options: ServerOptions) {
    let server = TestServer::start(ServerOptions {
        registrations_per_hour: Some(2),
        ..options
    })
    .await;
    let client = ApiClient::new(server.base_url());

    let first = client.register("rex", "correct horse").await;
    let mut failed = Vec::new();
    for _ in 0..3 {
        failed.push(
            ApiClient::new(server.base_url())
                .register("rex", "correct horse")
                .await
                .status,
        );
    }
    let short_password = ApiClient::new(server.base_url())
        .register("fido", "short")
        .await;
    let malformed = client
        .send(
            client
                .request(Method::POST, "/api/users")
                .header("Content-Type", "application/json")
                .body("{not json"),
        )
        .await;
    let second = ApiClient::new(server.base_url())
        .register("fido", "correct horse")
        .await;
    let third = ApiClient::new(server.base_url())
        .register("spot", "correct horse")
        .await;

    assert_eq!(first.status, StatusCode::CREATED);
    assert_eq!(failed, vec![StatusCode::CONFLICT; 3], "the name is taken");
    assert_eq!(short_password.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        second.status,
        StatusCode::CREATED,
        "failures left the place free"
    );
    third.assert_error(StatusCode::TOO_MANY_REQUESTS, "rate_limited");
}

async fn profile_counts_woofs(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let rex = ApiClient::registered(server.base_url(), "rex").await;
    let fido = ApiClient::registered(server.base_url(), "fido").await;
    for body in ["one", "two", "three"] {
        rex.post_woof(body).await;
    }
    fido.post_woof("not rex").await;

    let profile = fido.get("/api/users/rex").await;
    let missing = fido.get("/api/users/nobody").await;
    let invalid = fido.get("/api/users/%1b%5b2J").await;

    assert_eq!(profile.status, StatusCode::OK);
    assert_eq!(profile.json()["woof_count"], 3);
    assert_eq!(profile.json()["user"]["username"], "rex");
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.error_code(), "not_found");
    assert_eq!(invalid.status, StatusCode::NOT_FOUND);
}
