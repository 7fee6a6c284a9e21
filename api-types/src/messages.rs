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
    pub id: AttachmentId,
    /// Where to fetch it.
    pub file: String,
}

/// A direct message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct DmMessage {
    pub id: MessageId,
    pub content: String,
    pub sender_id: UserId,
    /// Who sent it: the sender as every payload names a person.
    pub sender: UserSummary,
    pub recipient_id: UserId,
    /// Who it was sent to, as every payload names a person.
    #[serde(default)]
    pub recipient: UserSummary,
    pub timestamp: Timestamp,
    /// Whether the recipient has read it.
    pub is_read: bool,
    pub parent_message_id: Option<MessageId>,
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
    pub id: MessageId,
    pub content: String,
    pub sender_id: UserId,
    /// Who sent it: the sender as every payload names a person.
    pub sender: UserSummary,
    pub group_chat_id: GroupId,
    pub timestamp: Timestamp,
    pub parent_message_id: Option<MessageId>,
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
    pub id: MessageId,
    pub content: String,
    pub sender_id: UserId,
    /// Who sent it: the sender as every payload names a person.
    pub sender: UserSummary,
    pub space_id: SpaceId,
    pub room_id: RoomId,
    pub timestamp: Timestamp,
    pub parent_message_id: Option<MessageId>,
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
    Dm(DmMessage),
    Group(GroupMessage),
    Room(RoomMessage),
}

impl Message {
    pub fn id(&self) -> MessageId {
        match self {
            Self::Dm(m) => m.id,
            Self::Group(m) => m.id,
            Self::Room(m) => m.id,
        }
    }

    pub fn sender_id(&self) -> UserId {
        match self {
            Self::Dm(m) => m.sender_id,
            Self::Group(m) => m.sender_id,
            Self::Room(m) => m.sender_id,
        }
    }

    pub fn sender(&self) -> &UserSummary {
        match self {
            Self::Dm(m) => &m.sender,
            Self::Group(m) => &m.sender,
            Self::Room(m) => &m.sender,
        }
    }

    pub fn content(&self) -> &str {
        match self {
            Self::Dm(m) => &m.content,
            Self::Group(m) => &m.content,
            Self::Room(m) => &m.content,
        }
    }

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
    #[serde(flatten)]
    #[cfg_attr(feature = "openapi", oai(flatten))]
    pub conversation: Conversation,
    pub message_id: MessageId,
}

/// One line of the inbox (`GET /messages/conversations/`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct InboxEntry {
    #[serde(flatten)]
    #[cfg_attr(feature = "openapi", oai(flatten))]
    pub conversation: Conversation,
    /// The other person's username, the group's name, or `space / room`.
    pub name: String,
    /// For a DM, the other person as every payload names someone; `null` for groups
    /// and rooms.
    #[serde(default)]
    pub other: Option<UserSummary>,
    pub last_message: Option<Message>,
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
    #[serde(flatten)]
    #[cfg_attr(feature = "openapi", oai(flatten))]
    pub conversation: Conversation,
    /// 1 to 4000 characters.
    pub message: String,
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
    pub content: String,
}
