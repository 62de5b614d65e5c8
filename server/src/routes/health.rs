use rocket::fairing::AdHoc;
use rocket::serde::json::Json;
use woofer_shared::api::Health;

#[rocket::get("/health")]
fn health() -> Json<Health> {
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
