//! The settings page: where a dog is logged in (ending one session, or
//! every other one), a new password, deleting the account; every form
//! with its token, refusals tied to their fields.

use reqwest::StatusCode;
use woofer_shared::api::LOGIN_FAILURES_ALLOWED;
use woofer_tests::trials::Trial;
use woofer_tests::{
    on_every_backend, ApiClient, ApiResponse, ServerOptions, TestServer, WebClient,
};

use super::{assert_page, assert_see_other};

pub fn trials() -> Vec<Trial> {
    on_every_backend![
        the_page_lists_sessions_with_this_one_marked_and_agents_as_text,
        ending_another_session_ends_its_cookie_and_ending_this_one_logs_out,
        logging_out_everywhere_else_keeps_only_this_session,
        a_new_password_ends_the_other_sessions_and_replaces_the_old,
        a_wrong_current_password_is_a_401_page_counted_toward_the_lock,
        deleting_the_account_needs_the_name_and_the_password,
        every_settings_form_without_its_token_is_refused_and_changes_nothing,
    ]
}

async fn session_status(client: &ApiClient) -> StatusCode {
    client.get("/api/session").await.status
}

async fn post_settings(web: &WebClient, path: &str, fields: &[(&str, &str)]) -> ApiResponse {
    let csrf = web.token_from("/settings").await;
    let mut fields = fields.to_vec();
    fields.push(("csrf", &csrf));
    web.post_form(path, &fields).await
}

async fn change_password(web: &WebClient, current: &str, new: &str, again: &str) -> ApiResponse {
    post_settings(
        web,
        "/settings/password",
        &[
            ("current_password", current),
            ("new_password", new),
            ("new_password_again", again),
        ],
    )
    .await
}

async fn delete_account(web: &WebClient, password: &str, name: &str) -> ApiResponse {
    post_settings(
        web,
        "/settings/delete",
        &[("delete_password", password), ("delete_username", name)],
    )
    .await
}

