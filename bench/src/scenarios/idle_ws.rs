//! `idle-ws`: many connected, idle WebSockets; the server's memory per connection is
//! its anonymous resident-memory growth divided by the connections opened.

use std::time::Duration;

use tokio::sync::mpsc;

use super::Scenario;
use crate::{
    context::Bench,
    report::{ScenarioReport, Target},
    rss::Rss,
    sockets::{self, Drivers},
};

pub const SCENARIO: Scenario = Scenario {
    name: "idle-ws",
    about: "10,000 idle WebSockets: server memory per connection",
    run: |bench| Box::pin(run(bench)),
};

const CONNECTIONS: usize = 10_000;
const SMOKE_CONNECTIONS: usize = 200;
const TARGET_KIB: f64 = 16.0;
/// Lets the server finish the presence notices the connections set off.
const SETTLE: Duration = Duration::from_secs(3);

async fn run(bench: &Bench) -> anyhow::Result<ScenarioReport> {
    let profile = &bench.profile;
    let population = bench.population().await?;
    let count = profile.pick(CONNECTIONS, SMOKE_CONNECTIONS);
    tokio::time::sleep(SETTLE).await;
    let before = bench.server_rss()?;

    let opened = sockets::open(&bench.url, &population.users, count, 128).await?;
    let open = opened.connections.len();
    // Idle clients still read: pings and presence notices keep coming.
    let (arrivals, _ignored) = mpsc::unbounded_channel();
    let drivers = Drivers::start(opened.connections, &arrivals, |_| false);
    tokio::time::sleep(SETTLE).await;
    let after = bench.server_rss()?;
    let ended = drivers.stop().await?;
    let dropped = ended.iter().filter(|end| end.dropped).count();
    drop(ended);

    // What a connection costs is the memory the server allocates for it: anonymous
    // pages. File pages are the mapped database the connections' set-up queries read
    // (their memberships): shared, evictable page cache, resident or not depending on
    // what ran before. Counting them made the figure swing from 9.5 to 21.7 KiB between
    // runs, so they are reported beside it, not in it.
    let growth = |of: fn(&Rss) -> u64| match (before, after) {
        (Some(before), Some(after)) if open > 0 => {
            Some(of(&after).saturating_sub(of(&before)) as f64 / open as f64)
        }
        _ => None,
    };
    let per_connection_kib = growth(|rss| rss.anon_kib);
    let file_per_connection_kib = growth(|rss| rss.file_kib);
    let mut report = ScenarioReport::new(SCENARIO.name);
    report
        .parameter("connections", count)
        .parameter("users", population.users.len())
        .figure("opened", open)
        .figure("failed", &opened.failures)
        .figure("connect_seconds", opened.seconds)
        .figure("dropped_while_idle", dropped)
        .figure("rss_before", before)
        .figure("rss_after", after)
        .figure("per_connection_kib", per_connection_kib)
        .figure("file_pages_per_connection_kib", file_per_connection_kib)
        .target(Target::at_most(
            "server RSS (anonymous) per idle WebSocket",
            TARGET_KIB,
            "KiB",
            per_connection_kib,
        ));
    Ok(report)
}
