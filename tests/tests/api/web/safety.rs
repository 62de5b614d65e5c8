//! The web face's safety over HTTP: form tokens (a forged form is a `403`
//! page and changes nothing), the security headers on every answer,
//! escaping, the API's form login refusing other sites, body limits, and
//! one session for the pages and the API.

use reqwest::StatusCode;
use woofer_tests::trials::Trial;
use woofer_tests::web::form_token;
use woofer_tests::{
    on_every_backend, status_with_cookie, ApiClient, ServerOptions, TestServer, WebClient,
};

use super::{assert_page, assert_safety_headers, assert_see_other};

pub fn trials() -> Vec<Trial> {
    on_every_backend![
        login_and_register_forms_need_the_pre_session_token,
        a_dogs_forms_need_its_own_sessions_token,
        every_answer_carries_the_security_headers,
        hostile_woofs_are_shown_as_text,
        api_form_logins_from_other_sites_are_refused,
        oversized_forms_are_refused_with_a_page,
        one_session_for_the_pages_and_the_api,
    ]
}

#[track_caller]
fn assert_forged(r: &woofer_tests::ApiResponse) {
    assert_page(r, StatusCode::FORBIDDEN, "Not allowed");
    assert!(
        r.text.contains("This form was not sent from a Woofer page"),
        "{}",
        r.text
    );
    assert_eq!(r.session_cookie(), None, "no session was opened");
}

async fn login_and_register_forms_need_the_pre_session_token(options: ServerOptions) {
    let server = TestServer::start(options).await;
    ApiClient::registered(server.base_url(), "rex").await;
    let web = WebClient::new(server.base_url());
    let attacker = WebClient::new(server.base_url());
    let attackers_token = attacker.token_from("/").await;
    web.get("/").await; // the visitor has a pre-session cookie of their own

    let without = web
        .post_form(
            "/login",
            &[("username", "rex"), ("password", "correct horse")],
        )
        .await;
    let foreign = web
        .post_form(
            "/login",
            &[
                ("username", "rex"),
                ("password", "correct horse"),
                ("csrf", &attackers_token),
            ],
        )
        .await;
    let cookieless = WebClient::new(server.base_url())
        .post_form(
            "/register",
            &[
                ("username", "mallory"),
                ("password", "correct horse"),
                ("csrf", &attackers_token),
            ],
        )
        .await;

    assert_forged(&without);
    assert_forged(&foreign);
    assert_forged(&cookieless);
    assert_eq!(
        web.api().get("/api/session").await.status,
        StatusCode::UNAUTHORIZED
    );
    let mallory = ApiClient::new(server.base_url());
    assert_eq!(
        mallory.login("mallory", "correct horse").await.status,
        StatusCode::UNAUTHORIZED,
        "no dog was registered"
    );
    let failures = ApiClient::new(server.base_url());
    assert_eq!(
        failures.login("rex", "correct horse").await.status,
        StatusCode::OK,
        "refused forms counted no failed logins"
    );
}

async fn a_dogs_forms_need_its_own_sessions_token(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let rex = WebClient::registered(server.base_url(), "rex").await;
    let fido = WebClient::registered(server.base_url(), "fido").await;
    let id = rex.api().post_woof("keep me").await.json()["woof"]["id"]
        .as_i64()
        .unwrap();
    let fidos_token = fido.token_from("/").await;
    let rexs_token = rex.token_from("/").await;
    let delete = format!("/woofs/{id}/delete");

    let refused = [
        rex.post_form("/woofs", &[("body", "forged")]).await,
        rex.post_form("/woofs", &[("body", "forged"), ("csrf", &fidos_token)])
            .await,
        rex.post_form("/woofs", &[("body", "forged"), ("csrf", "")])
            .await,
        rex.post_form(&delete, &[]).await,
        rex.post_form(&delete, &[("csrf", &fidos_token)]).await,
        rex.post_form("/logout", &[("csrf", &fidos_token)]).await,
    ];
    // After logging in again, the old session's token is worth nothing.
    let relogged = WebClient::new(server.base_url());
    relogged.login("rex", "correct horse").await;
    let stale = relogged
        .post_form("/woofs", &[("body", "stale"), ("csrf", &rexs_token)])
        .await;

    for r in &refused {
        assert_forged(r);
    }
    assert_forged(&stale);
    let woofs = rex.api().walk("/api/woofs", 100).await;
    assert_eq!(woofs.len(), 1, "nothing posted, nothing deleted: {woofs:?}");
    assert_eq!(
        rex.api().get("/api/session").await.status,
        StatusCode::OK,
        "still logged in"
    );
    let copied = rex.api().session_cookie_in_jar();
    let logout = rex.post_form("/logout", &[("csrf", &rexs_token)]).await;
    assert_see_other(&logout, "/");
    assert_eq!(
        rex.api().get("/api/session").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        status_with_cookie(server.base_url(), "/api/session", &copied).await,
        StatusCode::UNAUTHORIZED,
        "a copy of the cookie is refused too"
    );
}

