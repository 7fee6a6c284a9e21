//! Routing: which connections each event of the bus reaches, as which frame.

use super::*;

impl Hub {
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
                reader,
                message,
                message_id,
                from_connection,
            } => {
                let mut audience = vec![reader.id];
                if let Message::Dm(dm) = message.as_ref() {
                    let other = if dm.sender_id == reader.id {
                        dm.recipient_id
                    } else {
                        dm.sender_id
                    };
                    audience.push(other);
                }
                for viewer in audience {
                    let frame = ServerFrame::Read(ReadReceipt {
                        conversation: conversation_of(message, viewer),
                        reader_id: reader.id,
                        reader: reader.clone(),
                        message_id: *message_id,
                    });
                    // The connection the read came from knows already: the reader's
                    // other connections are told (it is still logged for resume).
                    let skip = from_connection.filter(|_| viewer == reader.id);
                    self.send_durable_except(&[viewer], &frame, skip);
                }
            }
            Event::SessionsEnded { user_id, session } => self.end_sessions(*user_id, *session),
            Event::Membership {
                scope,
                id,
                user,
                change,
            } => {
                self.apply_membership(*scope, *id, user, *change);
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

    pub(super) fn fan_out_message(&self, message: &Message, frame: impl Fn(UserId) -> ServerFrame) {
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

    pub(super) fn topic_members(&self, topic: Topic) -> Vec<UserId> {
        self.state()
            .topics
            .get(&topic)
            .map(|members| members.iter().copied().collect())
            .unwrap_or_default()
    }

    /// Keeps live connections' memberships current and tells the people concerned.
    pub(super) fn apply_membership(
        &self,
        scope: MembershipScope,
        id: i64,
        person: &UserSummary,
        change: MembershipChange,
    ) {
        let user = person.id;
        let topic = match scope {
            MembershipScope::Space => Topic::Space(id),
            MembershipScope::Group => Topic::Group(id),
        };
        let frame = ServerFrame::Membership(MembershipUpdate {
            scope,
            id,
            user_id: user,
            user: person.clone(),
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
}

/// The message frame upstream clients expect: `dm`, `group` or `space`.
pub(super) fn frame_for(message: &Message) -> ServerFrame {
    match message {
        Message::Dm(dm) => ServerFrame::Dm(dm.clone()),
        Message::Group(group) => ServerFrame::Group(group.clone()),
        Message::Room(room) => ServerFrame::Space(room.clone()),
    }
}

/// The conversation of `message` as `viewer` names it.
pub(super) fn conversation_of(message: &Message, viewer: UserId) -> Conversation {
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
