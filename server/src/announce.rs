//! The start-up announcement.

use std::path::PathBuf;

use rocket::fairing::AdHoc;

/// Says where the server listens (one stable line that scripts and the
/// tests read) and where the generated secret key lives — never the key.
pub fn stage(key_file: Option<PathBuf>) -> AdHoc {
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
