//! The OpenAPI document describes every route the server mounts under
//! `/api` (the web face's pages outside it are not part of the API).

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use woofer_tests::trials::Trial;
use woofer_tests::{async_tests, ApiClient, ServerOptions, TestServer};

pub fn trials() -> Vec<Trial> {
    async_tests![
        every_mounted_api_route_is_in_the_openapi_document,
        the_session_cookie_is_declared_on_exactly_the_routes_that_need_it,
        the_document_declares_the_rules_on_values,
    ]
}

async fn every_mounted_api_route_is_in_the_openapi_document() {
    let server = TestServer::start(ServerOptions::default()).await;

    let r = ApiClient::new(server.base_url())
        .get("/api/openapi.json")
        .await;

    assert_eq!(r.status, StatusCode::OK);
    let doc = r.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let api_routes: Vec<_> = server
        .routes()
        .iter()
        .filter(|(_, template)| template.starts_with("/api/"))
        .collect();
    assert!(api_routes.len() >= 12, "{:?}", server.routes());
    for (method, template) in api_routes {
        // Rocket writes `<id>`, OpenAPI `{id}`.
        let path = template.replace('<', "{").replace('>', "}");
        let operation = &doc["paths"][&path][method.to_lowercase()];
        assert!(
            operation.is_object(),
            "{method} {path} is missing from /api/openapi.json"
        );
        assert!(
            operation["responses"]
                .as_object()
                .is_some_and(|r| !r.is_empty()),
            "{method} {path} has no responses"
        );
    }
    for schema in [
        "User",
        "Woof",
        "FeedPage",
        "ErrorBody",
        "Credentials",
        "NewWoof",
    ] {
        assert!(
            doc["components"]["schemas"][schema].is_object(),
            "schema {schema}"
        );
    }
    for path in ["/api/session", "/api/users"] {
        assert!(
            doc["paths"][path]["post"]["responses"]["403"].is_object(),
            "{path}: the cross-site form refusal is documented"
        );
    }
    assert_eq!(
        doc["components"]["securitySchemes"]["session_cookie"]["name"],
        "woofer_session"
    );
}

/// Whether the operation's security is the session cookie and nothing else
/// (`[{"session_cookie": []}]`); an optional session (`{}` among the
/// choices, as for logging out) or none is not.
fn requires_session(operation: &Value) -> bool {
    operation["security"]
        .as_array()
        .is_some_and(|choices| choices.iter().all(|c| c.get("session_cookie").is_some()))
}

/// Each operation asked without a cookie: those that declare the session
/// cookie answer `401 unauthenticated`, and no other one does, so a
/// generated client knows which calls need a login.
async fn the_session_cookie_is_declared_on_exactly_the_routes_that_need_it() {
    let server = TestServer::start(ServerOptions::default()).await;
    ApiClient::registered(server.base_url(), "rex").await;
    let anonymous = ApiClient::new(server.base_url());
    let doc = anonymous.get("/api/openapi.json").await.json();

    let mut checked = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let url = path.replace("{id}", "1").replace("{username}", "rex");
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let r = anonymous
                .send(anonymous.request(method.clone(), &url).json(&json!({})))
                .await;

            let unauthenticated =
                r.status == StatusCode::UNAUTHORIZED && r.error_code() == "unauthenticated";
            assert_eq!(
                unauthenticated,
                requires_session(operation),
                "{method} {path} without a session: {} {}",
                r.status,
                r.text
            );
            checked += 1;
        }
    }
    assert!(checked >= 16, "{checked} operations");
}

/// The rules on values are in the document, where generated clients and
/// fuzzers read them (schemathesis.rs checks that the server keeps them).
async fn the_document_declares_the_rules_on_values() {
    let server = TestServer::start(ServerOptions::default()).await;

    let doc = ApiClient::new(server.base_url())
        .get("/api/openapi.json")
        .await
        .json();

    let schemas = &doc["components"]["schemas"];
    let credentials = &schemas["Credentials"]["properties"];
    assert!(credentials["username"]["pattern"]
        .as_str()
        .unwrap()
        .contains("[A-Za-z0-9_]{3,20}"));
    assert_eq!(credentials["password"]["minLength"], 8);
    assert_eq!(credentials["password"]["maxLength"], 128);
    assert_eq!(
        schemas["NewWoof"]["properties"]["body"]["x-max-graphemes"],
        280
    );
    assert_eq!(schemas["NewWoof"]["properties"]["body"]["minLength"], 1);
    assert_eq!(schemas["NewWoof"]["required"], json!(["body"]));
    assert_eq!(schemas["WoofId"]["minimum"], 1);
    assert_eq!(schemas["WoofId"]["format"], "int64");
    let feed = &doc["paths"]["/api/woofs"]["get"];
    let limit = feed["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "limit")
        .unwrap();
    assert_eq!(limit["schema"]["minimum"], 1);
    assert_eq!(limit["schema"]["maximum"], 100);
    let posted = &doc["paths"]["/api/woofs"]["post"]["responses"];
    assert_eq!(posted["201"]["headers"]["Location"]["required"], true);
    for status in ["400", "401", "413", "415", "422", "500"] {
        assert!(
            posted[status].is_object(),
            "POST /api/woofs declares {status}"
        );
    }
    let registered = &doc["paths"]["/api/users"]["post"]["responses"];
    for status in ["429", "503"] {
        assert_eq!(
            registered[status]["headers"]["Retry-After"]["required"], true,
            "{status}"
        );
    }
}
