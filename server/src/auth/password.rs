//! argon2id at OWASP's minimum (m = 19 MiB, t = 2, p = 1), run off the async
//! workers, at most one hash per core at a time, in working memory reused
//! between hashes and verifications alike.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use argon2::password_hash::{rand_core::OsRng, Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use tokio::sync::Semaphore;
use woofer_shared::Password;

use crate::error::{Error, Result};

#[derive(Clone)]
pub struct PasswordHasher {
    permits: Arc<Semaphore>,
    concurrency: usize,
    /// Checks running or waiting, and how many may wait beyond those running.
    in_line: Arc<AtomicUsize>,
    queue: usize,
    /// Verified against when the dog does not exist, so the answer takes
    /// as long as for a wrong password.
    dummy_hash: Arc<String>,
    memory: Arc<WorkingMemory>,
}

/// argon2's 19 MiB of working memory, kept between hashes (at most
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

fn owasp_params() -> Params {
    Params::new(19 * 1024, 2, 1, None).expect("OWASP argon2 parameters are valid")
}

fn argon2() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, owasp_params())
}

/// A new PHC string for `password` with a fresh salt, computed in `memory`
/// (as `argon2`'s own `hash_password` would, but without a fresh 19 MiB
/// allocation each time: under a registration flood those piled up in the
/// allocator's per-thread arenas beside the verifications' buffers).
fn hash_blocking(password: &str, memory: &WorkingMemory) -> Result<String> {
    let failed =
        |e: argon2::password_hash::Error| Error::internal("hashing a password", e.to_string());
    let params = owasp_params();
    let salt = SaltString::generate(&mut OsRng);
    let mut salt_buf = [0u8; 64];
    let raw_salt = salt.as_salt().decode_b64(&mut salt_buf).map_err(failed)?;
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    let blocks = params.block_count();
    let mut buffer = memory.take(blocks);
    let computed = argon2().hash_password_into_with_memory(
        password.as_bytes(),
        raw_salt,
        &mut out,
        &mut buffer[..blocks],
    );
    memory.give_back(buffer);
    computed.map_err(|e| Error::internal("hashing a password", e.to_string()))?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(failed)?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out).map_err(failed)?),
    };
    Ok(phc.to_string())
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
        Self::with_queue(concurrency, 32 * concurrency.max(1))
    }

    /// At most `concurrency` hashes at once and `queue` more waiting.
    pub fn with_queue(concurrency: usize, queue: usize) -> Self {
        let memory = Arc::<WorkingMemory>::default();
        let dummy = hash_blocking("not the password of any dog", &memory)
            .expect("argon2 hashes a constant");
        let concurrency = concurrency.max(1);
        Self {
            permits: Arc::new(Semaphore::new(concurrency)),
            concurrency,
            in_line: Arc::default(),
            queue,
            dummy_hash: Arc::new(dummy),
            memory,
        }
    }

    /// Only a password that passed the rule is ever stored.
    pub async fn hash(&self, password: &Password) -> Result<String> {
        let password = password.clone();
        let memory = self.memory.clone();
        self.run(move || hash_blocking(password.expose(), &memory))
            .await?
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
        // A full line is refused at once: a flood must not hold thousands of
        // requests, and their memory, waiting for a hasher.
        let place = InLine::join(&self.in_line);
        let ahead = place.ahead;
        if ahead >= self.concurrency + self.queue {
            // About 35 ms a check, `concurrency` at a time.
            let wait_ms = ahead as u64 * 35 / self.concurrency as u64;
            let retry_after = i64::try_from(wait_ms.div_ceil(1000))
                .unwrap_or(i64::MAX)
                .max(1);
            return Err(Error::Unavailable { retry_after });
        }
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

/// A place in the hasher's line, left when dropped (however the request ends).
struct InLine {
    count: Arc<AtomicUsize>,
    /// Checks running or waiting when this one joined.
    ahead: usize,
}

impl InLine {
    fn join(count: &Arc<AtomicUsize>) -> Self {
        let ahead = count.fetch_add(1, Ordering::SeqCst);
        Self {
            count: count.clone(),
            ahead,
        }
    }
}

impl Drop for InLine {
    fn drop(&mut self) {
        self.count.fetch_sub(1, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_full_line_is_refused_at_once_and_frees_up_after() {
        let hasher = PasswordHasher::with_queue(1, 1);
        let checks: Vec<_> = (0..6)
            .map(|_| {
                let hasher = hasher.clone();
                tokio::spawn(async move { hasher.verify("x".repeat(12), None).await })
            })
            .collect();
        let mut refused = 0;
        for check in checks {
            match check.await.unwrap() {
                Err(Error::Unavailable { retry_after }) => {
                    assert!(retry_after >= 1);
                    refused += 1;
                }
                other => assert!(matches!(other, Ok(false)), "{other:?}"),
            }
        }

        assert!((1..=4).contains(&refused), "{refused} of 6 refused");
        assert_eq!(
            hasher.in_line.load(Ordering::SeqCst),
            0,
            "every place was left"
        );
        assert!(hasher.verify("x".repeat(12), None).await.is_ok());
    }

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
    async fn hashes_verify_with_the_reference_implementation() {
        use argon2::PasswordVerifier as _;
        let hasher = PasswordHasher::new(1);
        let phc = hasher
            .hash(&Password::parse("correct horse").unwrap())
            .await
            .unwrap();
        let parsed = PasswordHash::new(&phc).unwrap();
        assert!(argon2().verify_password(b"correct horse", &parsed).is_ok());
        assert!(argon2().verify_password(b"correct horsf", &parsed).is_err());
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
