//! Who a request comes from: password hashing, checking a dog's password
//! (with the failed-login throttle), and server-side sessions named by a
//! private cookie.

pub mod login;
pub mod password;
pub mod registration_limit;
pub mod session;
mod session_cache;
pub mod throttle;

use rocket::fairing::AdHoc;

use crate::config::WooferConfig;
use crate::db::Backend;
pub use login::Login;
pub use password::PasswordHasher;
pub use session::{ClientAgent, CurrentSession, SessionStore};

/// Manages the password hasher, the login service built on it, and the
/// session store; needs the Woofer configuration managed before it.
pub fn stage() -> AdHoc {
    AdHoc::try_on_ignite("Password hashing and sessions", |rocket| async {
        let Some(config) = rocket.state::<WooferConfig>() else {
            rocket::error!("the Woofer configuration must be read before password hashing");
            return Err(rocket);
        };
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let concurrency = config.hash_concurrency.unwrap_or(cores).max(1);
        let queue = config.hash_queue.unwrap_or(32 * concurrency);
        let hasher = PasswordHasher::with_queue(concurrency, queue);
        let login = Login::new(hasher.clone());
        // An unknown database is refused, with its reason, when the pool opens.
        let backend = rocket
            .figment()
            .extract_inner::<String>("databases.woofer.url")
            .ok()
            .and_then(|url| Backend::of_url(&url))
            .unwrap_or(Backend::Postgres);
        let sessions = SessionStore::new(backend);
        Ok(rocket.manage(hasher).manage(login).manage(sessions))
    })
}
