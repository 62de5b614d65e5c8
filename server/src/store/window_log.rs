//! A table of timestamped events per key, counted over a sliding window:
//! failed logins per name, registrations per client address. An event
//! claims its place *before* the slow work it counts (verifying or hashing
//! a password), in one atomic step per key, and gives it back if it turns
//! out not to count. Checking first and recording after the work would let
//! a parallel burst all pass the check before any of it was recorded.

use sqlx::{Acquire, AnyConnection, AnyPool};

/// Where one kind of event is logged: `table (id, <key>, <at>)`. The names
/// are constants of this crate, never input.
pub struct WindowLog {
    pub table: &'static str,
    pub key: &'static str,
    pub at: &'static str,
    /// Separates this log's PostgreSQL advisory locks from other logs'.
    pub lock_class: i32,
}

impl WindowLog {
    /// Records an event for `key` at `now` unless `allowed` events already
    /// stand since `since`, as one step: no other event for the key can be
    /// counted between the look and the write. Returns the new row's id, or
    /// `None` when the key is full.
    pub async fn claim(
        &self,
        pool: &AnyPool,
        key: &str,
        now: i64,
        since: i64,
        allowed: i64,
    ) -> sqlx::Result<Option<i64>> {
        let mut conn = pool.acquire().await?;
        if conn.backend_name() == "PostgreSQL" {
            // Under READ COMMITTED two inserts would each miss the other's
            // row: events for one key queue on a lock held to the commit.
            let mut tx = conn.begin().await?;
            let _: (i32,) = sqlx::query_as(
                "SELECT 1 FROM (SELECT pg_advisory_xact_lock($1, hashtext($2))) AS locked",
            )
            .bind(self.lock_class)
            .bind(key)
            .fetch_one(&mut *tx)
            .await?;
            let id = self
                .insert_unless_full(&mut tx, key, now, since, allowed)
                .await?;
            tx.commit().await?;
            Ok(id)
        } else {
            // SQLite runs one write statement at a time, its read included.
            self.insert_unless_full(&mut conn, key, now, since, allowed)
                .await
        }
    }

    async fn insert_unless_full(
        &self,
        conn: &mut AnyConnection,
        key: &str,
        now: i64,
        since: i64,
        allowed: i64,
    ) -> sqlx::Result<Option<i64>> {
        let Self {
            table, key: k, at, ..
        } = self;
        let row: Option<(i64,)> = sqlx::query_as(&format!(
            "INSERT INTO {table} ({k}, {at}) \
             SELECT $1, $2 WHERE (SELECT COUNT(*) FROM {table} WHERE {k} = $1 AND {at} > $3) < $4 \
             RETURNING id"
        ))
        .bind(key)
        .bind(now)
        .bind(since)
        .bind(allowed)
        .fetch_optional(conn)
        .await?;
        Ok(row.map(|(id,)| id))
    }

    /// Events for `key` since `since`, and the time of the oldest.
    pub async fn count_since(
        &self,
        pool: &AnyPool,
        key: &str,
        since: i64,
    ) -> sqlx::Result<(i64, Option<i64>)> {
        let Self {
            table, key: k, at, ..
        } = self;
        // COALESCE: sqlx 0.7's Any driver cannot decode a NULL aggregate.
        let (count, oldest): (i64, i64) = sqlx::query_as(&format!(
            "SELECT COUNT(*), COALESCE(MIN({at}), 0) FROM {table} WHERE {k} = $1 AND {at} > $2"
        ))
        .bind(key)
        .bind(since)
        .fetch_one(pool)
        .await?;
        Ok((count, (count > 0).then_some(oldest)))
    }

    /// Gives a claimed place back: the event did not count after all.
    pub async fn release(&self, pool: &AnyPool, id: i64) -> sqlx::Result<()> {
        sqlx::query(&format!("DELETE FROM {} WHERE id = $1", self.table))
            .bind(id)
            .execute(pool)
            .await?;
        Ok(())
    }

    /// Forgets the events at or before `cutoff`, which no window counts.
    pub async fn delete_before(&self, pool: &AnyPool, cutoff: i64) -> sqlx::Result<u64> {
        let Self { table, at, .. } = self;
        let done = sqlx::query(&format!("DELETE FROM {table} WHERE {at} <= $1"))
            .bind(cutoff)
            .execute(pool)
            .await?;
        Ok(done.rows_affected())
    }
}
