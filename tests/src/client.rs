//! A client as a script or the terminal app would be: reqwest with a
//! cookie jar, every response read as status, headers and JSON.

use std::sync::Arc;

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use reqwest_cookie_store::CookieStoreMutex;
use serde_json::{json, Value};

pub struct ApiClient {
    base_url: String,
    http: reqwest::Client,
    jar: Arc<CookieStoreMutex>,
}

#[derive(Debug)]
pub struct ApiResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub text: String,
}

impl ApiResponse {
    /// Sends `request` and reads the whole answer.
    pub async fn of(request: reqwest::RequestBuilder) -> Self {
        let response = request.send().await.expect("request sent");
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.expect("body read");
        Self {
            status,
            headers,
            text,
        }
    }

    /// The body as JSON; panics with the body when it is not JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.text))
    }

    /// `error.code` of an error body.
    pub fn error_code(&self) -> String {
        self.json()["error"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }

    /// The `Cache-Control` header, or `""`.
    pub fn cache_control(&self) -> String {
        self.header("cache-control").unwrap_or_default()
    }

    /// Checks the contract's error shape: `status`, JSON, exactly
    /// `{"error": {"code", "message", "field"?}}` with `code`, a message
    /// that gives nothing of the server's insides away, and `field` only on
    /// `validation_failed`.
    #[track_caller]
    pub fn assert_error(&self, status: StatusCode, code: &str) {
        assert_eq!(self.status, status, "{}", self.text);
        assert!(
            self.header("content-type")
                .unwrap_or_default()
                .starts_with("application/json"),
            "{:?}",
            self.headers
        );
        let body = self.json();
        let error = body["error"]
            .as_object()
            .unwrap_or_else(|| panic!("no error object: {}", self.text));
        assert_eq!(error["code"], code, "{}", self.text);
        let message = error["message"].as_str().unwrap();
        assert!(!message.is_empty());
        for leak in ["SELECT", "sqlite", "/src/", ".rs:", "panicked", "sqlx"] {
            assert!(!message.contains(leak), "message leaks {leak}: {message}");
        }
        assert_eq!(
            error.contains_key("field"),
            code == "validation_failed",
            "{}",
            self.text
        );
        assert_eq!(body.as_object().unwrap().len(), 1);
    }

    /// The value of the `woofer_session` cookie this response set, as a
    /// client would send it back.
    pub fn session_cookie(&self) -> Option<String> {
        self.session_set_cookie().map(|c| {
            c.split(';')
                .next()
                .unwrap_or_default()
                .trim_start_matches("woofer_session=")
                .to_owned()
        })
    }

    /// The whole `woofer_session` Set-Cookie header.
    pub fn session_set_cookie(&self) -> Option<String> {
        self.set_cookies()
            .into_iter()
            .find(|c| c.starts_with("woofer_session="))
    }

    /// Every `Set-Cookie` header.
    pub fn set_cookies(&self) -> Vec<String> {
        self.headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(str::to_owned)
            .collect()
    }
}

/// `GET base_url + path` with exactly this session cookie and no jar: what
/// a copied (or tampered, or expired) cookie gets.
pub async fn status_with_cookie(base_url: &str, path: &str, session: &str) -> StatusCode {
    install_crypto();
    reqwest::Client::new()
        .get(format!("{base_url}{path}"))
        .header("Cookie", format!("woofer_session={session}"))
        .send()
        .await
        .expect("request sent")
        .status()
}

pub fn install_crypto() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

impl ApiClient {
    pub fn new(base_url: &str) -> Self {
        Self::with_jar(base_url, Arc::new(CookieStoreMutex::default()))
    }

    pub fn with_jar(base_url: &str, jar: Arc<CookieStoreMutex>) -> Self {
        install_crypto();
        let http = reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .build()
            .expect("http client");
        Self {
            base_url: base_url.trim_end_matches('/').to_owned(),
            http,
            jar,
        }
    }

    pub fn jar(&self) -> Arc<CookieStoreMutex> {
        self.jar.clone()
    }

    /// The session cookie's value in the jar: a copy of it, as a thief
    /// would take.
    pub fn session_cookie_in_jar(&self) -> String {
        let store = self.jar.lock().unwrap();
        let value = store
            .iter_any()
            .find(|c| c.name() == "woofer_session")
            .map(|c| c.value().to_owned());
        value.expect("a woofer_session cookie in the jar")
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    pub async fn send(&self, request: reqwest::RequestBuilder) -> ApiResponse {
        ApiResponse::of(request).await
    }

    pub fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.http.request(method, self.url(path))
    }

