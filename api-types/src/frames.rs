//! The frames of `/messages/ws`. Every frame is a JSON object with a `type`; durable
//! server frames (messages, `read`, edits, deletions, `membership`, notifications,
//! posts) also carry the receiving user's `seq`, which a reconnecting client passes
//! back as `since`.
//!
//! Each frame's body is its own object type, so the frames appear in `openapi.json`
//! (components `ClientFrame` and `ServerFrame`, discriminated by `type`) and client
//! generators can type them.

use serde::{Deserialize, Serialize};

use crate::{
    AttachmentId, GroupId, MessageId, RoomId, SpaceId, Timestamp, UserId,
    conversations::Conversation,
    events::{MembershipChange, MembershipScope},
    messages::{DmMessage, GroupMessage, MarkRead, Message, RoomMessage},
    notifications::Notification,
    posts::PostDisplay,
    users::UserSummary,
};

/// What a client sends on `/messages/ws`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Union))]
#[cfg_attr(
    feature = "openapi",
    oai(discriminator_name = "type", rename_all = "snake_case")
)]
pub enum ClientFrame {
    /// Send a direct message.
    Dm(SendDm),
    /// Send to a group chat.
    Group(SendGroupMessage),
    /// Send to a room of a space.
    Space(SendRoomMessage),
    /// Say you are typing.
    Typing(StartTyping),
    /// Mark a conversation read up to a message.
    Read(MarkRead),
    /// Check the connection; answered with `pong`.
    Ping(Ping),
}

/// What every send frame carries besides where it goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct MessageDraft {
    /// 1 to 4000 characters.
    pub message: String,
    /// The message this one replies to, in the same conversation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub parent_id: Option<MessageId>,
    /// Echoed in the `ack` or `error` answering this frame.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub client_id: Option<String>,
    /// Uploaded attachments to carry (at most 10).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "openapi", oai(default, skip_serializing_if_is_empty))]
    pub attachment_ids: Vec<AttachmentId>,
}

impl MessageDraft {
    /// A plain message: no reply, no client id, no attachments.
    pub fn text(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            parent_id: None,
            client_id: None,
            attachment_ids: Vec::new(),
        }
    }

    /// The same draft, answered with this `client_id`.
    pub fn with_client_id(mut self, client_id: impl Into<String>) -> Self {
        self.client_id = Some(client_id.into());
        self
    }

    /// The same draft, as a reply to `parent_id`.
    pub fn replying_to(mut self, parent_id: MessageId) -> Self {
        self.parent_id = Some(parent_id);
        self
    }
}

/// `dm`: send a direct message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct SendDm {
    /// The person to write to.
    pub receiver_id: UserId,
    /// The message, flattened into the frame.
    #[serde(flatten)]
    #[cfg_attr(feature = "openapi", oai(flatten))]
    pub draft: MessageDraft,
}

/// `group`: send to a group chat (members only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct SendGroupMessage {
    /// The group chat to write to.
    pub group_id: GroupId,
    /// The message, flattened into the frame.
    #[serde(flatten)]
    #[cfg_attr(feature = "openapi", oai(flatten))]
    pub draft: MessageDraft,
}

/// `space`: send to a room (members of its space only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct SendRoomMessage {
    /// The space of the room.
    pub space_id: SpaceId,
    /// The room to write to.
    pub room_id: RoomId,
    /// The message, flattened into the frame.
    #[serde(flatten)]
    #[cfg_attr(feature = "openapi", oai(flatten))]
    pub draft: MessageDraft,
}

/// `typing`: "I am typing" in a conversation (passed on at most once per 2 s).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct StartTyping {
    /// Where you are typing, flattened into the frame (`kind` and its ids).
    #[serde(flatten)]
    #[cfg_attr(feature = "openapi", oai(flatten))]
    pub conversation: Conversation,
}

/// `ping`: answered with `pong`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct Ping {}