async fn the_page_lists_sessions_with_this_one_marked_and_agents_as_text(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let web = WebClient::registered(server.base_url(), "rex").await;
    let hostile = r#"<script>alert("pwned")</script><img src=x onerror=alert(1)>"#;
    let other = ApiClient::logged_in_with_agent(server.base_url(), "rex", hostile).await;
    let visitor = WebClient::new(server.base_url());

    let page = web.get("/settings").await;
    let front = web.get("/").await;
    let away = visitor.get("/settings").await;
    let mine = web.api().session_id_where("current", true).await;
    let theirs = other.session_id_where("current", true).await;

    assert_page(&page, StatusCode::OK, "Settings");
    assert_eq!(page.cache_control(), "no-store");
    assert!(page.text.contains("Where you are logged in"));
    assert_eq!(page.text.matches("This session").count(), 1);
    let this_one = page.text.split(&format!(r#"id="session-{mine}""#)).nth(1);
    assert!(
        this_one.is_some_and(|rest| rest.split("</li>").next().unwrap().contains("This session")),
        "the current session is the marked one: {}",
        page.text
    );
    assert!(page
        .text
        .contains(&format!(r#"action="/settings/sessions/{theirs}/end""#)));
    assert!(page
        .text
        .contains(r#"action="/settings/sessions/end-others""#));
    assert!(page.text.contains("Last seen"));
    assert!(
        page.text
            .contains("&#60;script&#62;alert(&#34;pwned&#34;)&#60;/script&#62;&#60;img src=x"),
        "the agent as text: {}",
        page.text
    );
    assert!(!page.text.contains("<script>alert") && !page.text.contains("<img src=x"));
    assert!(page.text.contains(r#"action="/settings/password""#));
    assert!(page.text.contains(r#"action="/settings/delete""#));
    assert!(
        front.text.contains(r#"href="/settings""#),
        "the header link"
    );
    assert_see_other(&away, "/");
}

async fn ending_another_session_ends_its_cookie_and_ending_this_one_logs_out(
    options: ServerOptions,
) {
    let server = TestServer::start(options).await;
    let web = WebClient::registered(server.base_url(), "rex").await;
    let phone = ApiClient::logged_in_with_agent(server.base_url(), "rex", "woofer/phone").await;
    let laptop = ApiClient::logged_in_with_agent(server.base_url(), "rex", "woofer/laptop").await;
    let phone_id = phone.session_id_where("current", true).await;
    let mine = web.api().session_id_where("current", true).await;

    let ended = post_settings(&web, &format!("/settings/sessions/{phone_id}/end"), &[]).await;
    let after = web.get("/settings").await;
    let unknown = post_settings(&web, "/settings/sessions/0123456789abcdef/end", &[]).await;

    assert_see_other(&ended, "/settings");
    assert!(after.text.contains("That session has ended."));
    assert!(!after.text.contains("woofer/phone"));
    assert!(after.text.contains("woofer/laptop"));
    assert_eq!(session_status(&phone).await, StatusCode::UNAUTHORIZED);
    assert_eq!(session_status(&laptop).await, StatusCode::OK);
    assert_page(&unknown, StatusCode::NOT_FOUND, "Nothing here");

    let logout = post_settings(&web, &format!("/settings/sessions/{mine}/end"), &[]).await;
    let front = web.get("/").await;

    assert_see_other(&logout, "/");
    assert_page(&front, StatusCode::OK, "Log in");
    assert!(front.text.contains("Logged out."));
    assert_eq!(session_status(&web.api()).await, StatusCode::UNAUTHORIZED);
    assert_eq!(session_status(&laptop).await, StatusCode::OK);
}

async fn logging_out_everywhere_else_keeps_only_this_session(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let web = WebClient::registered(server.base_url(), "rex").await;
    let phone = ApiClient::logged_in_with_agent(server.base_url(), "rex", "woofer/phone").await;
    let laptop = ApiClient::logged_in_with_agent(server.base_url(), "rex", "woofer/laptop").await;
    let fido = ApiClient::registered(server.base_url(), "fido").await;
    assert_eq!(session_status(&phone).await, StatusCode::OK, "in use");
    assert_eq!(session_status(&laptop).await, StatusCode::OK, "in use");

    let ended = post_settings(&web, "/settings/sessions/end-others", &[]).await;
    let after = web.get("/settings").await;

    assert_see_other(&ended, "/settings");
    assert!(after.text.contains("Logged out of 2 other sessions."));
    assert_eq!(after.text.matches(r#"<li class="session"#).count(), 1);
    assert_eq!(session_status(&phone).await, StatusCode::UNAUTHORIZED);
    assert_eq!(session_status(&laptop).await, StatusCode::UNAUTHORIZED);
    assert_eq!(session_status(&web.api()).await, StatusCode::OK);
    assert_eq!(session_status(&fido).await, StatusCode::OK, "another dog's");
}

async fn a_new_password_ends_the_other_sessions_and_replaces_the_old(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let web = WebClient::registered(server.base_url(), "rex").await;
    let phone = ApiClient::logged_in_with_agent(server.base_url(), "rex", "woofer/phone").await;
    assert_eq!(session_status(&phone).await, StatusCode::OK, "in use");

    let differ = change_password(&web, "correct horse", "battery staple", "battery stapel").await;
    let short = change_password(&web, "correct horse", "short", "short").await;
    let changed = change_password(&web, "correct horse", "battery staple", "battery staple").await;
    let after = web.get("/settings").await;
    let api = ApiClient::new(server.base_url());
    let old = api.login("rex", "correct horse").await;
    let new = api.login("rex", "battery staple").await;

    assert_page(&differ, StatusCode::UNPROCESSABLE_ENTITY, "Settings");
    assert!(differ
        .text
        .contains(r#"aria-invalid="true" aria-describedby="new_password_again-error">"#));
    assert!(differ
        .text
        .contains(r#"id="new_password_again-error">The new password and its repetition differ"#));
    for secret in ["correct horse", "battery", "stapel"] {
        assert!(!differ.text.contains(secret), "never a password: {secret}");
    }
    assert_page(&short, StatusCode::UNPROCESSABLE_ENTITY, "Settings");
    assert!(short
        .text
        .contains(r#"aria-invalid="true" aria-describedby="new_password-error">"#));
    assert!(short
        .text
        .contains(r#"id="new_password-error">A password must be 8 to 128 characters."#));
    assert_eq!(
        session_status(&phone).await,
        StatusCode::UNAUTHORIZED,
        "the other session ended"
    );
    assert_see_other(&changed, "/settings");
    assert!(after.text.contains("Password changed."));
    assert_eq!(
        session_status(&web.api()).await,
        StatusCode::OK,
        "this one stays"
    );
    old.assert_error(StatusCode::UNAUTHORIZED, "invalid_credentials");
    assert_eq!(new.status, StatusCode::OK, "{}", new.text);
}

async fn a_wrong_current_password_is_a_401_page_counted_toward_the_lock(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let web = WebClient::registered(server.base_url(), "rex").await;
    let phone = ApiClient::logged_in_with_agent(server.base_url(), "rex", "woofer/phone").await;
    let api = ApiClient::new(server.base_url());

    let wrong = change_password(&web, "wrong horse", "battery staple", "battery staple").await;
    for _ in 0..LOGIN_FAILURES_ALLOWED - 1 {
        api.login("rex", "wrong horse").await;
    }
    let locked = change_password(&web, "correct horse", "battery staple", "battery staple").await;
    let api_locked = api.login("rex", "correct horse").await;

    assert_page(&wrong, StatusCode::UNAUTHORIZED, "Settings");
    assert!(wrong
        .text
        .contains(r#"aria-invalid="true" aria-describedby="current_password-error">"#));
    assert!(wrong
        .text
        .contains(r#"id="current_password-error">That is not your password."#));
    assert!(!wrong.text.contains("wrong horse") && !wrong.text.contains("battery"));
    assert_page(&locked, StatusCode::TOO_MANY_REQUESTS, "Settings");
    let wait: i64 = locked
        .header("retry-after")
        .expect("Retry-After")
        .parse()
        .unwrap();
    assert!((1..=901).contains(&wait), "{wait}");
    assert!(locked.text.contains(&format!(
        r#"id="current_password-error">Too many wrong passwords; try again in {} minutes."#,
        (wait + 59) / 60
    )));
    api_locked.assert_error(StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    assert_eq!(
        session_status(&phone).await,
        StatusCode::OK,
        "nothing changed"
    );
}

async fn deleting_the_account_needs_the_name_and_the_password(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let web = WebClient::registered(server.base_url(), "rex").await;
    web.api().post_woof("my last woof").await;
    let phone = ApiClient::logged_in_with_agent(server.base_url(), "rex", "woofer/phone").await;

    let wrong_name = delete_account(&web, "correct horse", "fido").await;
    let wrong_password = delete_account(&web, "wrong horse", "Rex").await;
    let still_here = session_status(&phone).await;
    let deleted = delete_account(&web, "correct horse", "Rex").await;
    let front = web.get("/").await;
    let again = ApiClient::new(server.base_url());
    let registered = again.register("rex", "new horse!").await;

    assert_page(&wrong_name, StatusCode::UNPROCESSABLE_ENTITY, "Settings");
    assert!(wrong_name
        .text
        .contains(r#"aria-invalid="true" aria-describedby="delete_username-error">"#));
    assert!(
        wrong_name.text.contains(r#"value="fido""#),
        "the name is kept"
    );
    assert!(!wrong_name.text.contains("correct horse"));
    assert_page(&wrong_password, StatusCode::UNAUTHORIZED, "Settings");
    assert!(wrong_password
        .text
        .contains(r#"id="delete_password-error">That is not your password."#));
    assert!(wrong_password.text.contains(r#"value="Rex""#));
    assert!(!wrong_password.text.contains("wrong horse"));
    assert_eq!(still_here, StatusCode::OK);
    assert_see_other(&deleted, "/");
    assert_page(&front, StatusCode::OK, "Log in");
    assert!(front.text.contains("Your account has been deleted"));
    assert_eq!(session_status(&web.api()).await, StatusCode::UNAUTHORIZED);
    assert_eq!(session_status(&phone).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        registered.status,
        StatusCode::CREATED,
        "{}",
        registered.text
    );
    assert_eq!(
        again.walk("/api/woofs", 100).await.len(),
        0,
        "its woofs went too"
    );
}

async fn every_settings_form_without_its_token_is_refused_and_changes_nothing(
    options: ServerOptions,
) {
    let server = TestServer::start(options).await;
    let web = WebClient::registered(server.base_url(), "rex").await;
    let phone = ApiClient::logged_in_with_agent(server.base_url(), "rex", "woofer/phone").await;
    let phone_id = phone.session_id_where("current", true).await;
    let mine = web.api().session_id_where("current", true).await;
    // A token of another session of the same dog fits none of this one's forms.
    let elsewhere = WebClient::new(server.base_url());
    elsewhere.login("rex", "correct horse").await;
    let foreign = elsewhere.token_from("/settings").await;

    for token in [None, Some(""), Some(foreign.as_str())] {
        for (path, fields) in [
            (format!("/settings/sessions/{phone_id}/end"), vec![]),
            (format!("/settings/sessions/{mine}/end"), vec![]),
            ("/settings/sessions/end-others".to_owned(), vec![]),
            (
                "/settings/password".to_owned(),
                vec![
                    ("current_password", "correct horse"),
                    ("new_password", "battery staple"),
                    ("new_password_again", "battery staple"),
                ],
            ),
            (
                "/settings/delete".to_owned(),
                vec![
                    ("delete_password", "correct horse"),
                    ("delete_username", "rex"),
                ],
            ),
        ] {
            let mut fields = fields;
            if let Some(token) = token {
                fields.push(("csrf", token));
            }
            let r = web.post_form(&path, &fields).await;
            assert_page(&r, StatusCode::FORBIDDEN, "Not allowed");
        }
    }

    assert_eq!(session_status(&web.api()).await, StatusCode::OK);
    assert_eq!(session_status(&phone).await, StatusCode::OK);
    assert_eq!(session_status(&elsewhere.api()).await, StatusCode::OK);
    let old = ApiClient::new(server.base_url())
        .login("rex", "correct horse")
        .await;
    assert_eq!(old.status, StatusCode::OK, "the password is unchanged");
}
