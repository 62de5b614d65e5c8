//! A browser's-eye client for the web pages, without a browser: a cookie
//! jar, forms posted URL-encoded, redirects not followed (so a test sees
//! each `303`), and the page's form token read from its HTML.

use std::sync::Arc;

use reqwest::redirect::Policy;
use reqwest::{Method, StatusCode};
use reqwest_cookie_store::CookieStoreMutex;

use crate::client::{install_crypto, ApiClient, ApiResponse};

pub struct WebClient {
    base_url: String,
    http: reqwest::Client,
    jar: Arc<CookieStoreMutex>,
}

impl WebClient {
    pub fn new(base_url: &str) -> Self {
        install_crypto();
        let jar = Arc::new(CookieStoreMutex::default());
        let http = reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .redirect(Policy::none())
            .build()
            .expect("http client");
        Self {
            base_url: base_url.trim_end_matches('/').to_owned(),
            http,
            jar,
        }
    }

    /// A JSON API client sharing this client's cookies: the same session.
    pub fn api(&self) -> ApiClient {
        ApiClient::with_jar(&self.base_url, self.jar.clone())
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> ApiResponse {
        ApiResponse::of(request).await
    }

    pub async fn get(&self, path: &str) -> ApiResponse {
        self.send(self.http.get(self.url(path))).await
    }

    /// Posts `fields` URL-encoded, as a browser submits a form.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> ApiResponse {
        self.send(self.http.request(Method::POST, self.url(path)).form(fields))
            .await
    }

    /// The form token on the page at `path` (the first form's).
    pub async fn token_from(&self, path: &str) -> String {
        let page = self.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "GET {path}: {}", page.text);
        form_token(&page.text).unwrap_or_else(|| panic!("no form token on {path}"))
    }

    /// Registers through the form and follows nothing: the `303` answer.
    pub async fn register(&self, username: &str, password: &str) -> ApiResponse {
        let csrf = self.token_from("/register").await;
        self.post_form(
            "/register",
            &[
                ("username", username),
                ("password", password),
                ("csrf", &csrf),
            ],
        )
        .await
    }

    /// Logs in through the form on the front page.
    pub async fn login(&self, username: &str, password: &str) -> ApiResponse {
        let csrf = self.token_from("/").await;
        self.post_form(
            "/login",
            &[
                ("username", username),
                ("password", password),
                ("csrf", &csrf),
            ],
        )
        .await
    }

    /// A dog registered through the form (password `correct horse`).
    pub async fn registered(base_url: &str, username: &str) -> Self {
        let client = Self::new(base_url);
        let r = client.register(username, "correct horse").await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
        client
    }
}

/// The value of the first `<input name="csrf" value="…">` in `html`.
pub fn form_token(html: &str) -> Option<String> {
    let at = html.find(r#"name="csrf" value=""#)?;
    let rest = &html[at + r#"name="csrf" value=""#.len()..];
    rest.split('"').next().map(str::to_owned)
}
