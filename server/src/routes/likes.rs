//! Liking a woof.

use rocket::fairing::AdHoc;
use rocket::http::Status;
use woofer_shared::api::ErrorBody;

use crate::actions::{self, woof_id};
use crate::auth::CurrentSession;
use crate::db::Db;
use crate::error::Result;

#[utoipa::path(put, path = "/api/woofs/{id}/like", tag = "likes", security(("session_cookie" = [])),
    params(("id" = i64, Path, minimum = 1, description = "the woof's id")),
    responses((status = 204, description = "you like it (also when you already did)"),
        (status = 401, description = "no valid session", body = ErrorBody),
        (status = 404, description = "no such woof", body = ErrorBody)))]
#[rocket::put("/woofs/<id>/like")]
async fn like(session: &CurrentSession, db: &Db, id: &str) -> Result<Status> {
    actions::like(db.writer(), session.user.id, woof_id(id)?, true).await?;
    Ok(Status::NoContent)
}

#[utoipa::path(delete, path = "/api/woofs/{id}/like", tag = "likes", security(("session_cookie" = [])),
    params(("id" = i64, Path, minimum = 1, description = "the woof's id")),
    responses((status = 204, description = "you do not like it (also when you did not)"),
        (status = 401, description = "no valid session", body = ErrorBody),
        (status = 404, description = "no such woof", body = ErrorBody)))]
#[rocket::delete("/woofs/<id>/like")]
async fn unlike(session: &CurrentSession, db: &Db, id: &str) -> Result<Status> {
    actions::like(db.writer(), session.user.id, woof_id(id)?, false).await?;
    Ok(Status::NoContent)
}

pub fn stage() -> AdHoc {
    AdHoc::on_ignite("Like routes", |rocket| async {
        rocket.mount("/api", rocket::routes![like, unlike])
    })
}
