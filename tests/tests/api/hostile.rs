//! Arbitrary bytes, unicode, huge numbers and deep JSON at every endpoint:
//! the only answers are successes or the contract's JSON errors, the server
//! keeps serving, and nothing stored breaks a rule.

use std::sync::Arc;

use proptest::prelude::*;
use reqwest::{Method, StatusCode};
use woofer_shared::WoofBody;
use woofer_tests::trials::Trial;
use woofer_tests::{sync_tests, ApiClient, ApiResponse, ServerOptions, TestServer};

pub fn trials() -> Vec<Trial> {
    // Builds its own runtime: proptest's cases run synchronously on it.
    sync_tests![hostile_requests_get_contract_answers_and_store_nothing_invalid]
}

#[derive(Debug, Clone)]
enum Body {
    None,
    Bytes(Vec<u8>),
    Text(String),
    WoofJson(String),
    Credentials(String, String),
    Deep(usize),
}

#[derive(Debug, Clone)]
struct Hostile {
    method: Method,
    route: usize,
    segment: String,
    query: String,
    content_type: Option<&'static str>,
    body: Body,
    logged_in: bool,
}

const ROUTES: &[&str] = &[
    "/api/woofs",
    "/api/woofs/{}",
    "/api/users",
    "/api/users/{}",
    "/api/users/{}/woofs",
    "/api/session",
    "/api/health",
    "/api/{}",
    "/api/openapi.json",
];

fn segment() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9]{1,40}",
        Just("-1".to_owned()),
        Just("9223372036854775808".to_owned()),
        Just("rex".to_owned()),
        "\\PC{0,30}",
        Just("\u{1b}[2J".to_owned()),
    ]
}

fn body() -> impl Strategy<Value = Body> {
    prop_oneof![
        Just(Body::None),
        proptest::collection::vec(any::<u8>(), 0..300).prop_map(Body::Bytes),
        any::<String>().prop_map(Body::Text),
        prop_oneof![
            any::<String>(),
            "\\PC{0,400}",
            "[\\x00-\\x7f]{0,40}",
            "(🐕|e\u{301}|\u{202e}|\n| ){0,300}"
        ]
        .prop_map(Body::WoofJson),
        (any::<String>(), any::<String>()).prop_map(|(u, p)| Body::Credentials(u, p)),
        (1usize..3000).prop_map(Body::Deep),
    ]
}

fn hostile() -> impl Strategy<Value = Hostile> {
    (
        prop_oneof![
            Just(Method::GET),
            Just(Method::POST),
            Just(Method::DELETE),
            Just(Method::PUT),
            Just(Method::PATCH)
        ],
        0..ROUTES.len(),
        segment(),
        prop_oneof![
            Just(String::new()),
            "limit=[-0-9a-z]{0,25}",
            "before=[-0-9e.]{0,30}&limit=[0-9]{0,4}",
            any::<String>()
        ],
        prop_oneof![
            Just(Some("application/json")),
            Just(Some("application/json; charset=utf-8")),
            Just(Some("application/x-www-form-urlencoded")),
            Just(Some("text/plain")),
            Just(Some("multipart/form-data; boundary=x")),
            Just(None),
        ],
        body(),
        any::<bool>(),
    )
        .prop_map(
            |(method, route, segment, query, content_type, body, logged_in)| Hostile {
                method,
                route,
                segment,
                query,
                content_type,
                body,
                logged_in,
            },
        )
}

fn url(base: &str, h: &Hostile) -> reqwest::Url {
    let mut url = reqwest::Url::parse(base).unwrap();
    {
        let mut segments = url.path_segments_mut().unwrap();
        segments.clear();
        for part in ROUTES[h.route].trim_start_matches('/').split('/') {
            segments.push(if part == "{}" { &h.segment } else { part });
        }
    }
    if !h.query.is_empty() {
        url.set_query(Some(&h.query));
    }
    url
}

