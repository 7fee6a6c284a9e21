//! How big a run is. A full run uses the sizes the performance targets are stated
//! for; a smoke run shrinks everything so the bench stays working in CI within seconds.

use std::time::Duration;

use serde::Serialize;

use crate::{pacing::Window, report::Mode, seed::Sizes};

#[derive(Debug, Clone, Serialize)]
pub struct Profile {
    pub mode: Mode,
    pub sizes: Sizes,
    pub window: Window,
    /// Concurrent workers of a closed loop, and the number of pooled connections.
    pub concurrency: usize,
    /// Requests in flight while seeding.
    pub seed_concurrency: usize,
    /// The tag of an earlier run's seed data to use instead of seeding.
    pub reuse_seed: Option<String>,
    /// Measured reads fetch their whole body without parsing it (see `--raw-reads`).
    pub raw_reads: bool,
}

impl Profile {
    pub fn new(mode: Mode) -> Self {
        match mode {
            Mode::Full => Self {
                mode,
                sizes: Sizes {
                    users: 1_000,
                    follows_per_user: 50,
                    spaces: 10,
                    posts: 100_000,
                },
                window: Window {
                    warmup: Duration::from_secs(3),
                    measure: Duration::from_secs(20),
                },
                concurrency: 32,
                seed_concurrency: 16,
                reuse_seed: None,
                raw_reads: false,
            },
            Mode::Smoke => Self {
                mode,
                sizes: Sizes {
                    users: 20,
                    follows_per_user: 5,
                    spaces: 2,
                    posts: 500,
                },
                window: Window {
                    warmup: Duration::from_millis(300),
                    measure: Duration::from_secs(2),
                },
                concurrency: 8,
                seed_concurrency: 8,
                reuse_seed: None,
                raw_reads: false,
            },
        }
    }

    /// `full` in a full run, `smoke` in a smoke run: for a scenario's own rates and sizes.
    pub fn pick<T>(&self, full: T, smoke: T) -> T {
        match self.mode {
            Mode::Full => full,
            Mode::Smoke => smoke,
        }
    }
}
