//! Test support: start the real Woofer server on an ephemeral port with a
//! fresh database, and talk to it as a client would.

pub mod client;
pub mod process;
pub mod server;

pub use client::{install_crypto, status_with_cookie, ApiClient, ApiResponse};
pub use process::ServerProcess;
pub use server::{Backend, ServerOptions, TestServer};

/// Options for a PostgreSQL run of a test, or `None` (having said so on
/// stderr) when `WOOFER_TEST_POSTGRES_URL` is not set. With
/// `WOOFER_REQUIRE_POSTGRES=1` (as in CI) a missing URL fails the test.
pub fn postgres_options(test: &str) -> Option<ServerOptions> {
    match Backend::postgres_from_env() {
        Some(backend) => Some(ServerOptions {
            backend,
            ..ServerOptions::default()
        }),
        None if std::env::var("WOOFER_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") => {
            panic!("{test}: WOOFER_REQUIRE_POSTGRES=1 but WOOFER_TEST_POSTGRES_URL is not set")
        }
        None => {
            eprintln!("SKIPPED {test} on PostgreSQL: set WOOFER_TEST_POSTGRES_URL to run it");
            None
        }
    }
}

/// Runs each named `async fn name(options: ServerOptions)` as two tests,
/// `name::sqlite` and `name::postgres`.
#[macro_export]
macro_rules! on_every_backend {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name($crate::ServerOptions::default()).await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(options) = $crate::postgres_options(concat!(stringify!($name), "::postgres")) {
                    super::$name(options).await
                }
            }
        }
    )*};
}
