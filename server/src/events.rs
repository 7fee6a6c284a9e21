//! The server's event bus: services publish what happened *after* their transaction
//! commits, through the one call every write makes (`effects::Effects::committed`);
//! the real-time hub (and anything else) subscribes.
//!
//! In-process for a single node. The publish/subscribe surface is kept this small so
//! that a PostgreSQL-backed bus (LISTEN/NOTIFY) can replace it for several nodes.

use std::sync::Arc;

use socmel_api_types::{
    MessageId, RoomId, SpaceId, UserId,
    events::{MembershipChange, MembershipScope},
    messages::Message,
    notifications::Notification,
    posts::PostDisplay,
    users::UserSummary,
};
use tokio::sync::broadcast;

use crate::session::SessionId;

/// Something observable happened. Events are shared (`Arc`) between subscribers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// Someone joined, left, was removed from or banned from a space or group, or the
    /// space or group was deleted (`user` is then the member being told).
    Membership {
        scope: MembershipScope,
        id: i64,
        user: UserSummary,
        change: MembershipChange,
    },
    /// A post was published: live to the author's accepted `followers` (profile posts)
    /// or to the members of its space.
    PostCreated {
        post: Arc<PostDisplay>,
        followers: Vec<UserId>,
    },
    /// Something happened that concerns `user_id` (already stored).
    Notification {
        user_id: UserId,
        notification: Arc<Notification>,
    },
    /// A message was stored.
    MessageCreated(Arc<Message>),
    /// A message's text changed.
    MessageEdited(Arc<Message>),
    /// A message was deleted (the event carries it as it was).
    MessageDeleted(Arc<Message>),
    /// `reader` has read the conversation of `message` up to it.
    Read {
        reader: UserSummary,
        message: Arc<Message>,
        message_id: MessageId,
        /// The socket connection the read came from (it is not told again); `None`
        /// over REST.
        from_connection: Option<u64>,
    },
    /// A room was deleted; its space and the rest of the space remain.
    RoomDeleted { space_id: SpaceId, room_id: RoomId },
    /// Login sessions ended (logout, logout everywhere, a password or email change, a
    /// replayed refresh token, or a socket that found its session gone): `session`
    /// names one, `None` means every session of `user_id`. Their sockets close.
    SessionsEnded {
        user_id: UserId,
        session: Option<SessionId>,
    },
}

/// Subscribers that fall this many events behind miss the oldest ones (and are told so
/// by `RecvError::Lagged`), so a stuck subscriber cannot grow memory without bound.
const CAPACITY: usize = 4096;

#[derive(Clone)]
pub struct EventBus {
    sender: broadcast::Sender<Arc<Event>>,
}

impl Default for EventBus {
    fn default() -> Self {
        Self::new()
    }
}

impl EventBus {
    pub fn new() -> Self {
        let (sender, _) = broadcast::channel(CAPACITY);
        Self { sender }
    }

    /// Publishes to every current subscriber; with none, the event is simply dropped.
    pub fn publish(&self, event: Event) {
        let _ = self.sender.send(Arc::new(event));
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Event>> {
        self.sender.subscribe()
    }
}

#[cfg(test)]
#[allow(clippy::disallowed_methods)] // the bus itself, tested alone
mod tests {
    use super::*;

    #[tokio::test]
    async fn subscribers_receive_what_is_published_after_they_subscribe() {
        let bus = EventBus::new();
        let event = Event::Membership {
            scope: MembershipScope::Space,
            id: 1,
            user: UserSummary {
                id: UserId(2),
                username: "bob".into(),
                display_name: None,
                pfp: None,
            },
            change: MembershipChange::Joined,
        };
        bus.publish(event.clone()); // nobody listening: dropped
        let mut first = bus.subscribe();
        let mut second = bus.subscribe();
        bus.publish(event.clone());
        assert_eq!(*first.recv().await.unwrap(), event);
        assert_eq!(*second.recv().await.unwrap(), event);
        assert!(first.try_recv().is_err());
    }
}
