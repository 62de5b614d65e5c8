//! The web face: the HTML pages over HTTP (`pages`, `safety`, `settings`,
//! `social`), in headless
//! Chromium (`browser`) and in the text browser w3m (`text_browser`).

mod browser;
mod pages;
mod safety;
mod settings;
mod social;
mod text_browser;

use reqwest::StatusCode;
use woofer_tests::trials::Trial;
use woofer_tests::ApiResponse;

pub fn trials() -> Vec<Trial> {
    [
        pages::trials(),
        safety::trials(),
        settings::trials(),
        social::trials(),
        browser::trials(),
        text_browser::trials(),
    ]
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
    assert_accessible(&r.text);
}

/// What every page owes assistive technology: a language, one top heading,
/// a label for every field, and every `aria-describedby` naming elements
/// that exist.
#[track_caller]
fn assert_accessible(html: &str) {
    assert!(html.contains(r#"<html lang="en">"#));
    assert_eq!(html.matches("<h1").count(), 1, "one <h1>: {html}");
    let values_of = |attribute: &str| -> Vec<String> {
        html.split(&format!(r#"{attribute}=""#))
            .skip(1)
            .filter_map(|rest| rest.split('"').next().map(str::to_owned))
            .collect()
    };
    let ids = values_of("id");
    for field in values_of("for") {
        assert!(ids.contains(&field), "label for {field:?} has no field");
    }
    let fields = html.split("<input").skip(1);
    for input in fields.chain(html.split("<textarea").skip(1)) {
        let tag = input.split('>').next().unwrap_or_default();
        if tag.contains(r#"type="hidden""#) {
            continue;
        }
        let id = tag
            .split(r#"id=""#)
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_else(|| panic!("a field without an id: {tag}"));
        assert!(
            html.contains(&format!(r#"<label for="{id}""#))
                || html.contains(&format!(r#"<label class="compose-label" for="{id}""#)),
            "field {id} has no label"
        );
    }
    for described in values_of("aria-describedby") {
        for id in described.split_whitespace() {
            assert!(
                ids.iter().any(|i| i == id),
                "aria-describedby {id:?} names nothing"
            );
        }
    }
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
