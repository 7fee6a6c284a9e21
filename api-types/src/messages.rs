//! Messages (DMs, group chats, rooms), the inbox and read marks. The socket's frames
//! are in [`crate::frames`].
//!
//! Message shapes are upstream's (`DmMessageDisplay`, `GroupMesssageDisplay`,
//! `RoomMessageDisplay`) with fields added only.

use serde::{Deserialize, Serialize};

pub use crate::conversations::{Conversation, ConversationKind, ConversationRef};
use crate::{
    AttachmentId, GroupId, MessageId, RoomId, SpaceId, Timestamp, UserId, users::UserSummary,
};

/// An image attached to a message: upload it first (`POST /messages/attachments/`), then
/// name its id in the send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct MessageAttachment {
    /// The attachment's id, as named in the send.
    pub id: AttachmentId,
    /// Where to fetch it.
    pub file: String,
}

/// A direct message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct DmMessage {
    /// The message's id; ids grow with time, so they order a conversation.
    pub id: MessageId,
    /// The text, 1 to 4000 characters.
    pub content: String,
    /// The sender's id.
    pub sender_id: UserId,
    /// Who sent it: the sender as every payload names a person.
    pub sender: UserSummary,
    /// The recipient's id.
    pub recipient_id: UserId,
    /// Who it was sent to, as every payload names a person.
    #[serde(default)]
    pub recipient: UserSummary,
    /// When the message was sent.
    pub timestamp: Timestamp,
    /// Whether the recipient has read it.
    pub is_read: bool,
    /// The message this one replies to, if any.
    pub parent_message_id: Option<MessageId>,
    /// When the message was last edited; `null` if never.
    #[serde(default)]
    pub edited_at: Option<Timestamp>,
    /// Images attached to the message.
    #[serde(default)]
    pub attachments: Vec<MessageAttachment>,
}

/// A group-chat message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct GroupMessage {
    /// The message's id; ids grow with time, so they order a conversation.
    pub id: MessageId,
    /// The text, 1 to 4000 characters.
    pub content: String,
    /// The sender's id.
    pub sender_id: UserId,
    /// Who sent it: the sender as every payload names a person.
    pub sender: UserSummary,
    /// The group chat it was sent to.
    pub group_chat_id: GroupId,
    /// When the message was sent.
    pub timestamp: Timestamp,
    /// The message this one replies to, if any.
    pub parent_message_id: Option<MessageId>,
    /// When the message was last edited; `null` if never.
    #[serde(default)]
    pub edited_at: Option<Timestamp>,
    /// Images attached to the message.
    #[serde(default)]
    pub attachments: Vec<MessageAttachment>,
}

/// A message in a space's room.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct RoomMessage {
    /// The message's id; ids grow with time, so they order a conversation.
    pub id: MessageId,
    /// The text, 1 to 4000 characters.
    pub content: String,
    /// The sender's id.
    pub sender_id: UserId,
    /// Who sent it: the sender as every payload names a person.
    pub sender: UserSummary,
    /// The space of the room.
    pub space_id: SpaceId,
    /// The room it was sent to.
    pub room_id: RoomId,
    /// When the message was sent.
    pub timestamp: Timestamp,
    /// The message this one replies to, if any.
    pub parent_message_id: Option<MessageId>,
    /// When the message was last edited; `null` if never.
    #[serde(default)]
    pub edited_at: Option<Timestamp>,
    /// Images attached to the message.
    #[serde(default)]
    pub attachments: Vec<MessageAttachment>,
}

/// Any message, tagged with its kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Union))]
#[cfg_attr(
    feature = "openapi",
    oai(discriminator_name = "kind", rename_all = "snake_case")
)]
pub enum Message {
    /// A direct message.
    Dm(DmMessage),
    /// A group-chat message.
    Group(GroupMessage),
    /// A room message.
    Room(RoomMessage),
}

impl Message {
    /// The message's id, whatever its kind.
    pub fn id(&self) -> MessageId {
        match self {
            Self::Dm(m) => m.id,
            Self::Group(m) => m.id,
            Self::Room(m) => m.id,
        }
    }

    /// The sender's id, whatever the kind.
    pub fn sender_id(&self) -> UserId {
        match self {
            Self::Dm(m) => m.sender_id,
            Self::Group(m) => m.sender_id,
            Self::Room(m) => m.sender_id,
        }
    }

    /// The sender, whatever the kind.
    pub fn sender(&self) -> &UserSummary {
        match self {
            Self::Dm(m) => &m.sender,
            Self::Group(m) => &m.sender,
            Self::Room(m) => &m.sender,
        }
    }

    /// The text, whatever the kind.
    pub fn content(&self) -> &str {
        match self {
            Self::Dm(m) => &m.content,
            Self::Group(m) => &m.content,
            Self::Room(m) => &m.content,
        }
    }

    /// When the message was sent, whatever its kind.
    pub fn timestamp(&self) -> Timestamp {
        match self {
            Self::Dm(m) => m.timestamp,
            Self::Group(m) => m.timestamp,
            Self::Room(m) => m.timestamp,
        }
    }
}

/// `POST /messages/read/` and the socket's `read` frame: mark a conversation read up
/// to a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct MarkRead {
    /// The conversation, flattened into the body (`kind` and its ids).
    #[serde(flatten)]
    #[cfg_attr(feature = "openapi", oai(flatten))]
    pub conversation: Conversation,
    /// The last message read; every message up to it counts as read.
    pub message_id: MessageId,
}

/// One line of the inbox (`GET /messages/conversations/`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct InboxEntry {
    /// The conversation, flattened into the line (`kind` and its ids).
    #[serde(flatten)]
    #[cfg_attr(feature = "openapi", oai(flatten))]
    pub conversation: Conversation,
    /// The other person's username, the group's name, or `space / room`.
    pub name: String,
    /// For a DM, the other person as every payload names someone; `null` for groups
    /// and rooms.
    #[serde(default)]
    pub other: Option<UserSummary>,
    /// The newest message; `null` when there is none yet.
    pub last_message: Option<Message>,
    /// Messages from others after the caller's read mark.
    pub unread_count: i64,
    /// When the last message was sent; for a conversation without messages yet, when
    /// the caller joined it (a group, or a room: the later of joining its space and
    /// the room's creation). The inbox is sorted by it, newest first.
    pub last_activity: Timestamp,
}

/// `POST /messages/send/`: the REST twin of the socket's `dm`/`group`/`space` frames.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct SendMessage {
    /// Where to send, flattened into the body (`kind` and its ids).
    #[serde(flatten)]
    #[cfg_attr(feature = "openapi", oai(flatten))]
    pub conversation: Conversation,
    /// 1 to 4000 characters.
    pub message: String,
    /// The message this one replies to, in the same conversation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub parent_id: Option<MessageId>,
    /// Uploaded attachments to carry (at most 10).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "openapi", oai(default, skip_serializing_if_is_empty))]
    pub attachment_ids: Vec<AttachmentId>,
}

impl SendMessage {
    /// A plain message to `conversation`: no reply, no attachments.
    pub fn text(conversation: Conversation, message: impl Into<String>) -> Self {
        Self {
            conversation,
            message: message.into(),
            parent_id: None,
            attachment_ids: Vec::new(),
        }
    }
}

/// `PUT /messages/{kind}/{message_id}/`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct EditMessage {
    /// The new text, 1 to 4000 characters.
    pub content: String,
}
