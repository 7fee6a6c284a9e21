//! Notifications: stored, listable, mark-readable, and pushed live as
//! `{"type":"notification","notification":{…}}`.

use serde::{Deserialize, Serialize};

use crate::{
    CommentId, MessageId, NotificationId, PostId, SpaceId, Timestamp, UserId, users::UserSummary,
};

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
pub enum NotificationKind {
    /// Someone asked to follow you.
    FollowRequest,
    /// Someone accepted your follow request.
    FollowAccepted,
    /// Someone liked your post.
    Like,
    /// Someone commented on your post.
    Comment,
    /// Someone replied to your comment.
    Reply,
    /// Someone mentioned you (`@username`) in a comment or a message you can read.
    Mention,
    /// Someone joined a space with an invitation you created.
    InvitationUsed,
}

impl NotificationKind {
    /// The kind as it is spelled on the wire and stored (`follow_request`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::FollowRequest => "follow_request",
            Self::FollowAccepted => "follow_accepted",
            Self::Like => "like",
            Self::Comment => "comment",
            Self::Reply => "reply",
            Self::Mention => "mention",
            Self::InvitationUsed => "invitation_used",
        }
    }

    /// The kind a stored spelling names; `None` for an unknown one.
    pub fn parse(stored: &str) -> Option<Self> {
        [
            Self::FollowRequest,
            Self::FollowAccepted,
            Self::Like,
            Self::Comment,
            Self::Reply,
            Self::Mention,
            Self::InvitationUsed,
        ]
        .into_iter()
        .find(|kind| kind.as_str() == stored)
    }
}

/// Something that happened and concerns the recipient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct Notification {
    /// The notification's id (for marking it read).
    pub id: NotificationId,
    /// What happened.
    pub kind: NotificationKind,
    /// Who did it.
    pub actor_id: UserId,
    /// Who did it, as every payload names a person.
    pub actor: UserSummary,
    /// The post concerned (likes, comments, replies, mentions in comments); absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub post_id: Option<PostId>,
    /// The comment concerned (comments, replies, mentions in comments); absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub comment_id: Option<CommentId>,
    /// The space concerned (invitations used, mentions in rooms); absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub space_id: Option<SpaceId>,
    /// For a mention in a chat message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub message_id: Option<MessageId>,
    /// When it happened.
    pub created_at: Timestamp,
    /// Whether the recipient has marked it read.
    pub read: bool,
}

/// `POST /notifications/read/`: the given ids, or every notification when `ids` is absent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct MarkNotificationsRead {
    /// The notifications to mark read; absent for all of them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub ids: Option<Vec<NotificationId>>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roundtrip::assert_roundtrip;

    #[test]
    fn kinds_roundtrip_their_stored_names() {
        for name in ["follow_request", "like", "mention", "invitation_used"] {
            let kind = NotificationKind::parse(name).unwrap();
            assert_eq!(kind.as_str(), name);
            assert_eq!(serde_json::to_value(kind).unwrap(), name);
        }
        assert_roundtrip(&Notification {
            id: NotificationId(1),
            kind: NotificationKind::Reply,
            actor_id: UserId(2),
            actor: crate::roundtrip::person(2, "bob"),
            post_id: Some(PostId(3)),
            comment_id: Some(CommentId(4)),
            space_id: None,
            message_id: None,
            created_at: Timestamp::from_millis(5),
            read: false,
        });
    }
}
