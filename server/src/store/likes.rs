//! Likes. The primary key (woof, dog) makes a like idempotent under any
//! concurrency; the `like_stored` / `like_deleted` triggers keep
//! `woofs.like_count`.

use woofer_shared::{UserId, WoofId};

use crate::db::{Value, Write, Writer};

/// Likes the woof if it exists; whether it does (liked now, or already).
pub async fn like(writer: &Writer, dog: UserId, woof: WoofId, now: i64) -> sqlx::Result<bool> {
    let result = writer
        .write(Write {
            sql: "INSERT INTO likes (woof_id, user_id, created_at) \
                  SELECT id, $2, $3 FROM woofs WHERE id = $1 \
                  ON CONFLICT DO NOTHING",
            args: vec![Value::Int(woof.0), Value::Int(dog.0), Value::Int(now)],
            returns_id: false,
        })
        .await;
    match result {
        Ok(done) if done.rows_affected == 1 => Ok(true),
        Ok(_) => super::woofs::exists(writer, woof).await,
        // The woof was deleted between the SELECT and the insert.
        Err(sqlx::Error::Database(e)) if e.is_foreign_key_violation() => Ok(false),
        Err(e) => Err(e),
    }
}

pub async fn unlike(writer: &Writer, dog: UserId, woof: WoofId) -> sqlx::Result<()> {
    writer
        .write(Write {
            sql: "DELETE FROM likes WHERE woof_id = $1 AND user_id = $2",
            args: vec![Value::Int(woof.0), Value::Int(dog.0)],
            returns_id: false,
        })
        .await?;
    Ok(())
}
