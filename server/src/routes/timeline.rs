//! The home timeline: your woofs and those of the dogs you follow.

use rocket::fairing::AdHoc;
use rocket::serde::json::Json;
use woofer_shared::api::{ErrorBody, FeedPage};

use crate::auth::CurrentSession;
use crate::db::Db;
use crate::error::Result;
use crate::routes::paging::PageQuery;
use crate::store::woofs::{self, Scope};

#[utoipa::path(get, path = "/api/timeline", tag = "woofs", security(("session_cookie" = [])),
    params(("before" = Option<i64>, Query, description = "only woofs with a smaller id"),
        ("limit" = Option<u32>, Query, description = "1 to 100, default 20")),
    responses((status = 200, description = "your woofs and those of the dogs you follow, newest first", body = FeedPage),
        (status = 401, description = "no valid session", body = ErrorBody),
        (status = 422, description = "bad before or limit", body = ErrorBody)))]
#[rocket::get("/timeline?<before>&<limit>")]
async fn home(
    session: &CurrentSession,
    db: &Db,
    before: Option<&str>,
    limit: Option<&str>,
) -> Result<Json<FeedPage>> {
    let query = PageQuery::parse(before, limit)?;
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
