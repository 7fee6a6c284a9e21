//! argon2id hashing on a few dedicated threads, so a flood of logins queues instead of
//! starving every other request of CPU.
//!
//! Dedicated threads rather than tokio's blocking pool also bound memory: each hash
//! takes 19 MiB, and the allocator keeps what a thread freed for that thread's next
//! use. On the blocking pool's many short-lived threads that grew to hundreds of
//! megabytes after a burst of logins (682 MB after 1,000 registrations); on a fixed
//! handful it stays a few hashes' worth.

use std::{
    panic::{AssertUnwindSafe, catch_unwind},
    sync::{Arc, Mutex, mpsc},
};

use argon2::{
    Argon2,
    password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash},
};
use tokio::sync::oneshot;

use super::{ServiceError, ServiceResult};

type Job = Box<dyn FnOnce() + Send>;

/// What a login naming no account is verified against, so that answer takes as long as
/// a wrong password and does not reveal which accounts exist: an argon2id hash, at the same
/// cost as real ones, of a random password nobody kept. Written here rather than made
/// at start, where its 19 MiB were the largest allocation of the whole start-up (and
/// left the allocator keeping several MiB more for good). It can never let anyone in:
/// a match against the decoy is refused whatever the password.
const DECOY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$MHIjYFXrRi96LZPqVQFyuQ$\
                          P3v8lEQdCUGBDmwCq+TljCAqcNppi1FSpypurzGTEJM";

#[derive(Clone)]
pub struct Passwords {
    /// Work for the hashing threads; they stop when the last sender goes.
    jobs: mpsc::Sender<Job>,
}

impl Passwords {
    /// `concurrency` hashes at once (at least one), each on its own thread.
    pub fn new(concurrency: usize) -> ServiceResult<Self> {
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for index in 0..concurrency.max(1) {
            let queue = queue.clone();
            std::thread::Builder::new()
                .name(format!("socmel-hash-{index}"))
                .spawn(move || hashing_thread(&queue))
                .map_err(ServiceError::internal)?;
        }
        Ok(Self { jobs })
    }

    /// Hashes with argon2id at the OWASP-recommended cost (19 MiB, 2 passes).
    pub async fn hash(&self, password: String) -> ServiceResult<String> {
        self.run(move || hash_now(&password))
            .await?
            .map_err(ServiceError::internal)
    }

    /// True when `password` matches `stored`; with `None`, spends the same time and fails.
    pub async fn verify(&self, password: String, stored: Option<String>) -> ServiceResult<bool> {
        self.run(move || {
            let stored_is_real = stored.is_some();
            let phc = stored.as_deref().unwrap_or(DECOY_HASH);
            let matches = PasswordHash::new(phc)
                .map(|parsed| {
                    Argon2::default()
                        .verify_password(password.as_bytes(), &parsed)
                        .is_ok()
                })
                .unwrap_or(false);
            matches && stored_is_real
        })
        .await
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> ServiceResult<T> {
        let (done, result) = oneshot::channel();
        self.jobs
            .send(Box::new(move || {
                let _ = done.send(work());
            }))
            .map_err(|_| {
                ServiceError::internal(anyhow::anyhow!("the password hashing threads are gone"))
            })?;
        result
            .await
            .map_err(|_| ServiceError::internal(anyhow::anyhow!("a password hash failed")))
    }
}

/// Runs queued hashes until the queue closes. A panicking job only fails its request.
fn hashing_thread(queue: &Mutex<mpsc::Receiver<Job>>) {
    loop {
        let job = match queue.lock() {
            Ok(queue) => queue.recv(),
            Err(poisoned) => poisoned.into_inner().recv(),
        };
        let Ok(job) = job else { return };
        let _ = catch_unwind(AssertUnwindSafe(job));
    }
}

fn hash_now(password: &str) -> anyhow::Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|err| anyhow::anyhow!("argon2: {err}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_decoys_never_match() {
        let passwords = Passwords::new(1).unwrap();
        let hash = passwords.hash("correct horse".into()).await.unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(
            passwords
                .verify("correct horse".into(), Some(hash.clone()))
                .await
                .unwrap()
        );
        assert!(
            !passwords
                .verify("wrong horse".into(), Some(hash.clone()))
                .await
                .unwrap()
        );
        let decoy_password = "decoy password, never matches".to_owned();
        assert!(!passwords.verify(decoy_password, None).await.unwrap());
        // The decoy costs what a real hash costs: the same algorithm and parameters.
        let real_parameters = hash.rsplitn(3, '$').nth(2).unwrap().to_owned();
        assert!(DECOY_HASH.starts_with(&real_parameters), "{DECOY_HASH}");
        assert!(PasswordHash::new(DECOY_HASH).is_ok());
    }
}
