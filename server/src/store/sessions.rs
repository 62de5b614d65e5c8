use sqlx::AnyPool;
use woofer_shared::api::User;
use woofer_shared::UserId;

use super::users::{UserRow, USER_COLUMNS};

pub async fn insert(
    pool: &AnyPool,
    token_hash: &str,
    user_id: UserId,
    now: i64,
    expires_at: i64,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(token_hash)
        .bind(user_id.0)
        .bind(now)
        .bind(expires_at)
        .execute(pool)
        .await?;
    Ok(())
}

/// The dog a live session belongs to; `None` when unknown, revoked or expired.
pub async fn find_user(pool: &AnyPool, token_hash: &str, now: i64) -> sqlx::Result<Option<User>> {
    // A subquery rather than a join keeps the user columns unqualified, as
    // `USER_COLUMNS` has them; both are one index lookup.
    let row: Option<UserRow> = sqlx::query_as(&format!(
        "SELECT {USER_COLUMNS} FROM users WHERE id = \
         (SELECT user_id FROM sessions WHERE token_hash = $1 AND expires_at > $2)"
    ))
    .bind(token_hash)
    .bind(now)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|UserRow(user)| user))
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
