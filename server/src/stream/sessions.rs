//! Streams end with their sessions. A session can end on any instance and
//! in many ways (logout, ended from another terminal, a password change,
//! the account's deletion, expiry), all of which delete or outdate its row
//! in `sessions`: so every few seconds one task per instance asks the
//! database which of the sessions its open streams hold still live — one
//! query per [`LIVE_BATCH`] sessions, not one per stream — and ends the
//! streams of the others.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sqlx::AnyPool;
use tokio::sync::watch;

use crate::clock;
use crate::store::sessions::{live_among, LIVE_BATCH};

/// How often the open streams' sessions are checked: a stream outlives its
/// session by at most this (plus one query), well inside the contract's 15 s.
pub const CHECK_INTERVAL: Duration = Duration::from_secs(5);

/// The sessions that open streams belong to, each with the signal that
/// ends them.
#[derive(Default)]
pub struct SessionWatch {
    open: Mutex<HashMap<String, Watched>>,
}

struct Watched {
    streams: usize,
    ended: watch::Sender<bool>,
}

/// A stream's hold on its session's signal; letting go when the stream
/// ends forgets the session once no stream holds it.
pub struct Watching {
    watch: Arc<SessionWatch>,
    token_hash: String,
    ended: watch::Receiver<bool>,
}

impl Watching {
    /// Resolves once the session has ended.
    pub async fn ended(&mut self) {
        // An error means the sender is gone, which the hold rules out.
        let _ = self.ended.wait_for(|ended| *ended).await;
    }
}

impl Drop for Watching {
    fn drop(&mut self) {
        let mut open = self.watch.lock();
        if let Some(watched) = open.get_mut(&self.token_hash) {
            watched.streams -= 1;
            if watched.streams == 0 {
                open.remove(&self.token_hash);
            }
        }
    }
}

impl SessionWatch {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Watched>> {
        // A panic elsewhere while holding this map leaves it consistent.
        self.open.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Watches the session `token_hash` for a stream.
    pub fn watch(self: &Arc<Self>, token_hash: &str) -> Watching {
        let mut open = self.lock();
        let watched = open
            .entry(token_hash.to_owned())
            .or_insert_with(|| Watched {
                streams: 0,
                ended: watch::channel(false).0,
            });
        watched.streams += 1;
        Watching {
            watch: self.clone(),
            token_hash: token_hash.to_owned(),
            ended: watched.ended.subscribe(),
        }
    }

    /// Ends every stream of the session `token_hash` on this instance.
    pub fn end(&self, token_hash: &str) {
        if let Some(watched) = self.lock().get(token_hash) {
            watched.ended.send_replace(true);
        }
    }

    /// How many sessions open streams hold.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn open_sessions(&self) -> Vec<String> {
        self.lock().keys().cloned().collect()
    }

    /// Ends the streams of every watched session the database no longer
    /// holds live.
    pub async fn check(&self, pool: &AnyPool) -> sqlx::Result<()> {
        let now = clock::now();
        for batch in self.open_sessions().chunks(LIVE_BATCH) {
            let live: HashSet<String> = live_among(pool, batch, now).await?.into_iter().collect();
            for ended in batch.iter().filter(|hash| !live.contains(*hash)) {
                self.end(ended);
            }
        }
        Ok(())
    }
}

/// The per-instance check, every [`CHECK_INTERVAL`] until shutdown.
pub async fn watch(watch: Arc<SessionWatch>, pool: AnyPool, mut shutdown: rocket::Shutdown) {
    loop {
        tokio::select! {
            _ = tokio::time::sleep(CHECK_INTERVAL) => {}
            _ = &mut shutdown => break,
        }
        if let Err(e) = watch.check(&pool).await {
            rocket::warn!("checking the live streams' sessions failed: {e}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_session_is_forgotten_with_its_last_stream() {
        let watch = Arc::new(SessionWatch::default());
        let first = watch.watch("abc");
        let second = watch.watch("abc");
        assert_eq!(watch.len(), 1);
        drop(first);
        assert_eq!(watch.len(), 1);
        drop(second);
        assert!(watch.is_empty());
    }

    #[tokio::test]
    async fn ending_a_session_ends_each_of_its_streams_only() {
        let watch = Arc::new(SessionWatch::default());
        let (mut a1, mut a2, b) = (watch.watch("a"), watch.watch("a"), watch.watch("b"));
        watch.end("a");
        tokio::time::timeout(Duration::from_secs(1), async {
            a1.ended().await;
            a2.ended().await;
        })
        .await
        .expect("both streams of the session see the end");
        assert!(!*b.ended.borrow());
    }

    #[tokio::test]
    async fn the_check_ends_streams_of_sessions_the_database_no_longer_has() {
        let pool = crate::db::scratch_sqlite().await;
        sqlx::query(
            "INSERT INTO users (username, password_hash, created_at) VALUES ('rex', 'x', 0)",
        )
        .execute(&pool)
        .await
        .unwrap();
        let far = clock::now() + 3600;
        for (hash, expires_at) in [("live", far), ("expired", clock::now() - 1)] {
            sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at) VALUES ($1, 1, 0, $2, 0)")
                .bind(hash)
                .bind(expires_at)
                .execute(&pool)
                .await
                .unwrap();
        }
        let watch = Arc::new(SessionWatch::default());
        let streams = ["live", "expired", "deleted"].map(|hash| watch.watch(hash));

        watch.check(&pool).await.unwrap();

        let ended = streams.each_ref().map(|s| *s.ended.borrow());
        assert_eq!(ended, [false, true, true]);
    }
}
