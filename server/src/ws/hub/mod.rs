//! The connection hub: one per node. It knows which users are online (and on how many
//! connections), which spaces and groups each user belongs to (topic → subscribers,
//! loaded at connect and kept current from membership events), and each user's recent
//! durable frames for resume. A user who goes offline stays subscribed for as long as
//! their recent frames are kept, so that what their rooms and groups say meanwhile is
//! there to replay when they come back.
//!
//! Every event is serialised once; a durable frame gets the receiving user's `seq`
//! spliced in front. Each connection has a bounded queue: a connection that cannot
//! keep up is dropped rather than buffered without bound.
//!
//! Here: the state and the delivery to queues. `registry.rs`: who is connected and
//! subscribed where; `replay.rs`: the per-user log of durable frames; `routing.rs`:
//! which event reaches whom as which frame.

use std::{
    collections::{HashMap, HashSet, VecDeque},
    sync::{
        Arc, Mutex, MutexGuard,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use socmel_api_types::{
    UserId,
    events::{MembershipChange, MembershipScope},
    frames::{
        MembershipUpdate, MessageDeleted, MessageEdited, NotificationFrame, PostCreated, Presence,
        PresenceStatus, ReadReceipt, ServerFrame, SessionRevoked,
    },
    messages::{Conversation, Message},
    notifications::Notification,
    posts::PostDisplay,
    users::UserSummary,
};
use tokio::sync::mpsc;

use crate::{events::Event, session::SessionId};

mod registry;
mod replay;
mod routing;
#[cfg(test)]
mod tests;

use replay::{forget_stale_logs, replay_after};

/// Frames a connection may have waiting before it counts as too slow.
pub const QUEUE_FRAMES: usize = 256;
/// Spaces with more members online than this carry no presence: in a big community
/// every arrival would be told to everyone, and a newcomer about everyone at once,
/// which grows with the square of its size (and would overflow the queues).
pub const PRESENCE_SPACE_LIMIT: usize = 100;
/// One frame, ready to write.
pub type Outgoing = Arc<str>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Topic {
    Space(i64),
    Group(i64),
}

struct Connection {
    id: u64,
    /// The login session the socket was opened with: it closes when that ends.
    session: SessionId,
    queue: mpsc::Sender<Outgoing>,
    /// Set when the hub ends the connection because its session ended.
    revoked: Arc<AtomicBool>,
    /// Membership changes of the user heard since the connection registered, while its
    /// memberships are being read; `None` once [`Hub::subscribe`] applied them.
    pending: Option<Vec<(Topic, MembershipChange)>>,
}

#[derive(Default)]
struct UserState {
    connections: Vec<Connection>,
    topics: HashSet<Topic>,
    /// People this user has DMs with: told about presence.
    dm_partners: HashSet<UserId>,
    next_seq: u64,
    /// (seq, frame body without seq), oldest first.
    recent: VecDeque<(u64, Outgoing)>,
    last_seen: Option<Instant>,
}

#[derive(Default)]
struct State {
    users: HashMap<UserId, UserState>,
    topics: HashMap<Topic, HashSet<UserId>>,
}

/// What a new connection is given.
pub struct Registration {
    pub connection_id: u64,
    pub queue: mpsc::Receiver<Outgoing>,
    /// Missed frames to send first, or `None` when they cannot be replayed (send `resync`).
    pub replay: Option<Vec<Outgoing>>,
    /// Whether this is the user's first live connection (they just came online).
    pub came_online: bool,
    /// Set when the hub ended the connection because its session ended: close it with
    /// `session_revoked`'s code once the queue is drained.
    pub revoked: Arc<AtomicBool>,
}

pub struct Hub {
    state: Mutex<State>,
    next_connection: AtomicU64,
}

impl Default for Hub {
    fn default() -> Self {
        Self {
            state: Mutex::default(),
            // Connection ids travel in events (the connection a `read` came from): a
            // random start keeps them apart from other nodes' once the bus is shared.
            next_connection: AtomicU64::new(rand::random::<u64>() >> 1),
        }
    }
}

impl Hub {
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Queues `body` on every connection of `user`, dropping connections that are full.
fn deliver(state: &mut State, user: UserId, body: &Outgoing) {
    deliver_except(state, user, body, None);
}

/// As [`deliver`], leaving out the connection `skip`.
fn deliver_except(state: &mut State, user: UserId, body: &Outgoing, skip: Option<u64>) {
    let Some(entry) = state.users.get_mut(&user) else {
        return;
    };
    let before = entry.connections.len();
    entry.connections.retain(|c| {
        if skip == Some(c.id) {
            return true;
        }
        match c.queue.try_send(body.clone()) {
            Ok(()) => true,
            Err(mpsc::error::TrySendError::Full(_)) => {
                tracing::warn!(
                    user_id = user.0,
                    connection = c.id,
                    "slow WebSocket consumer dropped"
                );
                false
            }
            Err(mpsc::error::TrySendError::Closed(_)) => false,
        }
    });
    if before > 0 && entry.connections.is_empty() {
        // Offline now, as in `disconnect`: still subscribed while the log is kept, so
        // the rest of what is said meanwhile is there to replay too.
        entry.last_seen = Some(Instant::now());
    }
}

/// Online members of `topics` (groups, and spaces with at most
/// [`PRESENCE_SPACE_LIMIT`] members online) and online `partners`, `user` excluded.
fn presence_audience(
    state: &State,
    user: UserId,
    topics: &[Topic],
    partners: &[UserId],
) -> Vec<UserId> {
    let online = |member: &UserId| {
        state
            .users
            .get(member)
            .is_some_and(|u| !u.connections.is_empty())
    };
    let mut audience: HashSet<UserId> = HashSet::new();
    for topic in topics {
        let Some(members) = state.topics.get(topic) else {
            continue;
        };
        let present: Vec<UserId> = members.iter().copied().filter(online).collect();
        if matches!(topic, Topic::Space(_)) && present.len() > PRESENCE_SPACE_LIMIT {
            continue;
        }
        audience.extend(present);
    }
    audience.extend(partners.iter().copied().filter(online));
    audience.remove(&user);
    audience.into_iter().collect()
}

fn remove_from_topic(state: &mut State, topic: Topic, user: UserId) {
    if let Some(members) = state.topics.get_mut(&topic) {
        members.remove(&user);
        if members.is_empty() {
            state.topics.remove(&topic);
        }
    }
}

fn serialise(frame: &ServerFrame) -> Option<Outgoing> {
    match serde_json::to_string(frame) {
        Ok(json) => Some(json.into()),
        Err(err) => {
            tracing::error!(error = %err, "frame could not be serialised");
            None
        }
    }
}

/// The presence frame for `user`.
pub fn presence(user: UserSummary, status: PresenceStatus) -> ServerFrame {
    ServerFrame::Presence(Presence {
        user_id: user.id,
        status,
        user,
    })
}
