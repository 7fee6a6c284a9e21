//! Progress of long steps (seeding 100,000 posts takes minutes) on stderr, a line every
//! few seconds, so a log stays readable where a redrawn bar would not.

use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use tokio::{task::JoinHandle, time::Instant};

const EVERY: Duration = Duration::from_secs(5);

pub struct Progress {
    label: String,
    total: u64,
    done: Arc<AtomicU64>,
    started: Instant,
    ticker: JoinHandle<()>,
}

impl Progress {
    pub fn start(label: impl Into<String>, total: u64) -> Self {
        let label = label.into();
        let done = Arc::new(AtomicU64::new(0));
        let started = Instant::now();
        let ticker = tokio::spawn({
            let (label, done) = (label.clone(), done.clone());
            async move {
                let mut ticks = tokio::time::interval_at(started + EVERY, EVERY);
                loop {
                    ticks.tick().await;
                    let done = done.load(Ordering::Relaxed);
                    eprintln!(
                        "  {label}: {done}/{total} ({:.0}/s)",
                        done as f64 / started.elapsed().as_secs_f64()
                    );
                }
            }
        });
        Self {
            label,
            total,
            done,
            started,
            ticker,
        }
    }

    pub fn add(&self, count: u64) {
        self.done.fetch_add(count, Ordering::Relaxed);
    }

    /// Prints the final line and gives the step's duration in seconds.
    pub fn finish(self) -> f64 {
        self.ticker.abort();
        let seconds = self.started.elapsed().as_secs_f64();
        eprintln!(
            "  {}: {} in {seconds:.1} s ({:.0}/s)",
            self.label,
            self.total,
            self.total as f64 / seconds.max(f64::EPSILON)
        );
        seconds
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.ticker.abort();
    }
}
