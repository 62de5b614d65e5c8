//! `woofer-server`: Woofer's HTTP API on Rocket. [`rocket()`] builds the
//! whole server; [`run()`] is the binary's entry point.

pub mod auth;
pub mod body;
pub mod clock;
pub mod config;
pub mod db;
pub mod error;
pub mod routes;
pub mod secret_key;
pub mod store;
pub mod token;

use std::process::ExitCode;
use std::time::Duration;

use rocket::fairing::AdHoc;
use rocket::{Build, Rocket};
use rocket_db_pools::Database;

use crate::auth::PasswordHasher;
use crate::config::WooferConfig;

/// How often ended sessions and old failed-login records are swept away.
const SWEEP_INTERVAL: Duration = Duration::from_secs(300);

/// The whole server, configured from `Rocket.toml` and `ROCKET_*` variables.
pub fn rocket() -> std::io::Result<Rocket<Build>> {
    rocket_with(configuration())
}

/// `Rocket.toml` and `ROCKET_*` variables, over Woofer's defaults.
fn configuration() -> rocket::figment::Figment {
    rocket::Config::figment().join(("databases.woofer", default_database()))
}

/// Used when neither `Rocket.toml` nor `ROCKET_DATABASES` names a database,
/// so the binary starts from any directory.
fn default_database() -> rocket::figment::value::Dict {
    let mut db = rocket::figment::value::Dict::new();
    db.insert("url".into(), "sqlite://data/woofer.db".into());
    db.insert("max_connections".into(), 16.into());
    db.insert("connect_timeout".into(), 5.into());
    db
}

/// The server on a given configuration (tests and benchmarks build their own).
pub fn rocket_with(figment: rocket::figment::Figment) -> std::io::Result<Rocket<Build>> {
    let (figment, key_file) = secret_key::ensure_secret_key(figment)?;
    Ok(rocket::custom(figment)
        .attach(config_stage())
        .attach(db::stage())
        .attach(routes::health::stage())
        .attach(routes::session::stage())
        .attach(routes::users::stage())
        .attach(routes::woofs::stage())
        .attach(routes::openapi::stage())
        .attach(sweeper_stage())
        .attach(announce_stage(key_file))
        .register("/api", error::catchers()))
}

fn config_stage() -> AdHoc {
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
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let hasher = PasswordHasher::new(config.hash_concurrency.unwrap_or(cores));
        Ok(rocket.manage(config).manage(hasher))
    })
}

fn sweeper_stage() -> AdHoc {
    AdHoc::on_liftoff("Session sweeper", |rocket| {
        Box::pin(async move {
            let Some(db) = db::Db::fetch(rocket) else {
                return;
            };
            let pool = (***db).clone();
            let hasher = rocket.state::<PasswordHasher>().cloned();
            let mut shutdown = rocket.shutdown();
            tokio::spawn(async move {
                loop {
                    let now = clock::now();
                    if let Err(e) = store::sessions::delete_expired(&pool, now).await {
                        rocket::warn!("sweeping ended sessions failed: {e}");
                    }
                    let cutoff = now - woofer_shared::api::LOGIN_WINDOW_SECS;
                    if let Err(e) = store::login_failures::delete_before(&pool, cutoff).await {
                        rocket::warn!("sweeping old failed logins failed: {e}");
                    }
                    if let Some(hasher) = &hasher {
                        hasher.trim(SWEEP_INTERVAL);
                    }
                    tokio::select! {
                        _ = tokio::time::sleep(SWEEP_INTERVAL) => {}
                        _ = &mut shutdown => break,
                    }
                }
            });
        })
    })
}

/// Says where the server listens (one stable line that scripts and the
/// tests read) and where the generated secret key lives — never the key.
fn announce_stage(key_file: Option<std::path::PathBuf>) -> AdHoc {
    AdHoc::on_liftoff("Announce", move |rocket| {
        Box::pin(async move {
            if let Some(path) = key_file {
                rocket::info!(
                    "secret key: generated once and kept in {} (mode 0600)",
                    path.display()
                );
            }
            let config = rocket.config();
            println!(
                "woofer-server listening on http://{}:{}",
                config.address, config.port
            );
        })
    })
}

/// Process limits for serving many dogs on little memory.
fn tune_process() {
    // glibc raises its mmap threshold after the first large free, after which
    // every freed 19 MiB argon2 buffer stays in a per-thread arena for good;
    // a fixed threshold hands large blocks back to the system when freed.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator tuning; called before serving.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
    // Every connection, slow ones included, holds a file descriptor: allow
    // as many as the hard limit does.
    #[cfg(unix)]
    // SAFETY: plain getrlimit/setrlimit on a local struct.
    unsafe {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0 && limit.rlim_cur < limit.rlim_max
        {
            limit.rlim_cur = limit.rlim_max;
            libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
        }
    }
}

/// The binary: start, serve until shut down, and say in one line why not.
pub async fn run() -> ExitCode {
    tune_process();
    let figment = configuration();
    if let Err(e) = db::preflight(&figment.focus("databases.woofer")).await {
        eprintln!("woofer-server: {e}");
        return ExitCode::FAILURE;
    }
    let rocket = match rocket_with(figment) {
        Ok(rocket) => rocket,
        Err(e) => {
            eprintln!("woofer-server: cannot set up the secret key: {e}");
            return ExitCode::FAILURE;
        }
    };
    match rocket.launch().await {
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("woofer-server: could not start: {e}");
            ExitCode::FAILURE
        }
    }
}