/// What the server sends on `/messages/ws`. Durable frames also carry `seq`, the
/// receiving user's event number (see [`Envelope`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Union))]
#[cfg_attr(
    feature = "openapi",
    oai(discriminator_name = "type", rename_all = "snake_case")
)]
pub enum ServerFrame {
    /// A direct message to or from you.
    Dm(DmMessage),
    /// A message in one of your group chats.
    Group(GroupMessage),
    /// A message in a room of one of your spaces.
    Space(RoomMessage),
    /// Your message was stored.
    Ack(Ack),
    /// Your frame was refused.
    Error(ErrorFrame),
    /// Someone is typing.
    Typing(Typing),
    /// Someone came online or went offline.
    Presence(Presence),
    /// A conversation was read up to a message.
    Read(ReadReceipt),
    /// A message was edited.
    MessageEdited(MessageEdited),
    /// A message was deleted.
    MessageDeleted(MessageDeleted),
    /// A space's or group's membership changed.
    Membership(MembershipUpdate),
    /// A post you can see was published.
    PostCreated(PostCreated),
    /// A notification for you.
    Notification(NotificationFrame),
    /// The answer to `ping`.
    Pong(Pong),
    /// Events were missed; reload from the REST API.
    Resync(Resync),
    /// Your login session ended; the socket closes next.
    SessionRevoked(SessionRevoked),
}

/// `ack`: your message was stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct Ack {
    /// The `client_id` of the frame this answers, when it had one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub client_id: Option<String>,
    /// The stored message's id.
    pub id: MessageId,
    /// When the message was stored.
    pub timestamp: Timestamp,
}

/// `error`: a frame was refused; the connection stays open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ErrorFrame {
    /// The same codes as the REST API's error body.
    pub code: crate::ErrorCode,
    /// Why, in the same words as the REST API.
    pub detail: String,
    /// The `client_id` of the refused frame, when it had one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub client_id: Option<String>,
}

/// `typing`: someone is typing in a conversation you share.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct Typing {
    /// Where, flattened into the frame (`kind` and its ids).
    #[serde(flatten)]
    #[cfg_attr(feature = "openapi", oai(flatten))]
    pub conversation: Conversation,
    /// Who is typing.
    pub typer_id: UserId,
    /// Who is typing, as every payload names a person.
    pub typer: UserSummary,
}

/// Online or offline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
pub enum PresenceStatus {
    /// Connected on at least one socket.
    Online,
    /// No socket open any more (after a few seconds' grace, so a reconnect does not flicker).
    Offline,
}

/// `presence`: someone you share a conversation with came online or went offline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct Presence {
    /// Whose presence changed.
    pub user_id: UserId,
    /// `online` or `offline`.
    pub status: PresenceStatus,
    /// Who came online or went offline, as every payload names a person.
    pub user: UserSummary,
}

/// `read`: a conversation was read up to a message, by you elsewhere or, in a DM, by
/// the other person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ReadReceipt {
    /// The conversation read, flattened into the frame (`kind` and its ids).
    #[serde(flatten)]
    #[cfg_attr(feature = "openapi", oai(flatten))]
    pub conversation: Conversation,
    /// Who read it: you (on another device) or, in a DM, the other person.
    pub reader_id: UserId,
    /// Who read it, as every payload names a person.
    #[serde(default)]
    pub reader: UserSummary,
    /// The last message read; every message up to it is read.
    pub message_id: MessageId,
}

/// `message_edited`: a message's new content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct MessageEdited {
    /// The message's conversation, flattened into the frame (`kind` and its ids).
    #[serde(flatten)]
    #[cfg_attr(feature = "openapi", oai(flatten))]
    pub conversation: Conversation,
    /// The message as it is now, with `edited_at` set.
    pub message: Message,
}

/// `message_deleted`: a message is gone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct MessageDeleted {
    /// The message's conversation, flattened into the frame (`kind` and its ids).
    #[serde(flatten)]
    #[cfg_attr(feature = "openapi", oai(flatten))]
    pub conversation: Conversation,
    /// The deleted message's id.
    pub id: MessageId,
}

/// `membership`: someone joined, left or was removed from a space or group you are in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct MembershipUpdate {
    /// `space` or `group`.
    pub scope: MembershipScope,
    /// The space's or group's id.
    pub id: i64,
    /// Whose membership changed.
    pub user_id: UserId,
    /// Whose membership changed, as every payload names a person.
    #[serde(default)]
    pub user: UserSummary,
    /// What happened to it.
    pub change: MembershipChange,
}

/// `post_created`: someone you follow, or a member of one of your spaces, posted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct PostCreated {
    /// The post as the receiver sees it.
    pub post: PostDisplay,
}

/// `notification`: something happened that concerns you (also listed at
/// `GET /notifications/`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct NotificationFrame {
    /// The notification, as `GET /notifications/` lists it.
    pub notification: Notification,
}

/// `pong`: the answer to `ping`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct Pong {}

