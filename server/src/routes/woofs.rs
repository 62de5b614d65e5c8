//! The feed, posting, reading and deleting woofs.

use rocket::fairing::AdHoc;
use rocket::http::Status;
use rocket::response::status::Created;
use rocket::serde::json::Json;
use woofer_shared::api::{FeedPage, NewWoof, WoofEnvelope};
use woofer_shared::WoofBody;

use crate::auth::CurrentSession;
use crate::body::JsonBody;
use crate::clock;
use crate::db::Db;
use crate::error::{Error, Result};
use crate::routes::paging::PageQuery;
use crate::store::woofs::{self, Scope};

const NO_SUCH_WOOF: Error = Error::NotFound("there is no woof with that id");

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

#[rocket::post("/woofs", data = "<body>")]
async fn post(
    session: &CurrentSession,
    db: &Db,
    body: Result<JsonBody<NewWoof>, Error>,
) -> Result<Created<Json<WoofEnvelope>>> {
    let body = WoofBody::parse(&body?.0.body)?;
    let woof = woofs::insert(
        db,
        session.user.id,
        &session.user.username,
        body.as_str(),
        clock::now(),
    )
    .await?;
    Ok(Created::new(format!("/api/woofs/{}", woof.id)).body(Json(WoofEnvelope { woof })))
}

/// Ids in paths are read by hand: anything but a number is simply no woof.
fn woof_id(raw: &str) -> Result<i64> {
    raw.parse::<i64>().map_err(|_| NO_SUCH_WOOF)
}

#[rocket::get("/woofs/<id>")]
async fn read(_session: &CurrentSession, db: &Db, id: &str) -> Result<Json<WoofEnvelope>> {
    let (woof, _) = woofs::find(db, woof_id(id)?).await?.ok_or(NO_SUCH_WOOF)?;
    Ok(Json(WoofEnvelope { woof }))
}

#[rocket::delete("/woofs/<id>")]
async fn delete(session: &CurrentSession, db: &Db, id: &str) -> Result<Status> {
    let id = woof_id(id)?;
    let (_, author_id) = woofs::find(db, id).await?.ok_or(NO_SUCH_WOOF)?;
    if author_id != session.user.id {
        return Err(Error::Forbidden(
            "that woof is another dog's; you can only delete your own",
        ));
    }
    woofs::delete(db, id).await?;
    Ok(Status::NoContent)
}

pub fn stage() -> AdHoc {
    AdHoc::on_ignite("Woof routes", |rocket| async {
        rocket.mount("/api", rocket::routes![feed, post, read, delete])
    })
}
