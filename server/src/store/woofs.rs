use sqlx::any::AnyRow;
use sqlx::{AnyPool, FromRow, Row};
use woofer_shared::api::{FeedPage, ReplyPage, Woof};
use woofer_shared::{UserId, WoofId};

use crate::clock;
use crate::db::{AfterCommit, Value, Write, Writer, Written};

/// Which woofs a page is cut from, newest first.
#[derive(Debug, Clone, Copy)]
pub enum Scope {
    Everyone,
    Author(UserId),
    /// The dog's home timeline: its own woofs and those of the dogs it
    /// follows, pushed into `timeline` as they are written.
    Home(UserId),
}

/// The columns a [`Woof`] is read from, by [`WoofRow`], out of
/// [`WOOF_SOURCE`]: every query that returns woofs selects exactly these,
/// and binds the reading dog's id as `$1` (for `liked_by_me`). Counts are
/// columns kept by triggers, and `liked_by_me` is one primary-key probe per
/// woof: a page costs the same with no likes or a million.
const WOOF_COLUMNS: &str = "w.id, u.username AS author, w.body, w.created_at, \
     COALESCE(w.reply_to, 0) AS reply_to, w.reply_count, w.like_count, \
     CAST(CASE WHEN EXISTS (SELECT 1 FROM likes l WHERE l.woof_id = w.id AND l.user_id = $1) \
     THEN 1 ELSE 0 END AS BIGINT) AS liked_by_me";
/// Woofs with their authors' names.
const WOOF_SOURCE: &str = "woofs w JOIN users u ON u.id = w.author_id";

/// A dog's home timeline, with the woofs and their authors' names.
const HOME_SOURCE: &str =
    "timeline t JOIN woofs w ON w.id = t.woof_id JOIN users u ON u.id = w.author_id";

/// A row of [`WOOF_COLUMNS`] as the API's `Woof`: the one place a woof is
/// read from the database.
struct WoofRow(Woof);

impl<'r> FromRow<'r, AnyRow> for WoofRow {
    fn from_row(row: &'r AnyRow) -> sqlx::Result<Self> {
        let reply_to: i64 = row.try_get("reply_to")?;
        Ok(Self(Woof {
            id: WoofId(row.try_get("id")?),
            author: row.try_get("author")?,
            body: row.try_get("body")?,
            created_at: clock::timestamp(row.try_get("created_at")?),
            reply_to: (reply_to > 0).then_some(WoofId(reply_to)),
            reply_count: row.try_get("reply_count")?,
            like_count: row.try_get("like_count")?,
            liked_by_me: row.try_get::<i64, _>("liked_by_me")? != 0,
        }))
    }
}

/// Keyset paging: `id < before ORDER BY id DESC LIMIT n` walks an index
/// from a point (the primary key, `woofs_by_author`, or the timeline's
/// primary key), so a page costs the same at ten million woofs as at a
/// thousand. One extra row tells whether more exist.
pub async fn page(
    pool: &AnyPool,
    viewer: UserId,
    scope: Scope,
    before: Option<WoofId>,
    limit: u32,
) -> sqlx::Result<FeedPage> {
    let before = before.map_or(i64::MAX, |id| id.0);
    let fetch = i64::from(limit) + 1;
    let (source, filter, owner) = match scope {
        Scope::Everyone => (WOOF_SOURCE, "w.id < $2", None),
        Scope::Author(author) => (WOOF_SOURCE, "w.author_id = $4 AND w.id < $2", Some(author)),
        Scope::Home(owner) => (
            HOME_SOURCE,
            "t.owner_id = $4 AND t.woof_id < $2",
            Some(owner),
        ),
    };
    let order = match scope {
        Scope::Home(_) => "t.woof_id",
        _ => "w.id",
    };
    let sql = format!(
        "SELECT {WOOF_COLUMNS} FROM {source} WHERE {filter} ORDER BY {order} DESC LIMIT $3"
    );
    let mut query = sqlx::query_as(&sql).bind(viewer.0).bind(before).bind(fetch);
    if let Some(owner) = owner {
        query = query.bind(owner.0);
    }
    let rows: Vec<WoofRow> = query.fetch_all(pool).await?;
    let (woofs, more) = cut(rows, limit);
    let next_before = if more {
        woofs.last().map(|w| w.id)
    } else {
        None
    };
    Ok(FeedPage { woofs, next_before })
}

/// The direct replies to `parent`, oldest first, after `after`: a walk of
/// `woofs_by_reply_to` from a point.
pub async fn replies(
    pool: &AnyPool,
    viewer: UserId,
    parent: WoofId,
    after: Option<WoofId>,
    limit: u32,
) -> sqlx::Result<ReplyPage> {
    let rows: Vec<WoofRow> = sqlx::query_as(&format!(
        "SELECT {WOOF_COLUMNS} FROM {WOOF_SOURCE} \
         WHERE w.reply_to = $2 AND w.id > $3 ORDER BY w.id ASC LIMIT $4"
    ))
    .bind(viewer.0)
    .bind(parent.0)
    .bind(after.map_or(0, |id| id.0))
    .bind(i64::from(limit) + 1)
    .fetch_all(pool)
    .await?;
    let (woofs, more) = cut(rows, limit);
    let next_after = if more {
        woofs.last().map(|w| w.id)
    } else {
        None
    };
    Ok(ReplyPage { woofs, next_after })
}

