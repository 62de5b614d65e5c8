//! The feed, posting, reading and deleting woofs.

use rocket::fairing::AdHoc;
use rocket::http::Status;
use rocket::response::status::Created;
use rocket::serde::json::Json;
use rocket::State;
use woofer_shared::api::{ErrorBody, FeedPage, NewWoof, WoofEnvelope};

use crate::actions::{self, woof_id};
use crate::auth::CurrentSession;
use crate::body::JsonBody;
use crate::db::Db;
use crate::error::{Error, Result};
use crate::routes::paging::PageQuery;
use crate::store::woofs::{self, Scope};
use crate::stream::Hub;

#[utoipa::path(get, path = "/api/woofs", tag = "woofs", security(("session_cookie" = [])),
    params(("before" = Option<i64>, Query, description = "only woofs with a smaller id"),
        ("limit" = Option<u32>, Query, description = "1 to 100, default 20")),
    responses((status = 200, description = "every dog's woofs, newest first", body = FeedPage), (status = 401, description = "no valid session", body = ErrorBody),
        (status = 422, description = "bad before or limit", body = ErrorBody)))]
#[rocket::get("/woofs?<before>&<limit>")]
async fn feed(
    _session: &CurrentSession,
    db: &Db,
    before: Option<&str>,
    limit: Option<&str>,
) -> Result<Json<FeedPage>> {
    let query = PageQuery::parse(before, limit)?;
    Ok(Json(
        woofs::page(db, Scope::Everyone, query.before, query.limit).await?,
    ))
}

#[utoipa::path(post, path = "/api/woofs", tag = "woofs", security(("session_cookie" = [])),
    request_body(content = NewWoof, content_type = "application/json"),
    responses(
        (status = 201, description = "stored", body = WoofEnvelope,
            headers(("Location" = String, description = "/api/woofs/ID"))),
        (status = 400, description = "malformed body", body = ErrorBody), (status = 401, description = "no valid session", body = ErrorBody),
        (status = 413, description = "body over 16 KiB", body = ErrorBody),
        (status = 415, description = "not JSON", body = ErrorBody),
        (status = 422, description = "the body breaks the woof rule", body = ErrorBody),
    ))]
#[rocket::post("/woofs", data = "<body>")]
async fn post(
    session: &CurrentSession,
    db: &Db,
    hub: &State<Hub>,
    body: Result<JsonBody<NewWoof>, Error>,
) -> Result<Created<Json<WoofEnvelope>>> {
    let woof = actions::post_woof(db, hub, &session.user, &body?.0.body).await?;
    Ok(Created::new(format!("/api/woofs/{}", woof.id)).body(Json(WoofEnvelope { woof })))
}

#[utoipa::path(get, path = "/api/woofs/{id}", tag = "woofs", security(("session_cookie" = [])),
    params(("id" = i64, Path, description = "the woof's id")),
    responses((status = 200, description = "the woof", body = WoofEnvelope), (status = 401, description = "no valid session", body = ErrorBody),
        (status = 404, description = "no such woof", body = ErrorBody)))]
#[rocket::get("/woofs/<id>")]
async fn read(session: &CurrentSession, db: &Db, id: &str) -> Result<Json<WoofEnvelope>> {
    let (woof, _) = actions::read_woof(db, woof_id(id)?, session.user.id).await?;
    Ok(Json(WoofEnvelope { woof }))
}

#[utoipa::path(delete, path = "/api/woofs/{id}", tag = "woofs", security(("session_cookie" = [])),
    params(("id" = i64, Path, description = "the woof's id")),
    responses((status = 204, description = "deleted"), (status = 401, description = "no valid session", body = ErrorBody),
        (status = 403, description = "another dog's woof", body = ErrorBody),
        (status = 404, description = "no such woof", body = ErrorBody)))]
#[rocket::delete("/woofs/<id>")]
async fn delete(
    session: &CurrentSession,
    db: &Db,
    hub: &State<Hub>,
    id: &str,
) -> Result<Status> {
    actions::delete_woof(db, hub, woof_id(id)?, session.user.id).await?;
    Ok(Status::NoContent)
}

pub fn stage() -> AdHoc {
    AdHoc::on_ignite("Woof routes", |rocket| async {
        rocket.mount("/api", rocket::routes![feed, post, read, delete])
    })
}
