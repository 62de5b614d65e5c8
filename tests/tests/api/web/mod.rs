//! The web face: the HTML pages over HTTP (`pages`, `safety`) and in
//! headless Chromium (`browser`).

mod browser;
mod pages;
mod safety;

use reqwest::StatusCode;
use woofer_tests::trials::Trial;
use woofer_tests::ApiResponse;

pub fn trials() -> Vec<Trial> {
    [pages::trials(), safety::trials(), browser::trials()]
        .into_iter()
        .flatten()
        .collect()
}

/// `r` is an HTML page with `status`, titled `TITLE · Woofer`, carrying the
/// headers every page must.
#[track_caller]
pub fn assert_page(r: &ApiResponse, status: StatusCode, title: &str) {
    assert_eq!(r.status, status, "{}", r.text);
    assert_eq!(
        r.header("content-type").as_deref(),
        Some("text/html; charset=utf-8")
    );
    assert!(
        r.text.contains(&format!("<title>{title} · Woofer</title>")),
        "expected title {title:?}: {}",
        r.text
    );
    assert_safety_headers(r);
}

/// The headers every response of the web face carries, error pages included.
#[track_caller]
pub fn assert_safety_headers(r: &ApiResponse) {
    let csp = r.header("content-security-policy").unwrap_or_default();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    let script_src = csp
        .split(';')
        .map(str::trim)
        .find(|d| d.starts_with("script-src") || d.starts_with("default-src"))
        .unwrap_or_else(|| panic!("no script-src or default-src: {csp}"));
    assert!(!csp.contains("'unsafe-inline'"), "{csp}");
    assert!(!script_src.contains('*'), "{csp}");
    assert_eq!(
        r.header("x-content-type-options").as_deref(),
        Some("nosniff")
    );
    assert!(r.header("referrer-policy").is_some(), "{:?}", r.headers);
}

/// The `Location` of a `303 See Other`.
#[track_caller]
pub fn assert_see_other(r: &ApiResponse, to: &str) {
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(r.header("location").as_deref(), Some(to));
    assert_safety_headers(r);
}
