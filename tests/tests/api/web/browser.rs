//! The web face in a real browser: headless Chromium over WebDriver, with
//! no help from the test but typing and clicking. Ignored where Chromium
//! is missing; required in CI (`WOOFER_REQUIRE_BROWSER=1`).

use serde_json::{json, Value};
use woofer_tests::browser::{Browser, Viewport};
use woofer_tests::trials::Trial;
use woofer_tests::{browser_tests, ApiClient, ServerOptions, TestServer};

pub fn trials() -> Vec<Trial> {
    browser_tests![
        register_log_out_log_in_post_and_delete,
        a_wrong_password_keeps_the_name_and_says_so,
        a_forged_form_without_its_token_is_refused,
        a_hostile_woof_is_shown_inert,
        the_page_and_the_api_share_one_session,
        everything_works_without_javascript,
        a_new_password_from_the_settings_page,
        two_dogs_follow_like_and_reply,
    ]
}

const DESKTOP: Viewport = Viewport::Desktop {
    width: 1280,
    height: 900,
};

/// A server on SQLite and a browser on it.
async fn start() -> (TestServer, Browser) {
    let server = TestServer::start(ServerOptions::default()).await;
    let browser = Browser::start(DESKTOP).await;
    (server, browser)
}

async fn register(browser: &Browser, server: &TestServer, name: &str) {
    browser.goto(&server.url("/register")).await;
    browser.wait_for_title("Create an account · Woofer").await;
    browser.type_into("#username", name).await;
    browser.type_into("#password", "correct horse").await;
    browser.click("form.stacked-form button[type=submit]").await;
    browser.wait_for_title("Home · Woofer").await;
}

async fn log_in(browser: &Browser, server: &TestServer, name: &str, password: &str) {
    browser.goto(&server.url("/")).await;
    browser.wait_for_title("Log in · Woofer").await;
    browser.type_into("#username", name).await;
    browser.type_into("#password", password).await;
    browser.click("form.stacked-form button[type=submit]").await;
}

async fn register_log_out_log_in_post_and_delete() {
    let (server, browser) = start().await;

    register(&browser, &server, "rex").await;
    assert!(browser
        .text_of(".notice")
        .await
        .contains("Welcome to Woofer, @rex!"));
    browser.click(".account-nav button[type=submit]").await;
    browser.wait_for_title("Log in · Woofer").await;
    assert!(browser.text_of(".notice").await.contains("Logged out."));

    log_in(&browser, &server, "rex", "correct horse").await;
    browser.wait_for_title("Home · Woofer").await;
    assert!(browser
        .text_of(".notice")
        .await
        .contains("Welcome back, @rex."));

    browser.type_into("#body", "Squirrel!! e\u{301}").await;
    let counter = browser.text_of("#body-counter").await;
    assert_eq!(
        counter, "268 characters left",
        "the script counts graphemes"
    );
    browser.click("form.compose button[type=submit]").await;
    browser.wait_for_title("Home · Woofer").await;
    assert!(browser.text_of(".notice").await.contains("Woof posted."));
    assert_eq!(
        browser.text_of(".woof .woof-body").await,
        "Squirrel!! e\u{301}"
    );
    assert_eq!(browser.text_of(".woof .woof-author").await, "@rex");

    browser.click(".woof .woof-actions a").await;
    browser.wait_for_title("Delete this woof? · Woofer").await;
    browser.click(".confirm-actions button[type=submit]").await;
    browser.wait_for_title("Home · Woofer").await;
    assert!(browser.text_of(".notice").await.contains("Woof deleted."));
    assert!(browser.find_now(".woof").await.is_empty());
    assert!(browser.text_of(".empty").await.contains("Nothing here yet"));
    browser.quit().await;
}

async fn a_wrong_password_keeps_the_name_and_says_so() {
    let (server, browser) = start().await;
    ApiClient::registered(server.base_url(), "rex").await;

    log_in(&browser, &server, "rex", "wrong horse").await;
    browser.wait_for_title("Log in · Woofer").await;

    let error = browser.text_of("#form-error").await;
    let fields = browser
        .execute(
            "return [document.getElementById('username').value, \
                     document.getElementById('password').value, \
                     document.getElementById('password').getAttribute('aria-describedby')];",
            json!([]),
        )
        .await;
    assert_eq!(error, "Wrong username or password.");
    assert_eq!(fields, json!(["rex", "", "form-error"]));
    assert_eq!(
        browser.current_url().await,
        server.url("/login"),
        "the answer to the form, not a redirect"
    );
    browser.quit().await;
}

