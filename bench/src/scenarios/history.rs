//! `history`: DM history reads (`GET /messages/history/dm/{other}/`, the latest page)
//! by the seeded users in turn. The scenario first seeds its conversations: the first
//! `PAIRS` pairs of users (0 with 1, 2 with 3, …) exchange a page and a half of
//! messages each, so every read returns a full page naming both people.

use std::sync::Arc;

use futures_util::{StreamExt, TryStreamExt, stream};
use socmel_client::{
    HistoryPage, Method,
    types::{conversations::Conversation, messages::SendMessage},
};

use super::Scenario;
use crate::{
    context::Bench,
    pool::ClientPool,
    report::ScenarioReport,
    seed::{Population, User},
    throughput::{self, Goals},
};

pub const SCENARIO: Scenario = Scenario {
    name: "history",
    about: "DM history reads (a full page naming both people): max throughput, and p99 at 500 req/s",
    run: |bench| Box::pin(run(bench)),
};

/// The feed's targets, for want of targets of their own: both are the page a person
/// opens most.
const GOALS: Goals = Goals {
    per_second: 5_000.0,
    per_second_label: "DM history reads per second",
    unit: "req/s",
    p99_ms: 30.0,
    p99_label: "DM history p99 at 500 req/s",
    rate: 500.0,
    smoke_rate: 50.0,
};

/// Conversations seeded (fewer when there are fewer users).
const PAIRS: usize = 100;
/// Messages per conversation: more than the 50 of a page.
const MESSAGES: usize = 75;

async fn run(bench: &Bench) -> anyhow::Result<ScenarioReport> {
    let population = bench.population().await?;
    let pool = bench.pool(bench.profile.concurrency)?;
    let pairs = PAIRS.min(population.users.len() / 2);
    anyhow::ensure!(pairs > 0, "the history scenario needs at least two users");
    let messages = bench.profile.pick(MESSAGES, 5);
    converse(&pool, &population, pairs, messages, bench.profile.seed_concurrency).await?;
    let raw = bench.profile.raw_reads;
    let read = move |sequence: u64| {
        let (pool, population) = (pool.clone(), population.clone());
        async move {
            let (reader, other) = pair(&population, pairs, sequence);
            let client = pool.signed_in(&reader.token).await;
            if raw {
                let path = format!("/messages/history/dm/{}/", other.id);
                client.raw(Method::GET, &path, None).await.map(drop)
            } else {
                client
                    .dm_history(other.id, HistoryPage::default())
                    .await
                    .map(drop)
            }
        }
    };
    let mut report = throughput::measure(bench, SCENARIO.name, &GOALS, read).await?;
    report
        .parameter("conversations", pairs)
        .parameter("messages_each", messages)
        .parameter("raw_reads", raw);
    Ok(report)
}

/// Call `n` reads as one side of conversation `n mod pairs`, alternating sides.
fn pair(population: &Population, pairs: usize, sequence: u64) -> (&User, &User) {
    let conversation = (sequence as usize / 2) % pairs;
    let (a, b) = (
        &population.users[2 * conversation],
        &population.users[2 * conversation + 1],
    );
    if sequence.is_multiple_of(2) {
        (a, b)
    } else {
        (b, a)
    }
}

/// Each pair writes `messages` DMs to each other, taking turns.
async fn converse(
    pool: &Arc<ClientPool>,
    population: &Population,
    pairs: usize,
    messages: usize,
    concurrency: usize,
) -> anyhow::Result<()> {
    stream::iter(0..pairs * messages)
        .map(|index| async move {
            let (conversation, turn) = (index / messages, index % messages);
            let (from, to) = pair(population, pairs, (2 * conversation + turn % 2) as u64);
            let client = pool.signed_in(&from.token).await;
            let body = SendMessage::text(
                Conversation::Dm { user_id: to.id },
                format!("message {turn} of a seeded conversation"),
            );
            client.send_message(&body).await.map(drop)
        })
        .buffer_unordered(concurrency.max(1))
        .try_collect::<()>()
        .await?;
    Ok(())
}