fn body_bytes(body: &Body) -> Option<Vec<u8>> {
    match body {
        Body::None => None,
        Body::Bytes(b) => Some(b.clone()),
        Body::Text(t) => Some(t.clone().into_bytes()),
        Body::WoofJson(b) => Some(serde_json::json!({ "body": b }).to_string().into_bytes()),
        Body::Credentials(u, p) => Some(
            serde_json::json!({"username": u, "password": p})
                .to_string()
                .into_bytes(),
        ),
        Body::Deep(depth) => {
            Some(format!("{}{}", "[".repeat(*depth), "]".repeat(*depth)).into_bytes())
        }
    }
}

async fn send(anonymous: &ApiClient, dog: &ApiClient, base: &str, h: &Hostile) -> ApiResponse {
    // Logging out is a fine answer, but would leave the rest of the run anonymous.
    let logout = h.method == Method::DELETE && ROUTES[h.route] == "/api/session";
    let client = if h.logged_in && !logout {
        dog
    } else {
        anonymous
    };
    let target = url(base, h);
    let path = &target.as_str()[base.len()..];
    let mut builder = client.request(h.method.clone(), path);
    if let Some(ct) = h.content_type {
        builder = builder.header("content-type", ct);
    }
    if let Some(bytes) = body_bytes(&h.body) {
        builder = builder.body(bytes);
    }
    client.send(builder).await
}

fn check(r: &ApiResponse, h: &Hostile) -> Result<(), TestCaseError> {
    let status = r.status.as_u16();
    prop_assert!(status != 500, "500 for {h:?}: {}", r.text);
    prop_assert!(
        [200, 201, 204, 400, 401, 403, 404, 405, 409, 413, 415, 422, 429].contains(&status),
        "status {status} for {h:?}"
    );
    if status >= 400 {
        let json: serde_json::Value = serde_json::from_str(&r.text).map_err(|e| {
            TestCaseError::fail(format!("error body not JSON ({e}) for {h:?}: {}", r.text))
        })?;
        let code = json["error"]["code"].as_str().unwrap_or_default();
        prop_assert!(
            !code.is_empty() && json["error"]["message"].is_string(),
            "{h:?}: {}",
            r.text
        );
    }
    Ok(())
}

fn hostile_requests_get_contract_answers_and_store_nothing_invalid() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let server = rt.block_on(TestServer::start(ServerOptions::default()));
    let base = server.base_url().to_owned();
    let dog = Arc::new(rt.block_on(ApiClient::registered(&base, "rex")));
    let anonymous = Arc::new(ApiClient::new(&base));

    let config = ProptestConfig {
        cases: 300,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    proptest!(config, |(h in hostile())| {
        let r = rt.block_on(send(&anonymous, &dog, &base, &h));
        check(&r, &h)?;
    });

    // Focused on posting: the server accepts exactly what the shared rule accepts.
    let config = ProptestConfig {
        cases: 300,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    proptest!(config, |(raw in prop_oneof![any::<String>(), "\\PC{0,300}", "(🐕|👨‍👩‍👧|e\u{301}|\u{202e}|\u{2066}|\n|\t|\r| |\u{1b}\\[2J|\u{85}|x){0,290}"])| {
        let r = rt.block_on(dog.post_woof(&raw));
        match WoofBody::parse(&raw) {
            Ok(body) => {
                prop_assert_eq!(r.status, StatusCode::CREATED, "{:?}: {}", raw, r.text);
                prop_assert_eq!(&r.json()["woof"]["body"], body.as_str());
            }
            Err(e) => {
                prop_assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}: {}", raw, r.text);
                prop_assert_eq!(&r.json()["error"]["message"], e.message);
            }
        }
    });

    // Still serving, and the dog is still logged in.
    let (health, me) =
        rt.block_on(async { (dog.get("/api/health").await, dog.get("/api/session").await) });
    assert_eq!(health.status, StatusCode::OK);
    assert_eq!(
        me.status,
        StatusCode::OK,
        "the hostile requests did not end the session"
    );
    // Everything stored obeys the woof rule exactly as stored.
    for woof in rt.block_on(dog.walk("/api/woofs", 100)) {
        let body = woof["body"].as_str().unwrap();
        assert_eq!(
            WoofBody::parse(body).map(WoofBody::into_inner).as_deref(),
            Ok(body),
            "stored woof breaks a rule: {body:?}"
        );
    }
    drop(server);
}
