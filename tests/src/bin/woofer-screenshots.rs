//! Retakes the README's screenshots of the web face: the real server (on a
//! fresh SQLite database, seeded with a few dogs, woofs, follows, likes and
//! a reply) in headless Chromium, the front page logged out and logged in
//! (rex's Home), at phone and desktop sizes.
//!
//! `scripts/screenshots.sh`, or
//! `cargo run -p woofer-tests --bin woofer-screenshots -- docs/screenshots`.

use std::path::{Path, PathBuf};

use woofer_tests::browser::{Browser, Viewport};
use woofer_tests::{ApiClient, ServerOptions, TestServer};

const WOOFS: &[(&str, &str)] = &[
    (
        "biscuit",
        "Dug a hole in the garden. Found a better hole underneath it. Today is a good day.",
    ),
    (
        "pepper",
        "Reminder: the mail carrier is NOT a threat.\nThe mail carrier is the threat.",
    ),
    ("luna", "Zoomies at 3 a.m. Nobody asked, nobody needed to."),
    ("rex", "Squirrel!!"),
    (
        "biscuit",
        "Who else can hear the treat bag being opened from three rooms away? Asking for a friend.",
    ),
    ("luna", "Walked past the vet's. Did not go in. Victory."),
    ("rex", "Nap, stretch, nap again. Productive Sunday."),
];

const PHONE: Viewport = Viewport::Phone {
    width: 390,
    height: 844,
};
const DESKTOP: Viewport = Viewport::Desktop {
    width: 1280,
    height: 860,
};

fn main() {
    let out = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "docs/screenshots".into()),
    );
    std::fs::create_dir_all(&out).expect("the output directory");
    woofer_tests::trials::block_on(async move {
        let server = TestServer::start(ServerOptions::default()).await;
        seed(&server).await;
        for (size, viewport) in [("phone", PHONE), ("desktop", DESKTOP)] {
            shoot(&server, viewport, &out, size).await;
        }
    });
}

async fn seed(server: &TestServer) {
    let mut dogs = std::collections::HashMap::new();
    for (name, _) in WOOFS {
        if !dogs.contains_key(name) {
            dogs.insert(*name, ApiClient::registered(server.base_url(), name).await);
        }
    }
    let mut ids = Vec::new();
    for (name, body) in WOOFS {
        ids.push(dogs[name].woof_id(body).await);
    }
    // rex follows two of them (pepper's woof stays out of rex's Home); a
    // few likes, and luna answers rex's squirrel.
    for followed in ["biscuit", "luna"] {
        let r = dogs["rex"]
            .put(&format!("/api/users/{followed}/follow"))
            .await;
        assert!(r.status.is_success(), "{}", r.text);
    }
    for (name, woof) in [
        ("rex", 0),
        ("luna", 0),
        ("pepper", 0),
        ("biscuit", 3),
        ("luna", 3),
        ("rex", 5),
    ] {
        let r = dogs[name]
            .put(&format!("/api/woofs/{}/like", ids[woof]))
            .await;
        assert!(r.status.is_success(), "{}", r.text);
    }
    dogs["luna"]
        .reply_id(ids[3], "Where?? I need to know where.")
        .await;
}

async fn shoot(server: &TestServer, viewport: Viewport, out: &Path, size: &str) {
    let browser = Browser::start(viewport).await;
    browser.goto(&server.url("/")).await;
    browser.wait_for_title("Log in · Woofer").await;
    save(&browser, out, &format!("front-logged-out-{size}.png")).await;

    browser.type_into("#username", "rex").await;
    browser.type_into("#password", "correct horse").await;
    browser.click("form.stacked-form button[type=submit]").await;
    browser.wait_for_title("Home · Woofer").await;
    // Once more, without the one-off "welcome back" notice.
    browser.goto(&server.url("/")).await;
    browser.wait_for_title("Home · Woofer").await;
    save(&browser, out, &format!("front-logged-in-{size}.png")).await;
    browser.quit().await;
}

async fn save(browser: &Browser, out: &Path, name: &str) {
    let path = out.join(name);
    std::fs::write(&path, browser.screenshot().await).expect("the screenshot is written");
    println!("{}", path.display());
}
