//! A dog's account under its own control: a new password, or leaving.

use rocket::fairing::AdHoc;
use rocket::http::{CookieJar, Status};
use rocket::State;
use woofer_shared::api::{AccountDeletion, ErrorBody, PasswordChange};

use crate::actions;
use crate::auth::{CurrentSession, Login, PasswordHasher, SessionStore};
use crate::body::JsonBody;
use crate::db::Db;
use crate::error::{Error, Result};
use crate::stream::Hub;

#[utoipa::path(put, path = "/api/account/password", tag = "account", security(("session_cookie" = [])),
    request_body(content = PasswordChange, content_type = "application/json"),
    responses(
        (status = 204, description = "the new password holds; every other session has ended"),
        (status = 400, description = "malformed body", body = ErrorBody),
        (status = 401, description = "no valid session, or invalid_credentials: the current password is wrong (counted as a failed login)", body = ErrorBody),
        (status = 413, description = "body over 16 KiB", body = ErrorBody),
        (status = 415, description = "not JSON", body = ErrorBody),
        (status = 422, description = "the new password breaks the rule (field new_password)", body = ErrorBody),
        (status = 429, description = "the name is locked after failed logins; see Retry-After", body = ErrorBody, headers(("Retry-After" = u64, description = "whole seconds to wait"))),
        (status = 503, description = "too many password checks waiting; see Retry-After", body = ErrorBody, headers(("Retry-After" = u64, description = "whole seconds to wait"))),
    ))]
#[rocket::put("/account/password", data = "<body>")]
async fn change_password(
    session: &CurrentSession,
    db: &Db,
    store: &State<SessionStore>,
    login: &State<Login>,
    hasher: &State<PasswordHasher>,
    body: Result<JsonBody<PasswordChange>, Error>,
) -> Result<Status> {
    let change = body?.0;
    actions::change_password(
        db.writer(),
        store,
        login,
        hasher,
        session,
        &change.current_password,
        &change.new_password,
    )
    .await?;
    Ok(Status::NoContent)
}

#[utoipa::path(delete, path = "/api/account", tag = "account", security(("session_cookie" = [])),
    request_body(content = AccountDeletion, content_type = "application/json"),
    responses(
        (status = 204, description = "the dog, its woofs and sessions are gone; the cookie is removed; the name is free",
            headers(("Set-Cookie" = String, description = "removes the woofer_session cookie (an expiry in the past)"))),
        (status = 400, description = "malformed body", body = ErrorBody),
        (status = 401, description = "no valid session, or invalid_credentials (counted as a failed login)", body = ErrorBody),
        (status = 413, description = "body over 16 KiB", body = ErrorBody),
        (status = 415, description = "not JSON", body = ErrorBody),
        (status = 429, description = "the name is locked after failed logins; see Retry-After", body = ErrorBody, headers(("Retry-After" = u64, description = "whole seconds to wait"))),
        (status = 503, description = "too many password checks waiting; see Retry-After", body = ErrorBody, headers(("Retry-After" = u64, description = "whole seconds to wait"))),
    ))]
#[rocket::delete("/account", data = "<body>")]
async fn delete_account(
    session: &CurrentSession,
    db: &Db,
    store: &State<SessionStore>,
    hub: &State<Hub>,
    login: &State<Login>,
    cookies: &CookieJar<'_>,
    body: Result<JsonBody<AccountDeletion>, Error>,
) -> Result<Status> {
    let deletion = body?.0;
    actions::delete_account(db.writer(), store, hub, login, session, &deletion.password).await?;
    store.close(db.writer(), cookies).await?;
    Ok(Status::NoContent)
}

pub fn stage() -> AdHoc {
    AdHoc::on_ignite("Account routes", |rocket| async {
        rocket.mount("/api", rocket::routes![change_password, delete_account])
    })
}
