use rocket::fairing::AdHoc;
use rocket::serde::json::Json;
use woofer_shared::api::Health;

#[utoipa::path(get, path = "/api/health", tag = "health",
    responses((status = 200, description = "the server is up", body = Health)))]
#[rocket::get("/health")]
pub(crate) fn health() -> Json<Health> {
    Json(Health {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
    })
}

pub fn stage() -> AdHoc {
    AdHoc::on_ignite("Health route", |rocket| async {
        rocket.mount("/api", rocket::routes![health])
    })
}
