//! One conversation's messages as the app knows them: confirmed messages ordered and
//! deduplicated by id (live frames, history pages and resume replays may all bring the
//! same message), then the local echoes of what the user is sending, in the order typed.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use socmel_client::types::{
    MessageId, UserId,
    conversations::Conversation,
    messages::{Message, MessageAttachment},
};

/// Where a message the user wrote stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// Stored by the server.
    Sent,
    /// Waiting for a connection to be sent.
    Queued,
    /// Written to the socket; the server's `ack` has not come yet.
    Sending,
    /// Written to a socket that dropped before the `ack`: whether the server stored it is
    /// found out from history after reconnecting (resent only if it is not there).
    Unconfirmed,
    /// Refused, with the server's reason; the text is back in the composer.
    Failed(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatMessage {
    /// `None` until the server stored it.
    pub id: Option<MessageId>,
    /// Ties a local echo to the `ack` or `error` that answers it.
    pub client_id: Option<String>,
    pub sender: UserId,
    pub content: String,
    pub at: DateTime<Utc>,
    pub parent: Option<MessageId>,
    pub edited: bool,
    pub attachments: Vec<String>,
    pub delivery: Delivery,
}

impl ChatMessage {
    pub fn from_api(message: &Message) -> Self {
        let (parent, edited, attachments) = match message {
            Message::Dm(m) => (m.parent_message_id, m.edited_at.is_some(), &m.attachments),
            Message::Group(m) => (m.parent_message_id, m.edited_at.is_some(), &m.attachments),
            Message::Room(m) => (m.parent_message_id, m.edited_at.is_some(), &m.attachments),
        };
        Self {
            id: Some(message.id()),
            client_id: None,
            sender: message.sender_id(),
            content: message.content().to_owned(),
            at: message.timestamp().0,
            parent,
            edited,
            attachments: attachments.iter().map(attachment_link).collect(),
            delivery: Delivery::Sent,
        }
    }
}

fn attachment_link(attachment: &MessageAttachment) -> String {
    attachment.file.clone()
}

/// The conversation a message belongs to, as seen by `me` (a DM is named by the other person).
pub fn conversation_of(message: &Message, me: UserId) -> Conversation {
    match message {
        Message::Dm(m) => Conversation::Dm {
            user_id: if m.sender_id == me {
                m.recipient_id
            } else {
                m.sender_id
            },
        },
        Message::Group(m) => Conversation::Group {
            group_id: m.group_chat_id,
        },
        Message::Room(m) => Conversation::Room {
            space_id: m.space_id,
            room_id: m.room_id,
        },
    }
}

/// How far back history has been read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Backfill {
    /// Nothing read yet.
    #[default]
    NotLoaded,
    /// A page is on its way.
    Loading,
    /// More may be older than what is loaded.
    More,
    /// The first message of the conversation is loaded.
    Complete,
}

#[derive(Debug, Default)]
pub struct Timeline {
    confirmed: BTreeMap<MessageId, ChatMessage>,
    pending: Vec<ChatMessage>,
    pub backfill: Backfill,
    /// The first message that was unread when the conversation was opened.
    pub new_marker: Option<MessageId>,
    /// Lines scrolled up from the bottom (0: following the newest message).
    pub scroll: usize,
    /// The message picked for reply, edit, delete or open.
    pub selected: Option<MessageId>,
    /// How many were unread when the conversation was opened before its history came:
    /// the first page places the "new messages" line from it.
    pub unread_at_open: u32,
}

