//! `auth`: a flood of new accounts (register, then log in: two argon2id hashes each)
//! from a closed loop, while feed reads arrive at a steady rate. Hashing is meant to be
//! expensive; the point is that it must not starve everything else, so the feed's p99
//! is measured first alone, then under the flood.

use std::sync::Arc;

use super::Scenario;
use crate::{
    context::Bench,
    ops, pacing,
    report::{ScenarioReport, Target},
    seed,
};

pub const SCENARIO: Scenario = Scenario {
    name: "auth",
    about: "register + login flood: accounts/s, and feed p99 meanwhile",
    run: |bench| Box::pin(run(bench)),
};

const TARGET_P99_MS: f64 = 100.0;
/// Enough to keep every hashing slot of a small server busy, with a queue behind.
const FLOOD_WORKERS: usize = 8;
const SMOKE_FLOOD_WORKERS: usize = 2;
const PROBE_RATE: f64 = 100.0;
const SMOKE_PROBE_RATE: f64 = 20.0;

async fn run(bench: &Bench) -> anyhow::Result<ScenarioReport> {
    let profile = &bench.profile;
    let workers = profile.pick(FLOOD_WORKERS, SMOKE_FLOOD_WORKERS);
    let probe_rate = profile.pick(PROBE_RATE, SMOKE_PROBE_RATE);
    let population = bench.population().await?;
    let probe = ops::feed_read(bench.pool(profile.concurrency)?, population, profile.raw_reads);

    let alone = pacing::open_loop(probe_rate, profile.window, probe.clone()).await?;

    let flood_pool = bench.pool(workers)?;
    let tag: Arc<str> = seed::run_tag().into();
    let new_account = move |sequence: u64| {
        let (pool, tag) = (flood_pool.clone(), tag.clone());
        async move {
            let name = seed::username(&tag, 'a', sequence as usize);
            seed::account(&pool, name).await.map(drop)
        }
    };
    let (accounts, under_flood) = tokio::join!(
        pacing::closed_loop(workers, profile.window, new_account),
        pacing::open_loop(probe_rate, profile.window, probe),
    );
    let (accounts, under_flood) = (accounts?, under_flood?);

    let mut report = ScenarioReport::new(SCENARIO.name);
    report
        .parameter("flood_workers", workers)
        .parameter("probe_rate_per_s", probe_rate)
        .parameter("window", profile.window)
        .figure("accounts_per_s", accounts.per_second)
        .target(Target::at_most(
            "feed p99 under a login flood",
            TARGET_P99_MS,
            "ms",
            under_flood.p99_ms,
        ))
        .phase(format!("feed at {probe_rate}/s alone"), alone)
        .phase("register+login", accounts)
        .phase(format!("feed at {probe_rate}/s + flood"), under_flood);
    Ok(report)
}
