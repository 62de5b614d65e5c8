use sqlx::AnyPool;
use woofer_shared::api::User;

use crate::clock;

pub async fn insert(
    pool: &AnyPool,
    token_hash: &str,
    user_id: i64,
    now: i64,
    expires_at: i64,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(token_hash)
        .bind(user_id)
        .bind(now)
        .bind(expires_at)
        .execute(pool)
        .await?;
    Ok(())
}

/// The dog a live session belongs to; `None` when unknown, revoked or expired.
pub async fn find_user(pool: &AnyPool, token_hash: &str, now: i64) -> sqlx::Result<Option<User>> {
    let row: Option<(i64, String, i64)> = sqlx::query_as(
        "SELECT u.id, u.username, u.created_at FROM sessions s JOIN users u ON u.id = s.user_id \
         WHERE s.token_hash = $1 AND s.expires_at > $2",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|(id, username, created_at)| User {
        id,
        username,
        created_at: clock::rfc3339(created_at),
    }))
}

pub async fn delete(pool: &AnyPool, token_hash: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn delete_expired(pool: &AnyPool, now: i64) -> sqlx::Result<u64> {
    let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(now)
        .execute(pool)
        .await?;
    Ok(done.rows_affected())
}
