//! What the server says on the socket.

use socmel_client::types::{
    MessageId, UserId,
    conversations::Conversation,
    events::{MembershipChange, MembershipScope},
    frames::PresenceStatus,
    frames::ServerFrame,
    messages::Message,
};

use super::App;
use crate::{alert::Alert, cmd::Cmd, timeline::ChatMessage};

/// After an alert, further messages of the same conversation stay quiet this long.
const ALERT_QUIET: chrono::TimeDelta = chrono::TimeDelta::seconds(10);

impl App {
    pub(super) fn on_frame(&mut self, frame: ServerFrame, cmds: &mut Vec<Cmd>) {
        match frame {
            ServerFrame::Dm(m) => self.on_message(Message::Dm(m), cmds),
            ServerFrame::Group(m) => self.on_message(Message::Group(m), cmds),
            ServerFrame::Space(m) => self.on_message(Message::Room(m), cmds),
            ServerFrame::Ack(ack) => {
                let Some(client_id) = ack.client_id else {
                    return;
                };
                let Some(conversation) = self.in_flight.remove(&client_id) else {
                    return;
                };
                if let Some(timeline) = self.timelines.get_mut(&conversation) {
                    timeline.ack(&client_id, ack.id, ack.timestamp.0);
                    // What you wrote yourself is read.
                    if let Some(entry) = self.sidebar.get_mut(&conversation) {
                        entry.last_activity = Some(ack.timestamp.0);
                        entry.read_up_to = entry.read_up_to.max(Some(ack.id));
                        entry.counted_up_to = entry.counted_up_to.max(Some(ack.id));
                    }
                    self.dirty |= Some(conversation) == self.current;
                }
            }
            ServerFrame::Error(error) => {
                let refused = error.client_id.as_deref().and_then(|client_id| {
                    let conversation = self.in_flight.remove(client_id)?;
                    let timeline = self.timelines.get_mut(&conversation)?;
                    let echo = timeline.refuse(client_id)?;
                    Some((conversation, echo))
                });
                match refused {
                    Some((conversation, mut echo)) => {
                        // The refusal stays in the conversation, the text goes back to
                        // the composer (if it is free) so nothing typed is lost.
                        if self.current == Some(conversation) && self.composer.is_empty() {
                            self.composer.set_text(&echo.content);
                            self.composer.reply_to = echo.parent;
                        }
                        echo.delivery = crate::timeline::Delivery::Failed(error.detail.clone());
                        if let Some(timeline) = self.timelines.get_mut(&conversation) {
                            timeline.push_pending(echo);
                        }
                        self.dirty = true;
                    }
                    None => self.tell(error.detail, true),
                }
            }
            ServerFrame::Typing(typing) => {
                if let Some(id) = self.meet(typing.typer_id, &typing.typer) {
                    cmds.push(Cmd::LoadPeople(vec![id]));
                }
                let conversation = self.seen_by_me(typing.conversation, typing.typer_id);
                if typing.typer_id != self.me_id() {
                    self.typing_started(conversation, typing.typer_id);
                    self.dirty |= Some(conversation) == self.current;
                }
            }
            ServerFrame::Presence(presence) => {
                self.meet(presence.user_id, &presence.user);
                let changed = match presence.status {
                    PresenceStatus::Online => self.online.insert(presence.user_id),
                    PresenceStatus::Offline => self.online.remove(&presence.user_id),
                };
                self.dirty |= changed && self.show_members;
            }
            ServerFrame::Read(read) => {
                self.meet(read.reader_id, &read.reader);
                if read.reader_id == self.me_id() {
                    let conversation = read.conversation;
                    if let Some(entry) = self.sidebar.get_mut(&conversation) {
                        entry.read_up_to = entry.read_up_to.max(Some(read.message_id));
                        if entry.counted_up_to.is_none_or(|c| c <= read.message_id) {
                            entry.unread = 0;
                            entry.mention = false;
                        }
                        self.dirty = true;
                    }
                }
            }
            ServerFrame::MessageEdited(edited) => {
                let message = ChatMessage::from_api(&edited.message);
                let conversation = crate::timeline::conversation_of(&edited.message, self.me_id());
                if let (Some(id), Some(timeline)) =
                    (message.id, self.timelines.get_mut(&conversation))
                {
                    self.dirty |=
                        timeline.edit(id, message.content) && Some(conversation) == self.current;
                }
            }
            ServerFrame::MessageDeleted(deleted) => {
                self.on_deleted(deleted.conversation, deleted.id)
            }
            ServerFrame::Membership(update) => self.on_membership(update, cmds),
            ServerFrame::Resync(_) => self.resync(cmds),
            // The close that follows it ends the session (`net` reports it as revoked).
            ServerFrame::SessionRevoked(_) => {}
            ServerFrame::Notification(_) | ServerFrame::PostCreated(_) | ServerFrame::Pong(_) => {}
        }
    }

