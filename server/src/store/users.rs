use sqlx::AnyPool;
use woofer_shared::api::User;
use woofer_shared::Username;

use crate::clock;

pub enum Inserted {
    New(User),
    Taken,
}

pub async fn insert(
    pool: &AnyPool,
    username: &Username,
    password_hash: &str,
    now: i64,
) -> sqlx::Result<Inserted> {
    let result: sqlx::Result<(i64,)> = sqlx::query_as(
        "INSERT INTO users (username, password_hash, created_at) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(username.as_str())
    .bind(password_hash)
    .bind(now)
    .fetch_one(pool)
    .await;
    match result {
        Ok((id,)) => Ok(Inserted::New(User {
            id,
            username: username.to_string(),
            created_at: clock::rfc3339(now),
        })),
        // The UNIQUE constraint decides, so two registrations racing for one name cannot both win.
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Ok(Inserted::Taken),
        Err(e) => Err(e),
    }
}

/// The dog and its password hash, for logging in.
pub async fn find_with_hash(
    pool: &AnyPool,
    username: &str,
) -> sqlx::Result<Option<(User, String)>> {
    let row: Option<(i64, String, i64, String)> = sqlx::query_as(
        "SELECT id, username, created_at, password_hash FROM users WHERE username = $1",
    )
    .bind(username)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|(id, username, created_at, hash)| {
        (
            User {
                id,
                username,
                created_at: clock::rfc3339(created_at),
            },
            hash,
        )
    }))
}

/// The dog, without its password hash (profiles, timelines, registration).
pub async fn find(pool: &AnyPool, username: &str) -> sqlx::Result<Option<User>> {
    let row: Option<(i64, String, i64)> =
        sqlx::query_as("SELECT id, username, created_at FROM users WHERE username = $1")
            .bind(username)
            .fetch_optional(pool)
            .await?;
    Ok(row.map(|(id, username, created_at)| User {
        id,
        username,
        created_at: clock::rfc3339(created_at),
    }))
}
