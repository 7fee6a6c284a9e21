//! `reconnect`: many clients of a busy room lose their connections at once (a network
//! blip, a restarted proxy) while messages keep coming, then all reconnect at the same
//! moment, resuming from the last `seq` each saw. Every message must reach every
//! client, replayed or live, and every client must be back quickly.

use std::{collections::HashSet, time::Duration};

use futures_util::{StreamExt, stream::FuturesUnordered};
use socmel_client::{
    Client,
    types::{
        RoomId, SpaceId,
        messages::{Conversation, SendMessage},
        rooms::RoomCreate,
    },
};
use tokio::{sync::mpsc, time::Instant};

use super::Scenario;
use crate::{
    context::Bench,
    report::{ScenarioReport, Target},
    seed::{self, User},
    sockets::{self, Connection, Drivers},
};

pub const SCENARIO: Scenario = Scenario {
    name: "reconnect",
    about: "5,000 clients reconnect at once: time until all are back, messages lost",
    run: |bench| Box::pin(run(bench)),
};

const CLIENTS: usize = 5_000;
const SMOKE_CLIENTS: usize = 100;
/// Room messages sent while the clients are away (half before they come back, half
/// while they are reconnecting).
const MISSED: u64 = 20;
const SMOKE_MISSED: u64 = 4;
const TARGET_BACK_S: f64 = 10.0;
/// Give up reconnecting, or waiting for messages, after this.
const GIVE_UP: Duration = Duration::from_secs(60);
const RETRY_EVERY: Duration = Duration::from_millis(100);

struct Room {
    space: SpaceId,
    room: RoomId,
}

