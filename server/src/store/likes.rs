//! Likes. The primary key (woof, dog) makes a like idempotent under any
//! concurrency; the `like_stored` / `like_deleted` triggers keep
//! `woofs.like_count`.

use sqlx::AnyPool;
use woofer_shared::{UserId, WoofId};

/// Likes the woof if it exists; whether it does (liked now, or already).
pub async fn like(pool: &AnyPool, dog: UserId, woof: WoofId, now: i64) -> sqlx::Result<bool> {
    let result = sqlx::query(
        "INSERT INTO likes (woof_id, user_id, created_at) \
         SELECT id, $2, $3 FROM woofs WHERE id = $1 \
         ON CONFLICT DO NOTHING",
    )
    .bind(woof.0)
    .bind(dog.0)
    .bind(now)
    .execute(pool)
    .await;
    match result {
        Ok(done) if done.rows_affected() == 1 => Ok(true),
        Ok(_) => super::woofs::exists(pool, woof).await,
        // The woof was deleted between the SELECT and the insert.
        Err(sqlx::Error::Database(e)) if e.is_foreign_key_violation() => Ok(false),
        Err(e) => Err(e),
    }
}

pub async fn unlike(pool: &AnyPool, dog: UserId, woof: WoofId) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM likes WHERE woof_id = $1 AND user_id = $2")
        .bind(woof.0)
        .bind(dog.0)
        .execute(pool)
        .await?;
    Ok(())
}
