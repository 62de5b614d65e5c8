//! The live sessions this instance looked up in the last second, so that a
//! busy client's requests skip the database.
//!
//! Looking a session up was the largest single cost of a write on SQLite:
//! every commit empties the other connections' page caches, so each lookup
//! read its pages back from the file, on a connection thread of its own
//! (docs/benchmarks.md, "Sessions kept for a second"). Kept only on SQLite,
//! where one instance serves the database (docs/deploy.md): this instance
//! then sees every session end that a request asks for, and forgets the
//! session at once. On PostgreSQL a session can end on another instance,
//! so every request asks the database.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use woofer_shared::UserId;

use crate::store::sessions::LiveSession;

/// How long a lookup is trusted. It bounds how long a session ended
/// outside any request of this instance (by hand, with the sqlite3 tool)
/// still opens doors; a client busy enough to gain from the cache asks the
/// database once a second.
pub const TRUSTED_FOR: Duration = Duration::from_secs(1);

/// At most this many sessions are kept: those used in the last second.
const MOST_KEPT: usize = 4096;

struct Kept {
    session: LiveSession,
    looked_up: Instant,
}

#[derive(Default)]
struct Entries {
    by_token_hash: HashMap<String, Kept>,
    /// Counts the sessions forgotten so far: a lookup that began before
    /// one is not kept (it may have read a session as it was just before
    /// it ended).
    forgotten: u64,
}

/// Sessions looked up lately, by their token's hash; or, on PostgreSQL,
/// none (every lookup asks the database).
pub struct SessionCache {
    kept: Option<Mutex<Entries>>,
}

/// Taken before a lookup, to keep its answer only if no session ended while
/// the database was asked.
pub struct Ticket(u64);

impl SessionCache {
    pub fn on() -> Self {
        Self {
            kept: Some(Mutex::default()),
        }
    }

    pub fn off() -> Self {
        Self { kept: None }
    }

    fn lock(&self) -> Option<std::sync::MutexGuard<'_, Entries>> {
        // A panic elsewhere while holding the lock leaves the map whole.
        self.kept
            .as_ref()
            .map(|kept| kept.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// The session, if it was looked up in the last [`TRUSTED_FOR`] and has
    /// not expired by `now` (seconds).
    pub fn get(&self, token_hash: &str, now: i64) -> Option<LiveSession> {
        let entries = self.lock()?;
        let entry = entries.by_token_hash.get(token_hash)?;
        (entry.looked_up.elapsed() < TRUSTED_FOR && now < entry.session.expires_at)
            .then(|| entry.session.clone())
    }

    pub fn ticket(&self) -> Ticket {
        Ticket(self.lock().map_or(0, |entries| entries.forgotten))
    }

    /// Keeps what a lookup begun with `ticket` found, unless a session was
    /// forgotten since.
    pub fn keep(&self, ticket: Ticket, token_hash: &str, session: LiveSession) {
        let Some(mut entries) = self.lock() else {
            return;
        };
        if entries.forgotten != ticket.0 {
            return;
        }
        if entries.by_token_hash.len() >= MOST_KEPT {
            entries
                .by_token_hash
                .retain(|_, entry| entry.looked_up.elapsed() < TRUSTED_FOR);
            if entries.by_token_hash.len() >= MOST_KEPT {
                return;
            }
        }
        entries.by_token_hash.insert(
            token_hash.to_owned(),
            Kept {
                session,
                looked_up: Instant::now(),
            },
        );
    }

    /// Notes that the session's `last_seen_at` was written as `now`.
    pub fn seen(&self, token_hash: &str, now: i64) {
        let Some(mut entries) = self.lock() else {
            return;
        };
        if let Some(entry) = entries.by_token_hash.get_mut(token_hash) {
            entry.session.last_seen_at = now;
        }
    }

    /// Forgets one session; called once it has ended in the database.
    pub fn forget(&self, token_hash: &str) {
        if let Some(mut entries) = self.lock() {
            entries.forgotten += 1;
            entries.by_token_hash.remove(token_hash);
        }
    }

    /// Forgets every session of a dog; called once some of them have
    /// ended in the database (a password change, the account's deletion).
    pub fn forget_dog(&self, dog: UserId) {
        if let Some(mut entries) = self.lock() {
            entries.forgotten += 1;
            entries
                .by_token_hash
                .retain(|_, entry| entry.session.user.id != dog);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use woofer_shared::api::User;
    use woofer_shared::Timestamp;

    fn session_of(dog: i64, expires_at: i64) -> LiveSession {
        LiveSession {
            user: User {
                id: UserId(dog),
                username: format!("dog{dog}"),
                created_at: Timestamp::from_unix(0),
            },
            expires_at,
            last_seen_at: 0,
        }
    }

    #[test]
    fn a_kept_session_is_found_until_it_expires() {
        let cache = SessionCache::on();
        cache.keep(cache.ticket(), "a", session_of(1, 100));
        assert_eq!(cache.get("a", 99).map(|s| s.user.id), Some(UserId(1)));
        assert!(cache.get("a", 100).is_none());
        assert!(cache.get("b", 0).is_none());
    }

    #[test]
    fn a_lookup_older_than_a_second_is_not_trusted() {
        let cache = SessionCache::on();
        cache.keep(cache.ticket(), "a", session_of(1, 100));
        let back = Instant::now() - TRUSTED_FOR;
        cache
            .lock()
            .unwrap()
            .by_token_hash
            .get_mut("a")
            .unwrap()
            .looked_up = back;
        assert!(cache.get("a", 0).is_none());
    }

    #[test]
    fn forgetting_ends_a_session_and_voids_lookups_under_way() {
        let cache = SessionCache::on();
        cache.keep(cache.ticket(), "a", session_of(1, 100));
        cache.keep(cache.ticket(), "b", session_of(1, 100));
        cache.keep(cache.ticket(), "c", session_of(2, 100));
        // A lookup begins, reads "d" as live, and meanwhile "d" ends.
        let under_way = cache.ticket();
        cache.forget("d");
        cache.keep(under_way, "d", session_of(3, 100));
        assert!(cache.get("d", 0).is_none());

        cache.forget_dog(UserId(1));
        assert!(cache.get("a", 0).is_none() && cache.get("b", 0).is_none());
        assert!(cache.get("c", 0).is_some());
        cache.forget("c");
        assert!(cache.get("c", 0).is_none());
    }

    #[test]
    fn off_keeps_nothing() {
        let cache = SessionCache::off();
        cache.keep(cache.ticket(), "a", session_of(1, 100));
        assert!(cache.get("a", 0).is_none());
    }
}
