//! Zero set-up secret key: Rocket needs one for private cookies (release
//! builds refuse to start without it). When none is configured, one is
//! generated once, kept in a 0600 file beside the database and reused, so
//! sessions survive restarts.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use rocket::figment::Figment;

use crate::db::sqlite_path;

pub const KEY_FILE_NAME: &str = "secret.key";

/// Where the generated key lives: beside the SQLite file, or in `./data`
/// when the database is not a local file (several PostgreSQL instances must
/// share one key: configure `ROCKET_SECRET_KEY` on each instead).
pub fn key_file_for(database_url: Option<&str>) -> PathBuf {
    let dir = database_url
        .and_then(sqlite_path)
        .and_then(|p| p.parent().map(Path::to_owned))
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or_else(|| PathBuf::from("data"));
    dir.join(KEY_FILE_NAME)
}

/// Adds `secret_key` to the figment from the key file unless one is set.
/// Returns where the key came from, for the start-up log.
pub fn ensure_secret_key(figment: Figment) -> io::Result<(Figment, Option<PathBuf>)> {
    // Rocket's defaults hold an all-zero key, which means "none configured".
    let configured = figment.extract_inner::<rocket::config::SecretKey>("secret_key");
    if configured.is_ok_and(|key| !key.is_zero()) {
        return Ok((figment, None));
    }
    let url: Option<String> = figment.extract_inner("databases.woofer.url").ok();
    let path = key_file_for(url.as_deref());
    let key = load_or_create(&path)?;
    Ok((figment.merge(("secret_key", key)), Some(path)))
}

fn load_or_create(path: &Path) -> io::Result<String> {
    match fs::read_to_string(path) {
        Ok(text) => {
            let key = text.trim().to_owned();
            if key.len() == 64 && key.bytes().all(|b| b.is_ascii_hexdigit()) {
                Ok(key)
            } else {
                Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!(
                        "{} does not hold a key (64 hex digits); remove it to have a new one made",
                        path.display()
                    ),
                ))
            }
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => create(path),
        Err(e) => Err(io::Error::new(
            e.kind(),
            format!("cannot read {}: {e}", path.display()),
        )),
    }
}

fn create(path: &Path) -> io::Result<String> {
    if let Some(dir) = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty() && !d.exists())
    {
        crate::db::create_private_dir(dir)?;
    }
    let key = crate::token::random_hex(32);
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(mut file) => {
            file.write_all(key.as_bytes())?;
            file.write_all(b"\n")?;
            file.sync_all()?;
            Ok(key)
        }
        // Another instance made it first: use theirs.
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => load_or_create(path),
        Err(e) => Err(io::Error::new(
            e.kind(),
            format!("cannot create {}: {e}", path.display()),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_file_sits_beside_the_sqlite_database() {
        assert_eq!(
            key_file_for(Some("sqlite://var/w/woofer.db?mode=rwc")),
            PathBuf::from("var/w/secret.key")
        );
        assert_eq!(
            key_file_for(Some("sqlite://woofer.db")),
            PathBuf::from("data/secret.key")
        );
        assert_eq!(
            key_file_for(Some("postgres://x@y/z")),
            PathBuf::from("data/secret.key")
        );
    }

    #[test]
    fn a_key_is_made_once_with_mode_0600_and_reused() {
        let dir = std::env::temp_dir().join(format!("woofer-key-{}", std::process::id()));
        let path = dir.join(KEY_FILE_NAME);
        let _ = fs::remove_dir_all(&dir);
        let first = load_or_create(&path).unwrap();
        let second = load_or_create(&path).unwrap();
        assert_eq!(first, second);
        assert_eq!(first.len(), 64);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                fs::metadata(&path).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
        fs::write(&path, "garbage").unwrap();
        assert!(load_or_create(&path)
            .unwrap_err()
            .to_string()
            .contains("does not hold a key"));
        fs::remove_dir_all(&dir).unwrap();
    }
}
