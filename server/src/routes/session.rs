//! Logging in, who am I, logging out.

use rocket::fairing::AdHoc;
use rocket::http::{CookieJar, Status};
use rocket::serde::json::Json;
use rocket::State;
use woofer_shared::api::{Credentials, ErrorBody, UserEnvelope};

use crate::auth::{ClientAgent, CurrentSession, Login, SessionStore};
use crate::body::CredentialsBody;
use crate::config::WooferConfig;
use crate::db::Db;
use crate::error::{Error, Result};

#[utoipa::path(post, path = "/api/session", tag = "session",
    request_body(content((Credentials = "application/json"), (Credentials = "application/x-www-form-urlencoded"))),
    responses(
        (status = 200, description = "logged in; sets the woofer_session cookie (a new session each login)", body = UserEnvelope, headers(("Set-Cookie" = String, description = "the woofer_session cookie: private, HttpOnly, SameSite=Strict, Path=/, expiring with the session"))),
        (status = 400, description = "malformed body", body = ErrorBody),
        (status = 401, description = "invalid_credentials", body = ErrorBody),
        (status = 403, description = "a form-encoded request from another site (Sec-Fetch-Site / Origin)", body = ErrorBody),
        (status = 413, description = "body over 16 KiB", body = ErrorBody),
        (status = 415, description = "neither JSON nor a form", body = ErrorBody),
        (status = 429, description = "too many failed logins for this name (or from this address); see Retry-After", body = ErrorBody, headers(("Retry-After" = u64, description = "whole seconds to wait"))),
        (status = 503, description = "too many password checks waiting; see Retry-After", body = ErrorBody, headers(("Retry-After" = u64, description = "whole seconds to wait"))),
    ))]
#[rocket::post("/session", data = "<body>")]
async fn login(
    db: &Db,
    store: &State<SessionStore>,
    service: &State<Login>,
    config: &State<WooferConfig>,
    cookies: &CookieJar<'_>,
    agent: ClientAgent,
    body: Result<CredentialsBody, Error>,
) -> Result<Json<UserEnvelope>> {
    let credentials = body?.0;
    let user = service
        .verify(db.writer(), &credentials.username, &credentials.password)
        .await?;
    store
        .open_from(db.writer(), cookies, config, user.id, &agent)
        .await?;
    Ok(Json(UserEnvelope { user }))
}

#[utoipa::path(get, path = "/api/session", tag = "session", security(("session_cookie" = [])),
    responses((status = 200, description = "the logged-in dog", body = UserEnvelope), (status = 401, description = "no valid session", body = ErrorBody)))]
#[rocket::get("/session")]
fn whoami(session: &CurrentSession) -> Json<UserEnvelope> {
    Json(UserEnvelope {
        user: session.user.clone(),
    })
}

#[utoipa::path(delete, path = "/api/session", tag = "session",
    // A session is optional: with one, it is revoked; without, nothing happens.
    security((), ("session_cookie" = [])),
    responses((status = 204, description = "logged out (also without a session): the session is revoked on the server and the cookie removed",
        headers(("Set-Cookie" = String, description = "removes the woofer_session cookie (an expiry in the past)")))))]
#[rocket::delete("/session")]
async fn logout(db: &Db, store: &State<SessionStore>, cookies: &CookieJar<'_>) -> Result<Status> {
    store.close(db.writer(), cookies).await?;
    Ok(Status::NoContent)
}

pub fn stage() -> AdHoc {
    AdHoc::on_ignite("Session routes", |rocket| async {
        rocket.mount("/api", rocket::routes![login, whoami, logout])
    })
}
