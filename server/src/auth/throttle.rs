//! Failed-login throttle per normalised username, counted in the database so
//! every instance sharing it shares the counts.
//!
//! An attempt is counted *before* its password is judged, in one atomic
//! step per name, and uncounted when the password was right. Checking first
//! and counting after the (slow) verification would let a burst of parallel
//! guesses all pass the check before any of them was counted.

use sqlx::AnyPool;
use woofer_shared::api::{LOGIN_FAILURES_ALLOWED, LOGIN_WINDOW_SECS};

use crate::clock;
use crate::error::{Error, Result};
use crate::store::login_failures;

/// An attempt that holds one of the name's places in the window until its
/// password is judged: a wrong one keeps it as a failure.
#[must_use = "a right password must give its place back with `succeeded`"]
pub struct Attempt {
    id: i64,
}

/// Claims a place for one attempt at `username`, or `Err(RateLimited)` once
/// the name has used up its failures in the window.
pub async fn attempt(pool: &AnyPool, username: &str) -> Result<Attempt> {
    let now = clock::now();
    let since = now - LOGIN_WINDOW_SECS;
    let claimed = login_failures::LOG
        .claim(
            pool,
            username,
            now,
            since,
            i64::from(LOGIN_FAILURES_ALLOWED),
        )
        .await?;
    if let Some(id) = claimed {
        return Ok(Attempt { id });
    }
    // Attempts open again when the oldest failure leaves the window.
    let (_, oldest) = login_failures::LOG
        .count_since(pool, username, since)
        .await?;
    let retry_after = oldest.map_or(LOGIN_WINDOW_SECS, |t| t + LOGIN_WINDOW_SECS - now + 1);
    Err(Error::RateLimited { retry_after })
}

impl Attempt {
    /// The password was right: the attempt was no failure.
    pub async fn succeeded(self, pool: &AnyPool) -> Result<()> {
        login_failures::LOG.release(pool, self.id).await?;
        Ok(())
    }
}
