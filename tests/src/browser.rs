//! Headless Chromium driven over W3C WebDriver (Debian's `chromium` and
//! `chromium-driver`), for the browser tests and the README's screenshots.
//!
//! The protocol is a handful of JSON requests to `chromedriver` on
//! loopback, so this speaks it with the reqwest client the tests already
//! build rather than a WebDriver crate: fantoccini would add hyper's client
//! stack and a TLS choice (openssl, or rustls on aws-lc), and the
//! `webdriver` crate under it a second `http` and `cookie` and ICU's
//! segmenter; chromiumoxide generates the whole DevTools protocol.

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{json, Value};

use crate::client::install_crypto;

/// The key W3C WebDriver names an element reference by.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// Whether the browser tests can run here: `WOOFER_REQUIRE_BROWSER=1` (as
/// in CI) turns a missing browser into a failure instead of a skip.
#[derive(Debug, Clone)]
pub enum Availability {
    Found { chromium: PathBuf, driver: PathBuf },
    Missing(String),
    RequiredButMissing(String),
}

impl Availability {
    pub fn from_env() -> Self {
        let chromium = ["chromium", "chromium-browser"]
            .iter()
            .find_map(|name| on_path(name));
        let driver = on_path("chromedriver");
        match (chromium, driver) {
            (Some(chromium), Some(driver)) => Self::Found { chromium, driver },
            (chromium, _) => {
                let missing = if chromium.is_none() {
                    "chromium is not installed"
                } else {
                    "chromedriver (chromium-driver) is not installed"
                };
                if std::env::var("WOOFER_REQUIRE_BROWSER").is_ok_and(|v| v == "1") {
                    Self::RequiredButMissing(missing.to_owned())
                } else {
                    Self::Missing(missing.to_owned())
                }
            }
        }
    }

    pub fn is_missing(&self) -> bool {
        matches!(self, Self::Missing(_))
    }
}

/// Where `name` is on `PATH`, if it is.
pub fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// The size of the page the browser lays out.
#[derive(Debug, Clone, Copy)]
pub enum Viewport {
    /// A desktop window, CSS pixels.
    Desktop { width: u32, height: u32 },
    /// A phone: a narrow touch screen at twice the pixel density.
    Phone { width: u32, height: u32 },
}

pub struct Browser {
    http: reqwest::Client,
    /// `http://127.0.0.1:PORT/session/ID`
    session: String,
    driver: Child,
    _profile: tempfile::TempDir,
}

/// A page element, as the driver names it.
#[derive(Debug, Clone)]
pub struct Element(String);

impl Browser {
    /// Starts chromedriver and a fresh headless Chromium; panics (failing
    /// the test) when they cannot start.
    pub async fn start(viewport: Viewport) -> Self {
        Self::start_with(viewport, true).await
    }

    /// A browser with JavaScript switched off, as some readers have it.
    pub async fn without_javascript(viewport: Viewport) -> Self {
        Self::start_with(viewport, false).await
    }