impl Timeline {
    /// Adds or updates a stored message; `true` when it was not known before. A local
    /// echo with the same id (its ack came first) is dropped.
    pub fn upsert(&mut self, message: ChatMessage) -> bool {
        let Some(id) = message.id else {
            return false;
        };
        self.pending.retain(|echo| echo.id != Some(id));
        match self.confirmed.get_mut(&id) {
            Some(known) => {
                known.content = message.content;
                known.edited |= message.edited;
                known.attachments = message.attachments;
                false
            }
            None => {
                // The stored copy of a message still waiting for its ack (history or
                // another connection can be quicker than the ack): the oldest echo with
                // the same text stands for it, so it never shows twice. Sends are stored
                // in the order they were written, so the oldest one is the right one.
                if let Some(index) = self.pending.iter().position(|echo| {
                    matches!(echo.delivery, Delivery::Sending | Delivery::Unconfirmed)
                        && echo.sender == message.sender
                        && echo.content == message.content
                        && echo.parent == message.parent
                }) {
                    self.pending.remove(index);
                }
                self.confirmed.insert(id, message);
                true
            }
        }
    }

    /// Adds a page of history (oldest first); answers how many were new.
    pub fn add_history(&mut self, page: Vec<ChatMessage>, complete: bool) -> usize {
        let added = page
            .into_iter()
            .map(|message| usize::from(self.upsert(message)))
            .sum();
        self.backfill = if complete {
            Backfill::Complete
        } else {
            Backfill::More
        };
        added
    }

    /// A local echo of a message being sent.
    pub fn push_pending(&mut self, message: ChatMessage) {
        self.pending.push(message);
    }

    /// The server stored the message sent as `client_id`: the echo becomes the message.
    /// `false` when no echo had that id.
    pub fn ack(&mut self, client_id: &str, id: MessageId, at: DateTime<Utc>) -> bool {
        let Some(index) = self
            .pending
            .iter()
            .position(|echo| echo.client_id.as_deref() == Some(client_id))
        else {
            return false;
        };
        let mut message = self.pending.remove(index);
        if self.confirmed.contains_key(&id) {
            return true; // its copy arrived before the ack
        }
        message.id = Some(id);
        message.at = at;
        message.delivery = Delivery::Sent;
        self.confirmed.insert(id, message);
        true
    }

    /// The server refused the message sent as `client_id`: the echo is removed and
    /// handed back (its text goes back to the composer).
    pub fn refuse(&mut self, client_id: &str) -> Option<ChatMessage> {
        let index = self
            .pending
            .iter()
            .position(|echo| echo.client_id.as_deref() == Some(client_id))?;
        Some(self.pending.remove(index))
    }

    pub fn pending(&self) -> &[ChatMessage] {
        &self.pending
    }

    pub fn pending_mut(&mut self) -> impl Iterator<Item = &mut ChatMessage> {
        self.pending.iter_mut()
    }

    /// Echoes sent on a socket that dropped before their ack, which history (just
    /// loaded) shows were stored after all: they become the stored message. Answers the
    /// client ids of the echoes that are still unconfirmed, to be sent again.
    pub fn reconcile_unconfirmed(&mut self, me: UserId) -> Vec<String> {
        let mut resend = Vec::new();
        let mut index = 0;
        while index < self.pending.len() {
            let echo = &self.pending[index];
            if echo.delivery != Delivery::Unconfirmed {
                index += 1;
                continue;
            }
            let stored = self.confirmed.values().rev().take(200).any(|known| {
                known.sender == me
                    && known.content == echo.content
                    && known.parent == echo.parent
                    && known.at >= echo.at - chrono::Duration::minutes(5)
            });
            if stored {
                self.pending.remove(index);
            } else {
                resend.extend(echo.client_id.clone());
                index += 1;
            }
        }
        resend
    }

    pub fn edit(&mut self, id: MessageId, content: String) -> bool {
        match self.confirmed.get_mut(&id) {
            Some(known) => {
                known.content = content;
                known.edited = true;
                true
            }
            None => false,
        }
    }

    pub fn delete(&mut self, id: MessageId) -> bool {
        if self.selected == Some(id) {
            self.selected = None;
        }
        if self.new_marker == Some(id) {
            self.new_marker = self.confirmed.range(id..).nth(1).map(|(id, _)| *id);
        }
        self.confirmed.remove(&id).is_some()
    }

    pub fn get(&self, id: MessageId) -> Option<&ChatMessage> {
        self.confirmed.get(&id)
    }

