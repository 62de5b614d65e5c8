//! The OpenAPI document of the whole API, generated from the route
//! annotations and the shared types, at `GET /api/openapi.json`.

use rocket::fairing::AdHoc;
use rocket::serde::json::Json;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{account, follows, health, likes, session, sessions, timeline, users, woofs};

#[derive(OpenApi)]
#[openapi(
    info(title = "Woofer API", description = "Twitter for dogs. The contract is API.md; this document describes the same API."),
    paths(
        health::health, openapi_json,
        session::login, session::whoami, session::logout,
        sessions::list, sessions::end_others, sessions::end_one,
        account::change_password, account::delete_account,
        users::register, users::profile, users::timeline,
        woofs::feed, woofs::post, woofs::read, woofs::delete, woofs::replies,
        timeline::home, likes::like, likes::unlike,
        follows::follow, follows::unfollow, follows::followers, follows::following,
    ),
    modifiers(&SessionCookie),
)]
pub struct ApiDoc;

struct SessionCookie;

impl Modify for SessionCookie {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session_cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(
                woofer_shared::api::SESSION_COOKIE,
            ))),
        );
    }
}

#[utoipa::path(get, path = "/api/openapi.json", tag = "meta",
    responses((status = 200, description = "this document")))]
#[rocket::get("/openapi.json")]
fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

pub fn stage() -> AdHoc {
    AdHoc::on_ignite("OpenAPI document", |rocket| async {
        rocket.mount("/api", rocket::routes![openapi_json])
    })
}
