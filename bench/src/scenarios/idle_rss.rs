//! `idle-rss`: the server's resident memory before any load. In `all` it runs first,
//! right after the server answered `/health`; against a URL it reads the memory of
//! whatever `--server-pid` names, as it is now.

use std::time::Duration;

use super::Scenario;
use crate::{
    context::Bench,
    report::{ScenarioReport, Target},
};

pub const SCENARIO: Scenario = Scenario {
    name: "idle-rss",
    about: "server memory (RSS) right after start",
    run: |bench| Box::pin(run(bench)),
};

const TARGET_MIB: f64 = 30.0;
/// Lets start-up work that trails `/health` (background jobs, pools) finish first.
const SETTLE: Duration = Duration::from_secs(1);

async fn run(bench: &Bench) -> anyhow::Result<ScenarioReport> {
    tokio::time::sleep(SETTLE).await;
    let rss = bench.server_rss()?;
    let mut report = ScenarioReport::new(SCENARIO.name);
    report
        .parameter("settle_s", SETTLE.as_secs_f64())
        .figure("rss", rss)
        .target(Target::at_most(
            "idle server RSS",
            TARGET_MIB,
            "MiB",
            rss.map(|rss| rss.rss_mib()),
        ));
    Ok(report)
}
