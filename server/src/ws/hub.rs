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

use crate::{events::Event, service::SessionId};

/// Frames a connection may have waiting before it counts as too slow.
pub const QUEUE_FRAMES: usize = 256;
/// Spaces with more members online than this carry no presence: in a big community
/// every arrival would be told to everyone, and a newcomer about everyone at once,
/// which grows with the square of its size (and would overflow the queues).
pub const PRESENCE_SPACE_LIMIT: usize = 100;
/// Durable frames kept per user for resume.
const REPLAY_WINDOW: usize = 512;
/// How long a user's replay window outlives their last connection.
const LOG_RETENTION: Duration = Duration::from_secs(600);

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

    /// Registers a connection of `user`, opened with `session`, before anything about
    /// the user is read: from here on its queue gets every frame for the user, and
    /// membership changes are noted until [`Self::subscribe`] applies the memberships
    /// read afterwards, so a change landing in between is not missed. `since` is the
    /// last `seq` the client saw, if it is resuming.
    pub fn connect(&self, user: UserId, session: SessionId, since: Option<u64>) -> Registration {
        let (queue, receiver) = mpsc::channel(QUEUE_FRAMES);
        let connection_id = self.next_connection.fetch_add(1, Ordering::Relaxed);
        let revoked = Arc::new(AtomicBool::new(false));
        let mut state = self.state();
        let entry = state.users.entry(user).or_default();
        let came_online = entry.connections.is_empty();
        entry.connections.push(Connection {
            id: connection_id,
            session,
            queue,
            revoked: revoked.clone(),
            pending: Some(Vec::new()),
        });
        let replay = since.map_or(Some(Vec::new()), |since| replay_after(entry, since));
        Registration {
            connection_id,
            queue: receiver,
            replay,
            came_online,
            revoked,
        }
    }

    /// Subscribes the user to `spaces` and `groups` as read after the connection
    /// registered, with the membership changes heard meanwhile applied on top (in
    /// order: a change may or may not be in what was read, and replaying it either
    /// way gives the state after it).
    pub fn subscribe(
        &self,
        user: UserId,
        connection_id: u64,
        spaces: &[i64],
        groups: &[i64],
        dm_partners: &[i64],
    ) {
        let mut state = self.state();
        let Some(entry) = state.users.get_mut(&user) else {
            return;
        };
        let Some(pending) = entry
            .connections
            .iter_mut()
            .find(|c| c.id == connection_id)
            .and_then(|c| c.pending.take())
        else {
            return; // already gone (revoked, too slow, closed)
        };
        let mut topics: HashSet<Topic> = spaces
            .iter()
            .map(|&s| Topic::Space(s))
            .chain(groups.iter().map(|&g| Topic::Group(g)))
            .collect();
        for (topic, change) in pending {
            if change == MembershipChange::Joined {
                topics.insert(topic);
            } else {
                topics.remove(&topic);
            }
        }
        let dropped: Vec<Topic> = entry.topics.difference(&topics).copied().collect();
        entry.topics.clone_from(&topics);
        entry.dm_partners = dm_partners.iter().map(|&p| UserId(p)).collect();
        for topic in dropped {
            remove_from_topic(&mut state, topic, user);
        }
        for topic in topics {
            state.topics.entry(topic).or_default().insert(user);
        }
    }

    /// Ends every connection of `user` opened with `session` (every one with `None`):
    /// each gets a `session_revoked` frame, then its queue closes and its writer
    /// closes the socket with [`SESSION_REVOKED_CLOSE_CODE`](socmel_api_types::frames::SESSION_REVOKED_CLOSE_CODE).
    pub fn end_sessions(&self, user: UserId, session: Option<SessionId>) {
        let Some(body) = serialise(&ServerFrame::SessionRevoked(SessionRevoked {})) else {
            return;
        };
        let mut state = self.state();
        let Some(entry) = state.users.get_mut(&user) else {
            return;
        };
        let before = entry.connections.len();
        entry.connections.retain(|c| {
            if session.is_some_and(|ended| ended != c.session) {
                return true;
            }
            c.revoked.store(true, Ordering::Release);
            // A full queue only loses the courtesy frame: the close code says it too.
            let _ = c.queue.try_send(body.clone());
            false
        });
        if before > 0 && entry.connections.is_empty() {
            entry.last_seen = Some(Instant::now());
        }
    }

    /// Removes a connection; true when it was the user's last one.
    pub fn disconnect(&self, user: UserId, connection_id: u64) -> bool {
        let mut state = self.state();
        let Some(entry) = state.users.get_mut(&user) else {
            return false;
        };
        entry.connections.retain(|c| c.id != connection_id);
        if !entry.connections.is_empty() {
            return false;
        }
        // The user stays in their topics while their replay log is kept, so that room
        // and group messages sent while they are away are there when they resume.
        entry.last_seen = Some(Instant::now());
        forget_stale_logs(&mut state);
        true
    }

    pub fn is_online(&self, user: UserId) -> bool {
        self.state()
            .users
            .get(&user)
            .is_some_and(|u| !u.connections.is_empty())
    }

    /// Users who should hear about `user`'s presence: online members of the same groups
    /// and of the same spaces that are small enough to carry presence, and online DM
    /// partners.
    pub fn presence_audience(&self, user: UserId) -> Vec<UserId> {
        let state = self.state();
        let Some(entry) = state.users.get(&user) else {
            return Vec::new();
        };
        let topics: Vec<Topic> = entry.topics.iter().copied().collect();
        let partners: Vec<UserId> = entry.dm_partners.iter().copied().collect();
        presence_audience(&state, user, &topics, &partners)
    }

    /// Who should hear that `user` went offline: as [`Self::presence_audience`], for the
    /// spaces, groups and DM partners the user had.
    pub fn presence_audience_of_offline(
        &self,
        user: UserId,
        spaces: &[i64],
        groups: &[i64],
        dm_partners: &[i64],
    ) -> Vec<UserId> {
        let state = self.state();
        let topics: Vec<Topic> = spaces
            .iter()
            .map(|&s| Topic::Space(s))
            .chain(groups.iter().map(|&g| Topic::Group(g)))
            .collect();
        let partners: Vec<UserId> = dm_partners.iter().map(|&p| UserId(p)).collect();
        presence_audience(&state, user, &topics, &partners)
    }

    /// Sends an ephemeral frame (no `seq`, never replayed) to every connection of `users`.
    pub fn send_ephemeral(&self, users: &[UserId], frame: &ServerFrame) {
        let Some(body) = serialise(frame) else { return };
        let mut state = self.state();
        for user in users {
            deliver(&mut state, *user, &body);
        }
    }

    /// Sends an ephemeral frame to one connection only.
    pub fn send_to_connection(&self, user: UserId, connection_id: u64, frame: &ServerFrame) {
        let Some(body) = serialise(frame) else { return };
        let mut state = self.state();
        if let Some(entry) = state.users.get_mut(&user) {
            let slow = entry
                .connections
                .iter()
                .find(|c| c.id == connection_id)
                .is_some_and(|c| c.queue.try_send(body).is_err());
            if slow {
                entry.connections.retain(|c| c.id != connection_id);
            }
        }
    }

    /// Online members of a group or of a room's space, `except` left out (who may be
    /// told is the service's decision; this is only who is here to be told). A DM has
    /// no members here: its other side is named by the service.
    pub fn online_members(&self, conversation: Conversation, except: UserId) -> Vec<UserId> {
        let topic = match conversation {
            Conversation::Dm { .. } => return Vec::new(),
            Conversation::Group { group_id } => Topic::Group(group_id.0),
            Conversation::Room { space_id, .. } => Topic::Space(space_id.0),
        };
        let state = self.state();
        state
            .topics
            .get(&topic)
            .map(|members| members.iter().copied().filter(|m| *m != except).collect())
            .unwrap_or_default()
    }

    /// Routes one bus event to the connections that must see it.
    pub fn route(&self, event: &Event) {
        match event {
            Event::MessageCreated(message) => self.fan_out_message(message, |_| frame_for(message)),
            Event::MessageEdited(message) => self.fan_out_message(message, |viewer| {
                ServerFrame::MessageEdited(MessageEdited {
                    conversation: conversation_of(message, viewer),
                    message: Message::clone(message),
                })
            }),
            Event::MessageDeleted(message) => self.fan_out_message(message, |viewer| {
                ServerFrame::MessageDeleted(MessageDeleted {
                    conversation: conversation_of(message, viewer),
                    id: message.id(),
                })
            }),
            Event::Read {
                reader_id,
                message,
                message_id,
                from_connection,
            } => {
                let mut audience = vec![*reader_id];
                if let Message::Dm(dm) = message.as_ref() {
                    let other = if dm.sender_id == *reader_id {
                        dm.recipient_id
                    } else {
                        dm.sender_id
                    };
                    audience.push(other);
                }
                for viewer in audience {
                    let frame = ServerFrame::Read(ReadReceipt {
                        conversation: conversation_of(message, viewer),
                        reader_id: *reader_id,
                        message_id: *message_id,
                    });
                    // The connection the read came from knows already: the reader's
                    // other connections are told (it is still logged for resume).
                    let skip = from_connection.filter(|_| viewer == *reader_id);
                    self.send_durable_except(&[viewer], &frame, skip);
                }
            }
            Event::SessionsEnded { user_id, session } => self.end_sessions(*user_id, *session),
            Event::Membership {
                scope,
                id,
                user_id,
                change,
            } => {
                self.apply_membership(*scope, *id, *user_id, *change);
            }
            // The protocol has no frame for it: room lists refresh over REST, and the
            // room's messages are gone with it.
            Event::RoomDeleted { .. } => {}
            Event::PostCreated { post, followers } => {
                let frame = ServerFrame::PostCreated(PostCreated {
                    post: PostDisplay::clone(post),
                });
                let mut audience = followers.clone();
                if let Some(space) = post.space_id {
                    audience.extend(self.topic_members(Topic::Space(space.0)));
                }
                audience.retain(|user| *user != post.user_id);
                audience.sort_unstable();
                audience.dedup();
                self.send_durable(&audience, &frame);
            }
            Event::Notification {
                user_id,
                notification,
            } => {
                let frame = ServerFrame::Notification(NotificationFrame {
                    notification: Notification::clone(notification),
                });
                self.send_durable(&[*user_id], &frame);
            }
        }
    }

    fn fan_out_message(&self, message: &Message, frame: impl Fn(UserId) -> ServerFrame) {
        match message {
            Message::Dm(dm) => {
                // Each side sees the conversation named after the other person.
                for viewer in [dm.sender_id, dm.recipient_id] {
                    self.send_durable(&[viewer], &frame(viewer));
                    if dm.sender_id == dm.recipient_id {
                        break;
                    }
                }
            }
            Message::Group(group) => {
                let members = self.topic_members(Topic::Group(group.group_chat_id.0));
                self.send_durable(&members, &frame(group.sender_id));
            }
            Message::Room(room) => {
                let members = self.topic_members(Topic::Space(room.space_id.0));
                self.send_durable(&members, &frame(room.sender_id));
            }
        }
    }

    fn topic_members(&self, topic: Topic) -> Vec<UserId> {
        self.state()
            .topics
            .get(&topic)
            .map(|members| members.iter().copied().collect())
            .unwrap_or_default()
    }

    /// Keeps live connections' memberships current and tells the people concerned.
    fn apply_membership(
        &self,
        scope: MembershipScope,
        id: i64,
        user: UserId,
        change: MembershipChange,
    ) {
        let topic = match scope {
            MembershipScope::Space => Topic::Space(id),
            MembershipScope::Group => Topic::Group(id),
        };
        let frame = ServerFrame::Membership(MembershipUpdate {
            scope,
            id,
            user_id: user,
            change,
        });
        let mut audience = self.topic_members(topic);
        {
            let mut state = self.state();
            if let Some(entry) = state.users.get_mut(&user) {
                for connection in &mut entry.connections {
                    if let Some(pending) = &mut connection.pending {
                        pending.push((topic, change));
                    }
                }
            }
            let online = state
                .users
                .get(&user)
                .is_some_and(|u| !u.connections.is_empty());
            match change {
                MembershipChange::Joined if online => {
                    state.topics.entry(topic).or_default().insert(user);
                    if let Some(entry) = state.users.get_mut(&user) {
                        entry.topics.insert(topic);
                    }
                }
                MembershipChange::Joined => {}
                MembershipChange::Left
                | MembershipChange::Removed
                | MembershipChange::Banned
                | MembershipChange::Deleted => {
                    if let Some(entry) = state.users.get_mut(&user) {
                        entry.topics.remove(&topic);
                    }
                    remove_from_topic(&mut state, topic, user);
                }
            }
        }
        if !audience.contains(&user) {
            audience.push(user);
        }
        self.send_durable(&audience, &frame);
    }

    /// Sends a durable frame: each receiver gets their next `seq`, kept for resume.
    fn send_durable(&self, users: &[UserId], frame: &ServerFrame) {
        self.send_durable_except(users, frame, None);
    }

    /// As [`Self::send_durable`], leaving out the connection `skip`.
    fn send_durable_except(&self, users: &[UserId], frame: &ServerFrame, skip: Option<u64>) {
        let Some(body) = serialise(frame) else { return };
        let mut state = self.state();
        for user in users {
            let Some(entry) = state.users.get_mut(user) else {
                continue; // never connected to this node: nothing to resume
            };
            entry.next_seq += 1;
            let seq = entry.next_seq;
            entry.recent.push_back((seq, body.clone()));
            if entry.recent.len() > REPLAY_WINDOW {
                entry.recent.pop_front();
            }
            let with_seq = with_seq(seq, &body);
            deliver_except(&mut state, *user, &with_seq, skip);
        }
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

/// Forgets users who have been offline longer than their replay log is kept.
fn forget_stale_logs(state: &mut State) {
    let stale: Vec<UserId> = state
        .users
        .iter()
        .filter(|(_, u)| {
            u.connections.is_empty()
                && u.last_seen
                    .is_none_or(|seen| seen.elapsed() >= LOG_RETENTION)
        })
        .map(|(user, _)| *user)
        .collect();
    for user in stale {
        if let Some(entry) = state.users.remove(&user) {
            for topic in entry.topics {
                remove_from_topic(state, topic, user);
            }
        }
    }
}

/// The frames after `since`, or `None` when some of them are no longer kept.
fn replay_after(entry: &UserState, since: u64) -> Option<Vec<Outgoing>> {
    if since > entry.next_seq {
        return None; // a seq from before this node restarted
    }
    let oldest_kept = entry
        .recent
        .front()
        .map_or(entry.next_seq + 1, |(seq, _)| *seq);
    if since + 1 < oldest_kept && since < entry.next_seq {
        return None;
    }
    Some(
        entry
            .recent
            .iter()
            .filter(|(seq, _)| *seq > since)
            .map(|(seq, body)| with_seq(*seq, body))
            .collect(),
    )
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

/// `{"seq":N,` spliced in front of a serialised frame body (`{"type":…}`).
fn with_seq(seq: u64, body: &str) -> Outgoing {
    let rest = body.strip_prefix('{').unwrap_or(body);
    format!("{{\"seq\":{seq},{rest}").into()
}

/// The message frame upstream clients expect: `dm`, `group` or `space`.
fn frame_for(message: &Message) -> ServerFrame {
    match message {
        Message::Dm(dm) => ServerFrame::Dm(dm.clone()),
        Message::Group(group) => ServerFrame::Group(group.clone()),
        Message::Room(room) => ServerFrame::Space(room.clone()),
    }
}

/// The conversation of `message` as `viewer` names it.
fn conversation_of(message: &Message, viewer: UserId) -> Conversation {
    match message {
        Message::Dm(dm) => Conversation::Dm {
            user_id: if dm.sender_id == viewer {
                dm.recipient_id
            } else {
                dm.sender_id
            },
        },
        Message::Group(group) => Conversation::Group {
            group_id: group.group_chat_id,
        },
        Message::Room(room) => Conversation::Room {
            space_id: room.space_id,
            room_id: room.room_id,
        },
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

#[cfg(test)]
mod tests {
    use socmel_api_types::{MessageId, SpaceId, Timestamp, messages::DmMessage};

    use super::*;

    /// A session id; `n` tells sessions apart.
    fn session(n: char) -> SessionId {
        SessionId::from_family(&format!("{n}{}", "A".repeat(42))).unwrap()
    }

    /// Registers and subscribes at once, as a socket with nothing in between does.
    fn connect(
        hub: &Hub,
        user: UserId,
        spaces: &[i64],
        groups: &[i64],
        partners: &[i64],
        since: Option<u64>,
    ) -> Registration {
        let registration = hub.connect(user, session('A'), since);
        hub.subscribe(user, registration.connection_id, spaces, groups, partners);
        registration
    }

    fn summary(id: i64) -> socmel_api_types::users::UserSummary {
        socmel_api_types::users::UserSummary {
            id: UserId(id),
            username: format!("user{id}"),
            display_name: None,
            pfp: None,
        }
    }

    fn dm(from: i64, to: i64) -> Arc<Message> {
        Arc::new(Message::Dm(DmMessage {
            id: MessageId(1),
            content: "hi".into(),
            sender_id: UserId(from),
            sender: summary(from),
            recipient_id: UserId(to),
            recipient: summary(to),
            timestamp: Timestamp::from_millis(0),
            is_read: false,
            parent_message_id: None,
            edited_at: None,
            attachments: Vec::new(),
        }))
    }

    /// A message from user 3 in room 1 of `space`.
    fn room_message(space: i64) -> Arc<Message> {
        Arc::new(Message::Room(socmel_api_types::messages::RoomMessage {
            id: MessageId(5),
            content: "yo".into(),
            sender_id: UserId(3),
            sender: summary(3),
            space_id: SpaceId(space),
            room_id: socmel_api_types::RoomId(1),
            timestamp: Timestamp::from_millis(0),
            parent_message_id: None,
            edited_at: None,
            attachments: Vec::new(),
        }))
    }

    #[test]
    fn seq_is_spliced_in_front() {
        assert_eq!(
            &*with_seq(7, r#"{"type":"pong"}"#),
            r#"{"seq":7,"type":"pong"}"#
        );
    }

    #[tokio::test]
    async fn every_connection_of_both_sides_gets_a_dm_with_its_own_seq() {
        let hub = Hub::new();
        let mut phone = connect(&hub, UserId(1), &[], &[], &[], None);
        let mut laptop = connect(&hub, UserId(1), &[], &[], &[], None);
        let mut bob = connect(&hub, UserId(2), &[], &[], &[], None);
        assert!(phone.came_online && !laptop.came_online);
        hub.route(&Event::MessageCreated(dm(1, 2)));
        for registration in [&mut phone, &mut laptop, &mut bob] {
            let text = registration.queue.try_recv().unwrap();
            let json: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert_eq!(
                (json["type"].as_str(), json["seq"].as_u64()),
                (Some("dm"), Some(1))
            );
        }
    }

    #[tokio::test]
    async fn room_messages_reach_online_space_members_only() {
        let hub = Hub::new();
        let mut member = connect(&hub, UserId(1), &[10], &[], &[], None);
        let mut outsider = connect(&hub, UserId(2), &[11], &[], &[], None);
        let room = room_message(10);
        hub.route(&Event::MessageCreated(room.clone()));
        assert!(
            member
                .queue
                .try_recv()
                .unwrap()
                .contains("\"type\":\"space\"")
        );
        assert!(outsider.queue.try_recv().is_err());
        // Removal takes effect at once.
        hub.route(&Event::Membership {
            scope: MembershipScope::Space,
            id: 10,
            user_id: UserId(1),
            change: MembershipChange::Removed,
        });
        assert!(member.queue.try_recv().unwrap().contains("membership"));
        hub.route(&Event::MessageCreated(room));
        assert!(member.queue.try_recv().is_err());
    }

    #[tokio::test]
    async fn resume_replays_what_was_missed_or_asks_for_a_resync() {
        let hub = Hub::new();
        let first = connect(&hub, UserId(1), &[], &[], &[], None);
        hub.route(&Event::MessageCreated(dm(2, 1)));
        hub.route(&Event::MessageCreated(dm(2, 1)));
        assert!(hub.disconnect(UserId(1), first.connection_id));
        hub.route(&Event::MessageCreated(dm(2, 1)));
        let resumed = connect(&hub, UserId(1), &[], &[], &[], Some(1));
        let replay = resumed.replay.unwrap();
        let seqs: Vec<u64> = replay
            .iter()
            .map(|t| {
                serde_json::from_str::<serde_json::Value>(t).unwrap()["seq"]
                    .as_u64()
                    .unwrap()
            })
            .collect();
        assert_eq!(seqs, [2, 3]);
        let from_the_future = connect(&hub, UserId(1), &[], &[], &[], Some(99));
        assert!(from_the_future.replay.is_none());
    }

    #[tokio::test]
    async fn room_messages_sent_while_a_member_is_away_are_replayed() {
        let hub = Hub::new();
        let first = connect(&hub, UserId(1), &[10], &[], &[], None);
        assert!(hub.disconnect(UserId(1), first.connection_id));
        hub.route(&Event::MessageCreated(room_message(10)));
        let resumed = connect(&hub, UserId(1), &[10], &[], &[], Some(0));
        let replay = resumed.replay.unwrap();
        assert_eq!(replay.len(), 1);
        assert!(replay[0].contains("\"type\":\"space\""), "{}", replay[0]);
    }

    #[tokio::test]
    async fn presence_skips_big_spaces_and_members_who_are_away() {
        let hub = Hub::new();
        let crowd_size = i64::try_from(PRESENCE_SPACE_LIMIT).unwrap() + 1;
        let _crowd: Vec<_> = (100..100 + crowd_size)
            .map(|user| connect(&hub, UserId(user), &[1], &[], &[], None))
            .collect();
        let away = connect(&hub, UserId(3), &[], &[7], &[], None);
        assert!(hub.disconnect(UserId(3), away.connection_id));
        let _friend = connect(&hub, UserId(2), &[], &[7], &[], None);
        let _me = connect(&hub, UserId(1), &[1], &[7], &[], None);
        assert_eq!(hub.presence_audience(UserId(1)), [UserId(2)]);
    }

    /// A socket that vanished ends its connection's task (closing its queue) before the
    /// hub hears of the disconnection: a message in between finds the queue closed.
    /// What the user's rooms say after that must still be kept for their resume.
    #[tokio::test]
    async fn a_member_whose_connection_closed_unannounced_still_gets_the_rest_replayed() {
        let hub = Hub::new();
        let gone = connect(&hub, UserId(1), &[10], &[], &[], None);
        let connection_id = gone.connection_id;
        drop(gone);
        hub.route(&Event::MessageCreated(room_message(10)));
        assert!(!hub.is_online(UserId(1)));
        hub.route(&Event::MessageCreated(room_message(10)));
        assert!(hub.disconnect(UserId(1), connection_id));
        hub.route(&Event::MessageCreated(room_message(10)));
        let resumed = connect(&hub, UserId(1), &[10], &[], &[], Some(0));
        assert_eq!(resumed.replay.unwrap().len(), 3);
    }

    fn membership(space: i64, user: i64, change: MembershipChange) -> Event {
        Event::Membership {
            scope: MembershipScope::Space,
            id: space,
            user_id: UserId(user),
            change,
        }
    }

    fn frames(registration: &mut Registration) -> Vec<String> {
        std::iter::from_fn(|| registration.queue.try_recv().ok())
            .map(|frame| frame.to_string())
            .collect()
    }

    /// A socket registers, then reads the user's memberships; changes committed while
    /// it reads reach the hub in between. Whichever way the read saw them, the
    /// connection ends up with the memberships as they are after the changes.
    #[tokio::test]
    async fn a_membership_change_between_registering_and_reading_is_not_missed() {
        let hub = Hub::new();
        let mut socket = hub.connect(UserId(1), session('A'), None);
        // Read before the ban committed (the read still lists space 10) and before
        // the join of space 11 committed (not listed): both events arrive meanwhile.
        hub.route(&membership(10, 1, MembershipChange::Banned));
        hub.route(&membership(11, 1, MembershipChange::Joined));
        hub.subscribe(UserId(1), socket.connection_id, &[10], &[], &[]);
        let _ = frames(&mut socket); // the two membership frames
        hub.route(&Event::MessageCreated(room_message(10)));
        hub.route(&Event::MessageCreated(room_message(11)));
        let got = frames(&mut socket);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].contains("\"space_id\":11"), "{got:?}");
    }

    #[tokio::test]
    async fn ending_a_session_closes_its_connections_only_after_telling_them() {
        let hub = Hub::new();
        let mut phone = hub.connect(UserId(1), session('A'), None);
        let mut laptop = hub.connect(UserId(1), session('B'), None);
        hub.route(&Event::SessionsEnded {
            user_id: UserId(1),
            session: Some(session('A')),
        });
        assert_eq!(frames(&mut phone), [r#"{"type":"session_revoked"}"#]);
        assert!(phone.queue.recv().await.is_none(), "the queue closes");
        assert!(phone.revoked.load(Ordering::Acquire));
        hub.route(&Event::MessageCreated(dm(2, 1)));
        assert_eq!(frames(&mut laptop).len(), 1);
        assert!(!laptop.revoked.load(Ordering::Acquire));
        hub.route(&Event::SessionsEnded {
            user_id: UserId(1),
            session: None,
        });
        assert_eq!(frames(&mut laptop), [r#"{"type":"session_revoked"}"#]);
        assert!(laptop.queue.recv().await.is_none());
        assert!(!hub.is_online(UserId(1)));
    }

    #[tokio::test]
    async fn a_read_is_told_to_the_readers_other_connections_only() {
        let hub = Hub::new();
        let mut phone = connect(&hub, UserId(1), &[], &[], &[], None);
        let mut laptop = connect(&hub, UserId(1), &[], &[], &[], None);
        let mut bob = connect(&hub, UserId(2), &[], &[], &[], None);
        hub.route(&Event::Read {
            reader_id: UserId(1),
            message: dm(2, 1),
            message_id: MessageId(1),
            from_connection: Some(phone.connection_id),
        });
        assert!(frames(&mut phone).is_empty());
        assert_eq!(frames(&mut laptop).len(), 1);
        assert_eq!(frames(&mut bob).len(), 1, "the other side of the DM");
    }

    #[tokio::test]
    async fn a_slow_consumer_is_dropped_not_buffered() {
        let hub = Hub::new();
        let slow = connect(&hub, UserId(1), &[], &[], &[], None);
        for _ in 0..=QUEUE_FRAMES {
            hub.route(&Event::MessageCreated(dm(2, 1)));
        }
        assert!(!hub.is_online(UserId(1)));
        drop(slow);
    }
}