/// `resync`: events were missed beyond what can be replayed; reload from the REST API.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct Resync {}

/// `session_revoked`: the login session this socket belongs to has ended (logout,
/// logout everywhere, a password or email change, a deactivated account, a replayed
/// refresh token). The server closes the socket right after, with close code 4401
/// (`SESSION_REVOKED_CLOSE_CODE`); reconnecting with the same token is refused (401).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct SessionRevoked {}

/// The WebSocket close code that follows a `session_revoked` frame (4401: 4000–4999 is
/// the range for applications, and 401 is HTTP's "not authenticated").
pub const SESSION_REVOKED_CLOSE_CODE: u16 = 4401;

impl ServerFrame {
    /// Durable frames carry a `seq` and are replayed on resume.
    pub fn is_durable(&self) -> bool {
        matches!(
            self,
            Self::Dm(_)
                | Self::Group(_)
                | Self::Space(_)
                | Self::Read(_)
                | Self::MessageEdited(_)
                | Self::MessageDeleted(_)
                | Self::Membership(_)
                | Self::Notification(_)
                | Self::PostCreated(_)
        )
    }
}

/// A received frame with its `seq`, when durable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope {
    /// The receiving user's event number, for durable frames (pass the last one back as
    /// `since` when reconnecting); absent for the others.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seq: Option<u64>,
    /// The frame itself, flattened beside `seq`.
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
            ClientFrame::Dm(SendDm {
                receiver_id: UserId(2),
                ..
            })
        ));
        let room: ClientFrame = serde_json::from_str(
            r#"{"type":"space","space_id":1,"room_id":3,"message":"yo","parent_id":null}"#,
        )
        .unwrap();
        assert!(matches!(
            room,
            ClientFrame::Space(SendRoomMessage {
                draft: MessageDraft {
                    parent_id: None,
                    ..
                },
                ..
            })
        ));
        let typing: ClientFrame =
            serde_json::from_str(r#"{"type":"typing","kind":"group","group_id":4}"#).unwrap();
        assert_eq!(
            typing,
            ClientFrame::Typing(StartTyping {
                conversation: Conversation::Group {
                    group_id: GroupId(4)
                }
            })
        );
        let ping: ClientFrame = serde_json::from_str(r#"{"type":"ping"}"#).unwrap();
        assert_eq!(ping, ClientFrame::Ping(Ping {}));
    }

    #[test]
    fn a_frame_naming_a_conversation_without_its_ids_is_refused() {
        let error =
            serde_json::from_str::<ClientFrame>(r#"{"type":"typing","kind":"dm"}"#).unwrap_err();
        assert!(error.to_string().contains("user_id"), "{error}");
    }

    #[test]
    fn session_revoked_is_a_bare_typed_frame() {
        let json = serde_json::to_string(&ServerFrame::SessionRevoked(SessionRevoked {})).unwrap();
        assert_eq!(json, r#"{"type":"session_revoked"}"#);
    }

    #[test]
    fn frames_roundtrip_with_their_type_and_seq() {
        let at = Timestamp::from_millis(1_700_000_000_000);
        let frames = [
            ServerFrame::Dm(DmMessage {
                id: MessageId(1),
                content: "hi".into(),
                sender_id: UserId(1),
                sender: crate::roundtrip::person(1, "ada"),
                recipient_id: UserId(2),
                recipient: crate::roundtrip::person(2, "bob"),
                timestamp: at,
                is_read: false,
                parent_message_id: None,
                edited_at: None,
                attachments: Vec::new(),
            }),
            ServerFrame::Ack(Ack {
                client_id: Some("c1".into()),
                id: MessageId(1),
                timestamp: at,
            }),
            ServerFrame::Read(ReadReceipt {
                conversation: Conversation::Room {
                    space_id: SpaceId(1),
                    room_id: RoomId(2),
                },
                reader_id: UserId(3),
                reader: crate::roundtrip::person(3, "cy"),
                message_id: MessageId(9),
            }),
            ServerFrame::Pong(Pong {}),
            ServerFrame::Resync(Resync {}),
            ServerFrame::SessionRevoked(SessionRevoked {}),
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
        assert_eq!(
            serde_json::to_string(&ServerFrame::Pong(Pong {})).unwrap(),
            r#"{"type":"pong"}"#
        );
        assert_roundtrip(&ClientFrame::Read(MarkRead {
            conversation: Conversation::Dm { user_id: UserId(5) },
            message_id: MessageId(3),
        }));
    }
}