async fn run(bench: &Bench) -> anyhow::Result<ScenarioReport> {
    let profile = &bench.profile;
    let population = bench.population().await?;
    let clients = profile.pick(CLIENTS, SMOKE_CLIENTS);
    let missed = profile.pick(MISSED, SMOKE_MISSED);
    anyhow::ensure!(population.users.len() > 1, "needs at least two seeded users");
    let (speaker, listeners) = population.users.split_first().expect("checked above");
    let listeners = &listeners[..listeners.len().min(clients)];
    let room = busy_room(bench, speaker, listeners).await?;
    let speaker_client = Client::new(&bench.url)?.with_token(speaker.token.clone());
    let say = |tag: u64| {
        let body = SendMessage::text(
            Conversation::Room {
                space_id: room.space,
                room_id: room.room,
            },
            sockets::text(tag),
        );
        let client = speaker_client.clone();
        async move { client.send_message(&body).await.map(drop) }
    };

    // Everyone online and caught up: one message reaches every connection.
    let opened = sockets::open(&bench.url, listeners, clients, 128).await?;
    anyhow::ensure!(
        opened.failures.is_empty(),
        "could not open every connection: {:?}",
        opened.failures
    );
    let (arrivals, mut arrived) = mpsc::unbounded_channel();
    let drivers = Drivers::start(opened.connections, &arrivals, |_| true);
    say(0).await?;
    let mut warm = 0;
    let all_warm = sockets::collect_until(&mut arrived, GIVE_UP, |_| {
        warm += 1;
        warm == clients
    })
    .await;
    anyhow::ensure!(all_warm, "only {warm} of {clients} connections got the first message");

    // The blip: every connection drops at once, without a goodbye.
    let away: Vec<(usize, Option<u64>)> = drivers
        .stop()
        .await?
        .into_iter()
        .map(|end| (end.connection.user, end.connection.session.last_seq()))
        .collect();
    let half = missed / 2;
    for tag in 1..=half {
        say(tag).await?;
    }

    // The storm: everyone at the same moment, while the rest of the messages go out.
    // Each client reads as soon as it is back, as real clients do: the server queues
    // presence and messages to a socket at once, and drops one whose queue fills.
    let storm = Instant::now();
    let base = Client::new(&bench.url)?;
    let mut reconnects: FuturesUnordered<_> = away
        .iter()
        .map(|&(user, since)| reconnect(base.signed_in_as(&listeners[user].token), user, since))
        .collect();
    let (arrivals, mut arrived) = mpsc::unbounded_channel();
    let mut drivers = Drivers::empty();
    let mut back_s: f64 = 0.0;
    let mut attempts = 0;
    let mut never_back = 0;
    let (_, sent) = tokio::join!(
        async {
            while let Some(outcome) = reconnects.next().await {
                attempts += outcome.attempts;
                match outcome.connection {
                    Some((connection, at)) => {
                        back_s = back_s.max(at.duration_since(storm).as_secs_f64());
                        drivers.add(connection, Some(arrivals.clone()));
                    }
                    None => never_back += 1,
                }
            }
        },
        async {
            for tag in half + 1..=missed {
                say(tag).await?;
            }
            anyhow::Ok(())
        }
    );
    sent?;
    drop(arrivals);

    // Every missed message, replayed or live, at every connection that came back.
    let back = drivers.drivers.len();
    let expected = back * missed as usize;
    let mut seen = HashSet::with_capacity(expected);
    let mut caught_up_at = storm;
    sockets::collect_until(&mut arrived, GIVE_UP, |arrival| {
        if (1..=missed).contains(&arrival.tag) && seen.insert((arrival.connection, arrival.tag)) {
            caught_up_at = arrival.at;
        }
        seen.len() == expected
    })
    .await;
    // Closed by the server after coming back: a slow-consumer drop loses what was queued.
    let dropped = drivers.stop().await?.iter().filter(|end| end.dropped).count();
    let lost = (expected - seen.len()) + never_back * missed as usize;

    let mut report = ScenarioReport::new(SCENARIO.name);
    report
        .parameter("clients", clients)
        .parameter("users", listeners.len())
        .parameter("messages_missed_per_client", missed)
        .figure("connect_seconds", opened.seconds)
        .figure("back", back)
        .figure("never_back", never_back)
        .figure("connection_attempts", attempts)
        .figure("all_back_s", back_s)
        .figure(
            "caught_up_s",
            caught_up_at.duration_since(storm).as_secs_f64(),
        )
        .figure("lost_messages", lost)
        .figure("connections_dropped", dropped)
        .target(Target::at_most(
            "every client back after a reconnect storm",
            TARGET_BACK_S,
            "s",
            (never_back == 0).then_some(back_s),
        ))
        .target(Target::at_most(
            "messages lost across the storm",
            0.0,
            "messages",
            Some(lost as f64),
        ));
    Ok(report)
}

/// A space whose members are `listeners`, owned by `speaker`, and a room in it.
async fn busy_room(bench: &Bench, speaker: &User, listeners: &[User]) -> anyhow::Result<Room> {
    let profile = &bench.profile;
    let pool = bench.pool(profile.seed_concurrency)?;
    let name = format!("reconnect {}", seed::run_tag());
    let space = seed::create_space(&pool, speaker, name).await?;
    let members: Vec<&User> = listeners.iter().collect();
    seed::join_space(&pool, space, speaker, &members, profile.seed_concurrency).await?;
    let room = pool
        .signed_in(&speaker.token)
        .await
        .add_room(space, &RoomCreate {
            name: "busy".into(),
        })
        .await?
        .id;
    Ok(Room { space, room })
}

struct Reconnected {
    connection: Option<(Connection, Instant)>,
    attempts: u64,
}

/// Reconnects resuming after `since`, retrying refused or failed attempts until
/// [`GIVE_UP`].
async fn reconnect(client: Client, user: usize, since: Option<u64>) -> Reconnected {
    let deadline = Instant::now() + GIVE_UP;
    let mut attempts = 0;
    while Instant::now() < deadline {
        attempts += 1;
        if let Ok(session) = client.connect_ws(since).await {
            return Reconnected {
                connection: Some((Connection { user, session }, Instant::now())),
                attempts,
            };
        }
        tokio::time::sleep(RETRY_EVERY).await;
    }
    Reconnected {
        connection: None,
        attempts,
    }
}