async fn a_forged_form_without_its_token_is_refused() {
    let (server, browser) = start().await;
    register(&browser, &server, "rex").await;

    // The compose form, its token taken out, sent as a forger's page would.
    browser
        .execute(
            "const form = document.querySelector('form.compose'); \
             form.querySelector('input[name=csrf]').remove(); \
             form.querySelector('textarea').value = 'forged'; \
             form.submit();",
            json!([]),
        )
        .await;
    browser.wait_for_title("Not allowed · Woofer").await;

    let message = browser.text_of(".message-card").await;
    assert!(
        message.contains("This form was not sent from a Woofer page"),
        "{message}"
    );
    browser.goto(&server.url("/")).await;
    assert!(browser.find_now(".woof").await.is_empty(), "nothing posted");
    browser.quit().await;
}

async fn a_hostile_woof_is_shown_inert() {
    let (server, browser) = start().await;
    let api = ApiClient::registered(server.base_url(), "mallory").await;
    let hostile =
        r#"<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">"'><b>bold</b>"#;
    api.post_woof(hostile).await;
    register(&browser, &server, "rex").await;
    browser.click(".tabs a[href='/everyone']").await;
    browser.wait_for_title("Everyone · Woofer").await;

    let shown = browser.text_of(".woof .woof-body").await;
    let state = browser
        .execute(
            "return [typeof window.pwned, document.querySelectorAll('.woof-body *').length];",
            json!([]),
        )
        .await;
    assert_eq!(shown, hostile, "shown as the text it is");
    assert_eq!(
        state,
        json!(["undefined", 0]),
        "nothing ran, no markup made"
    );
    browser.quit().await;
}

async fn the_page_and_the_api_share_one_session() {
    let (server, browser) = start().await;
    ApiClient::registered(server.base_url(), "rex").await;
    log_in(&browser, &server, "rex", "correct horse").await;
    browser.wait_for_title("Home · Woofer").await;

    let fetch_session = "const done = arguments[arguments.length - 1]; \
         fetch('/api/session').then(r => r.json().then(body => done([r.status, body])));";
    let logged_in: Value = browser.execute_async(fetch_session, json!([])).await;
    let logout = "const done = arguments[arguments.length - 1]; \
         fetch('/api/session', {method: 'DELETE'}).then(r => done(r.status));";
    let logged_out = browser.execute_async(logout, json!([])).await;
    browser.goto(&server.url("/")).await;
    let title = browser.title().await;
    let after: Value = browser.execute_async(fetch_session, json!([])).await;

    assert_eq!(logged_in[0], 200, "{logged_in}");
    assert_eq!(logged_in[1]["user"]["username"], "rex");
    assert_eq!(logged_out, 204);
    assert_eq!(
        title, "Log in · Woofer",
        "the API's logout ended the page's"
    );
    assert_eq!(after[0], 401);
    browser.quit().await;
}

async fn everything_works_without_javascript() {
    let server = TestServer::start(ServerOptions::default()).await;
    let browser = Browser::without_javascript(DESKTOP).await;

    register(&browser, &server, "rex").await;
    let counter = browser.text_of("#body-counter").await;
    browser.type_into("#body", "No script needed").await;
    browser.click("form.compose button[type=submit]").await;
    browser.wait_for_title("Home · Woofer").await;
    assert_eq!(
        browser.text_of(".woof .woof-body").await,
        "No script needed"
    );
    browser.click(".woof button.like").await;
    browser.find(".woof button.like.liked").await;
    assert_eq!(browser.text_of(".woof .like-count").await, "1 like");
    browser.click(".woof .woof-actions a").await;
    browser.wait_for_title("Delete this woof? · Woofer").await;
    browser.click(".confirm-actions button[type=submit]").await;
    browser.wait_for_title("Home · Woofer").await;
    assert!(browser.find_now(".woof").await.is_empty());
    browser.click(".account-nav button[type=submit]").await;
    browser.wait_for_title("Log in · Woofer").await;

    assert_eq!(
        counter, "Up to 280 characters.",
        "the page as served, no script ran"
    );
    browser.quit().await;
}

