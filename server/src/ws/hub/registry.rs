//! Who is online, on which connections, in which spaces and groups: connecting,
//! subscribing, ending sessions, disconnecting, and who hears of whose presence.

use super::*;

impl Hub {
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
}
