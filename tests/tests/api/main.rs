//! Woofer's end-to-end suite: the real server over real HTTP, driven as a
//! client would, one module per area of the API, and the web face's pages
//! over HTTP and in headless Chromium (`web`). One test binary, since
//! on two cores linking nine was most of the build.
//!
//! `cargo test -p woofer-tests --test api [FILTER]`; the PostgreSQL runs
//! need `WOOFER_TEST_POSTGRES_URL` and are reported as ignored without it.

mod accounts;
mod errors;
mod follows;
mod hostile;
mod likes;
mod openapi;
mod process;
mod replies;
mod scale_out;
mod schemathesis;
mod sessions;
mod slow_clients;
mod stream;
mod timeline;
mod web;
mod woofs;

use std::path::Path;
use std::process::ExitCode;

use woofer_tests::ServerProcess;

/// The `woofer-server` entry point, built into this package for the tests
/// that need the server as a process of its own.
const SERVER: &str = env!("CARGO_BIN_EXE_woofer-test-server");

/// The server binary started in `dir` with `env`, listening.
fn start_server_process(dir: &Path, env: &[(&str, &str)]) -> ServerProcess {
    ServerProcess::start(Path::new(SERVER), dir, env).unwrap_or_else(|e| panic!("{e}"))
}

fn main() -> ExitCode {
    woofer_tests::trials::run(
        [
            accounts::trials(),
            errors::trials(),
            follows::trials(),
            hostile::trials(),
            likes::trials(),
            openapi::trials(),
            process::trials(),
            replies::trials(),
            scale_out::trials(),
            schemathesis::trials(),
            sessions::trials(),
            slow_clients::trials(),
            stream::trials(),
            timeline::trials(),
            web::trials(),
            woofs::trials(),
        ]
        .into_iter()
        .flatten()
        .collect(),
    )
}
