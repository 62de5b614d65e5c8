use sqlx::any::AnyRow;
use sqlx::{AnyPool, FromRow, Row};
use woofer_shared::api::{FeedPage, Woof};
use woofer_shared::{UserId, WoofId};

use crate::clock;

/// Which woofs a page is cut from.
#[derive(Debug, Clone, Copy)]
pub enum Scope {
    Everyone,
    Author(UserId),
}

/// The columns a [`Woof`] is read from, by [`WoofRow`], out of
/// [`WOOF_SOURCE`]: every query that returns woofs selects exactly these.
const WOOF_COLUMNS: &str = "w.id, u.username AS author, w.body, w.created_at";
/// Woofs with their authors' names.
const WOOF_SOURCE: &str = "woofs w JOIN users u ON u.id = w.author_id";

/// A row of [`WOOF_COLUMNS`] as the API's `Woof`: the one place a woof is
/// read from the database.
struct WoofRow(Woof);

impl<'r> FromRow<'r, AnyRow> for WoofRow {
    fn from_row(row: &'r AnyRow) -> sqlx::Result<Self> {
        Ok(Self(Woof {
            id: WoofId(row.try_get("id")?),
            author: row.try_get("author")?,
            body: row.try_get("body")?,
            created_at: clock::timestamp(row.try_get("created_at")?),
            reply_to: None,
            reply_count: 0,
            like_count: 0,
            liked_by_me: false,
        }))
    }
}

/// Keyset paging: `id < before ORDER BY id DESC LIMIT n` walks the primary
/// key (or `woofs_by_author`) from a point, so a page costs the same at ten
/// million woofs as at a thousand. One extra row tells whether more exist.
pub async fn page(
    pool: &AnyPool,
    scope: Scope,
    before: Option<WoofId>,
    limit: u32,
) -> sqlx::Result<FeedPage> {
    let before = before.map_or(i64::MAX, |id| id.0);
    let fetch = i64::from(limit) + 1;
    let rows: Vec<WoofRow> = match scope {
        Scope::Everyone => {
            sqlx::query_as(&format!(
                "SELECT {WOOF_COLUMNS} FROM {WOOF_SOURCE} \
                 WHERE w.id < $1 ORDER BY w.id DESC LIMIT $2"
            ))
            .bind(before)
            .bind(fetch)
            .fetch_all(pool)
            .await?
        }
        Scope::Author(author_id) => {
            sqlx::query_as(&format!(
                "SELECT {WOOF_COLUMNS} FROM {WOOF_SOURCE} \
                 WHERE w.author_id = $1 AND w.id < $2 ORDER BY w.id DESC LIMIT $3"
            ))
            .bind(author_id.0)
            .bind(before)
            .bind(fetch)
            .fetch_all(pool)
            .await?
        }
    };
    let mut woofs: Vec<Woof> = rows.into_iter().map(|WoofRow(woof)| woof).collect();
    let more = woofs.len() > limit as usize;
    woofs.truncate(limit as usize);
    let next_before = if more {
        woofs.last().map(|w| w.id)
    } else {
        None
    };
    Ok(FeedPage { woofs, next_before })
}

pub async fn insert(
    pool: &AnyPool,
    author_id: UserId,
    author: &str,
    body: &str,
    now: i64,
) -> sqlx::Result<Woof> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO woofs (author_id, body, created_at) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(author_id.0)
    .bind(body)
    .bind(now)
    .fetch_one(pool)
    .await?;
    Ok(Woof {
        id: WoofId(id),
        author: author.to_owned(),
        body: body.to_owned(),
        created_at: clock::timestamp(now),
        reply_to: None,
        reply_count: 0,
        like_count: 0,
        liked_by_me: false,
    })
}

/// The woof and its author's id.
pub async fn find(pool: &AnyPool, id: WoofId) -> sqlx::Result<Option<(Woof, UserId)>> {
    let row = sqlx::query(&format!(
        "SELECT {WOOF_COLUMNS}, w.author_id FROM {WOOF_SOURCE} WHERE w.id = $1"
    ))
    .bind(id.0)
    .fetch_optional(pool)
    .await?;
    row.map(|row| {
        Ok((
            WoofRow::from_row(&row)?.0,
            UserId(row.try_get("author_id")?),
        ))
    })
    .transpose()
}

pub async fn delete(pool: &AnyPool, id: WoofId) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM woofs WHERE id = $1")
        .bind(id.0)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn count_by(pool: &AnyPool, author_id: UserId) -> sqlx::Result<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM woofs WHERE author_id = $1")
        .bind(author_id.0)
        .fetch_one(pool)
        .await?;
    Ok(n)
}

/// Up to `limit` woofs with ids greater than `after`, oldest first: what a
/// reconnecting stream missed, and an instance's catch-up after its
/// PostgreSQL listening connection dropped.
pub async fn after(pool: &AnyPool, after: WoofId, limit: u32) -> sqlx::Result<Vec<Woof>> {
    let rows: Vec<WoofRow> = sqlx::query_as(&format!(
        "SELECT {WOOF_COLUMNS} FROM {WOOF_SOURCE} WHERE w.id > $1 ORDER BY w.id ASC LIMIT $2"
    ))
    .bind(after.0)
    .bind(i64::from(limit))
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|WoofRow(woof)| woof).collect())
}

/// The largest woof id stored so far, 0 when there is none.
pub async fn newest_id(pool: &AnyPool) -> sqlx::Result<WoofId> {
    // COALESCE: the Any driver cannot decode the NULL of MAX over no rows.
    let (id,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(id), 0) FROM woofs")
        .fetch_one(pool)
        .await?;
    Ok(WoofId(id))
}
