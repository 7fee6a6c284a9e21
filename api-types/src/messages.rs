//! Messages (DMs, group chats, rooms), conversations, and the `/messages/ws` frames.
//!
//! Message shapes are upstream's (`DmMessageDisplay`, `GroupMesssageDisplay`,
//! `RoomMessageDisplay`) with fields added only. On the socket every frame carries a
//! `type`; durable frames (messages, `read`, edits, deletions, `membership`) also carry
//! the receiving user's `seq`, which a reconnecting client passes back as `since`.

use serde::{Deserialize, Serialize};

use crate::{
    AttachmentId, GroupId, MessageId, RoomId, SpaceId, Timestamp, UserId,
    events::{MembershipChange, MembershipScope},
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
    pub recipient_id: UserId,
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

/// A conversation, named the same way everywhere: for a DM, `user_id` is the other
/// person as seen by whoever reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Conversation {
    Dm { user_id: UserId },
    Group { group_id: GroupId },
    Room { space_id: SpaceId, room_id: RoomId },
}

/// `POST /messages/read/`: mark a conversation read up to a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct MarkRead {
    /// `dm`, `group` or `room`.
    pub kind: ConversationKind,
    /// For `dm`: the other person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub user_id: Option<UserId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub group_id: Option<GroupId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub space_id: Option<SpaceId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub room_id: Option<RoomId>,
    pub message_id: MessageId,
}

/// The three kinds of conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
pub enum ConversationKind {
    Dm,
    Group,
    Room,
}

/// One line of the inbox (`GET /messages/conversations/`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct InboxEntry {
    pub kind: ConversationKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub user_id: Option<UserId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub group_id: Option<GroupId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub space_id: Option<SpaceId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub room_id: Option<RoomId>,
    /// The other person's username, the group's name, or `space / room`.
    pub name: String,
    pub last_message: Option<Message>,
    pub unread_count: i64,
    pub last_activity: Option<Timestamp>,
}

/// `POST /messages/send/`: the REST twin of the socket's `dm`/`group`/`space` frames.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct SendMessage {
    pub kind: ConversationKind,
    /// For `dm`: the receiver.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub user_id: Option<UserId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub group_id: Option<GroupId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub space_id: Option<SpaceId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub room_id: Option<RoomId>,
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

/// `PUT /messages/{kind}/{message_id}/`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct EditMessage {
    pub content: String,
}

/// What a client sends on `/messages/ws`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientFrame {
    Dm {
        receiver_id: UserId,
        message: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        parent_id: Option<MessageId>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        client_id: Option<String>,
        /// Uploaded attachments to carry (at most 10).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        attachment_ids: Vec<AttachmentId>,
    },
    Group {
        group_id: GroupId,
        message: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        parent_id: Option<MessageId>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        client_id: Option<String>,
        /// Uploaded attachments to carry (at most 10).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        attachment_ids: Vec<AttachmentId>,
    },
    Space {
        space_id: SpaceId,
        room_id: RoomId,
        message: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        parent_id: Option<MessageId>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        client_id: Option<String>,
        /// Uploaded attachments to carry (at most 10).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        attachment_ids: Vec<AttachmentId>,
    },
    Typing {
        #[serde(flatten)]
        conversation: Conversation,
    },
    Read {
        #[serde(flatten)]
        conversation: Conversation,
        message_id: MessageId,
    },
    Ping,
}

/// Online or offline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PresenceStatus {
    Online,
    Offline,
}

