//! `woofer-server`: Woofer's HTTP API on Rocket, and its web face (`web`). [`rocket()`] builds the
//! whole server; [`run()`] is the binary's entry point.

pub mod actions;
pub mod announce;
pub mod auth;
pub mod body;
pub mod clock;
pub mod config;
pub mod db;
pub mod error;
pub mod process;
pub mod routes;
pub mod secret_key;
pub mod store;
pub mod stream;
pub mod sweeper;
pub mod token;
pub mod web;

use std::process::ExitCode;

use rocket::figment::Figment;
use rocket::{Build, Rocket};

/// The whole server, configured from `Rocket.toml` and `ROCKET_*` variables.
pub fn rocket() -> std::io::Result<Rocket<Build>> {
    rocket_with(config::figment())
}

/// The server on a given configuration (tests and benchmarks build their own).
pub fn rocket_with(figment: Figment) -> std::io::Result<Rocket<Build>> {
    let figment = config::with_client_ip_header(figment);
    let (figment, key_file) = secret_key::ensure_secret_key(figment)?;
    Ok(rocket::custom(figment)
        .attach(config::stage())
        .attach(auth::stage())
        .attach(db::stage())
        .attach(routes::health::stage())
        .attach(routes::session::stage())
        .attach(routes::sessions::stage())
        .attach(routes::account::stage())
        .attach(routes::users::stage())
        .attach(routes::woofs::stage())
        .attach(routes::stream::stage())
        .attach(stream::stage())
        .attach(routes::timeline::stage())
        .attach(routes::likes::stage())
        .attach(routes::follows::stage())
        .attach(routes::openapi::stage())
        .attach(web::stage())
        .attach(sweeper::stage())
        .attach(announce::stage(key_file))
        .register("/api", error::catchers()))
}

/// The binary: start, serve until shut down, and say in one line why not.
pub async fn run() -> ExitCode {
    process::tune();
    let figment = config::figment();
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
