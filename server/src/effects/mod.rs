//! What follows a commit, in one place: every write, once its transaction has
//! committed, calls [`Effects::committed`] (through `Services::committed`) with what
//! changed. That one call stamps the caches this process keeps and publishes on the
//! event bus, so a new write path cannot forget either: a forgotten stamp would serve
//! stale first pages on SQLite only, a forgotten revocation would keep accepting a
//! dead session's tokens for up to half a minute.
//!
//! The caches and the post writer live here too: they make reads and writes cheaper
//! on the embedded database, where this process is the only writer and so sees every
//! change ([`crate::store::Store::is_sole_writer`]), and they are right only because
//! every change passes through [`Effects::committed`]. Nothing here decides a rule;
//! the services do. Publishing or stamping anywhere else fails the lint
//! (`disallowed-methods` in `server/clippy.toml`).

pub mod feed_cache;
pub mod post_writer;
pub mod token_checks;

use socmel_api_types::{SpaceId, UserId, events::MembershipScope};

use crate::events::{Event, EventBus};

use feed_cache::FeedCache;
use token_checks::TokenChecks;

/// A committed change, as [`Effects::committed`] takes it.
#[derive(Debug)]
pub enum Change {
    /// Something others hear of. It is published once the caches it makes stale are
    /// stamped (a space membership: the member's feed sources; ended sessions: their
    /// cached token checks).
    Event(Event),
    /// A post was stored or deleted: feeds made of its author or its space are stale.
    /// Nobody is told (a new post is announced by [`Event::PostCreated`]).
    Post {
        author: UserId,
        space: Option<SpaceId>,
    },
    /// Whom `viewer` follows changed (a follow accepted or dropped).
    Follows { viewer: UserId },
}

impl From<Event> for Change {
    fn from(event: Event) -> Self {
        Self::Event(event)
    }
}

/// The caches and the bus a commit touches. Shared (`Arc`) by the services and the
/// post writer.
pub struct Effects {
    events: EventBus,
    feed_cache: FeedCache,
    token_checks: TokenChecks,
}

impl Effects {
    /// `sole_writer`: whether this process sees every change to the database, which is
    /// what lets it cache at all.
    pub fn new(events: EventBus, sole_writer: bool) -> Self {
        Self {
            events,
            feed_cache: FeedCache::new(sole_writer),
            token_checks: TokenChecks::new(sole_writer),
        }
    }

    /// Call once the transaction that made `change` has committed (and is durable):
    /// stamps the caches it makes stale, then publishes it if anyone is to hear of it.
    /// Stamping first means a subscriber that reads back at once never meets a stale
    /// cache entry.
    #[allow(clippy::disallowed_methods)] // the one place that stamps and publishes
    pub fn committed(&self, change: impl Into<Change>) {
        match change.into() {
            Change::Post { author, space } => self
                .feed_cache
                .post_changed(author.0, space.map(|space| space.0)),
            Change::Follows { viewer } => self.feed_cache.sources_changed(viewer.0),
            Change::Event(event) => {
                self.stamp(&event);
                self.events.publish(event);
            }
        }
    }

    /// What an event makes stale. Every variant is named, so a new one is decided here.
    #[allow(clippy::disallowed_methods)]
    fn stamp(&self, event: &Event) {
        match event {
            Event::Membership {
                scope: MembershipScope::Space,
                user,
                ..
            } => self.feed_cache.sources_changed(user.id.0),
            Event::SessionsEnded {
                user_id,
                session: None,
            } => self.token_checks.forget(user_id.0),
            Event::SessionsEnded {
                user_id,
                session: Some(session),
            } => self.token_checks.forget_session(user_id.0, *session),
            // The post writer stamped the post when it committed (`Change::Post`).
            Event::PostCreated { .. }
            | Event::Membership {
                scope: MembershipScope::Group,
                ..
            }
            | Event::Notification { .. }
            | Event::MessageCreated(_)
            | Event::MessageEdited(_)
            | Event::MessageDeleted(_)
            | Event::Read { .. }
            | Event::RoomDeleted { .. } => {}
        }
    }

    /// Subscribe here; publish only through [`Self::committed`].
    pub fn events(&self) -> &EventBus {
        &self.events
    }

    /// For reading the remembered first pages; stamps go through [`Self::committed`].
    pub fn feed_cache(&self) -> &FeedCache {
        &self.feed_cache
    }

    /// For reading remembered token checks; revocations go through
    /// [`Self::committed`] ([`Event::SessionsEnded`]).
    pub fn token_checks(&self) -> &TokenChecks {
        &self.token_checks
    }
}

#[cfg(test)]
mod tests {
    use socmel_api_types::events::MembershipChange;

    use super::*;
    use crate::session::{SessionId, tests_family};

    const CHECK: token_checks::TokenCheck = token_checks::TokenCheck {
        token_version: 1,
        is_active: true,
        session_live: true,
    };

    #[tokio::test]
    async fn a_change_stamps_the_caches_before_it_is_heard() {
        let effects = Effects::new(EventBus::new(), true);
        let mut heard = effects.events().subscribe();
        let session = SessionId::from_family(&tests_family(1)).unwrap();
        let checks = effects.token_checks();
        checks.remember(5, session, CHECK, checks.generation());
        effects.committed(Event::SessionsEnded {
            user_id: UserId(5),
            session: Some(session),
        });
        assert_eq!(checks.get(5, session), None);
        assert!(matches!(
            *heard.recv().await.unwrap(),
            Event::SessionsEnded { .. }
        ));

        let cache = effects.feed_cache();
        let remember = || {
            let tick = cache.tick();
            cache.remember(5, 11, tick, Default::default(), vec![1]);
            assert!(cache.candidates(5, 11).is_some());
        };
        remember();
        effects.committed(Event::Membership {
            scope: MembershipScope::Space,
            id: 9,
            user: socmel_api_types::users::UserSummary {
                id: UserId(5),
                ..Default::default()
            },
            change: MembershipChange::Joined,
        });
        assert_eq!(cache.candidates(5, 11), None);
        remember();
        effects.committed(Change::Follows { viewer: UserId(5) });
        assert_eq!(cache.candidates(5, 11), None);
        remember();
        effects.committed(Change::Post {
            author: UserId(5),
            space: None,
        });
        assert_eq!(cache.candidates(5, 11), None);
    }
}
