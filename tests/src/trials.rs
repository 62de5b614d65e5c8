//! The end-to-end suite's harness: every test is a [`Trial`] of
//! libtest-mimic, so the whole suite links as one test binary, and a test
//! that cannot run here is reported as ignored rather than passed.
//!
//! Names read `area::test` or, for tests run per database,
//! `area::test::sqlite` and `area::test::postgres`; `cargo test` filters,
//! `--exact`, `--ignored` and `--test-threads` work as with libtest.

use std::future::Future;
use std::process::ExitCode;

pub use libtest_mimic::Trial;

use crate::server::{Backend, ServerOptions};

/// Where the PostgreSQL runs stand, from the environment:
/// `WOOFER_TEST_POSTGRES_URL` names a server to create databases on, and
/// `WOOFER_REQUIRE_POSTGRES=1` (as in CI) makes a missing URL a failure
/// instead of a skip.
#[derive(Debug, Clone)]
pub enum Postgres {
    Configured(Backend),
    /// Not configured: the runs are ignored.
    Missing,
    /// Required but not configured: the runs fail.
    RequiredButMissing,
}

impl Postgres {
    pub fn from_env() -> Self {
        match Backend::postgres_from_env() {
            Some(backend) => Self::Configured(backend),
            None if std::env::var("WOOFER_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") => {
                Self::RequiredButMissing
            }
            None => Self::Missing,
        }
    }

    /// Options for a run on PostgreSQL; panics (failing the trial) when
    /// there is no PostgreSQL to run on.
    fn options(self) -> ServerOptions {
        match self {
            Self::Configured(backend) => ServerOptions {
                backend,
                ..ServerOptions::default()
            },
            Self::RequiredButMissing => {
                panic!("WOOFER_REQUIRE_POSTGRES=1 but WOOFER_TEST_POSTGRES_URL is not set")
            }
            Self::Missing => panic!("set WOOFER_TEST_POSTGRES_URL to run the PostgreSQL tests"),
        }
    }
}

/// `area::test`, where the area is the module of the test binary that
/// declares the test (`module_path!()` without the binary's own name).
pub fn name(module_path: &str, test: &str) -> String {
    let area = module_path
        .split_once("::")
        .map_or(module_path, |(_, area)| area);
    format!("{area}::{test}")
}

/// Runs an async test body on a runtime of its own, as
/// `#[tokio::test(flavor = "multi_thread", worker_threads = 2)]` does.
pub fn block_on<F: Future>(body: F) -> F::Output {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime")
        .block_on(body)
}

/// A test that runs as it is (it may build its own runtime).
pub fn plain(name: String, body: impl FnOnce() + Send + 'static) -> Trial {
    Trial::test(name, move || {
        body();
        Ok(())
    })
}

/// An async test on a runtime of its own.
pub fn on_tokio<F, Fut>(name: String, body: F) -> Trial
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: Future<Output = ()>,
{
    plain(name, move || block_on(body()))
}

/// An async test against a server on SQLite: `name::sqlite`.
pub fn on_sqlite<F, Fut>(name: &str, body: F) -> Trial
where
    F: FnOnce(ServerOptions) -> Fut + Send + 'static,
    Fut: Future<Output = ()>,
{
    on_tokio(format!("{name}::sqlite"), move || {
        body(ServerOptions::default())
    })
}

/// An async test against PostgreSQL: `name::postgres`, ignored when no
/// PostgreSQL is configured (unless one is required).
pub fn on_postgres<F, Fut>(name: &str, body: F) -> Trial
where
    F: FnOnce(ServerOptions) -> Fut + Send + 'static,
    Fut: Future<Output = ()>,
{
    let postgres = Postgres::from_env();
    let ignored = matches!(postgres, Postgres::Missing);
    on_tokio(format!("{name}::postgres"), move || {
        body(postgres.options())
    })
    .with_ignored_flag(ignored)
}

/// The same async test on each database: `name::sqlite`, `name::postgres`.
pub fn on_every_backend<F, Fut>(name: &str, body: F) -> [Trial; 2]
where
    F: FnOnce(ServerOptions) -> Fut + Clone + Send + 'static,
    Fut: Future<Output = ()>,
{
    [on_sqlite(name, body.clone()), on_postgres(name, body)]
}

