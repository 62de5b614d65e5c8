//! argon2id at OWASP's minimum (m = 19 MiB, t = 2, p = 1), run off the async
//! workers, at most one hash per core at a time.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use argon2::password_hash::{rand_core::OsRng, Output, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use tokio::sync::Semaphore;
use woofer_shared::Password;

use crate::error::{Error, Result};

#[derive(Clone)]
pub struct PasswordHasher {
    permits: Arc<Semaphore>,
    /// Verified against when the dog does not exist, so the answer takes
    /// as long as for a wrong password.
    dummy_hash: Arc<String>,
    memory: Arc<WorkingMemory>,
}

/// argon2's 19 MiB of working memory, kept between verifications (at most
/// one per permit): faulting in fresh pages costs about as much as the hash
/// itself. Buffers idle for a while are given back to the system.
#[derive(Default)]
struct WorkingMemory {
    free: Mutex<Vec<(Vec<Block>, Instant)>>,
}

impl WorkingMemory {
    fn take(&self, blocks: usize) -> Vec<Block> {
        let reused = self
            .free
            .lock()
            .ok()
            .and_then(|mut free| free.pop())
            .map(|(buffer, _)| buffer);
        match reused {
            Some(buffer) if buffer.len() >= blocks => buffer,
            _ => vec![Block::default(); blocks],
        }
    }

    fn give_back(&self, buffer: Vec<Block>) {
        if let Ok(mut free) = self.free.lock() {
            free.push((buffer, Instant::now()));
        }
    }

    fn trim(&self, idle_for: Duration) {
        if let Ok(mut free) = self.free.lock() {
            free.retain(|(_, since)| since.elapsed() < idle_for);
        }
    }
}

fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("OWASP argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

fn hash_blocking(password: &str) -> Result<String> {
    use argon2::password_hash::PasswordHasher as _;
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::internal("hashing a password", e.to_string()))
}

/// Recomputes the hash a PHC string describes, in `memory`, and compares
/// outputs in constant time.
fn verify_blocking(password: &str, phc: &str, memory: &WorkingMemory) -> bool {
    let Ok(hash) = PasswordHash::new(phc) else {
        return false;
    };
    let (Some(expected), Some(salt)) = (hash.hash, hash.salt) else {
        return false;
    };
    let (Ok(params), Ok(algorithm)) =
        (Params::try_from(&hash), Algorithm::try_from(hash.algorithm))
    else {
        return false;
    };
    let Ok(version) = hash.version.map_or(Ok(Version::V0x13), Version::try_from) else {
        return false;
    };
    let mut salt_buf = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_buf) else {
        return false;
    };
    let mut out = [0u8; Output::MAX_LENGTH];
    let out = &mut out[..expected.len()];
    let blocks = params.block_count();
    let mut buffer = memory.take(blocks);
    let computed = Argon2::new(algorithm, version, params)
        .hash_password_into_with_memory(password.as_bytes(), salt, out, &mut buffer[..blocks])
        .is_ok();
    memory.give_back(buffer);
    computed && Output::new(out).is_ok_and(|out| out == expected)
}

impl PasswordHasher {
    pub fn new(concurrency: usize) -> Self {
        let dummy = hash_blocking("not the password of any dog").expect("argon2 hashes a constant");
        Self {
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            dummy_hash: Arc::new(dummy),
            memory: Arc::default(),
        }
    }

    /// Only a password that passed the rule is ever stored.
    pub async fn hash(&self, password: &Password) -> Result<String> {
        let password = password.clone();
        self.run(move || hash_blocking(password.expose())).await?
    }

    /// `stored` is `None` for an unknown dog: a dummy hash is verified instead.
    pub async fn verify(&self, password: String, stored: Option<String>) -> Result<bool> {
        let known = stored.is_some();
        let phc = stored.unwrap_or_else(|| self.dummy_hash.as_str().to_owned());
        let memory = self.memory.clone();
        let ok = self
            .run(move || verify_blocking(&password, &phc, &memory))
            .await?;
        Ok(known && ok)
    }

    /// Gives back working memory unused for `idle_for`.
    pub fn trim(&self, idle_for: Duration) {
        self.memory.trim(idle_for);
    }

    async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Result<T> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|e| Error::internal("waiting for the password hasher", e))?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|e| Error::internal("running the password hasher", e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_argon2id_phc_strings_that_verify() {
        let hasher = PasswordHasher::new(2);
        let password = Password::parse("correct horse").unwrap();
        let phc = hasher.hash(&password).await.unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(hasher
            .verify("correct horse".into(), Some(phc.clone()))
            .await
            .unwrap());
        assert!(!hasher
            .verify("wrong horse".into(), Some(phc))
            .await
            .unwrap());
        assert!(!hasher
            .verify("not the password of any dog".into(), None)
            .await
            .unwrap());
    }

    #[tokio::test]
    async fn verifies_hashes_made_by_the_reference_implementation() {
        use argon2::password_hash::PasswordHasher as _;
        let salt = SaltString::generate(&mut OsRng);
        let phc = argon2()
            .hash_password(b"correct horse", &salt)
            .unwrap()
            .to_string();
        let hasher = PasswordHasher::new(1);
        assert!(hasher
            .verify("correct horse".into(), Some(phc.clone()))
            .await
            .unwrap());
        assert!(!hasher
            .verify("correct horsf".into(), Some(phc.clone()))
            .await
            .unwrap());
        assert!(!hasher
            .verify("correct horse".into(), Some("$argon2id$garbage".into()))
            .await
            .unwrap());
        hasher.trim(Duration::ZERO);
        assert!(
            hasher
                .verify("correct horse".into(), Some(phc))
                .await
                .unwrap(),
            "after trimming too"
        );
    }
}
