//! The shape of a request/answer scenario: the highest throughput a closed loop of
//! workers reaches, then latency at a fixed rate in an open loop, each judged against
//! its target.

use std::future::Future;

use crate::{
    context::Bench,
    pacing,
    report::{ScenarioReport, Target},
    stats::Failure,
};

/// A scenario's goals: at least `per_second` at full speed, and a p99 of at most
/// `p99_ms` when offered `rate` requests per second (`smoke_rate` in a smoke run).
pub struct Goals {
    pub per_second: f64,
    pub per_second_label: &'static str,
    pub unit: &'static str,
    pub p99_ms: f64,
    pub p99_label: &'static str,
    pub rate: f64,
    pub smoke_rate: f64,
}

pub async fn measure<F, Fut, E>(
    bench: &Bench,
    name: &'static str,
    goals: &Goals,
    op: F,
) -> anyhow::Result<ScenarioReport>
where
    F: Fn(u64) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<(), E>> + Send + 'static,
    E: Failure + 'static,
{
    let profile = &bench.profile;
    let rate = profile.pick(goals.rate, goals.smoke_rate);
    let max = pacing::closed_loop(profile.concurrency, profile.window, op.clone()).await?;
    let at_rate = pacing::open_loop(rate, profile.window, op).await?;

    let mut report = ScenarioReport::new(name);
    report
        .parameter("workers", profile.concurrency)
        .parameter("rate_per_s", rate)
        .parameter("window", profile.window)
        .target(Target::at_least(
            goals.per_second_label,
            goals.per_second,
            goals.unit,
            Some(max.per_second),
        ))
        .target(Target::at_most(
            goals.p99_label,
            goals.p99_ms,
            "ms",
            at_rate.p99_ms,
        ))
        .phase("max", max)
        .phase(format!("at {rate}/s"), at_rate);
    Ok(report)
}