    /// Every message, oldest first: stored ones, then local echoes.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &ChatMessage> {
        self.confirmed.values().chain(self.pending.iter())
    }

    pub fn len(&self) -> usize {
        self.confirmed.len() + self.pending.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn oldest_id(&self) -> Option<MessageId> {
        self.confirmed.keys().next().copied()
    }

    pub fn newest_id(&self) -> Option<MessageId> {
        self.confirmed.keys().next_back().copied()
    }

    /// The newest stored message written by `me` (Up edits it).
    pub fn last_by(&self, me: UserId) -> Option<&ChatMessage> {
        self.confirmed.values().rev().find(|m| m.sender == me)
    }

    /// The `count`-th newest stored message (1 is the newest): where the "new messages"
    /// line goes when `count` are unread.
    pub fn nth_newest(&self, count: usize) -> Option<MessageId> {
        count
            .checked_sub(1)
            .and_then(|skip| self.confirmed.keys().rev().nth(skip))
            .copied()
    }

    /// The stored message just older (`older`) or newer than `from`; from nothing, the
    /// newest.
    pub fn step(&self, from: Option<MessageId>, older: bool) -> Option<MessageId> {
        match from {
            None => self.newest_id(),
            Some(id) if older => self.confirmed.range(..id).next_back().map(|(id, _)| *id),
            Some(id) => self
                .confirmed
                .range(id..)
                .nth(1)
                .map(|(id, _)| *id)
                .or(Some(id)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(id: i64, sender: i64, content: &str) -> ChatMessage {
        ChatMessage {
            id: Some(MessageId(id)),
            client_id: None,
            sender: UserId(sender),
            content: content.into(),
            at: DateTime::from_timestamp(1_700_000_000 + id, 0).unwrap(),
            parent: None,
            edited: false,
            attachments: Vec::new(),
            delivery: Delivery::Sent,
        }
    }

    fn echo(client_id: &str, content: &str, delivery: Delivery) -> ChatMessage {
        ChatMessage {
            id: None,
            client_id: Some(client_id.into()),
            delivery,
            ..message(0, 1, content)
        }
    }

    fn ids(timeline: &Timeline) -> Vec<Option<i64>> {
        timeline.iter().map(|m| m.id.map(|id| id.0)).collect()
    }

    #[test]
    fn the_same_message_from_live_history_and_replay_is_kept_once_in_order() {
        let mut timeline = Timeline::default();
        assert!(timeline.upsert(message(5, 2, "live")));
        assert!(!timeline.upsert(message(5, 2, "live")));
        let added = timeline.add_history(
            vec![
                message(3, 2, "a"),
                message(4, 1, "b"),
                message(5, 2, "live"),
            ],
            false,
        );
        assert_eq!(added, 2);
        timeline.upsert(message(6, 2, "replayed"));
        timeline.upsert(message(6, 2, "replayed"));
        assert_eq!(ids(&timeline), [Some(3), Some(4), Some(5), Some(6)]);
        assert_eq!(timeline.backfill, Backfill::More);
        timeline.add_history(vec![message(1, 2, "first")], true);
        assert_eq!(timeline.oldest_id(), Some(MessageId(1)));
        assert_eq!(timeline.backfill, Backfill::Complete);
    }

    #[test]
    fn an_ack_turns_the_echo_into_the_message_and_a_copy_first_is_not_doubled() {
        let mut timeline = Timeline::default();
        timeline.push_pending(echo("c1", "hello", Delivery::Sending));
        timeline.push_pending(echo("c2", "again", Delivery::Sending));
        assert_eq!(ids(&timeline), [None, None]);
        let at = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        assert!(timeline.ack("c1", MessageId(10), at));
        assert_eq!(ids(&timeline), [Some(10), None]);
        assert_eq!(timeline.get(MessageId(10)).unwrap().at, at);
        // The copy of c2 arrives (another connection's view) before c2's ack.
        timeline.upsert(message(11, 1, "again"));
        assert!(
            !timeline.ack("c2", MessageId(11), at),
            "the copy already stood in"
        );
        assert_eq!(ids(&timeline), [Some(10), Some(11)]);
        assert!(!timeline.ack("unknown", MessageId(12), at));
    }

    #[test]
    fn a_stored_copy_before_the_ack_replaces_the_oldest_matching_echo() {
        let mut timeline = Timeline::default();
        timeline.push_pending(echo("c1", "ok", Delivery::Sending));
        timeline.push_pending(echo("c2", "ok", Delivery::Sending));
        timeline.push_pending(echo("c3", "other", Delivery::Queued));
        // History shows the first "ok" stored before its ack came.
        timeline.add_history(vec![message(7, 1, "ok")], true);
        assert_eq!(ids(&timeline), [Some(7), None, None]);
        let at = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        assert!(
            !timeline.ack("c1", MessageId(7), at),
            "its echo is already gone"
        );
        assert!(timeline.ack("c2", MessageId(8), at));
        assert_eq!(ids(&timeline), [Some(7), Some(8), None]);
        // Someone else's identical text is not mistaken for an echo.
        timeline.push_pending(echo("c4", "same", Delivery::Sending));
        timeline.upsert(message(9, 2, "same"));
        assert_eq!(timeline.pending().len(), 2);
    }

    #[test]
    fn a_refused_echo_is_handed_back() {
        let mut timeline = Timeline::default();
        timeline.push_pending(echo("c1", "too long", Delivery::Sending));
        let back = timeline.refuse("c1").unwrap();
        assert_eq!(back.content, "too long");
        assert!(timeline.is_empty());
        assert!(timeline.refuse("c1").is_none());
    }

    #[test]
    fn unconfirmed_echoes_found_in_history_are_not_sent_twice() {
        let mut timeline = Timeline::default();
        let stored = echo("c1", "made it", Delivery::Unconfirmed);
        let lost = echo("c2", "lost", Delivery::Unconfirmed);
        timeline.push_pending(stored.clone());
        timeline.push_pending(lost);
        timeline.add_history(
            vec![ChatMessage {
                at: stored.at,
                ..message(7, 1, "made it")
            }],
            true,
        );
        assert_eq!(timeline.reconcile_unconfirmed(UserId(1)), ["c2"]);
        assert_eq!(ids(&timeline), [Some(7), None]);
    }

    #[test]
    fn edits_and_deletions_apply_to_loaded_messages() {
        let mut timeline = Timeline::default();
        timeline.add_history(vec![message(1, 2, "a"), message(2, 2, "b")], true);
        timeline.new_marker = Some(MessageId(1));
        timeline.selected = Some(MessageId(1));
        assert!(timeline.edit(MessageId(2), "b2".into()));
        assert!(timeline.get(MessageId(2)).unwrap().edited);
        assert!(!timeline.edit(MessageId(9), "x".into()));
        assert!(timeline.delete(MessageId(1)));
        assert_eq!(timeline.new_marker, Some(MessageId(2)));
        assert_eq!(timeline.selected, None);
        assert!(!timeline.delete(MessageId(1)));
        assert_eq!(ids(&timeline), [Some(2)]);
    }

    #[test]
    fn stepping_and_markers() {
        let mut timeline = Timeline::default();
        timeline.add_history((1..=5).map(|i| message(i, 2, "m")).collect(), true);
        assert_eq!(timeline.step(None, true), Some(MessageId(5)));
        assert_eq!(timeline.step(Some(MessageId(5)), true), Some(MessageId(4)));
        assert_eq!(timeline.step(Some(MessageId(1)), true), None);
        assert_eq!(timeline.step(Some(MessageId(5)), false), Some(MessageId(5)));
        assert_eq!(timeline.nth_newest(2), Some(MessageId(4)));
        assert_eq!(timeline.nth_newest(0), None);
        assert_eq!(timeline.nth_newest(9), None);
        timeline.upsert(message(6, 1, "mine"));
        assert_eq!(timeline.last_by(UserId(1)).unwrap().id, Some(MessageId(6)));
    }
}
