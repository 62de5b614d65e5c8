//! Woofer's own settings, read from Rocket's figment: `Rocket.toml` and
//! `ROCKET_*` environment variables, like every Rocket setting.

use rocket::serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(crate = "rocket::serde")]
pub struct WooferConfig {
    /// How long a login lasts, in seconds (`ROCKET_SESSION_LIFETIME`).
    #[serde(default = "default_session_lifetime")]
    pub session_lifetime: i64,
    /// Mark the session cookie `Secure`: set when clients reach the server
    /// over HTTPS, e.g. behind a TLS-terminating proxy (`ROCKET_COOKIE_SECURE`).
    #[serde(default)]
    pub cookie_secure: bool,
    /// Password hashes computed at once; defaults to the number of cores,
    /// so a flood of logins cannot starve other requests or eat memory.
    #[serde(default)]
    pub hash_concurrency: Option<usize>,
}

pub const THIRTY_DAYS: i64 = 30 * 24 * 60 * 60;

fn default_session_lifetime() -> i64 {
    THIRTY_DAYS
}

impl Default for WooferConfig {
    fn default() -> Self {
        Self {
            session_lifetime: THIRTY_DAYS,
            cookie_secure: false,
            hash_concurrency: None,
        }
    }
}
