//! How load is offered. A closed loop (`workers` each sending the next request as soon
//! as the last answers) finds the highest throughput; an open loop (requests at fixed,
//! scheduled times, whatever the server does) measures latency at a given rate. The open
//! loop times each request from its *scheduled* send time, so time spent queueing behind
//! a slow answer counts: a stalled server cannot hide its stall by slowing the load
//! generator down (coordinated omission).

use std::{
    future::Future,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use serde::Serialize;
use tokio::{task::JoinSet, time::Instant};

use crate::stats::{Failure, Recorder, Summary};

/// How long requests in an open loop may still take once the last one is scheduled;
/// those that have not answered by then are counted as failures. Generous, because a
/// server slower than the offered rate builds a backlog that the figures should show.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(120);

/// A phase's timing: `warmup` runs the load unmeasured (connections open, caches warm),
/// then `measure` is recorded.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Window {
    #[serde(rename = "warmup_s", serialize_with = "seconds")]
    pub warmup: Duration,
    #[serde(rename = "measure_s", serialize_with = "seconds")]
    pub measure: Duration,
}

fn seconds<S: serde::Serializer>(duration: &Duration, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_f64(duration.as_secs_f64())
}

/// Runs `op(sequence_number)` from `workers` concurrent loops for the window. Only
/// operations started after the warm-up are recorded.
pub async fn closed_loop<F, Fut, E>(
    workers: usize,
    window: Window,
    op: F,
) -> anyhow::Result<Summary>
where
    F: Fn(u64) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), E>> + Send + 'static,
    E: Failure + 'static,
{
    let op = Arc::new(op);
    let sequence = Arc::new(AtomicU64::new(0));
    let measure_from = Instant::now() + window.warmup;
    let end = measure_from + window.measure;
    let mut tasks = JoinSet::new();
    for _ in 0..workers.max(1) {
        let (op, sequence) = (op.clone(), sequence.clone());
        tasks.spawn(async move {
            let mut recorder = Recorder::default();
            loop {
                let started = Instant::now();
                if started >= end {
                    break;
                }
                let result = op(sequence.fetch_add(1, Ordering::Relaxed)).await;
                if started >= measure_from {
                    recorder.outcome(started.elapsed(), &result);
                }
            }
            recorder
        });
    }
    let mut total = Recorder::default();
    while let Some(recorder) = tasks.join_next().await {
        total.merge(&recorder?);
    }
    // The last requests finish a little after `end`; dividing by the real time keeps
    // the rate honest.
    Ok(total.summary(measure_from.elapsed()))
}

/// Sends `op(sequence_number)` at `rate` per second, evenly spaced, for the window,
/// without waiting for earlier answers. Latency runs from each scheduled send time.
pub async fn open_loop<F, Fut, E>(rate: f64, window: Window, op: F) -> anyhow::Result<Summary>
where
    F: Fn(u64) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), E>> + Send + 'static,
    E: Failure + 'static,
{
    anyhow::ensure!(rate > 0.0, "the rate must be positive");
    let interval = Duration::from_secs_f64(1.0 / rate);
    let start = Instant::now();
    let measure_from = start + window.warmup;
    let end = measure_from + window.measure;
    let recorder = Arc::new(Mutex::new(Recorder::default()));
    let mut tasks = JoinSet::new();
    let mut sequence = 0u64;
    loop {
        let scheduled = start + interval.mul_f64(sequence as f64);
        if scheduled >= end {
            break;
        }
        tokio::time::sleep_until(scheduled).await;
        let (request, recorder) = (op(sequence), recorder.clone());
        tasks.spawn(async move {
            let result = request.await;
            if scheduled >= measure_from {
                let latency = scheduled.elapsed();
                lock(&recorder).outcome(latency, &result);
            }
        });
        sequence += 1;
    }
    let drained = tokio::time::timeout(DRAIN_TIMEOUT, async {
        while let Some(joined) = tasks.join_next().await {
            joined?;
        }
        anyhow::Ok(())
    })
    .await;
    match drained {
        Ok(result) => result?,
        Err(_) => {
            let unfinished = tasks.len();
            tasks.abort_all();
            let mut recorder = lock(&recorder);
            for _ in 0..unfinished {
                recorder.failure("unanswered");
            }
        }
    }
    // Until the last answer, not the last send: a server that falls behind the rate
    // must not be credited with it.
    let summary = lock(&recorder).summary(measure_from.elapsed());
    Ok(summary)
}

fn lock(recorder: &Mutex<Recorder>) -> std::sync::MutexGuard<'_, Recorder> {
    recorder
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
