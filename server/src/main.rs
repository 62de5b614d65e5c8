#[rocket::main]
async fn main() -> std::process::ExitCode {
    woofer_server::run().await
}