/// The first `limit` woofs, and whether there were more.
fn cut(rows: Vec<WoofRow>, limit: u32) -> (Vec<Woof>, bool) {
    let mut woofs: Vec<Woof> = rows.into_iter().map(|WoofRow(woof)| woof).collect();
    let more = woofs.len() > limit as usize;
    woofs.truncate(limit as usize);
    (woofs, more)
}

/// What is told of a woof the moment it is committed (a live stream).
pub type AtCommit = Box<dyn FnOnce(&Woof) + Send>;

/// Stores a woof; the `woof_stored` trigger counts it (and the reply) and
/// pushes it into its author's and followers' timelines. `at_commit` is
/// given the woof as soon as it is committed, in commit order
/// ([`Writer::write_then`]).
pub async fn insert(
    writer: &Writer,
    author_id: UserId,
    author: &str,
    body: &str,
    reply_to: Option<WoofId>,
    now: i64,
    at_commit: Option<AtCommit>,
) -> sqlx::Result<Woof> {
    let woof = Woof {
        id: WoofId(0),
        author: author.to_owned(),
        body: body.to_owned(),
        created_at: clock::timestamp(now),
        reply_to,
        reply_count: 0,
        like_count: 0,
        liked_by_me: false,
    };
    let stored = |woof: &Woof, written: &Written| Woof {
        id: WoofId(written.id.unwrap_or_default()),
        ..woof.clone()
    };
    let then = at_commit.map(|at_commit| {
        let woof = woof.clone();
        Box::new(move |written: &Written| at_commit(&stored(&woof, written))) as AfterCommit
    });
    let written = writer
        .write_then(
            Write {
                sql: "INSERT INTO woofs (author_id, body, created_at, reply_to) \
                      VALUES ($1, $2, $3, NULLIF($4, 0)) RETURNING id",
                args: vec![
                    Value::Int(author_id.0),
                    Value::Text(body.to_owned()),
                    Value::Int(now),
                    Value::Int(reply_to.map_or(0, |id| id.0)),
                ],
                returns_id: true,
            },
            then,
        )
        .await?;
    if written.id.is_none() {
        return Err(sqlx::Error::RowNotFound);
    }
    Ok(stored(&woof, &written))
}

/// The woof as `viewer` sees it, and its author's id.
pub async fn find(
    pool: &AnyPool,
    viewer: UserId,
    id: WoofId,
) -> sqlx::Result<Option<(Woof, UserId)>> {
    let row = sqlx::query(&format!(
        "SELECT {WOOF_COLUMNS}, w.author_id FROM {WOOF_SOURCE} WHERE w.id = $2"
    ))
    .bind(viewer.0)
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

pub async fn exists(pool: &AnyPool, id: WoofId) -> sqlx::Result<bool> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT id FROM woofs WHERE id = $1")
        .bind(id.0)
        .fetch_optional(pool)
        .await?;
    Ok(row.is_some())
}

/// Deletes the woof; its likes and timeline entries go with it (foreign
/// keys), its replies stay.
pub async fn delete(pool: &AnyPool, id: WoofId) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM woofs WHERE id = $1")
        .bind(id.0)
        .execute(pool)
        .await?;
    Ok(())
}

/// The authors of those of `ids` that still exist (the woofs that replies
/// on a page answer, for the web face's "↳ @name"): one query for a page.
pub async fn authors(pool: &AnyPool, ids: &[WoofId]) -> sqlx::Result<Vec<(WoofId, String)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (1..=ids.len()).map(|n| format!("${n}")).collect();
    let sql = format!(
        "SELECT w.id, u.username FROM {WOOF_SOURCE} WHERE w.id IN ({})",
        placeholders.join(", ")
    );
    let mut query = sqlx::query_as(&sql);
    for id in ids {
        query = query.bind(id.0);
    }
    let rows: Vec<(i64, String)> = query.fetch_all(pool).await?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| (WoofId(id), name))
        .collect())
}

/// Up to `limit` woofs with ids greater than `after`, oldest first, as
/// `viewer` sees them: what a reconnecting stream missed, and an
/// instance's catch-up after its PostgreSQL listening connection dropped.
pub async fn after(
    pool: &AnyPool,
    viewer: UserId,
    after: WoofId,
    limit: u32,
) -> sqlx::Result<Vec<Woof>> {
    let rows: Vec<WoofRow> = sqlx::query_as(&format!(
        "SELECT {WOOF_COLUMNS} FROM {WOOF_SOURCE} WHERE w.id > $2 ORDER BY w.id ASC LIMIT $3"
    ))
    .bind(viewer.0)
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
