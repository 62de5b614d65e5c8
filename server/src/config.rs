//! Woofer's own settings, read from Rocket's figment: `Rocket.toml` and
//! `ROCKET_*` environment variables, like every Rocket setting.

use rocket::fairing::AdHoc;
use rocket::figment::value::Dict;
use rocket::figment::Figment;
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
    /// Password checks allowed to wait for a hasher; past that a login or
    /// registration gets `503` at once instead of holding its connection
    /// and memory (`ROCKET_HASH_QUEUE`; default 32 per hasher).
    #[serde(default)]
    pub hash_queue: Option<usize>,
    /// Successful registrations allowed per client address per hour
    /// (`ROCKET_REGISTRATIONS_PER_HOUR`); `0` turns the limit off.
    #[serde(default = "default_registrations_per_hour")]
    pub registrations_per_hour: i64,
}

fn default_registrations_per_hour() -> i64 {
    60
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
            hash_queue: None,
            registrations_per_hour: default_registrations_per_hour(),
        }
    }
}

/// `Rocket.toml` and `ROCKET_*` variables, over Woofer's defaults.
pub fn figment() -> Figment {
    rocket::Config::figment().join(("databases.woofer", default_database()))
}

/// Rocket trusts `X-Real-IP` for a client's address by default, so on a
/// server reached directly any client could pick its own address. Woofer
/// trusts a header only when `client_ip_header` names one (the header your
/// proxy sets, e.g. `X-Real-IP` behind nginx); otherwise the connection's
/// peer address is the client's.
pub fn with_client_ip_header(figment: Figment) -> Figment {
    match figment.extract_inner::<String>("client_ip_header") {
        Ok(header) if !header.trim().is_empty() => figment.merge(("ip_header", header)),
        _ => figment.merge(("ip_header", false)),
    }
}

/// Used when neither `Rocket.toml` nor `ROCKET_DATABASES` names a database,
/// so the binary starts from any directory.
fn default_database() -> Dict {
    let mut db = Dict::new();
    db.insert("url".into(), "sqlite://data/woofer.db".into());
    db.insert("max_connections".into(), 16.into());
    db.insert("connect_timeout".into(), 5.into());
    db
}

/// Reads and checks Woofer's settings and manages them; a bad value stops
/// the launch with one line saying which.
pub fn stage() -> AdHoc {
    AdHoc::try_on_ignite("Woofer configuration", |rocket| async {
        let config: WooferConfig = match rocket.figment().extract() {
            Ok(config) => config,
            Err(e) => {
                rocket::error!("invalid Woofer configuration: {e}");
                return Err(rocket);
            }
        };
        if config.session_lifetime <= 0 {
            rocket::error!("session_lifetime must be a positive number of seconds");
            return Err(rocket);
        }
        Ok(rocket.manage(config))
    })
}
