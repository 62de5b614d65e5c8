//! The pages over HTTP: the front page, logging in and registering with
//! forms (303 after success, 401/409/422/429 pages otherwise), posting,
//! deleting with one confirmation, a dog's page, paging, the assets.

use reqwest::StatusCode;
use woofer_tests::trials::Trial;
use woofer_tests::web::form_token;
use woofer_tests::{on_every_backend, sync_tests, ApiClient, ServerOptions, TestServer, WebClient};

use super::{assert_page, assert_see_other};
use crate::start_server_process;

pub fn trials() -> Vec<Trial> {
    [
        on_every_backend![
            visitors_get_the_login_page_at_the_front,
            registering_logs_in_and_the_front_page_becomes_the_feed,
            registration_refusals_are_sentences_tied_to_their_fields,
            a_wrong_password_is_a_401_page_keeping_the_name,
            web_logins_count_toward_the_same_lock_as_the_api,
            posting_redirects_and_a_broken_rule_keeps_the_draft,
            deleting_takes_one_confirmation_and_only_your_own,
            dog_pages_and_older_links_page_through_woofs,
            pages_that_need_a_dog_send_visitors_to_log_in,
        ],
        sync_tests![pages_and_assets_are_served_from_any_directory],
    ]
    .into_iter()
    .flatten()
    .collect()
}

