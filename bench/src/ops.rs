//! The requests scenarios time, as operations for the pacing loops: the `n`-th call
//! acts as seeded user `n mod users`, so load spreads evenly over everyone.

use std::sync::Arc;

use futures_util::future::BoxFuture;
use socmel_client::{ClientError, Method, PageQuery};

use crate::{
    pool::{ClientPool, Pooled},
    seed::{self, Population, User},
};

type Request = BoxFuture<'static, Result<(), ClientError>>;

/// The first page of the user's personalised feed: parsed, or (`raw`) read whole
/// without parsing.
pub fn feed_read(
    pool: Arc<ClientPool>,
    population: Arc<Population>,
    raw: bool,
) -> impl Fn(u64) -> Request + Clone + Send + Sync + 'static {
    as_user(
        pool,
        population,
        if raw {
            |client, _| {
                Box::pin(async move {
                    client
                        .raw(Method::GET, "/posts/feed/", None)
                        .await
                        .map(drop)
                })
            }
        } else {
            |client, _| Box::pin(async move { client.feed(&PageQuery::default()).await.map(drop) })
        },
    )
}

/// A new profile post by the user.
pub fn create_post(
    pool: Arc<ClientPool>,
    population: Arc<Population>,
) -> impl Fn(u64) -> Request + Clone + Send + Sync + 'static {
    as_user(pool, population, |client, sequence| {
        Box::pin(async move {
            client
                .create_post(&seed::post_body(sequence))
                .await
                .map(drop)
        })
    })
}

/// Wraps `request` so that call `n` borrows a pooled client signed in as user `n`.
fn as_user(
    pool: Arc<ClientPool>,
    population: Arc<Population>,
    request: fn(Pooled, u64) -> Request,
) -> impl Fn(u64) -> Request + Clone + Send + Sync + 'static {
    move |sequence| {
        let (pool, population) = (pool.clone(), population.clone());
        Box::pin(async move {
            let user: &User = &population.users[sequence as usize % population.users.len()];
            let client = pool.signed_in(&user.token).await;
            request(client, sequence).await
        })
    }
}
