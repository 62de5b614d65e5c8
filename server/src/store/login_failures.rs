use sqlx::AnyPool;

/// Failures for `username` since `since`, and the time of the oldest of them.
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

pub async fn record(pool: &AnyPool, username: &str, now: i64) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO login_failures (username, failed_at) VALUES ($1, $2)")
        .bind(username)
        .bind(now)
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