async fn visitors_get_the_login_page_at_the_front(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let web = WebClient::new(server.base_url());

    let front = web.get("/").await;
    let login = web.get("/login").await;
    let register = web.get("/register").await;

    assert_page(&front, StatusCode::OK, "Log in");
    assert!(front
        .text
        .contains(r#"<form method="post" action="/login""#));
    assert!(front.text.contains(r#"<label for="username">"#));
    assert!(front.text.contains(r#"<label for="password">"#));
    assert!(form_token(&front.text).is_some_and(|t| t.len() == 64));
    assert!(
        front
            .set_cookies()
            .iter()
            .any(|c| c.starts_with("woofer_csrf=") && c.contains("HttpOnly")),
        "the pre-session cookie: {:?}",
        front.set_cookies()
    );
    assert_page(&login, StatusCode::OK, "Log in");
    assert_page(&register, StatusCode::OK, "Create an account");
    assert!(
        register.text.contains("3 to 20 characters"),
        "the shared rule"
    );
    assert_eq!(front.cache_control(), "no-store");
}

async fn registering_logs_in_and_the_front_page_becomes_the_feed(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let web = WebClient::new(server.base_url());

    let registered = web.register("  Rex ", "correct horse").await;
    let front = web.get("/").await;
    let again = web.get("/").await;
    let me = web.api().get("/api/session").await;
    let login_page = web.get("/login").await;

    assert_see_other(&registered, "/");
    let cookie = registered.session_set_cookie().expect("a session cookie");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
    assert_page(&front, StatusCode::OK, "Home");
    assert!(
        front.text.contains("Welcome to Woofer, @rex!"),
        "the notice"
    );
    assert!(!again.text.contains("Welcome to Woofer"), "shown once");
    assert!(front.text.contains(r#"<textarea id="body" name="body""#));
    assert!(front.text.contains(r#"action="/logout""#));
    assert_eq!(me.status, StatusCode::OK, "the same session: {}", me.text);
    assert_eq!(me.json()["user"]["username"], "rex");
    assert_see_other(&login_page, "/");
}

async fn registration_refusals_are_sentences_tied_to_their_fields(options: ServerOptions) {
    let server = TestServer::start(options).await;
    ApiClient::registered(server.base_url(), "rex").await;
    let web = WebClient::new(server.base_url());

    let bad_name = web.register("R!", "correct horse").await;
    let short_password = web.register("fido", "short").await;
    let taken = web.register("REX", "correct horse").await;

    assert_page(
        &bad_name,
        StatusCode::UNPROCESSABLE_ENTITY,
        "Create an account",
    );
    assert!(bad_name
        .text
        .contains(r#"aria-invalid="true" aria-describedby="username-error">"#));
    assert!(
        !bad_name.text.contains(r#"id="username-hint""#),
        "the error replaces the hint that says the same"
    );
    assert!(bad_name.text.contains(
        r#"<p class="field-error" id="username-error">A username must be 3 to 20 characters"#
    ));
    assert!(bad_name.text.contains(r#"value="R!""#), "the name is kept");
    assert_page(
        &short_password,
        StatusCode::UNPROCESSABLE_ENTITY,
        "Create an account",
    );
    assert!(short_password
        .text
        .contains(r#"id="password-error">A password must be 8 to 128 characters."#));
    assert!(short_password.text.contains(r#"value="fido""#));
    assert!(!short_password.text.contains("short"), "never the password");
    assert_page(&taken, StatusCode::CONFLICT, "Create an account");
    assert!(taken.text.contains("That username is taken; pick another."));
    assert_eq!(taken.session_cookie(), None);
}

async fn a_wrong_password_is_a_401_page_keeping_the_name(options: ServerOptions) {
    let server = TestServer::start(options).await;
    ApiClient::registered(server.base_url(), "rex").await;
    let web = WebClient::new(server.base_url());

    let wrong = web.login("Rex", "wrong horse").await;
    let unknown = web.login("nobody", "correct horse").await;
    let right = web.login("rex", "correct horse").await;
    let front = web.get("/").await;

    assert_page(&wrong, StatusCode::UNAUTHORIZED, "Log in");
    let message =
        r#"<p class="form-error" id="form-error" role="alert">Wrong username or password.</p>"#;
    assert!(wrong.text.contains(message), "{}", wrong.text);
    assert!(unknown.text.contains(message), "one message for both");
    assert!(wrong.text.contains(r#"value="Rex""#), "the name is kept");
    assert!(
        wrong.text.contains(r#"type="password" autocomplete="current-password" required aria-invalid="true" aria-describedby="form-error">"#),
        "the password field is empty and described: {}",
        wrong.text
    );
    assert!(!wrong.text.contains("wrong horse"));
    assert_eq!(wrong.session_cookie(), None);
    assert_see_other(&right, "/");
    assert!(front.text.contains("Welcome back, @rex."));
}

async fn web_logins_count_toward_the_same_lock_as_the_api(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let api = ApiClient::registered(server.base_url(), "rex").await;
    for _ in 0..woofer_shared::api::LOGIN_FAILURES_ALLOWED - 1 {
        api.login("rex", "wrong horse").await;
    }
    let web = WebClient::new(server.base_url());

    let tenth = web.login("rex", "wrong horse").await;
    let locked = web.login("rex", "correct horse").await;
    let api_locked = api.login("rex", "correct horse").await;

    assert_eq!(tenth.status, StatusCode::UNAUTHORIZED);
    assert_page(&locked, StatusCode::TOO_MANY_REQUESTS, "Log in");
    let wait: i64 = locked
        .header("retry-after")
        .expect("Retry-After")
        .parse()
        .unwrap();
    assert!((1..=901).contains(&wait), "{wait}");
    assert!(locked.text.contains(r#"aria-describedby="username-error""#));
    let minutes = (wait + 59) / 60;
    assert!(
        locked.text.contains(&format!(
            r#"id="username-error">Too many failed logins for this username; try again in {minutes} minutes.</p>"#
        )),
        "{}",
        locked.text
    );
    assert_eq!(locked.session_cookie(), None);
    api_locked.assert_error(StatusCode::TOO_MANY_REQUESTS, "rate_limited");
}

async fn posting_redirects_and_a_broken_rule_keeps_the_draft(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let web = WebClient::registered(server.base_url(), "rex").await;
    let csrf = web.token_from("/").await;

    let posted = web
        .post_form(
            "/woofs",
            &[("body", "  Squirrel!!\nTwice. "), ("csrf", &csrf)],
        )
        .await;
    let front = web.get("/").await;
    let long = "🐕".repeat(281);
    let too_long = web
        .post_form("/woofs", &[("body", &long), ("csrf", &csrf)])
        .await;
    let feed = web.api().walk("/api/woofs", 100).await;

    assert_see_other(&posted, "/");
    assert!(front.text.contains("Woof posted."));
    assert!(
        front.text.contains(">Squirrel!!\nTwice.</p>"),
        "{}",
        front.text
    );
    assert_page(&too_long, StatusCode::UNPROCESSABLE_ENTITY, "Home");
    assert!(too_long
        .text
        .contains(r#"id="body-error">A woof may hold at most 280 characters.</p>"#));
    assert!(too_long
        .text
        .contains(r#"aria-describedby="body-counter body-error" aria-invalid="true">"#));
    assert!(
        too_long.text.contains(&format!(">{long}</textarea>")),
        "kept"
    );
    assert_eq!(feed.len(), 1, "only the first was stored");
    assert_eq!(feed[0]["body"], "Squirrel!!\nTwice.");
}

async fn deleting_takes_one_confirmation_and_only_your_own(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let rex = WebClient::registered(server.base_url(), "rex").await;
    let fido = WebClient::registered(server.base_url(), "fido").await;
    let mine = rex.api().post_woof("mine").await.json()["woof"]["id"]
        .as_i64()
        .unwrap();
    let theirs = fido.api().post_woof("theirs").await.json()["woof"]["id"]
        .as_i64()
        .unwrap();

    let front = rex.get("/").await;
    let confirm = rex.get(&format!("/woofs/{mine}/delete")).await;
    let not_mine = rex.get(&format!("/woofs/{theirs}/delete")).await;
    let csrf = form_token(&confirm.text).expect("a token on the confirmation");
    let forced = rex
        .post_form(&format!("/woofs/{theirs}/delete"), &[("csrf", &csrf)])
        .await;
    let deleted = rex
        .post_form(&format!("/woofs/{mine}/delete"), &[("csrf", &csrf)])
        .await;
    let after = rex.get("/").await;
    let gone = rex.get(&format!("/woofs/{mine}")).await;

    assert!(front
        .text
        .contains(&format!(r#"href="/woofs/{mine}/delete">Delete"#)));
    assert!(
        !front
            .text
            .contains(&format!(r#"href="/woofs/{theirs}/delete""#)),
        "no delete button on another dog's woof"
    );
    assert_page(&confirm, StatusCode::OK, "Delete this woof?");
    assert!(confirm
        .text
        .contains(&format!(r#"action="/woofs/{mine}/delete""#)));
    assert_page(&not_mine, StatusCode::FORBIDDEN, "Not allowed");
    assert_page(&forced, StatusCode::FORBIDDEN, "Not allowed");
    assert_see_other(&deleted, "/");
    assert_page(&gone, StatusCode::NOT_FOUND, "Nothing here");
    assert!(after.text.contains("Woof deleted."));
    let left = fido.api().walk("/api/woofs", 100).await;
    assert_eq!(left.len(), 1);
    assert_eq!(left[0]["id"], theirs);
}

async fn dog_pages_and_older_links_page_through_woofs(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let web = WebClient::registered(server.base_url(), "rex").await;
    let api = web.api();
    let mut ids = Vec::new();
    for i in 0..25 {
        ids.push(
            api.post_woof(&format!("woof number {i}")).await.json()["woof"]["id"]
                .as_i64()
                .unwrap(),
        );
    }

    let first = web.get("/").await;
    let older_link = format!(r#"rel="next" href="/?before={}""#, ids[5]);
    let second = web.get(&format!("/?before={}", ids[5])).await;
    let dog = web.get("/@REX").await;
    let dog_older = web.get(&format!("/@rex?before={}", ids[5])).await;
    let nobody = web.get("/@nobody").await;
    let bad_before = web.get("/?before=x").await;

    assert_page(&first, StatusCode::OK, "Home");
    assert!(first.text.contains(&older_link), "{}", first.text);
    assert!(first.text.contains("woof number 24") && !first.text.contains("woof number 4<"));
    assert_page(&second, StatusCode::OK, "Home");
    assert!(
        second.text.contains(">woof number 4</p>") && second.text.contains(">woof number 0</p>")
    );
    assert!(!second.text.contains(r#"rel="next""#), "the last page");
    assert!(second.text.contains(r#"href="/">Newest</a>"#));
    assert_page(&dog, StatusCode::OK, "@rex");
    assert!(dog.text.contains("25 woofs"), "{}", dog.text);
    assert!(dog
        .text
        .contains(&format!(r#"rel="next" href="/@rex?before={}""#, ids[5])));
    assert!(dog_older.text.contains(">woof number 0</p>"));
    assert_page(&nobody, StatusCode::NOT_FOUND, "Nothing here");
    assert!(nobody.text.contains("There is no dog by that name."));
    assert_page(
        &bad_before,
        StatusCode::UNPROCESSABLE_ENTITY,
        "Not accepted",
    );
}

async fn pages_that_need_a_dog_send_visitors_to_log_in(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let rex = ApiClient::registered(server.base_url(), "rex").await;
    let id = rex.post_woof("hello").await.json()["woof"]["id"]
        .as_i64()
        .unwrap();
    let web = WebClient::new(server.base_url());
    let csrf = web.token_from("/").await;

    for path in [
        format!("/woofs/{id}"),
        "/@rex".to_owned(),
        format!("/woofs/{id}/delete"),
    ] {
        let r = web.get(&path).await;
        assert_see_other(&r, "/");
    }
    let post = web
        .post_form("/woofs", &[("body", "sneaky"), ("csrf", &csrf)])
        .await;
    let front = web.get("/").await;

    assert_see_other(&post, "/");
    assert!(front.text.contains("Log in first."), "{}", front.text);
    assert_eq!(rex.walk("/api/woofs", 100).await.len(), 1);
}

/// The release-profile binary started in an empty directory serves its
/// pages, stylesheet and script: they are inside it.
fn pages_and_assets_are_served_from_any_directory() {
    let dir = tempfile::tempdir().unwrap();
    let server = start_server_process(dir.path(), &[("ROCKET_PROFILE", "release")]);
    let base = server.base_url().to_owned();
    woofer_tests::trials::block_on(async move {
        let web = WebClient::new(&base);
        let front = web.get("/").await;
        assert_page(&front, StatusCode::OK, "Log in");
        for (asset, content_type) in [
            ("app.css", "text/css; charset=utf-8"),
            ("app.js", "text/javascript"),
            ("icon.svg", "image/svg+xml"),
        ] {
            let start = front
                .text
                .find(&format!("/{asset}\""))
                .unwrap_or_else(|| panic!("{asset} linked"));
            let href_start = front.text[..start].rfind("\"/static/").unwrap() + 1;
            let url = &front.text[href_start..start + asset.len() + 1];
            let served = web.get(url).await;
            assert_eq!(served.status, StatusCode::OK, "{url}");
            assert!(
                served
                    .header("content-type")
                    .is_some_and(|t| t.starts_with(content_type)),
                "{url}: {:?}",
                served.header("content-type")
            );
            assert_eq!(
                served.cache_control(),
                "public, max-age=31536000, immutable"
            );
            assert_eq!(
                served.header("x-content-type-options").as_deref(),
                Some("nosniff")
            );
            assert!(!served.text.is_empty());
        }
        let stale = web.get("/static/0000/app.css").await;
        assert_eq!(stale.status, StatusCode::OK);
        assert_eq!(stale.cache_control(), "no-cache");
        let unknown = web.get("/static/0000/nothing.js").await;
        assert_page(&unknown, StatusCode::NOT_FOUND, "Nothing here");
    });
    server.kill();
}
