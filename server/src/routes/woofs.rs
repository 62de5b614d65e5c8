//! The feed, posting, reading and deleting woofs.

use rocket::fairing::AdHoc;
use rocket::http::Status;
use rocket::response::status::Created;
use rocket::serde::json::Json;
use rocket::State;
use woofer_shared::api::{ErrorBody, FeedPage, NewWoof, ReplyPage, WoofEnvelope};
use woofer_shared::WoofId;

use crate::actions::{self, woof_id};
use crate::auth::CurrentSession;
use crate::body::JsonBody;
use crate::db::Db;
use crate::error::{Error, Result};
use crate::routes::paging::Paging;
use crate::store::woofs::{self, Scope};
use crate::stream::Hub;

#[utoipa::path(get, path = "/api/woofs", tag = "woofs", security(("session_cookie" = [])),
    params(("before" = Option<i64>, Query, minimum = 1, description = "only woofs with a smaller id"),
        ("limit" = Option<i64>, Query, minimum = 1, maximum = 100, description = "how many woofs, 1 to 100; 20 when absent")),
    responses((status = 200, description = "every dog's woofs, newest first", body = FeedPage), (status = 401, description = "no valid session", body = ErrorBody),
        (status = 422, description = "a bad before or limit (or either given twice)", body = ErrorBody)))]
#[rocket::get("/woofs")]
async fn feed(session: &CurrentSession, db: &Db, paging: Paging<'_>) -> Result<Json<FeedPage>> {
    let query = paging.woofs()?;
    Ok(Json(
        woofs::page(
            db,
            session.user.id,
            Scope::Everyone,
            query.before,
            query.limit,
        )
        .await?,
    ))
}

#[utoipa::path(post, path = "/api/woofs", tag = "woofs", security(("session_cookie" = [])),
    request_body(content = NewWoof, content_type = "application/json"),
    responses(
        (status = 201, description = "stored", body = WoofEnvelope,
            headers(("Location" = String, description = "/api/woofs/ID")),
            links(("ReadWoof" = (operation_id = "read", parameters(("id" = "$response.body#/woof/id")),
                    description = "the woof just stored can be read")),
                ("DeleteWoof" = (operation_id = "delete", parameters(("id" = "$response.body#/woof/id")),
                    description = "and deleted by its author")))),
        (status = 400, description = "malformed body", body = ErrorBody), (status = 401, description = "no valid session", body = ErrorBody),
        (status = 413, description = "body over 16 KiB", body = ErrorBody),
        (status = 415, description = "not JSON", body = ErrorBody),
        (status = 422, description = "the body breaks the woof rule (field body), or reply_to names no woof (field reply_to)", body = ErrorBody),
    ))]
#[rocket::post("/woofs", data = "<body>")]
async fn post(
    session: &CurrentSession,
    db: &Db,
    hub: &State<Hub>,
    body: Result<JsonBody<NewWoof>, Error>,
) -> Result<Created<Json<WoofEnvelope>>> {
    let new = body?.0;
    let woof = actions::post_woof(db.writer(), hub, &session.user, &new.body, new.reply_to).await?;
    Ok(Created::new(format!("/api/woofs/{}", woof.id)).body(Json(WoofEnvelope { woof })))
}

#[utoipa::path(get, path = "/api/woofs/{id}", tag = "woofs", security(("session_cookie" = [])),
    params(("id" = i64, Path, minimum = 1, description = "the woof's id")),
    responses((status = 200, description = "the woof", body = WoofEnvelope), (status = 401, description = "no valid session", body = ErrorBody),
        (status = 404, description = "no such woof", body = ErrorBody)))]
#[rocket::get("/woofs/<id>")]
async fn read(session: &CurrentSession, db: &Db, id: &str) -> Result<Json<WoofEnvelope>> {
    let (woof, _) = actions::read_woof(db, woof_id(id)?, session.user.id).await?;
    Ok(Json(WoofEnvelope { woof }))
}

#[utoipa::path(delete, path = "/api/woofs/{id}", tag = "woofs", security(("session_cookie" = [])),
    params(("id" = i64, Path, minimum = 1, description = "the woof's id")),
    responses((status = 204, description = "deleted"), (status = 401, description = "no valid session", body = ErrorBody),
        (status = 403, description = "another dog's woof", body = ErrorBody),
        (status = 404, description = "no such woof", body = ErrorBody)))]
#[rocket::delete("/woofs/<id>")]
async fn delete(session: &CurrentSession, db: &Db, hub: &State<Hub>, id: &str) -> Result<Status> {
    actions::delete_woof(db.writer(), hub, woof_id(id)?, session.user.id).await?;
    Ok(Status::NoContent)
}

#[utoipa::path(get, path = "/api/woofs/{id}/replies", tag = "woofs", security(("session_cookie" = [])),
    params(("id" = i64, Path, minimum = 1, description = "the woof's id"),
        ("after" = Option<i64>, Query, minimum = 1, description = "only replies with a larger id"),
        ("limit" = Option<i64>, Query, minimum = 1, maximum = 100, description = "how many, 1 to 100; 20 when absent")),
    responses((status = 200, description = "the direct replies, oldest first", body = ReplyPage),
        (status = 401, description = "no valid session", body = ErrorBody),
        (status = 404, description = "no such woof (also a deleted one)", body = ErrorBody),
        (status = 422, description = "a bad after or limit (or either given twice)", body = ErrorBody)))]
#[rocket::get("/woofs/<id>/replies")]
async fn replies(
    session: &CurrentSession,
    db: &Db,
    id: &str,
    paging: Paging<'_>,
) -> Result<Json<ReplyPage>> {
    let after = paging.cursor("after")?.map(WoofId);
    let limit = paging.limit()?;
    Ok(Json(
        actions::replies(db, session.user.id, woof_id(id)?, after, limit).await?,
    ))
}

pub fn stage() -> AdHoc {
    AdHoc::on_ignite("Woof routes", |rocket| async {
        rocket.mount("/api", rocket::routes![feed, post, read, delete, replies])
    })
}
