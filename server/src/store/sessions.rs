use sqlx::any::AnyRow;
use sqlx::{AnyPool, FromRow, Row};
use woofer_shared::api::User;
use woofer_shared::UserId;

use super::users::{UserRow, USER_COLUMNS_OF_U};

pub async fn insert(
    pool: &AnyPool,
    token_hash: &str,
    user_id: UserId,
    now: i64,
    expires_at: i64,
    user_agent: Option<&str>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at, user_agent) \
         VALUES ($1, $2, $3, $4, $3, $5)",
    )
    .bind(token_hash)
    .bind(user_id.0)
    .bind(now)
    .bind(expires_at)
    // "" for none: sqlx 0.7's Any driver binds a NULL as an integer, which
    // PostgreSQL then expects for this parameter in the cached statement.
    .bind(user_agent.unwrap_or_default())
    .execute(pool)
    .await?;
    Ok(())
}

/// A live session's dog, when the session expires and when it was last seen.
#[derive(Clone)]
pub struct LiveSession {
    pub user: User,
    pub expires_at: i64,
    pub last_seen_at: i64,
}

/// The session, if it is live at `now`; `None` when unknown, revoked or expired.
pub async fn find_live(
    pool: &AnyPool,
    token_hash: &str,
    now: i64,
) -> sqlx::Result<Option<LiveSession>> {
    let row: Option<AnyRow> = sqlx::query(&format!(
        "SELECT {USER_COLUMNS_OF_U}, s.last_seen_at, s.expires_at \
         FROM sessions s JOIN users u ON u.id = s.user_id \
         WHERE s.token_hash = $1 AND s.expires_at > $2"
    ))
    .bind(token_hash)
    .bind(now)
    .fetch_optional(pool)
    .await?;
    row.map(|row| {
        Ok(LiveSession {
            user: UserRow::from_row(&row)?.0,
            expires_at: row.try_get("expires_at")?,
            last_seen_at: row.try_get("last_seen_at")?,
        })
    })
    .transpose()
}

/// Notes that a session was used at `now`, when the note is a minute old:
/// a write per minute per session, not per request.
pub async fn touch(pool: &AnyPool, token_hash: &str, now: i64) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1 AND last_seen_at <= $2 - 60",
    )
    .bind(token_hash)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(())
}

/// A live session as stored.
pub struct SessionRow {
    pub token_hash: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub user_agent: Option<String>,
}

impl<'r> FromRow<'r, AnyRow> for SessionRow {
    fn from_row(row: &'r AnyRow) -> sqlx::Result<Self> {
        Ok(Self {
            token_hash: row.try_get("token_hash")?,
            created_at: row.try_get("created_at")?,
            last_seen_at: row.try_get("last_seen_at")?,
            user_agent: Some(row.try_get::<String, _>("user_agent")?).filter(|a| !a.is_empty()),
        })
    }
}

/// A dog's live sessions, newest first.
pub async fn list(pool: &AnyPool, user_id: UserId, now: i64) -> sqlx::Result<Vec<SessionRow>> {
    sqlx::query_as(
        // COALESCE: sqlx 0.7's Any driver cannot decode a NULL into an Option.
        "SELECT token_hash, created_at, last_seen_at, COALESCE(user_agent, '') AS user_agent FROM sessions \
         WHERE user_id = $1 AND expires_at > $2 ORDER BY created_at DESC, token_hash",
    )
    .bind(user_id.0)
    .bind(now)
    .fetch_all(pool)
    .await
}

pub async fn delete(pool: &AnyPool, token_hash: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(pool)
        .await?;
    Ok(())
}

/// Ends every session of the dog but `keep`.
pub async fn delete_others(pool: &AnyPool, user_id: UserId, keep: &str) -> sqlx::Result<u64> {
    let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(user_id.0)
        .bind(keep)
        .execute(pool)
        .await?;
    Ok(done.rows_affected())
}

pub async fn delete_expired(pool: &AnyPool, now: i64) -> sqlx::Result<u64> {
    let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(now)
        .execute(pool)
        .await?;
    Ok(done.rows_affected())
}

/// How many sessions [`live_among`] checks in one query.
pub const LIVE_BATCH: usize = 200;

/// Of `token_hashes` (at most [`LIVE_BATCH`]), those naming a session that
/// is still live at `now`: the session watch's one query for up to that
/// many open streams.
pub async fn live_among(
    pool: &AnyPool,
    token_hashes: &[String],
    now: i64,
) -> sqlx::Result<Vec<String>> {
    assert!(
        token_hashes.len() <= LIVE_BATCH,
        "at most LIVE_BATCH at once"
    );
    if token_hashes.is_empty() {
        return Ok(Vec::new());
    }
    // Always LIVE_BATCH placeholders, padded with "" (no session's hash), so
    // each connection prepares this statement once, not once per size.
    let placeholders: Vec<String> = (2..LIVE_BATCH + 2).map(|n| format!("${n}")).collect();
    let sql = format!(
        "SELECT token_hash FROM sessions WHERE expires_at > $1 AND token_hash IN ({})",
        placeholders.join(", ")
    );
    let mut query = sqlx::query_as::<_, (String,)>(&sql).bind(now);
    for i in 0..LIVE_BATCH {
        query = query.bind(token_hashes.get(i).map_or("", String::as_str));
    }
    let rows = query.fetch_all(pool).await?;
    Ok(rows.into_iter().map(|(hash,)| hash).collect())
}
