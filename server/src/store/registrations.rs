use sqlx::AnyPool;

/// Registrations from `address` since `since`, and the time of the oldest.
pub async fn count_since(
    pool: &AnyPool,
    address: &str,
    since: i64,
) -> sqlx::Result<(i64, Option<i64>)> {
    // COALESCE: sqlx 0.7's Any driver cannot decode a NULL aggregate.
    let (count, oldest): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), COALESCE(MIN(registered_at), 0) FROM registrations \
         WHERE address = $1 AND registered_at > $2",
    )
    .bind(address)
    .bind(since)
    .fetch_one(pool)
    .await?;
    Ok((count, (count > 0).then_some(oldest)))
}

pub async fn record(pool: &AnyPool, address: &str, now: i64) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO registrations (address, registered_at) VALUES ($1, $2)")
        .bind(address)
        .bind(now)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn delete_before(pool: &AnyPool, cutoff: i64) -> sqlx::Result<u64> {
    let done = sqlx::query("DELETE FROM registrations WHERE registered_at <= $1")
        .bind(cutoff)
        .execute(pool)
        .await?;
    Ok(done.rows_affected())
}
