//! Registering, a dog's profile and a dog's timeline.

use rocket::fairing::AdHoc;
use rocket::http::{CookieJar, Status};
use rocket::serde::json::Json;
use rocket::State;
use woofer_shared::api::{Credentials, ErrorBody, FeedPage, Profile, UserEnvelope};

use crate::actions::{self, find_dog};
use crate::auth::registration_limit::RegistrationAllowance;
use crate::auth::{ClientAgent, CurrentSession, PasswordHasher, SessionStore};
use crate::body::CredentialsBody;
use crate::config::WooferConfig;
use crate::db::Db;
use crate::error::{Error, Result};
use crate::routes::paging::Paging;
use crate::store::woofs::{self, Scope};

#[utoipa::path(post, path = "/api/users", tag = "users",
    request_body(content((Credentials = "application/json"), (Credentials = "application/x-www-form-urlencoded"))),
    responses(
        (status = 201, description = "registered and logged in; sets the woofer_session cookie", body = UserEnvelope, headers(("Set-Cookie" = String, description = "the woofer_session cookie: private, HttpOnly, SameSite=Strict, Path=/, expiring with the session"))),
        (status = 400, description = "malformed body", body = ErrorBody),
        (status = 403, description = "a form-encoded request from another site (Sec-Fetch-Site / Origin)", body = ErrorBody),
        (status = 409, description = "username_taken", body = ErrorBody),
        (status = 413, description = "body over 16 KiB", body = ErrorBody),
        (status = 415, description = "neither JSON nor a form", body = ErrorBody),
        (status = 422, description = "validation_failed, with field", body = ErrorBody),
        (status = 429, description = "too many registrations from this address; see Retry-After", body = ErrorBody, headers(("Retry-After" = u64, description = "whole seconds to wait"))),
        (status = 503, description = "too many password checks waiting; see Retry-After", body = ErrorBody, headers(("Retry-After" = u64, description = "whole seconds to wait"))),
    ))]
#[rocket::post("/users", data = "<body>")]
// Each argument is a request guard Rocket fills in.
#[allow(clippy::too_many_arguments)]
async fn register(
    db: &Db,
    hasher: &State<PasswordHasher>,
    store: &State<SessionStore>,
    config: &State<WooferConfig>,
    cookies: &CookieJar<'_>,
    agent: ClientAgent,
    mut allowance: RegistrationAllowance,
    body: Result<CredentialsBody, Error>,
) -> Result<(Status, Json<UserEnvelope>)> {
    // An address over its limit is refused before its request is looked at.
    allowance.check()?;
    let registered = match body {
        Ok(body) => actions::register(db.writer(), hasher, &body.0).await,
        Err(e) => Err(e),
    };
    allowance.settle(db.writer(), registered.is_ok()).await?;
    let user = registered?;
    store
        .open_from(db.writer(), cookies, config, user.id, &agent)
        .await?;
    Ok((Status::Created, Json(UserEnvelope { user })))
}

#[utoipa::path(get, path = "/api/users/{username}", tag = "users", security(("session_cookie" = [])),
    params(("username" = String, Path, pattern = r"^[A-Za-z0-9_]{3,20}$", description = "a dog's username, matched case-insensitively")),
    responses((status = 200, description = "the dog, its counts, and whether you follow it", body = Profile), (status = 401, description = "no valid session", body = ErrorBody),
        (status = 404, description = "no such dog", body = ErrorBody)))]
#[rocket::get("/users/<username>")]
async fn profile(session: &CurrentSession, db: &Db, username: &str) -> Result<Json<Profile>> {
    Ok(Json(actions::profile(db, session.user.id, username).await?))
}

#[utoipa::path(get, path = "/api/users/{username}/woofs", tag = "users", security(("session_cookie" = [])),
    params(("username" = String, Path, pattern = r"^[A-Za-z0-9_]{3,20}$", description = "a dog's username, matched case-insensitively"),
        ("before" = Option<i64>, Query, minimum = 1, description = "only woofs with a smaller id"),
        ("limit" = Option<i64>, Query, minimum = 1, maximum = 100, description = "how many woofs, 1 to 100; 20 when absent")),
    responses((status = 200, description = "that dog's woofs, newest first", body = FeedPage), (status = 401, description = "no valid session", body = ErrorBody),
        (status = 404, description = "no such dog", body = ErrorBody),
        (status = 422, description = "a bad before or limit (or either given twice)", body = ErrorBody)))]
#[rocket::get("/users/<username>/woofs")]
async fn timeline(
    session: &CurrentSession,
    db: &Db,
    username: &str,
    paging: Paging<'_>,
) -> Result<Json<FeedPage>> {
    let query = paging.woofs()?;
    let user = find_dog(db, username).await?;
    Ok(Json(
        woofs::page(
            db,
            session.user.id,
            Scope::Author(user.id),
            query.before,
            query.limit,
        )
        .await?,
    ))
}

pub fn stage() -> AdHoc {
    AdHoc::on_ignite("User routes", |rocket| async {
        rocket.mount("/api", rocket::routes![register, profile, timeline])
    })
}