    fn on_message(&mut self, message: Message, cmds: &mut Vec<Cmd>) {
        let me = self.me_id();
        let sender = message.sender_id();
        let conversation = crate::timeline::conversation_of(&message, me);
        if let Some(id) = self.meet(sender, message.sender()) {
            cmds.push(Cmd::LoadPeople(vec![id]));
        }
        let known = self.sidebar.get(&conversation).is_some();
        if !known {
            // A new DM, or a group or room this client has not listed: names come with
            // the inbox.
            let name = match conversation {
                Conversation::Dm { user_id } => self.people.name(user_id).to_owned(),
                _ => String::new(),
            };
            self.sidebar.ensure(conversation, || name);
            if !matches!(conversation, Conversation::Dm { .. }) {
                cmds.push(Cmd::LoadInbox);
            } else if let Conversation::Dm { user_id } = conversation
                && self.people.should_ask(user_id)
            {
                cmds.push(Cmd::LoadPeople(vec![user_id]));
            }
        }
        if let Some(list) = self.typing.get_mut(&conversation) {
            list.retain(|(id, _)| *id != sender);
        }
        let chat = ChatMessage::from_api(&message);
        let id = message.id();
        let content = message.content().to_owned();
        let at = message.timestamp().0;
        let timeline = self.timelines.entry(conversation).or_default();
        let is_new = timeline.upsert(chat);
        // A conversation whose history is not loaded yet keeps what arrives; its first
        // page fills in the rest, deduplicated.
        let visible = Some(conversation) == self.current;
        self.dirty |= visible || self.show_sidebar;
        let mentions_me = self.mentions_me(&content);
        let Some(entry) = self.sidebar.get_mut(&conversation) else {
            return;
        };
        entry.last_activity = entry.last_activity.max(Some(at));
        let counted = entry.counted_up_to.is_some_and(|c| id <= c);
        if !is_new || sender == me || counted {
            return;
        }
        entry.counted_up_to = Some(id);
        entry.unread += 1;
        entry.mention |= mentions_me;
        if visible {
            self.mark_read(cmds);
        }
        self.alert(conversation, sender, &content, mentions_me, cmds);
    }

    /// A DM, a group message or a mention, new, while the person looks elsewhere (another
    /// conversation, or another window): ask for attention, at most once per
    /// conversation in `ALERT_QUIET` so a burst is one bell.
    fn alert(
        &mut self,
        conversation: Conversation,
        sender: UserId,
        content: &str,
        mentions_me: bool,
        cmds: &mut Vec<Cmd>,
    ) {
        let watching = self.current == Some(conversation) && self.focused;
        let personal = !matches!(conversation, Conversation::Room { .. });
        if watching || !(personal || mentions_me) {
            return;
        }
        let now = self.now;
        if self
            .alerted
            .get(&conversation)
            .is_some_and(|at| now - *at < ALERT_QUIET)
        {
            return;
        }
        self.alerted.insert(conversation, now);
        let who = self.people.name(sender).to_owned();
        let title = match conversation {
            Conversation::Dm { .. } => who,
            other => format!("{who} in {}", self.title_of(other)),
        };
        cmds.push(Cmd::Alert(Alert {
            title,
            body: content.to_owned(),
        }));
    }

