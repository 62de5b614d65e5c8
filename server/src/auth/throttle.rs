//! Failed-login throttle per normalised username, counted in the database so
//! every instance sharing it shares the counts.

use sqlx::AnyPool;
use woofer_shared::api::{LOGIN_FAILURES_ALLOWED, LOGIN_WINDOW_SECS};

use crate::clock;
use crate::error::{Error, Result};
use crate::store::login_failures;

/// `Err(RateLimited)` once the name has used up its failures in the window.
pub async fn check(pool: &AnyPool, username: &str) -> Result<()> {
    let now = clock::now();
    let (failures, oldest) =
        login_failures::count_since(pool, username, now - LOGIN_WINDOW_SECS).await?;
    if failures < i64::from(LOGIN_FAILURES_ALLOWED) {
        return Ok(());
    }
    // Attempts open again when the oldest failure leaves the window.
    let retry_after = oldest.map_or(LOGIN_WINDOW_SECS, |t| t + LOGIN_WINDOW_SECS - now + 1);
    Err(Error::RateLimited { retry_after })
}

pub async fn record_failure(pool: &AnyPool, username: &str) -> Result<()> {
    login_failures::record(pool, username, clock::now()).await?;
    Ok(())
}
