//! Exactly the `woofer-server` binary, linked into the test package.

#[rocket::main]
async fn main() -> std::process::ExitCode {
    woofer_server::run().await
}