async fn every_answer_carries_the_security_headers(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let web = WebClient::registered(server.base_url(), "rex").await;
    let visitor = WebClient::new(server.base_url());

    let answers = [
        web.get("/").await,
        web.get("/@rex").await,
        web.get("/no/such/page").await,
        web.get("/woofs/999").await,
        web.get("/woofs/abc").await,
        web.post_form("/woofs", &[("body", "x")]).await,
        visitor.get("/").await,
        visitor.get("/register").await,
        visitor.get("/woofs/1").await,
        visitor.get("/nope").await,
        visitor.get("/api/health").await,
        visitor.get("/api/woofs").await,
    ];

    for r in &answers {
        assert_safety_headers(r);
    }
    assert_page(&answers[2], StatusCode::NOT_FOUND, "Nothing here");
    assert_page(&answers[3], StatusCode::NOT_FOUND, "Nothing here");
    assert_page(&answers[4], StatusCode::NOT_FOUND, "Nothing here");
    assert_page(&answers[5], StatusCode::FORBIDDEN, "Not allowed");
    assert!(
        answers[2].text.contains(r#"action="/logout""#),
        "an error page still knows the dog"
    );
    answers[11].assert_error(StatusCode::UNAUTHORIZED, "unauthenticated");
}

async fn hostile_woofs_are_shown_as_text(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let web = WebClient::registered(server.base_url(), "rex").await;
    let hostile = r#"<script>alert(1)</script> "><img src=x onerror=alert(2)> ' & </p></main>"#;
    let id = web.api().post_woof(hostile).await.json()["woof"]["id"]
        .as_i64()
        .unwrap();
    let bidi = web.api().post_woof("evil\u{202E}txt.exe").await;

    let escaped = "&#60;script&#62;alert(1)&#60;/script&#62; &#34;&#62;&#60;img src=x onerror=alert(2)&#62; &#39; &#38; &#60;/p&#62;&#60;/main&#62;";
    for path in [
        "/".to_owned(),
        format!("/woofs/{id}"),
        "/@rex".to_owned(),
        format!("/woofs/{id}/delete"),
    ] {
        let page = web.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(
            !page.text.contains("<script>alert"),
            "{path}: {}",
            page.text
        );
        assert!(!page.text.contains("<img src=x"), "{path}");
        assert!(page.text.contains(escaped), "{path}: {}", page.text);
    }
    bidi.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
}

async fn api_form_logins_from_other_sites_are_refused(options: ServerOptions) {
    let server = TestServer::start(options).await;
    ApiClient::registered(server.base_url(), "rex").await;
    let client = ApiClient::new(server.base_url());
    let form = [("username", "rex"), ("password", "correct horse")];
    let new_dog = [("username", "mallory"), ("password", "correct horse")];
    let own_origin = server.base_url().to_owned();
    let form_login = |headers: &[(&str, &str)]| {
        let mut request = client
            .request(reqwest::Method::POST, "/api/session")
            .form(&form);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request
    };

    let cross_site = client
        .send(form_login(&[("Sec-Fetch-Site", "cross-site")]))
        .await;
    let foreign_origin = client
        .send(form_login(&[("Origin", "http://evil.example")]))
        .await;
    let null_origin = client.send(form_login(&[("Origin", "null")])).await;
    let register = client
        .send(
            client
                .request(reqwest::Method::POST, "/api/users")
                .header("Sec-Fetch-Site", "cross-site")
                .form(&new_dog),
        )
        .await;
    let same_origin = client
        .send(form_login(&[
            ("Sec-Fetch-Site", "same-origin"),
            ("Origin", &own_origin),
        ]))
        .await;
    let scripted = ApiClient::new(server.base_url())
        .send(
            client
                .request(reqwest::Method::POST, "/api/session")
                .form(&form),
        )
        .await;
    let json_cross_site = client
        .send(
            client
                .request(reqwest::Method::POST, "/api/session")
                .header("Sec-Fetch-Site", "cross-site")
                .json(&serde_json::json!({"username": "rex", "password": "correct horse"})),
        )
        .await;

    for refused in [&cross_site, &foreign_origin, &null_origin, &register] {
        refused.assert_error(StatusCode::FORBIDDEN, "forbidden");
        assert_eq!(refused.session_cookie(), None);
    }
    assert_eq!(same_origin.status, StatusCode::OK, "{}", same_origin.text);
    assert_eq!(scripted.status, StatusCode::OK, "no headers: a script");
    assert_eq!(
        json_cross_site.status,
        StatusCode::OK,
        "JSON needs CORS anyway"
    );
    assert_eq!(
        ApiClient::new(server.base_url())
            .login("mallory", "correct horse")
            .await
            .status,
        StatusCode::UNAUTHORIZED,
        "the refused registration made no dog"
    );
}

async fn oversized_forms_are_refused_with_a_page(options: ServerOptions) {
    let server = TestServer::start(options).await;
    let web = WebClient::registered(server.base_url(), "rex").await;
    let csrf = web.token_from("/").await;
    let huge = "a".repeat(17 * 1024);

    let post = web
        .post_form("/woofs", &[("body", &huge), ("csrf", &csrf)])
        .await;
    let login = WebClient::new(server.base_url())
        .post_form("/login", &[("username", &huge), ("password", "x")])
        .await;

    assert_page(&post, StatusCode::PAYLOAD_TOO_LARGE, "Too much at once");
    assert_page(&login, StatusCode::PAYLOAD_TOO_LARGE, "Too much at once");
    assert!(web.api().walk("/api/woofs", 100).await.is_empty());
}

async fn one_session_for_the_pages_and_the_api(options: ServerOptions) {
    let server = TestServer::start(options).await;
    ApiClient::registered(server.base_url(), "rex").await;

    // Logged in on the page, logged out through the API.
    let web = WebClient::new(server.base_url());
    web.login("rex", "correct horse").await;
    let api = web.api();
    let me = api.get("/api/session").await;
    let woof = api.post_woof("from the API").await;
    let front = web.get("/").await;
    api.delete("/api/session").await;
    let after_api_logout = web.get("/").await;

    // Logged in through the API, logged out on the page (same jar).
    let api_first = ApiClient::new(server.base_url());
    api_first.login("rex", "correct horse").await;
    let jar_front = api_first.get("/").await;
    let token = form_token(&jar_front.text).expect("a logout token");
    let logout = api_first
        .send(
            api_first
                .request(reqwest::Method::POST, "/logout")
                .form(&[("csrf", token.as_str())]),
        )
        .await;
    let after_web_logout = api_first.get("/api/session").await;

    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.json()["user"]["username"], "rex");
    assert_eq!(woof.status, StatusCode::CREATED);
    assert!(front.text.contains(">from the API</p>"));
    assert_page(&after_api_logout, StatusCode::OK, "Log in");
    assert_page(&jar_front, StatusCode::OK, "Home");
    // This client follows the 303 to the login page.
    assert_page(&logout, StatusCode::OK, "Log in");
    assert!(logout.text.contains("Logged out."));
    after_web_logout.assert_error(StatusCode::UNAUTHORIZED, "unauthenticated");
}