/// What the server sends on `/messages/ws`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerFrame {
    Dm(DmMessage),
    Group(GroupMessage),
    Space(RoomMessage),
    /// Your message was stored.
    Ack {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        client_id: Option<String>,
        id: MessageId,
        timestamp: Timestamp,
    },
    /// A frame was refused; the connection stays open.
    Error {
        code: crate::ErrorCode,
        detail: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        client_id: Option<String>,
    },
    Typing {
        #[serde(flatten)]
        conversation: Conversation,
        typer_id: UserId,
    },
    Presence {
        user_id: UserId,
        status: PresenceStatus,
    },
    Read {
        #[serde(flatten)]
        conversation: Conversation,
        reader_id: UserId,
        message_id: MessageId,
    },
    MessageEdited {
        #[serde(flatten)]
        conversation: Conversation,
        message: Message,
    },
    MessageDeleted {
        #[serde(flatten)]
        conversation: Conversation,
        id: MessageId,
    },
    Membership {
        scope: MembershipScope,
        id: i64,
        user_id: UserId,
        change: MembershipChange,
    },
    /// Someone you follow, or a member of one of your spaces, posted.
    PostCreated {
        post: crate::posts::PostDisplay,
    },
    /// Something happened that concerns you (also listed at `GET /notifications/`).
    Notification {
        notification: crate::notifications::Notification,
    },
    Pong,
    /// Events were missed beyond what can be replayed: reload from the REST API.
    Resync,
}

impl ServerFrame {
    /// Durable frames carry a `seq` and are replayed on resume.
    pub fn is_durable(&self) -> bool {
        matches!(
            self,
            Self::Dm(_)
                | Self::Group(_)
                | Self::Space(_)
                | Self::Read { .. }
                | Self::MessageEdited { .. }
                | Self::MessageDeleted { .. }
                | Self::Membership { .. }
                | Self::Notification { .. }
                | Self::PostCreated { .. }
        )
    }
}

/// A received frame with its `seq`, when durable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seq: Option<u64>,
    #[serde(flatten)]
    pub frame: ServerFrame,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roundtrip::assert_roundtrip;

    #[test]
    fn upstream_inbound_frames_parse() {
        let dm: ClientFrame =
            serde_json::from_str(r#"{"type":"dm","receiver_id":2,"message":"hi"}"#).unwrap();
        assert!(matches!(
            dm,
            ClientFrame::Dm {
                receiver_id: UserId(2),
                ..
            }
        ));
        let room: ClientFrame = serde_json::from_str(
            r#"{"type":"space","space_id":1,"room_id":3,"message":"yo","parent_id":null}"#,
        )
        .unwrap();
        assert!(matches!(
            room,
            ClientFrame::Space {
                parent_id: None,
                ..
            }
        ));
        let typing: ClientFrame =
            serde_json::from_str(r#"{"type":"typing","kind":"group","group_id":4}"#).unwrap();
        assert_eq!(
            typing,
            ClientFrame::Typing {
                conversation: Conversation::Group {
                    group_id: GroupId(4)
                }
            }
        );
    }

    #[test]
    fn frames_roundtrip_with_their_type_and_seq() {
        let at = Timestamp::from_millis(1_700_000_000_000);
        let frames = [
            ServerFrame::Dm(DmMessage {
                id: MessageId(1),
                content: "hi".into(),
                sender_id: UserId(1),
                recipient_id: UserId(2),
                timestamp: at,
                is_read: false,
                parent_message_id: None,
                edited_at: None,
                attachments: Vec::new(),
            }),
            ServerFrame::Ack {
                client_id: Some("c1".into()),
                id: MessageId(1),
                timestamp: at,
            },
            ServerFrame::Read {
                conversation: Conversation::Room {
                    space_id: SpaceId(1),
                    room_id: RoomId(2),
                },
                reader_id: UserId(3),
                message_id: MessageId(9),
            },
            ServerFrame::Pong,
        ];
        for frame in frames {
            let envelope = Envelope {
                seq: frame.is_durable().then_some(7),
                frame,
            };
            assert_roundtrip(&envelope);
            let json = serde_json::to_value(&envelope).unwrap();
            assert!(json["type"].is_string(), "{json}");
        }
        assert_roundtrip(&ClientFrame::Read {
            conversation: Conversation::Dm { user_id: UserId(5) },
            message_id: MessageId(3),
        });
    }
}
