//! `feed`: personalised feed reads (`GET /posts/feed/`, first page) by the seeded
//! users in turn.

use super::Scenario;
use crate::{
    context::Bench,
    ops,
    report::ScenarioReport,
    throughput::{self, Goals},
};

pub const SCENARIO: Scenario = Scenario {
    name: "feed",
    about: "personalised feed reads: max throughput, and p99 at 500 req/s",
    run: |bench| Box::pin(run(bench)),
};

const GOALS: Goals = Goals {
    per_second: 5_000.0,
    per_second_label: "feed reads per second",
    unit: "req/s",
    p99_ms: 30.0,
    p99_label: "feed p99 at 500 req/s",
    rate: 500.0,
    smoke_rate: 50.0,
};

async fn run(bench: &Bench) -> anyhow::Result<ScenarioReport> {
    let population = bench.population().await?;
    let read = ops::feed_read(
        bench.pool(bench.profile.concurrency)?,
        population,
        bench.profile.raw_reads,
    );
    let mut report = throughput::measure(bench, SCENARIO.name, &GOALS, read).await?;
    report.parameter("raw_reads", bench.profile.raw_reads);
    Ok(report)
}
