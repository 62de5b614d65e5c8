//! Following a dog, and the lists of who follows whom.

use rocket::fairing::AdHoc;
use rocket::http::Status;
use rocket::serde::json::Json;
use woofer_shared::api::{ErrorBody, UserPage};

use crate::actions::{self, find_dog};
use crate::auth::CurrentSession;
use crate::db::Db;
use crate::error::Result;
use crate::routes::paging::Paging;
use crate::store::follows::{self, Direction};

#[utoipa::path(put, path = "/api/users/{username}/follow", tag = "follows", security(("session_cookie" = [])),
    params(("username" = String, Path, pattern = r"^[A-Za-z0-9_]{3,20}$", description = "a dog's username, matched case-insensitively")),
    responses((status = 204, description = "you follow that dog (also when you already did)"),
        (status = 401, description = "no valid session", body = ErrorBody),
        (status = 404, description = "no such dog", body = ErrorBody),
        (status = 422, description = "that dog is you (field username)", body = ErrorBody)))]
#[rocket::put("/users/<username>/follow")]
async fn follow(session: &CurrentSession, db: &Db, username: &str) -> Result<Status> {
    actions::follow(db.writer(), &session.user, username, true).await?;
    Ok(Status::NoContent)
}

#[utoipa::path(delete, path = "/api/users/{username}/follow", tag = "follows", security(("session_cookie" = [])),
    params(("username" = String, Path, pattern = r"^[A-Za-z0-9_]{3,20}$", description = "a dog's username, matched case-insensitively")),
    responses((status = 204, description = "you do not follow that dog (also when you did not)"),
        (status = 401, description = "no valid session", body = ErrorBody),
        (status = 404, description = "no such dog", body = ErrorBody)))]
#[rocket::delete("/users/<username>/follow")]
async fn unfollow(session: &CurrentSession, db: &Db, username: &str) -> Result<Status> {
    actions::follow(db.writer(), &session.user, username, false).await?;
    Ok(Status::NoContent)
}

async fn list(
    db: &Db,
    username: &str,
    direction: Direction,
    paging: Paging<'_>,
) -> Result<Json<UserPage>> {
    let before = paging.cursor("before")?;
    let limit = paging.limit()?;
    let dog = find_dog(db, username).await?;
    Ok(Json(
        follows::list(db, dog.id, direction, before, limit).await?,
    ))
}

#[utoipa::path(get, path = "/api/users/{username}/followers", tag = "follows", security(("session_cookie" = [])),
    params(("username" = String, Path, pattern = r"^[A-Za-z0-9_]{3,20}$", description = "a dog's username, matched case-insensitively"),
        ("before" = Option<i64>, Query, minimum = 1, description = "a previous page's next_before (opaque)"),
        ("limit" = Option<i64>, Query, minimum = 1, maximum = 100, description = "how many, 1 to 100; 20 when absent")),
    responses((status = 200, description = "the dogs that follow this one, most recent follow first", body = UserPage),
        (status = 401, description = "no valid session", body = ErrorBody),
        (status = 404, description = "no such dog", body = ErrorBody),
        (status = 422, description = "a bad before or limit (or either given twice)", body = ErrorBody)))]
#[rocket::get("/users/<username>/followers")]
async fn followers(
    _session: &CurrentSession,
    db: &Db,
    username: &str,
    paging: Paging<'_>,
) -> Result<Json<UserPage>> {
    list(db, username, Direction::Followers, paging).await
}

#[utoipa::path(get, path = "/api/users/{username}/following", tag = "follows", security(("session_cookie" = [])),
    params(("username" = String, Path, pattern = r"^[A-Za-z0-9_]{3,20}$", description = "a dog's username, matched case-insensitively"),
        ("before" = Option<i64>, Query, minimum = 1, description = "a previous page's next_before (opaque)"),
        ("limit" = Option<i64>, Query, minimum = 1, maximum = 100, description = "how many, 1 to 100; 20 when absent")),
    responses((status = 200, description = "the dogs this one follows, most recent follow first", body = UserPage),
        (status = 401, description = "no valid session", body = ErrorBody),
        (status = 404, description = "no such dog", body = ErrorBody),
        (status = 422, description = "a bad before or limit (or either given twice)", body = ErrorBody)))]
#[rocket::get("/users/<username>/following")]
async fn following(
    _session: &CurrentSession,
    db: &Db,
    username: &str,
    paging: Paging<'_>,
) -> Result<Json<UserPage>> {
    list(db, username, Direction::Following, paging).await
}

pub fn stage() -> AdHoc {
    AdHoc::on_ignite("Follow routes", |rocket| async {
        rocket.mount(
            "/api",
            rocket::routes![follow, unfollow, followers, following],
        )
    })
}