    fn on_deleted(&mut self, conversation: Conversation, id: MessageId) {
        // A DM is named from one side; look on both.
        let me = self.me_id();
        let found = match conversation {
            Conversation::Dm { user_id } if user_id == me => self
                .timelines
                .iter()
                .find(|(c, t)| matches!(c, Conversation::Dm { .. }) && t.get(id).is_some())
                .map(|(c, _)| *c),
            other => Some(other),
        };
        if let Some(conversation) = found
            && let Some(timeline) = self.timelines.get_mut(&conversation)
        {
            self.dirty |= timeline.delete(id) && Some(conversation) == self.current;
        }
    }

    fn on_membership(
        &mut self,
        update: socmel_client::types::frames::MembershipUpdate,
        cmds: &mut Vec<Cmd>,
    ) {
        self.meet(update.user_id, &update.user);
        let gone = matches!(
            update.change,
            MembershipChange::Left
                | MembershipChange::Removed
                | MembershipChange::Banned
                | MembershipChange::Deleted
        );
        let mine = update.user_id == self.me_id() || update.change == MembershipChange::Deleted;
        match (update.scope, mine, gone) {
            (MembershipScope::Space, true, true) => {
                let space = socmel_client::types::SpaceId(update.id);
                let name = self
                    .sidebar
                    .space_name(space)
                    .unwrap_or_default()
                    .to_owned();
                let current_gone = matches!(self.current, Some(Conversation::Room { space_id, .. }) if space_id == space);
                self.sidebar.remove_space(space);
                self.timelines.retain(
                    |c, _| !matches!(c, Conversation::Room { space_id, .. } if *space_id == space),
                );
                if current_gone {
                    self.current = None;
                    self.composer.reset();
                }
                self.tell(format!("you are no longer in the space {name}"), false);
            }
            (MembershipScope::Group, true, true) => {
                let conversation = Conversation::Group {
                    group_id: socmel_client::types::GroupId(update.id),
                };
                let name = self
                    .sidebar
                    .get(&conversation)
                    .map(|e| e.name.clone())
                    .unwrap_or_default();
                self.forget(conversation);
                self.tell(format!("you are no longer in the group {name}"), false);
            }
            (_, true, false) => {
                // Joined from elsewhere: list the new rooms or group.
                cmds.push(Cmd::LoadInbox);
                self.dirty = true;
            }
            (_, false, _) => {
                if let Some(current) = self.current
                    && self.show_members
                    && concerns(current, update.scope, update.id)
                {
                    cmds.push(Cmd::LoadMembers(current));
                }
            }
        }
    }

    /// Events were missed beyond what the server keeps: reload the sidebar and the
    /// loaded conversations (deduplicated against what is shown).
    fn resync(&mut self, cmds: &mut Vec<Cmd>) {
        cmds.push(Cmd::LoadInbox);
        for (conversation, timeline) in &mut self.timelines {
            if timeline.backfill != crate::timeline::Backfill::NotLoaded {
                cmds.push(Cmd::LoadHistory {
                    conversation: *conversation,
                    before: None,
                });
            }
        }
        self.dirty = true;
    }

    /// A DM frame names the conversation from the sender's side; turn it to ours.
    fn seen_by_me(&self, conversation: Conversation, other: UserId) -> Conversation {
        match conversation {
            Conversation::Dm { user_id } if user_id == self.me_id() => {
                Conversation::Dm { user_id: other }
            }
            other => other,
        }
    }
}

/// Whether a membership change of `scope`/`id` concerns `conversation`'s member list.
fn concerns(conversation: Conversation, scope: MembershipScope, id: i64) -> bool {
    match (conversation, scope) {
        (Conversation::Room { space_id, .. }, MembershipScope::Space) => space_id.0 == id,
        (Conversation::Group { group_id }, MembershipScope::Group) => group_id.0 == id,
        _ => false,
    }
}
