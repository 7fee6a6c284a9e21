//! What every scenario is handed: the server, the run's profile, and the shared seed
//! data, made once on first use and reused by every scenario of the run.

use std::sync::Arc;

use tokio::sync::OnceCell;

use crate::{
    pool::ClientPool,
    profile::Profile,
    rss::{self, Rss},
    seed::{self, Population},
};

pub struct Bench {
    pub url: String,
    /// Known when the bench started the server, or was told with `--server-pid`.
    pub server_pid: Option<u32>,
    pub profile: Profile,
    population: OnceCell<Arc<Population>>,
}

impl Bench {
    pub fn new(url: String, server_pid: Option<u32>, profile: Profile) -> Self {
        Self {
            url,
            server_pid,
            profile,
            population: OnceCell::new(),
        }
    }

    /// Users, follows, spaces and posts at the profile's sizes, seeded on first call (or
    /// an earlier run's, signed in again, with `--reuse-seed`).
    pub async fn population(&self) -> anyhow::Result<Arc<Population>> {
        let population = self
            .population
            .get_or_try_init(|| async {
                let (url, sizes, concurrency) =
                    (&self.url, self.profile.sizes, self.profile.seed_concurrency);
                let population = match &self.profile.reuse_seed {
                    Some(tag) => seed::reuse(url, tag, sizes, concurrency).await?,
                    None => seed::population(url, sizes, concurrency).await?,
                };
                anyhow::Ok(Arc::new(population))
            })
            .await?;
        Ok(population.clone())
    }

    /// The seed data, if a scenario has made it.
    pub fn seeded(&self) -> Option<&Population> {
        self.population.get().map(Arc::as_ref)
    }

    /// `size` connections to the server.
    pub fn pool(&self, size: usize) -> anyhow::Result<Arc<ClientPool>> {
        ClientPool::new(&self.url, size)
    }

    /// The server's memory now; `None` when its pid is unknown.
    pub fn server_rss(&self) -> anyhow::Result<Option<Rss>> {
        self.server_pid.map(rss::read).transpose()
    }
}
