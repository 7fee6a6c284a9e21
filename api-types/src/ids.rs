//! Typed ids: a `UserId` cannot be passed where a post id is expected.
//! On the wire they are plain integers, as upstream.

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize,
        )]
        #[serde(transparent)]
        #[cfg_attr(feature = "openapi", derive(poem_openapi::NewType))]
        #[cfg_attr(feature = "openapi", oai(to_header = false, from_multipart = false))]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl From<i64> for $name {
            fn from(raw: i64) -> Self {
                Self(raw)
            }
        }
    };
}

id_type!(
    /// The id of a user account.
    UserId
);
id_type!(
    /// The id of a post.
    PostId
);
id_type!(
    /// The id of a comment or reply on a post.
    CommentId
);
id_type!(
    /// The id of a file attached to a post or message.
    AttachmentId
);
id_type!(
    /// The id of a follow (pending request or accepted).
    FollowId
);
id_type!(
    /// The id of a space.
    SpaceId
);
id_type!(
    /// The id of a room inside a space.
    RoomId
);
id_type!(
    /// The id of a space invitation.
    InvitationId
);
id_type!(
    /// The id of a group chat.
    GroupId
);
id_type!(
    /// The id of a message (DM, group or room).
    MessageId
);
id_type!(
    /// The id of a notification.
    NotificationId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_bare_integers_on_the_wire() {
        assert_eq!(serde_json::to_string(&UserId(42)).unwrap(), "42");
        assert_eq!(serde_json::from_str::<UserId>("7").unwrap(), UserId(7));
    }
}
