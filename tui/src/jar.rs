//! The cookie jar on disk, so a dog logs in once: JSON (cookie_store's
//! format), written atomically with mode 0600; a bad file is kept aside.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use cookie_store::CookieStore;

#[derive(Debug, Clone)]
pub struct JarFile {
    path: PathBuf,
}

/// What loading found.
pub struct Loaded {
    pub store: CookieStore,
    /// A one-line warning when the file could not be used.
    pub warning: Option<String>,
}

impl JarFile {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    /// The platform's data directory, e.g. `~/.local/share/woofer/cookies.json`.
    pub fn default_path() -> Option<PathBuf> {
        directories::ProjectDirs::from("", "", "woofer")
            .map(|dirs| dirs.data_dir().join("cookies.json"))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A missing file is an empty jar; an unreadable or corrupt one is moved
    /// to `<name>.bak` (never silently lost) and an empty jar returned.
    pub fn load(&self) -> Loaded {
        let text = match fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Loaded {
                    store: CookieStore::default(),
                    warning: None,
                }
            }
            Err(e) => return self.set_aside(&format!("cannot read {}: {e}", self.path.display())),
        };
        match cookie_store::serde::json::load(io::BufReader::new(&text[..])) {
            Ok(store) => Loaded {
                store,
                warning: None,
            },
            Err(_) => self.set_aside(&format!(
                "{} is not a Woofer cookie jar",
                self.path.display()
            )),
        }
    }

    fn set_aside(&self, why: &str) -> Loaded {
        let backup = self.backup_path();
        let kept = match fs::rename(&self.path, &backup) {
            Ok(()) => format!("; kept it as {}", backup.display()),
            Err(_) => String::new(),
        };
        Loaded {
            store: CookieStore::default(),
            warning: Some(format!("{why}{kept}; please log in again")),
        }
    }

    /// `<name>.bak`, or `<name>.bak.N` when earlier backups are there:
    /// an older bad file is never overwritten.
    fn backup_path(&self) -> PathBuf {
        let name = file_name(&self.path);
        let dir = self.path.parent().unwrap_or(Path::new(""));
        let first = dir.join(format!("{name}.bak"));
        if !first.exists() {
            return first;
        }
        (1..)
            .map(|n| dir.join(format!("{name}.bak.{n}")))
            .find(|p| !p.exists())
            .expect("a free backup name")
    }

    /// Writes the jar to a temporary file beside it, then renames it into place.
    pub fn save(&self, store: &CookieStore) -> io::Result<()> {
        let dir = self
            .path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fs::create_dir_all(dir)?;
        let mut bytes = Vec::new();
        cookie_store::serde::json::save(store, &mut bytes)
            .map_err(|e| io::Error::other(e.to_string()))?;
        let tmp = dir.join(format!(
            ".{}.tmp-{}",
            file_name(&self.path),
            std::process::id()
        ));
        let mut options = fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let result = (|| {
            let mut file = options.open(&tmp)?;
            file.write_all(&bytes)?;
            file.sync_all()?;
            fs::rename(&tmp, &self.path)
        })();
        if result.is_err() {
            let _ = fs::remove_file(&tmp);
        }
        result
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || "cookies.json".into(),
        |n| n.to_string_lossy().into_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_file_is_an_empty_jar_without_warning() {
        let dir = tempfile::tempdir().unwrap();
        let loaded = JarFile::new(dir.path().join("none.json")).load();
        assert!(loaded.warning.is_none());
        assert_eq!(loaded.store.iter_any().count(), 0);
    }

    #[test]
    fn corrupt_file_is_kept_aside_with_a_warning() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cookies.json");
        fs::write(&path, b"{ this is not a jar \xff").unwrap();

        let loaded = JarFile::new(&path).load();

        let warning = loaded.warning.expect("a warning");
        assert!(
            warning.contains("not a Woofer cookie jar") && !warning.contains('\n'),
            "{warning}"
        );
        assert!(
            dir.path().join("cookies.json.bak").exists(),
            "the bad file is kept"
        );
        assert!(!path.exists());
    }

    #[test]
    fn an_earlier_backup_is_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("jar");
        for content in ["first bad", "second bad"] {
            fs::write(&path, content).unwrap();
            assert!(JarFile::new(&path).load().warning.is_some());
        }
        assert_eq!(
            fs::read_to_string(dir.path().join("jar.bak")).unwrap(),
            "first bad"
        );
        assert_eq!(
            fs::read_to_string(dir.path().join("jar.bak.1")).unwrap(),
            "second bad"
        );
    }

    #[test]
    fn a_foreign_format_is_kept_aside() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cookies.json");
        fs::write(
            &path,
            "# Netscape HTTP Cookie File\n127.0.0.1\tFALSE\t/\tFALSE\t0\twoofer_session\tx\n",
        )
        .unwrap();
        let loaded = JarFile::new(&path).load();
        assert!(loaded.warning.is_some());
        assert!(dir.path().join("cookies.json.bak").exists());
    }

    #[test]
    fn saving_creates_the_directory_with_mode_0600() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("deep/er/cookies.json");

        JarFile::new(&path).save(&CookieStore::default()).unwrap();

        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                fs::metadata(&path).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
        assert!(JarFile::new(&path).load().warning.is_none());
    }
}
