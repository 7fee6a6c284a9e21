//! `dm`: direct messages over the socket between pairs of seeded users at a fixed rate;
//! each is timed from its scheduled send until the recipient's connection has it.

use std::time::Duration;

use socmel_client::types::frames::{ClientFrame, MessageDraft, SendDm};

use super::Scenario;
use crate::{
    context::Bench,
    pacing,
    report::{ScenarioReport, Target},
    roundtrip, sockets,
};

pub const SCENARIO: Scenario = Scenario {
    name: "dm",
    about: "DM delivery (send -> recipient receives) at 1,000 msg/s, none lost; then request-reply with OS-default sockets",
    run: |bench| Box::pin(run(bench)),
};

const RATE: f64 = 1_000.0;
const SMOKE_RATE: f64 = 50.0;
const PAIRS: usize = 100;
const SMOKE_PAIRS: usize = 4;
const TARGET_P99_MS: f64 = 10.0;
/// Send, the reply comes back: two messages, each acknowledged only once on disk.
const TARGET_REPLY_P99_MS: f64 = 10.0;
/// A message not delivered within this is counted lost.
const LOST_AFTER: Duration = Duration::from_secs(10);

async fn run(bench: &Bench) -> anyhow::Result<ScenarioReport> {
    let profile = &bench.profile;
    let population = bench.population().await?;
    let pairs = profile
        .pick(PAIRS, SMOKE_PAIRS)
        .min(population.users.len() / 2);
    anyhow::ensure!(pairs > 0, "a DM needs two seeded users");
    let rate = profile.pick(RATE, SMOKE_RATE);
    let users = &population.users[..pairs * 2];
    // Connection `2i` sends to user `2i + 1`, whose connection reports what arrives.
    let receivers: Vec<_> = (0..pairs).map(|pair| users[pair * 2 + 1].id).collect();
    let (drivers, awaited) =
        sockets::open_awaiting(&bench.url, users, |index| index % 2 == 1).await?;
    let senders: Vec<_> = (0..pairs)
        .map(|pair| drivers.drivers[pair * 2].outbox.clone())
        .collect();

    let send = {
        let awaited = awaited.clone();
        move |sequence: u64| {
            let pair = sequence as usize % senders.len();
            let wait = awaited.expect(sequence, 1);
            let frame = ClientFrame::Dm(SendDm {
                receiver_id: receivers[pair],
                draft: MessageDraft::text(sockets::text(sequence)),
            });
            let queued = senders[pair].send(frame);
            async move {
                queued.map_err(|_| anyhow::anyhow!("connection gone"))?;
                sockets::delivered(wait, LOST_AFTER).await
            }
        }
    };
    let at_rate = pacing::open_loop(rate, profile.window, send).await?;
    let ended = drivers.stop().await?;
    let dropped = ended.iter().filter(|end| end.dropped).count();
    // Then as people chat, with the client's sockets at the OS defaults.
    let replies = roundtrip::exchange(&bench.url, &users[0], &users[1], profile.window, |to, text| {
        ClientFrame::Dm(SendDm {
            receiver_id: to.id,
            draft: roundtrip::draft(text),
        })
    })
    .await?;

    let mut report = ScenarioReport::new(SCENARIO.name);
    report
        .parameter("pairs", pairs)
        .parameter("rate_per_s", rate)
        .parameter("window", profile.window)
        .figure("lost", at_rate.errors)
        .figure("connections_dropped", dropped)
        .target(Target::at_most(
            "DM p99 at 1,000 msg/s",
            TARGET_P99_MS,
            "ms",
            at_rate.p99_ms,
        ))
        .target(Target::at_most(
            "DMs lost",
            0.0,
            "messages",
            Some(at_rate.errors as f64),
        ))
        .target(Target::at_most(
            "DM request-reply p99, OS-default client",
            TARGET_REPLY_P99_MS,
            "ms",
            replies.p99_ms,
        ))
        .phase(format!("at {rate}/s"), at_rate)
        .phase("request-reply, OS-default sockets", replies);
    Ok(report)
}
