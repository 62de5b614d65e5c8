//! The pages in a text browser: w3m renders them as a person reads them
//! (the feed, a woof's thread, a dog's page),
//! with no CSS and no script, sending the session cookie a real login set.

use std::process::Command;

use reqwest::StatusCode;
use woofer_tests::trials::Trial;
use woofer_tests::{text_browser_tests, ApiClient, ServerOptions, TestServer, WebClient};

pub fn trials() -> Vec<Trial> {
    text_browser_tests![
        the_login_page_and_the_feed_read_well_in_w3m,
        a_thread_and_a_dog_page_read_well_in_w3m,
    ]
}

/// The page at `url` as w3m shows it, 80 columns wide, with `cookie` sent.
fn w3m_dump(url: &str, cookie: Option<&str>) -> String {
    let mut command = Command::new("w3m");
    command.args(["-dump", "-cols", "80", "-no-cookie", "-o", "auto_image=0"]);
    if let Some(cookie) = cookie {
        command.args(["-header", &format!("Cookie: woofer_session={cookie}")]);
    }
    let output = command.arg(url).output().expect("w3m runs");
    assert!(output.status.success(), "w3m failed: {output:?}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

async fn the_login_page_and_the_feed_read_well_in_w3m() {
    let server = TestServer::start(ServerOptions::default()).await;
    let web = WebClient::new(server.base_url());
    let registered = web.register("rex", "correct horse").await;
    assert_eq!(registered.status, StatusCode::SEE_OTHER);
    let cookie = registered.session_cookie().expect("a session cookie");
    web.api().post_woof("Squirrel!! <b>not bold</b>").await;

    let (login_url, home_url) = (server.url("/"), server.url("/"));
    let cookie_for_home = cookie.clone();
    let (login, home) = tokio::task::spawn_blocking(move || {
        (
            w3m_dump(&login_url, None),
            w3m_dump(&home_url, Some(&cookie_for_home)),
        )
    })
    .await
    .unwrap();

    for expected in [
        "Log in to Woofer",
        "Username [",
        "Password [",
        "Create an account",
    ] {
        assert!(login.contains(expected), "{expected:?} in:\n{login}");
    }
    for expected in [
        "What are you woofing about, @rex?",
        "Up to 280 characters.",
        "@rex",
        "Squirrel!! <b>not bold</b>",
        "Delete",
        "Log out",
    ] {
        assert!(home.contains(expected), "{expected:?} in:\n{home}");
    }
    assert!(!home.contains("csrf"), "no hidden field shows:\n{home}");
}

async fn a_thread_and_a_dog_page_read_well_in_w3m() {
    let server = TestServer::start(ServerOptions::default()).await;
    let fido = ApiClient::registered(server.base_url(), "fido").await;
    let root = fido.woof_id("Who took my ball?").await;
    let web = WebClient::new(server.base_url());
    let registered = web.register("rex", "correct horse").await;
    let cookie = registered.session_cookie().expect("a session cookie");
    let rex = web.api();
    rex.reply_id(root, "Not me. <b>Honest</b>").await;
    rex.put(&format!("/api/woofs/{root}/like")).await;

    let (thread_url, dog_url) = (server.url(&format!("/woofs/{root}")), server.url("/@fido"));
    let (thread, dog) = tokio::task::spawn_blocking(move || {
        (
            w3m_dump(&thread_url, Some(&cookie)),
            w3m_dump(&dog_url, Some(&cookie)),
        )
    })
    .await
    .unwrap();

    for expected in [
        "Who took my ball?",
        "Unlike this woof",
        "1 like",
        "1 reply",
        "Reply to @fido [",
        "Replies",
        "↳ in reply to @fido",
        "Not me. <b>Honest</b>",
    ] {
        assert!(thread.contains(expected), "{expected:?} in:\n{thread}");
    }
    for expected in [
        "1 woof · joined",
        "0 followers · 0 following",
        "Follow @fido",
    ] {
        assert!(dog.contains(expected), "{expected:?} in:\n{dog}");
    }
    assert!(!thread.contains("csrf") && !dog.contains("csrf"));
}
