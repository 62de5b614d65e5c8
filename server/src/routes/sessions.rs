//! Where a dog is logged in: its sessions, and ending them.

use rocket::fairing::AdHoc;
use rocket::http::{CookieJar, Status};
use rocket::serde::json::Json;
use rocket::State;
use woofer_shared::api::{ErrorBody, SessionList};

use crate::actions;
use crate::auth::{CurrentSession, SessionStore};
use crate::db::Db;
use crate::error::Result;

#[utoipa::path(get, path = "/api/sessions", tag = "sessions", security(("session_cookie" = [])),
    responses((status = 200, description = "every live session of yours, newest first", body = SessionList,
            links(("EndSession" = (operation_id = "end_one", parameters(("id" = "$response.body#/sessions/0/id")),
                description = "a session listed can be ended")))),
        (status = 401, description = "no valid session", body = ErrorBody)))]
#[rocket::get("/sessions")]
async fn list(session: &CurrentSession, db: &Db) -> Result<Json<SessionList>> {
    let sessions = actions::sessions(db, session).await?;
    Ok(Json(SessionList { sessions }))
}

#[utoipa::path(delete, path = "/api/sessions/others", tag = "sessions", security(("session_cookie" = [])),
    responses((status = 204, description = "every other session of yours has ended"),
        (status = 401, description = "no valid session", body = ErrorBody)))]
#[rocket::delete("/sessions/others")]
async fn end_others(
    session: &CurrentSession,
    db: &Db,
    store: &State<SessionStore>,
) -> Result<Status> {
    store
        .end_others(db.writer(), session.user.id, &session.token_hash)
        .await?;
    Ok(Status::NoContent)
}

#[utoipa::path(delete, path = "/api/sessions/{id}", tag = "sessions", security(("session_cookie" = [])),
    params(("id" = String, Path, pattern = r"^[A-Za-z0-9_-]+$", description = "a session's id, from GET /api/sessions")),
    responses((status = 204, description = "that session has ended (the current one: logged out, and the cookie removed)"),
        (status = 401, description = "no valid session", body = ErrorBody),
        (status = 404, description = "you have no session with that id", body = ErrorBody)))]
#[rocket::delete("/sessions/<id>")]
async fn end_one(
    session: &CurrentSession,
    db: &Db,
    store: &State<SessionStore>,
    cookies: &CookieJar<'_>,
    id: &str,
) -> Result<Status> {
    actions::end_session(db.writer(), store, cookies, session, id).await?;
    Ok(Status::NoContent)
}

pub fn stage() -> AdHoc {
    AdHoc::on_ignite("Session list routes", |rocket| async {
        rocket.mount("/api", rocket::routes![list, end_others, end_one])
    })
}
