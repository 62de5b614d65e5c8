//! The OpenAPI document describes every route the server mounts under
//! `/api` (the web face's pages outside it are not part of the API).

use reqwest::StatusCode;
use woofer_tests::trials::Trial;
use woofer_tests::{async_tests, ApiClient, ServerOptions, TestServer};

pub fn trials() -> Vec<Trial> {
    async_tests![every_mounted_api_route_is_in_the_openapi_document]
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
