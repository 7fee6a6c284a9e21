//! A fixed set of HTTP clients lent out one request at a time. Each [`Client`] keeps
//! its own keep-alive connection, so the pool's size bounds the connections the bench
//! opens, and any user's token can ride on any connection (a client is signed in as
//! the borrower asks, for the length of the loan).

use std::{
    ops::Deref,
    sync::{Arc, Mutex},
};

use socmel_client::Client;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

pub struct ClientPool {
    idle: Mutex<Vec<Client>>,
    available: Arc<Semaphore>,
}

impl ClientPool {
    /// `size` clients for the server at `url`.
    pub fn new(url: &str, size: usize) -> anyhow::Result<Arc<Self>> {
        let size = size.max(1);
        // Separate clients rather than clones: clones share one token.
        let idle = (0..size)
            .map(|_| Client::new(url))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Arc::new(Self {
            idle: Mutex::new(idle),
            available: Arc::new(Semaphore::new(size)),
        }))
    }

    /// A client, signed out; waits while all are lent.
    pub async fn anonymous(self: &Arc<Self>) -> Pooled {
        let permit = self
            .available
            .clone()
            .acquire_owned()
            .await
            .expect("the pool's semaphore is never closed");
        let client = self
            .idle()
            .pop()
            .expect("a permit guarantees an idle client");
        client.set_token(None);
        Pooled {
            client: Some(client),
            pool: self.clone(),
            _permit: permit,
        }
    }

    /// A client signed in with `token`; waits while all are lent.
    pub async fn signed_in(self: &Arc<Self>, token: &str) -> Pooled {
        let pooled = self.anonymous().await;
        pooled.set_token(Some(token.to_owned()));
        pooled
    }

    fn idle(&self) -> std::sync::MutexGuard<'_, Vec<Client>> {
        self.idle
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A lent client; it goes back to the pool when dropped.
pub struct Pooled {
    client: Option<Client>,
    pool: Arc<ClientPool>,
    // Released after `drop` has put the client back, so a waiter always finds one.
    _permit: OwnedSemaphorePermit,
}

impl Deref for Pooled {
    type Target = Client;

    fn deref(&self) -> &Client {
        self.client.as_ref().expect("present until dropped")
    }
}

impl Drop for Pooled {
    fn drop(&mut self) {
        if let Some(client) = self.client.take() {
            self.pool.idle().push(client);
        }
    }
}
