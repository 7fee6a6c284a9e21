//! `posts`: profile posts created by the seeded users in turn.

use super::Scenario;
use crate::{
    context::Bench,
    ops,
    report::ScenarioReport,
    throughput::{self, Goals},
};

pub const SCENARIO: Scenario = Scenario {
    name: "posts",
    about: "post creation: max throughput, and p99 at 2,000 posts/s",
    run: |bench| Box::pin(run(bench)),
};

const GOALS: Goals = Goals {
    per_second: 2_000.0,
    per_second_label: "posts created per second",
    unit: "posts/s",
    p99_ms: 20.0,
    p99_label: "post creation p99 at 2,000/s",
    // The p99 target holds at the throughput target.
    rate: 2_000.0,
    smoke_rate: 50.0,
};

async fn run(bench: &Bench) -> anyhow::Result<ScenarioReport> {
    let population = bench.population().await?;
    let create = ops::create_post(bench.pool(bench.profile.concurrency)?, population);
    throughput::measure(bench, SCENARIO.name, &GOALS, create).await
}
