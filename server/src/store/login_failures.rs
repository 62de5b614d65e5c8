use sqlx::{Acquire, AnyConnection, AnyPool};

/// Records an attempt at `username` at `now` unless `allowed` attempts
/// already stand since `since`, as one step: no other attempt at the name
/// can count between the look and the write. Returns the new row's id, or
/// `None` when the name is full.
pub async fn claim(
    pool: &AnyPool,
    username: &str,
    now: i64,
    since: i64,
    allowed: i64,
) -> sqlx::Result<Option<i64>> {
    let mut conn = pool.acquire().await?;
    if conn.backend_name() == "PostgreSQL" {
        // Under READ COMMITTED two inserts would each miss the other's row:
        // attempts at one name queue on a lock held to the commit.
        let mut tx = conn.begin().await?;
        let _: (i32,) =
            sqlx::query_as("SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtext($1))) AS locked")
                .bind(username)
                .fetch_one(&mut *tx)
                .await?;
        let id = insert_unless_full(&mut tx, username, now, since, allowed).await?;
        tx.commit().await?;
        Ok(id)
    } else {
        // SQLite runs one write statement at a time, its read included.
        insert_unless_full(&mut conn, username, now, since, allowed).await
    }
}

async fn insert_unless_full(
    conn: &mut AnyConnection,
    username: &str,
    now: i64,
    since: i64,
    allowed: i64,
) -> sqlx::Result<Option<i64>> {
    let row: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO login_failures (username, failed_at) \
         SELECT $1, $2 WHERE (SELECT COUNT(*) FROM login_failures WHERE username = $1 AND failed_at > $3) < $4 \
         RETURNING id",
    )
    .bind(username)
    .bind(now)
    .bind(since)
    .bind(allowed)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(id,)| id))
}

/// Attempts at `username` since `since`, and the time of the oldest.
pub async fn count_since(
    pool: &AnyPool,
    username: &str,
    since: i64,
) -> sqlx::Result<(i64, Option<i64>)> {
    // COALESCE: sqlx 0.7's Any driver cannot decode a NULL aggregate.
    let (count, oldest): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), COALESCE(MIN(failed_at), 0) FROM login_failures WHERE username = $1 AND failed_at > $2",
    )
    .bind(username)
    .bind(since)
    .fetch_one(pool)
    .await?;
    Ok((count, (count > 0).then_some(oldest)))
}

/// Gives an attempt's place back (its password was right).
pub async fn release(pool: &AnyPool, id: i64) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM login_failures WHERE id = $1")
        .bind(id)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn delete_before(pool: &AnyPool, cutoff: i64) -> sqlx::Result<u64> {
    let done = sqlx::query("DELETE FROM login_failures WHERE failed_at <= $1")
        .bind(cutoff)
        .execute(pool)
        .await?;
    Ok(done.rows_affected())
}
