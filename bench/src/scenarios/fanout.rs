//! `fanout`: one member of a space posts in a room at a fixed rate while every member
//! is online; each message is timed from its scheduled send until the *last* member's
//! connection has it.

use std::time::Duration;

use socmel_client::types::{
    frames::{ClientFrame, MessageDraft, SendRoomMessage},
    rooms::RoomCreate,
};

use super::Scenario;
use crate::{
    context::Bench,
    pacing,
    report::{ScenarioReport, Target},
    roundtrip,
    seed::{self, User},
    sockets,
};

pub const SCENARIO: Scenario = Scenario {
    name: "fanout",
    about: "room fan-out to 1,000 online members: last-delivery p99 and deliveries/s",
    run: |bench| Box::pin(run(bench)),
};

const MEMBERS: usize = 1_000;
const SMOKE_MEMBERS: usize = 20;
/// Messages per second into the room: with 1,000 members, 30,000 deliveries a second.
const RATE: f64 = 30.0;
const SMOKE_RATE: f64 = 5.0;
const TARGET_P99_MS: f64 = 50.0;
const TARGET_DELIVERIES: f64 = 25_000.0;
const LOST_AFTER: Duration = Duration::from_secs(10);

async fn run(bench: &Bench) -> anyhow::Result<ScenarioReport> {
    let profile = &bench.profile;
    let population = bench.population().await?;
    let members = profile
        .pick(MEMBERS, SMOKE_MEMBERS)
        .min(population.users.len());
    anyhow::ensure!(members > 1, "fan-out needs at least two seeded users");
    let rate = profile.pick(RATE, SMOKE_RATE);
    let users = &population.users[..members];

    let pool = bench.pool(profile.seed_concurrency)?;
    let owner = &users[0];
    let space = seed::create_space(&pool, owner, format!("fanout {}", seed::run_tag())).await?;
    let others: Vec<&User> = users[1..].iter().collect();
    seed::join_space(&pool, space, owner, &others, profile.seed_concurrency).await?;
    let room = pool
        .signed_in(&owner.token)
        .await
        .add_room(space, &RoomCreate { name: "fanout".into() })
        .await?
        .id;

    // Connection 0 is the owner's, who posts; everyone else reports what arrives.
    let (drivers, awaited) = sockets::open_awaiting(&bench.url, users, |index| index != 0).await?;
    let speaker = drivers.drivers[0].outbox.clone();
    let listeners = members - 1;

    let send = {
        let awaited = awaited.clone();
        move |sequence: u64| {
            let wait = awaited.expect(sequence, listeners);
            let queued = speaker.send(ClientFrame::Space(SendRoomMessage {
                space_id: space,
                room_id: room,
                draft: MessageDraft::text(sockets::text(sequence)),
            }));
            async move {
                queued.map_err(|_| anyhow::anyhow!("connection gone"))?;
                sockets::delivered(wait, LOST_AFTER).await
            }
        }
    };
    let at_rate = pacing::open_loop(rate, profile.window, send).await?;
    // Then two members talk, request-reply with OS-default sockets, while every
    // member is still online and gets each message.
    let replies = roundtrip::exchange(&bench.url, &users[0], &users[1], profile.window, |_, text| {
        ClientFrame::Space(SendRoomMessage {
            space_id: space,
            room_id: room,
            draft: roundtrip::draft(text),
        })
    })
    .await?;
    let ended = drivers.stop().await?;
    let dropped = ended.iter().filter(|end| end.dropped).count();
    let deliveries_per_s = at_rate.per_second * listeners as f64;

    let mut report = ScenarioReport::new(SCENARIO.name);
    report
        .parameter("members_online", members)
        .parameter("messages_per_s", rate)
        .parameter("window", profile.window)
        .figure("deliveries_per_s", deliveries_per_s)
        .figure("messages_not_fully_delivered", at_rate.errors)
        .figure("connections_dropped", dropped)
        .target(Target::at_most(
            "room fan-out p99, commit to last delivery",
            TARGET_P99_MS,
            "ms",
            at_rate.p99_ms,
        ))
        .target(Target::at_least(
            "deliveries per second sustained",
            TARGET_DELIVERIES,
            "deliveries/s",
            Some(deliveries_per_s),
        ))
        .phase(format!("{rate} msg/s to {listeners} members"), at_rate)
        .phase("request-reply in the room, OS-default sockets", replies);
    Ok(report)
}