/// An async test that drives headless Chromium: `name`, ignored when
/// Chromium or chromedriver is missing (unless `WOOFER_REQUIRE_BROWSER=1`,
/// when it fails saying what is missing).
pub fn in_browser<F, Fut>(name: String, body: F) -> Trial
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: Future<Output = ()>,
{
    let availability = crate::browser::Availability::from_env();
    let ignored = availability.is_missing();
    on_tokio(name, move || async move {
        if let crate::browser::Availability::RequiredButMissing(why) = availability {
            panic!("WOOFER_REQUIRE_BROWSER=1 but {why}");
        }
        body().await
    })
    .with_ignored_flag(ignored)
}

/// An async test that reads pages in the text browser w3m: `name`,
/// ignored when w3m is missing (unless `WOOFER_REQUIRE_BROWSER=1`).
pub fn in_text_browser<F, Fut>(name: String, body: F) -> Trial
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: Future<Output = ()>,
{
    let found = crate::browser::on_path("w3m").is_some();
    let required = std::env::var("WOOFER_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
    on_tokio(name, move || async move {
        assert!(found, "WOOFER_REQUIRE_BROWSER=1 but w3m is not installed");
        body().await
    })
    .with_ignored_flag(!found && !required)
}

/// The test binary's `main`: runs the trials the command line selects and
/// prints libtest's summary.
pub fn run(trials: Vec<Trial>) -> ExitCode {
    crate::install_crypto();
    libtest_mimic::run(&libtest_mimic::Arguments::from_args(), trials).exit_code()
}

/// Each `async fn test(options: ServerOptions)` named, as trials on every
/// database: `area::test::sqlite` and `area::test::postgres`.
#[macro_export]
macro_rules! on_every_backend {
    ($($test:ident),* $(,)?) => {{
        let mut trials = ::std::vec::Vec::new();
        $(trials.extend($crate::trials::on_every_backend(
            &$crate::trials::name(module_path!(), stringify!($test)),
            $test,
        ));)*
        trials
    }};
}

/// Each `async fn test(options: ServerOptions)` named, as a trial on
/// PostgreSQL only: `area::test::postgres`.
#[macro_export]
macro_rules! on_postgres {
    ($($test:ident),* $(,)?) => {
        ::std::vec![$($crate::trials::on_postgres(
            &$crate::trials::name(module_path!(), stringify!($test)),
            $test,
        )),*]
    };
}

/// Each `async fn test()` named, as a trial on a runtime of its own:
/// `area::test`.
#[macro_export]
macro_rules! async_tests {
    ($($test:ident),* $(,)?) => {
        ::std::vec![$($crate::trials::on_tokio(
            $crate::trials::name(module_path!(), stringify!($test)),
            $test,
        )),*]
    };
}

/// Each `async fn test()` named, as a trial in headless Chromium:
/// `area::test`, ignored where there is no Chromium.
#[macro_export]
macro_rules! browser_tests {
    ($($test:ident),* $(,)?) => {
        ::std::vec![$($crate::trials::in_browser(
            $crate::trials::name(module_path!(), stringify!($test)),
            $test,
        )),*]
    };
}

/// Each `async fn test()` named, as a trial in w3m: `area::test`,
/// ignored where there is no w3m.
#[macro_export]
macro_rules! text_browser_tests {
    ($($test:ident),* $(,)?) => {
        ::std::vec![$($crate::trials::in_text_browser(
            $crate::trials::name(module_path!(), stringify!($test)),
            $test,
        )),*]
    };
}

/// Each plain `fn test()` named, as a trial: `area::test`.
#[macro_export]
macro_rules! sync_tests {
    ($($test:ident),* $(,)?) => {
        ::std::vec![$($crate::trials::plain(
            $crate::trials::name(module_path!(), stringify!($test)),
            $test,
        )),*]
    };
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_drop_the_binary_and_keep_the_area() {
        assert_eq!(
            super::name("api::accounts", "login_works"),
            "accounts::login_works"
        );
        assert_eq!(super::name("api", "solo"), "api::solo");
    }
}
