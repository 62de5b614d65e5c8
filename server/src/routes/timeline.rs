//! The home timeline: your woofs and those of the dogs you follow.

use rocket::fairing::AdHoc;
use rocket::serde::json::Json;
use woofer_shared::api::{ErrorBody, FeedPage};

use crate::auth::CurrentSession;
use crate::db::Db;
use crate::error::Result;
use crate::routes::paging::Paging;
use crate::store::woofs::{self, Scope};

#[utoipa::path(get, path = "/api/timeline", tag = "woofs", security(("session_cookie" = [])),
    params(("before" = Option<i64>, Query, minimum = 1, description = "only woofs with a smaller id"),
        ("limit" = Option<i64>, Query, minimum = 1, maximum = 100, description = "how many, 1 to 100; 20 when absent")),
    responses((status = 200, description = "your woofs and those of the dogs you follow, newest first", body = FeedPage),
        (status = 401, description = "no valid session", body = ErrorBody),
        (status = 422, description = "a bad before or limit (or either given twice)", body = ErrorBody)))]
#[rocket::get("/timeline")]
async fn home(session: &CurrentSession, db: &Db, paging: Paging<'_>) -> Result<Json<FeedPage>> {
    let query = paging.woofs()?;
    let me = session.user.id;
    Ok(Json(
        woofs::page(db, me, Scope::Home(me), query.before, query.limit).await?,
    ))
}

pub fn stage() -> AdHoc {
    AdHoc::on_ignite("Timeline route", |rocket| async {
        rocket.mount("/api", rocket::routes![home])
    })
}
