//! Registering, a dog's profile and a dog's timeline.

use rocket::fairing::AdHoc;
use rocket::http::{CookieJar, Status};
use rocket::serde::json::Json;
use rocket::State;
use woofer_shared::api::{Credentials, ErrorBody, FeedPage, Profile, User, UserEnvelope};
use woofer_shared::rules::normalise_username;
use woofer_shared::{Password, Username};

use crate::auth::{ClientAgent, CurrentSession, PasswordHasher, SessionStore};
use crate::body::CredentialsBody;
use crate::clock;
use crate::config::WooferConfig;
use crate::db::Db;
use crate::error::{Error, Result};
use crate::routes::paging::PageQuery;
use crate::store::users::{self, Inserted};
use crate::store::woofs::{self, Scope};

#[utoipa::path(post, path = "/api/users", tag = "users",
    request_body(content((Credentials = "application/json"), (Credentials = "application/x-www-form-urlencoded"))),
    responses(
        (status = 201, description = "registered and logged in; sets the woofer_session cookie", body = UserEnvelope),
        (status = 400, description = "malformed body", body = ErrorBody),
        (status = 409, description = "username_taken", body = ErrorBody),
        (status = 413, description = "body over 16 KiB", body = ErrorBody),
        (status = 415, description = "neither JSON nor a form", body = ErrorBody),
        (status = 422, description = "validation_failed, with field", body = ErrorBody),
    ))]
#[rocket::post("/users", data = "<body>")]
async fn register(
    db: &Db,
    hasher: &State<PasswordHasher>,
    config: &State<WooferConfig>,
    cookies: &CookieJar<'_>,
    agent: ClientAgent,
    body: Result<CredentialsBody, Error>,
) -> Result<(Status, Json<UserEnvelope>)> {
    let credentials = body?.0;
    let username = Username::parse(&credentials.username)?;
    let password = Password::parse(&credentials.password)?;
    // Cheap check first, so a taken name does not cost a hash; the UNIQUE
    // constraint below still settles a race.
    if users::find(db, username.as_str()).await?.is_some() {
        return Err(Error::UsernameTaken);
    }
    let hash = hasher.hash(&password).await?;
    match users::insert(db, &username, &hash, clock::now()).await? {
        Inserted::New(user) => {
            SessionStore::open_from(db, cookies, config, user.id, &agent).await?;
            Ok((Status::Created, Json(UserEnvelope { user })))
        }
        Inserted::Taken => Err(Error::UsernameTaken),
    }
}

async fn find_dog(db: &Db, raw: &str) -> Result<User> {
    users::find(db, &normalise_username(raw))
        .await?
        .ok_or(Error::NotFound("there is no dog by that name"))
}

#[utoipa::path(get, path = "/api/users/{username}", tag = "users", security(("session_cookie" = [])),
    params(("username" = String, Path, description = "matched case-insensitively")),
    responses((status = 200, description = "the dog and its woof count", body = Profile), (status = 401, description = "no valid session", body = ErrorBody),
        (status = 404, description = "no such dog", body = ErrorBody)))]
#[rocket::get("/users/<username>")]
async fn profile(_session: &CurrentSession, db: &Db, username: &str) -> Result<Json<Profile>> {
    let user = find_dog(db, username).await?;
    let woof_count = woofs::count_by(db, user.id).await?;
    Ok(Json(Profile { user, woof_count }))
}

#[utoipa::path(get, path = "/api/users/{username}/woofs", tag = "users", security(("session_cookie" = [])),
    params(("username" = String, Path, description = "matched case-insensitively"),
        ("before" = Option<i64>, Query, description = "only woofs with a smaller id"),
        ("limit" = Option<u32>, Query, description = "1 to 100, default 20")),
    responses((status = 200, description = "that dog's woofs, newest first", body = FeedPage), (status = 401, description = "no valid session", body = ErrorBody),
        (status = 404, description = "no such dog", body = ErrorBody),
        (status = 422, description = "bad before or limit", body = ErrorBody)))]
#[rocket::get("/users/<username>/woofs?<before>&<limit>")]
async fn timeline(
    _session: &CurrentSession,
    db: &Db,
    username: &str,
    before: Option<&str>,
    limit: Option<&str>,
) -> Result<Json<FeedPage>> {
    let query = PageQuery::parse(before, limit)?;
    let user = find_dog(db, username).await?;
    Ok(Json(
        woofs::page(db, Scope::Author(user.id), query.before, query.limit).await?,
    ))
}

pub fn stage() -> AdHoc {
    AdHoc::on_ignite("User routes", |rocket| async {
        rocket.mount("/api", rocket::routes![register, profile, timeline])
    })
}