    pub async fn get(&self, path: &str) -> ApiResponse {
        self.send(self.request(Method::GET, path)).await
    }

    pub async fn put(&self, path: &str) -> ApiResponse {
        self.send(self.request(Method::PUT, path)).await
    }

    pub async fn delete(&self, path: &str) -> ApiResponse {
        self.send(self.request(Method::DELETE, path)).await
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> ApiResponse {
        self.send(self.request(Method::POST, path).json(body)).await
    }

    pub async fn register(&self, username: &str, password: &str) -> ApiResponse {
        self.post_json(
            "/api/users",
            &json!({"username": username, "password": password}),
        )
        .await
    }

    pub async fn login(&self, username: &str, password: &str) -> ApiResponse {
        self.post_json(
            "/api/session",
            &json!({"username": username, "password": password}),
        )
        .await
    }

    pub async fn post_woof(&self, body: &str) -> ApiResponse {
        self.post_json("/api/woofs", &json!({ "body": body })).await
    }

    /// Posts `body` and returns the new woof's id, panicking unless stored.
    pub async fn woof_id(&self, body: &str) -> i64 {
        let r = self.post_woof(body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        r.json()["woof"]["id"].as_i64().expect("an id")
    }

    /// Posts `body` as a reply to woof `to` and returns its id.
    pub async fn reply_id(&self, to: i64, body: &str) -> i64 {
        let r = self
            .post_json("/api/woofs", &json!({ "body": body, "reply_to": to }))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        r.json()["woof"]["id"].as_i64().expect("an id")
    }

    /// The woof as this client sees it now.
    pub async fn woof(&self, id: i64) -> Value {
        let r = self.get(&format!("/api/woofs/{id}")).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        r.json()["woof"].clone()
    }

    /// Every woof of the feed, or of a timeline (`path`), by following
    /// `next_before` page by page, checking each page on the way.
    pub async fn walk(&self, path: &str, limit: u32) -> Vec<Value> {
        let mut all = Vec::new();
        let mut before: Option<i64> = None;
        loop {
            let url = match before {
                Some(b) => format!("{path}?limit={limit}&before={b}"),
                None => format!("{path}?limit={limit}"),
            };
            let page = self.get(&url).await;
            assert_eq!(page.status, StatusCode::OK, "{}", page.text);
            let page = page.json();
            let woofs = page["woofs"].as_array().expect("a woofs array");
            assert!(woofs.len() <= limit as usize);
            all.extend(woofs.iter().cloned());
            match page["next_before"].as_i64() {
                Some(next) => before = Some(next),
                None => return all,
            }
        }
    }

    /// `username` (password `correct horse`) logged in on a fresh client
    /// that says `user_agent`.
    pub async fn logged_in_with_agent(base_url: &str, username: &str, user_agent: &str) -> Self {
        let client = Self::new(base_url);
        let request = client
            .request(Method::POST, "/api/session")
            .header("User-Agent", user_agent)
            .json(&serde_json::json!({"username": username, "password": "correct horse"}));
        let r = client.send(request).await;
        assert_eq!(r.status, StatusCode::OK, "log in {username}: {}", r.text);
        client
    }

    /// The id of this client's session whose `field` is `value` in
    /// `GET /api/sessions` (`("current", true)`: its own).
    pub async fn session_id_where(&self, field: &str, value: impl Into<Value>) -> String {
        let value = value.into();
        let r = self.get("/api/sessions").await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let sessions = r.json()["sessions"].as_array().cloned().unwrap_or_default();
        let session = sessions.iter().find(|s| s[field] == value);
        session.expect("such a session")["id"]
            .as_str()
            .expect("an id")
            .to_owned()
    }

    /// Registers `username` (password `correct horse`) and panics unless it worked.
    pub async fn registered(base_url: &str, username: &str) -> Self {
        let client = Self::new(base_url);
        let r = client.register(username, "correct horse").await;
        assert_eq!(
            r.status,
            StatusCode::CREATED,
            "register {username}: {}",
            r.text
        );
        client
    }
}