    async fn start_with(viewport: Viewport, javascript: bool) -> Self {
        install_crypto();
        let (chromium, driver_path) = match Availability::from_env() {
            Availability::Found { chromium, driver } => (chromium, driver),
            Availability::Missing(why) | Availability::RequiredButMissing(why) => {
                panic!("the browser tests need Chromium: {why}")
            }
        };
        let port = free_port();
        // A process group of its own, which the Chromium it starts joins:
        // ending the group ends the browser too, even after a panic.
        let driver = Command::new(&driver_path)
            .arg(format!("--port={port}"))
            .process_group(0)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", driver_path.display()));
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
            .expect("http client");
        let profile = tempfile::tempdir().expect("a profile directory");
        let base = format!("http://127.0.0.1:{port}");
        let mut browser = Self {
            http,
            session: String::new(),
            driver,
            _profile: profile,
        };
        browser.wait_for_driver(&base).await;
        let capabilities = capabilities(&chromium, browser._profile.path(), viewport, javascript);
        let answer = browser
            .call(
                reqwest::Method::POST,
                &format!("{base}/session"),
                Some(capabilities),
            )
            .await;
        let id = answer["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no WebDriver session: {answer}"));
        browser.session = format!("{base}/session/{id}");
        browser
    }

    async fn wait_for_driver(&self, base: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let ready = self
                .http
                .get(format!("{base}/status"))
                .send()
                .await
                .ok()
                .filter(|r| r.status().is_success());
            if ready.is_some() {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "chromedriver did not start within 20 s"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// One WebDriver command; its `value`, or a panic naming the error.
    async fn call(&self, method: reqwest::Method, url: &str, body: Option<Value>) -> Value {
        let mut request = self.http.request(method.clone(), url);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request
            .send()
            .await
            .unwrap_or_else(|e| panic!("WebDriver {method} {url}: {e}"));
        let status = response.status();
        let answer: Value = response.json().await.unwrap_or(Value::Null);
        let value = answer.get("value").cloned().unwrap_or(Value::Null);
        if !status.is_success() {
            panic!(
                "WebDriver {method} {url}: {status} {} {}",
                value["error"], value["message"]
            );
        }
        // Creating a session answers `{value: {sessionId, capabilities}}`.
        value
    }

    async fn command(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        self.call(method, &format!("{}{path}", self.session), body)
            .await
    }

    pub async fn goto(&self, url: &str) {
        self.command(reqwest::Method::POST, "/url", Some(json!({ "url": url })))
            .await;
    }

    pub async fn current_url(&self) -> String {
        let url = self.command(reqwest::Method::GET, "/url", None).await;
        url.as_str().unwrap_or_default().to_owned()
    }

    pub async fn title(&self) -> String {
        let title = self.command(reqwest::Method::GET, "/title", None).await;
        title.as_str().unwrap_or_default().to_owned()
    }

    /// The element `css` selects, waiting up to 10 s for it to appear.
    pub async fn find(&self, css: &str) -> Element {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(element) = self.find_now(css).await.into_iter().next() {
                return element;
            }
            assert!(Instant::now() < deadline, "no element matches {css:?}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Every element `css` selects now.
    pub async fn find_now(&self, css: &str) -> Vec<Element> {
        let found = self
            .command(
                reqwest::Method::POST,
                "/elements",
                Some(json!({ "using": "css selector", "value": css })),
            )
            .await;
        found
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e[ELEMENT].as_str().map(|id| Element(id.to_owned())))
            .collect()
    }

    pub async fn text(&self, element: &Element) -> String {
        let text = self
            .command(
                reqwest::Method::GET,
                &format!("/element/{}/text", element.0),
                None,
            )
            .await;
        text.as_str().unwrap_or_default().to_owned()
    }

    /// The text of the element `css` selects.
    pub async fn text_of(&self, css: &str) -> String {
        let element = self.find(css).await;
        self.text(&element).await
    }

    pub async fn type_into(&self, css: &str, text: &str) {
        let element = self.find(css).await;
        self.command(
            reqwest::Method::POST,
            &format!("/element/{}/clear", element.0),
            Some(json!({})),
        )
        .await;
        self.command(
            reqwest::Method::POST,
            &format!("/element/{}/value", element.0),
            Some(json!({ "text": text })),
        )
        .await;
    }

    pub async fn click(&self, css: &str) {
        let element = self.find(css).await;
        self.command(
            reqwest::Method::POST,
            &format!("/element/{}/click", element.0),
            Some(json!({})),
        )
        .await;
    }

    /// Runs `script` (a function body; `arguments` holds `args`) in the page.
    pub async fn execute(&self, script: &str, args: Value) -> Value {
        self.command(
            reqwest::Method::POST,
            "/execute/sync",
            Some(json!({ "script": script, "args": args })),
        )
        .await
    }

    /// Runs `script`, which calls its last argument with the result.
    pub async fn execute_async(&self, script: &str, args: Value) -> Value {
        self.command(
            reqwest::Method::POST,
            "/execute/async",
            Some(json!({ "script": script, "args": args })),
        )
        .await
    }

    /// Waits up to 10 s for the page's title to be `title`.
    pub async fn wait_for_title(&self, title: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let now = self.title().await;
            if now == title {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "title stayed {now:?}, expected {title:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The page as a PNG.
    pub async fn screenshot(&self) -> Vec<u8> {
        let png = self
            .command(reqwest::Method::GET, "/screenshot", None)
            .await;
        base64::engine::general_purpose::STANDARD
            .decode(png.as_str().unwrap_or_default())
            .expect("the screenshot is base64")
    }

    /// Ends the WebDriver session (closing Chromium), then the driver.
    pub async fn quit(self) {
        let _ = self
            .http
            .delete(&self.session)
            .timeout(Duration::from_secs(10))
            .send()
            .await;
    }
}

impl Drop for Browser {
    /// Ends chromedriver and every Chromium process in its group, so a
    /// failed test leaves no browser behind.
    fn drop(&mut self) {
        if let Ok(group) = i32::try_from(self.driver.id()) {
            // SAFETY: killpg only sends a signal to the group we created.
            unsafe {
                libc::killpg(group, libc::SIGKILL);
            }
        }
        let _ = self.driver.wait();
    }
}

/// Headless, sandbox off (containers), and nothing that reaches for the
/// network on its own: on a closed network Chromium otherwise hangs on
/// lookups.
fn capabilities(chromium: &Path, profile: &Path, viewport: Viewport, javascript: bool) -> Value {
    let mut args = vec![
        "--headless".to_owned(),
        "--no-sandbox".to_owned(),
        "--disable-gpu".to_owned(),
        "--disable-quic".to_owned(),
        "--no-first-run".to_owned(),
        "--disable-background-networking".to_owned(),
        "--disable-component-update".to_owned(),
        "--disable-sync".to_owned(),
        "--disable-dev-shm-usage".to_owned(),
        // No crash handler: it leaves its own session, outliving the test.
        "--disable-crash-reporter".to_owned(),
        "--disable-breakpad".to_owned(),
        "--hide-scrollbars".to_owned(),
        format!("--user-data-dir={}", profile.display()),
    ];
    let mut options = json!({ "binary": chromium });
    match viewport {
        Viewport::Desktop { width, height } => {
            args.push(format!("--window-size={width},{height}"));
        }
        Viewport::Phone { width, height } => {
            options["mobileEmulation"] = json!({
                "deviceMetrics": { "width": width, "height": height, "pixelRatio": 2.0, "touch": true },
            });
        }
    }
    options["args"] = json!(args);
    if !javascript {
        options["prefs"] = json!({ "profile.managed_default_content_settings.javascript": 2 });
    }
    json!({
        "capabilities": {
            "alwaysMatch": { "browserName": "chrome", "goog:chromeOptions": options }
        }
    })
}

/// A port free on loopback now (the driver binds it right after).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}
