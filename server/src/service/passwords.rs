//! argon2id hashing on blocking threads, a bounded number at a time, so a flood of
//! logins queues instead of starving every other request of CPU.

use std::sync::Arc;

use argon2::{
    Argon2,
    password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash},
};
use tokio::sync::Semaphore;

use super::{ServiceError, ServiceResult};

#[derive(Clone)]
pub struct Passwords {
    permits: Arc<Semaphore>,
    /// Verified against when a login names no account, so that answer takes as long
    /// as a wrong password and does not reveal which accounts exist.
    decoy_hash: Arc<str>,
}

impl Passwords {
    /// `concurrency` hashes at once (at least one).
    pub fn new(concurrency: usize) -> ServiceResult<Self> {
        let decoy = hash_now("decoy password, never matches").map_err(ServiceError::internal)?;
        Ok(Self {
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
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
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(ServiceError::internal)?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(ServiceError::internal)
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
