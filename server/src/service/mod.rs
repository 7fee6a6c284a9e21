//! The rules of SocMel, shared by the HTTP routes and the WebSocket: validation,
//! permissions, and write-then-publish. Nothing here knows about poem or SQL text.

pub mod attachments;
pub mod auth;
pub mod bans;
pub mod comments;
mod errors;
pub mod feed;
pub mod follows;
pub mod groups;
pub mod health;
pub mod images;
pub mod invitations;
pub mod media;
mod membership;
pub mod messages;
pub mod notes;
pub mod notifications;
pub mod pagination;
mod passwords;
pub mod permissions;
pub mod posts;
pub mod realtime;
pub mod rooms;
pub mod security;
pub mod space_members;
pub mod spaces;
mod tokens;
pub mod users;
pub(crate) mod validation;

use std::sync::Arc;

use crate::{
    effects::{
        Change, Effects, feed_cache::FeedCache, post_writer::PostWriter, token_checks::TokenChecks,
    },
    events::EventBus,
    mail::Mailer,
    media::Media,
    ratelimit::{Limit, RateLimits},
    store::{Millis, Store},
};

pub use errors::{
    Bad, Expired, Missing, Refusal, ServiceError, ServiceResult, Taken, TooLarge, Unauthenticated,
    Unsupported,
};
pub use passwords::Passwords;
pub use tokens::{SessionId, TokenKeys, TokenSettings};

/// Everything the rules need, built once at start. Cheap to clone.
#[derive(Clone)]
pub struct Services(Arc<Inner>);

struct Inner {
    store: Store,
    tokens: TokenKeys,
    passwords: Passwords,
    limits: RateLimits,
    mailer: Mailer,
    media: Media,
    effects: Arc<Effects>,
    post_writer: PostWriter,
}

impl Services {
    pub fn new(
        store: Store,
        tokens: TokenKeys,
        passwords: Passwords,
        events: EventBus,
        limits: RateLimits,
        mailer: Mailer,
        media: Media,
    ) -> Self {
        let effects = Arc::new(Effects::new(events, store.is_sole_writer()));
        let post_writer = PostWriter::start(&store, Arc::clone(&effects));
        Self(Arc::new(Inner {
            effects,
            post_writer,
            store,
            tokens,
            passwords,
            limits,
            mailer,
            media,
        }))
    }

    pub fn post_writer(&self) -> &PostWriter {
        &self.0.post_writer
    }

    pub fn mailer(&self) -> &Mailer {
        &self.0.mailer
    }

    pub fn limits(&self) -> &RateLimits {
        &self.0.limits
    }

    /// Counts one request of `key` against `limit`; refuses with `RateLimited`.
    pub fn check_limit(&self, limit: Limit, key: &str) -> ServiceResult<()> {
        self.limits()
            .check(limit, key)
            .map(drop)
            .map_err(ServiceError::rate_limited)
    }

    /// For subscribing: changes are published by [`Self::committed`].
    pub fn events(&self) -> &EventBus {
        self.0.effects.events()
    }

    /// Every write calls this once its transaction has committed: it stamps the caches
    /// the change makes stale and publishes it on the bus ([`Effects::committed`]).
    pub fn committed(&self, change: impl Into<Change>) {
        self.0.effects.committed(change);
    }

    pub fn store(&self) -> &Store {
        &self.0.store
    }

    /// Uploaded files: the storage backend and the size cap.
    pub fn media(&self) -> &Media {
        &self.0.media
    }

    fn tokens(&self) -> &TokenKeys {
        &self.0.tokens
    }

    fn passwords(&self) -> &Passwords {
        &self.0.passwords
    }

    fn token_checks(&self) -> &TokenChecks {
        self.0.effects.token_checks()
    }

    fn feed_cache(&self) -> &FeedCache {
        self.0.effects.feed_cache()
    }
}

/// The current time in Unix milliseconds.
pub fn now() -> Millis {
    chrono::Utc::now().timestamp_millis()
}
