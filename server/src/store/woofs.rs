use sqlx::AnyPool;
use woofer_shared::api::{FeedPage, Woof};

use crate::clock;

/// Which woofs a page is cut from.
#[derive(Debug, Clone, Copy)]
pub enum Scope {
    Everyone,
    Author(i64),
}

/// Keyset paging: `id < before ORDER BY id DESC LIMIT n` walks the primary
/// key (or `woofs_by_author`) from a point, so a page costs the same at ten
/// million woofs as at a thousand. One extra row tells whether more exist.
pub async fn page(
    pool: &AnyPool,
    scope: Scope,
    before: Option<i64>,
    limit: u32,
) -> sqlx::Result<FeedPage> {
    let before = before.unwrap_or(i64::MAX);
    let fetch = i64::from(limit) + 1;
    let rows: Vec<(i64, String, String, i64)> = match scope {
        Scope::Everyone => {
            sqlx::query_as(
                "SELECT w.id, u.username, w.body, w.created_at FROM woofs w JOIN users u ON u.id = w.author_id \
                 WHERE w.id < $1 ORDER BY w.id DESC LIMIT $2",
            )
            .bind(before)
            .bind(fetch)
            .fetch_all(pool)
            .await?
        }
        Scope::Author(author_id) => {
            sqlx::query_as(
                "SELECT w.id, u.username, w.body, w.created_at FROM woofs w JOIN users u ON u.id = w.author_id \
                 WHERE w.author_id = $1 AND w.id < $2 ORDER BY w.id DESC LIMIT $3",
            )
            .bind(author_id)
            .bind(before)
            .bind(fetch)
            .fetch_all(pool)
            .await?
        }
    };
    let mut woofs: Vec<Woof> = rows.into_iter().map(woof_of).collect();
    let more = woofs.len() > limit as usize;
    woofs.truncate(limit as usize);
    let next_before = if more {
        woofs.last().map(|w| w.id)
    } else {
        None
    };
    Ok(FeedPage { woofs, next_before })
}

fn woof_of((id, author, body, created_at): (i64, String, String, i64)) -> Woof {
    Woof {
        id,
        author,
        body,
        created_at: clock::rfc3339(created_at),
    }
}

pub async fn insert(
    pool: &AnyPool,
    author_id: i64,
    author: &str,
    body: &str,
    now: i64,
) -> sqlx::Result<Woof> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO woofs (author_id, body, created_at) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(author_id)
    .bind(body)
    .bind(now)
    .fetch_one(pool)
    .await?;
    Ok(Woof {
        id,
        author: author.to_owned(),
        body: body.to_owned(),
        created_at: clock::rfc3339(now),
    })
}

/// The woof and its author's id.
pub async fn find(pool: &AnyPool, id: i64) -> sqlx::Result<Option<(Woof, i64)>> {
    let row: Option<(i64, String, String, i64, i64)> = sqlx::query_as(
        "SELECT w.id, u.username, w.body, w.created_at, w.author_id FROM woofs w JOIN users u ON u.id = w.author_id \
         WHERE w.id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|(id, author, body, created_at, author_id)| {
        (woof_of((id, author, body, created_at)), author_id)
    }))
}

pub async fn delete(pool: &AnyPool, id: i64) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM woofs WHERE id = $1")
        .bind(id)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn count_by(pool: &AnyPool, author_id: i64) -> sqlx::Result<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM woofs WHERE author_id = $1")
        .bind(author_id)
        .fetch_one(pool)
        .await?;
    Ok(n)
}
