//! The feed, posting, reading and deleting woofs.

use rocket::fairing::AdHoc;
use rocket::http::Status;
use rocket::response::status::Created;
use rocket::serde::json::Json;
use woofer_shared::api::{ErrorBody, FeedPage, NewWoof, WoofEnvelope};

use crate::actions::{self, woof_id};
use crate::auth::CurrentSession;
use crate::body::JsonBody;
use crate::db::Db;
use crate::error::{Error, Result};
use crate::routes::paging::PageQuery;
use crate::store::woofs::{self, Scope};

#[utoipa::path(get, path = "/api/woofs", tag = "woofs", security(("session_cookie" = [])),
    params(("before" = Option<i64>, Query, minimum = 1, description = "only woofs with a smaller id"),
        ("limit" = Option<i64>, Query, minimum = 1, maximum = 100, description = "how many woofs, 1 to 100; 20 when absent")),
    responses((status = 200, description = "every dog's woofs, newest first", body = FeedPage), (status = 401, description = "no valid session", body = ErrorBody),
        (status = 422, description = "a bad before or limit (or either given twice)", body = ErrorBody)))]
#[rocket::get("/woofs")]
async fn feed(
    _session: &CurrentSession,
    db: &Db,
    query: Result<PageQuery, Error>,
) -> Result<Json<FeedPage>> {
    let query = query?;
    Ok(Json(
        woofs::page(db, Scope::Everyone, query.before, query.limit).await?,
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
        (status = 422, description = "the body breaks the woof rule", body = ErrorBody),
    ))]
#[rocket::post("/woofs", data = "<body>")]
async fn post(
    session: &CurrentSession,
    db: &Db,
    body: Result<JsonBody<NewWoof>, Error>,
) -> Result<Created<Json<WoofEnvelope>>> {
    let woof = actions::post_woof(db, &session.user, &body?.0.body).await?;
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
async fn delete(session: &CurrentSession, db: &Db, id: &str) -> Result<Status> {
    actions::delete_woof(db, woof_id(id)?, session.user.id).await?;
    Ok(Status::NoContent)
}

pub fn stage() -> AdHoc {
    AdHoc::on_ignite("Woof routes", |rocket| async {
        rocket.mount("/api", rocket::routes![feed, post, read, delete])
    })
}