async fn a_new_password_from_the_settings_page() {
    let (server, browser) = start().await;
    register(&browser, &server, "rex").await;

    browser.click(".account-nav a[href='/settings']").await;
    browser.wait_for_title("Settings · Woofer").await;
    assert!(browser
        .text_of(".session-current")
        .await
        .contains("This session"));
    browser
        .type_into("#current_password", "correct horse")
        .await;
    browser.type_into("#new_password", "battery staple").await;
    browser
        .type_into("#new_password_again", "battery staple")
        .await;
    browser
        .click("form[action='/settings/password'] button[type=submit]")
        .await;
    browser.wait_for_title("Settings · Woofer").await;
    assert!(browser
        .text_of(".notice")
        .await
        .contains("Password changed."));

    browser.click(".account-nav button[type=submit]").await;
    browser.wait_for_title("Log in · Woofer").await;
    log_in(&browser, &server, "rex", "battery staple").await;
    browser.wait_for_title("Home · Woofer").await;
    browser.quit().await;
}

/// The social journey, as two dogs would make it: rex finds fido under
/// Everyone, follows it, sees its woof at Home, likes it and replies; fido
/// logs in and sees the like, the reply count and the reply.
async fn two_dogs_follow_like_and_reply() {
    let (server, browser) = start().await;
    let fido = ApiClient::registered(server.base_url(), "fido").await;
    let id = fido.woof_id("Anyone up for a walk?").await;
    let woof = format!("#woof-{id}");

    register(&browser, &server, "rex").await;
    let home_before = browser.find_now(&woof).await.len();
    browser.click(".tabs a[href='/everyone']").await;
    browser.wait_for_title("Everyone · Woofer").await;
    browser.click(&format!("{woof} .woof-author")).await;
    browser.wait_for_title("@fido · Woofer").await;
    browser.click(".profile-action button[type=submit]").await;
    let followed = browser.text_of(".notice").await;
    let follows = browser.text_of(".profile-follows").await;
    browser.click(".brand").await;
    browser.wait_for_title("Home · Woofer").await;
    let at_home = browser.text_of(&format!("{woof} .woof-body")).await;
    browser.click(&format!("{woof} button.like")).await;
    browser.find(&format!("{woof} button.like.liked")).await;
    let likes = browser.text_of(&format!("{woof} .like-count")).await;
    let back_at = browser.current_url().await;
    browser.click(&format!("{woof} a.reply")).await;
    browser.wait_for_title("Woof by @fido · Woofer").await;
    browser.type_into("#body", "Yes! The park?").await;
    browser.click("#reply button[type=submit]").await;
    let replied = browser.text_of(".notice").await;
    let reply = browser.text_of("#replies .woof .woof-body").await;

    browser.click(".account-nav button[type=submit]").await;
    browser.wait_for_title("Log in · Woofer").await;
    log_in(&browser, &server, "fido", "correct horse").await;
    browser.wait_for_title("Home · Woofer").await;
    let fido_likes = browser.text_of(&format!("{woof} .like-count")).await;
    let fido_replies = browser.text_of(&format!("{woof} .reply-count")).await;
    let fido_liked = browser
        .find_now(&format!("{woof} button.like.liked"))
        .await
        .len();
    browser.click(&format!("{woof} .reply-count")).await;
    browser.wait_for_title("Woof by @fido · Woofer").await;
    let reply_author = browser.text_of("#replies .woof .woof-author").await;
    let reply_seen = browser.text_of("#replies .woof .woof-body").await;

    assert_eq!(home_before, 0, "rex follows nobody yet");
    assert!(followed.contains("You follow @fido now."), "{followed}");
    assert!(follows.contains("1 follower"), "{follows}");
    assert_eq!(at_home, "Anyone up for a walk?");
    assert_eq!(likes, "1 like");
    assert_eq!(
        back_at,
        server.url(&format!("/{woof}")),
        "back where it was"
    );
    assert!(replied.contains("Reply posted."), "{replied}");
    assert_eq!(reply, "Yes! The park?");
    assert_eq!(fido_likes, "1 like");
    assert_eq!(fido_replies, "1 reply");
    assert_eq!(fido_liked, 0, "rex's like, not fido's");
    assert_eq!(reply_author, "@rex");
    assert_eq!(reply_seen, "Yes! The park?");
    browser.quit().await;
}
