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

#[derive(Clone)]
pub struct Passwords {
    /// Work for the hashing threads; they stop when the last sender goes.
    jobs: mpsc::Sender<Job>,
    /// Verified against when a login names no account, so that answer takes as long
    /// as a wrong password and does not reveal which accounts exist.
    decoy_hash: Arc<str>,
}

impl Passwords {
    /// `concurrency` hashes at once (at least one), each on its own thread.
    pub fn new(concurrency: usize) -> ServiceResult<Self> {
        let decoy = hash_now("decoy password, never matches").map_err(ServiceError::internal)?;
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for index in 0..concurrency.max(1) {
            let queue = queue.clone();
            std::thread::Builder::new()
                .name(format!("socmel-hash-{index}"))
                .spawn(move || hashing_thread(&queue))
                .map_err(ServiceError::internal)?;
        }
        Ok(Self {
            jobs,
            decoy_hash: decoy.into(),
        })
    }

    /// Hashes with argon2id at the OWASP-recommended cost (19 MiB, 2 passes).
    pub async fn hash(&self, password: String) -> ServiceResult<String> {
        self.run(move || hash_now(&password))
            .await?
            .map_err(ServiceError::internal)
    }

    /// True when `password` matches `stored`; with `None`, spends the same time and fails.
    pub async fn verify(&self, password: String, stored: Option<String>) -> ServiceResult<bool> {
        let decoy = self.decoy_hash.clone();
        self.run(move || {
            let stored_is_real = stored.is_some();
            let phc = stored.as_deref().unwrap_or(&decoy);
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
                .verify("wrong horse".into(), Some(hash))
                .await
                .unwrap()
        );
        let decoy_password = "decoy password, never matches".to_owned();
        assert!(!passwords.verify(decoy_password, None).await.unwrap());
    }
}
