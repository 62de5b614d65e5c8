//! The sweeper: every few minutes, deletes ended sessions and failed logins
//! older than the throttle's window, and gives back the password hasher's
//! idle working memory. Rows it has not reached yet are harmless: every
//! query already ignores them.

use std::time::Duration;

use rocket::fairing::AdHoc;
use rocket_db_pools::Database;
use sqlx::AnyPool;
use woofer_shared::api::LOGIN_WINDOW_SECS;

use crate::auth::PasswordHasher;
use crate::clock;
use crate::db::Db;
use crate::store::{login_failures, registrations, sessions};

/// How often the sweeper runs.
const SWEEP_INTERVAL: Duration = Duration::from_secs(300);

/// Starts the sweeper at lift-off; it stops when the server shuts down.
pub fn stage() -> AdHoc {
    AdHoc::on_liftoff("Sweeper", |rocket| {
        Box::pin(async move {
            let Some(db) = Db::fetch(rocket) else {
                return;
            };
            let pool = db.writer().clone();
            let hasher = rocket.state::<PasswordHasher>().cloned();
            let mut shutdown = rocket.shutdown();
            tokio::spawn(async move {
                loop {
                    sweep(&pool, hasher.as_ref()).await;
                    tokio::select! {
                        _ = tokio::time::sleep(SWEEP_INTERVAL) => {}
                        _ = &mut shutdown => break,
                    }
                }
            });
        })
    })
}

async fn sweep(pool: &AnyPool, hasher: Option<&PasswordHasher>) {
    let now = clock::now();
    if let Err(e) = sessions::delete_expired(pool, now).await {
        rocket::warn!("sweeping ended sessions failed: {e}");
    }
    if let Err(e) = login_failures::LOG
        .delete_before(pool, now - LOGIN_WINDOW_SECS)
        .await
    {
        rocket::warn!("sweeping old failed logins failed: {e}");
    }
    let hour_ago = now - crate::auth::registration_limit::WINDOW_SECS;
    if let Err(e) = registrations::LOG.delete_before(pool, hour_ago).await {
        rocket::warn!("sweeping old registration counts failed: {e}");
    }
    if let Some(hasher) = hasher {
        hasher.trim(SWEEP_INTERVAL);
    }
}
