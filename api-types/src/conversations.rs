//! How a conversation (a DM, a group chat or a room) is named, the same way in every
//! request body, socket frame and inbox line: a `kind` plus the ids that kind needs.
//!
//! On the wire the ids are flat fields beside `kind` (upstream's shape), so the wire
//! type is the flat [`ConversationRef`]. Rust code works with [`Conversation`], which
//! cannot name a kind without its ids: it is parsed from the flat shape and refuses
//! one with an id missing.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{GroupId, RoomId, SpaceId, UserId};

/// The three kinds of conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
pub enum ConversationKind {
    /// A direct message between two people.
    Dm,
    /// A group chat.
    Group,
    /// A room inside a space.
    Room,
}

/// A conversation: for a DM, `user_id` is the other person as seen by whoever reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "ConversationRef", into = "ConversationRef")]
pub enum Conversation {
    /// A direct message.
    Dm {
        /// The other person, as seen by whoever reads it.
        user_id: UserId,
    },
    /// A group chat.
    Group {
        /// The group chat.
        group_id: GroupId,
    },
    /// A room inside a space.
    Room {
        /// The room's space.
        space_id: SpaceId,
        /// The room.
        room_id: RoomId,
    },
}

impl Conversation {
    /// Which of the three kinds this is.
    pub fn kind(self) -> ConversationKind {
        match self {
            Self::Dm { .. } => ConversationKind::Dm,
            Self::Group { .. } => ConversationKind::Group,
            Self::Room { .. } => ConversationKind::Room,
        }
    }
}

/// A conversation as it is written on the wire: `kind` and the ids it needs
/// (`dm`: `user_id`; `group`: `group_id`; `room`: `space_id` and `room_id`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ConversationRef {
    /// `dm`, `group` or `room`.
    pub kind: ConversationKind,
    /// For `dm`: the other person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub user_id: Option<UserId>,
    /// For `group`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub group_id: Option<GroupId>,
    /// For `room`: the room's space.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub space_id: Option<SpaceId>,
    /// For `room`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub room_id: Option<RoomId>,
}

/// A conversation named without an id its kind needs; holds the missing field's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MissingId(pub &'static str);

impl fmt::Display for MissingId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is required for this kind of conversation", self.0)
    }
}

impl std::error::Error for MissingId {}

impl TryFrom<ConversationRef> for Conversation {
    type Error = MissingId;

    fn try_from(named: ConversationRef) -> Result<Self, MissingId> {
        match named.kind {
            ConversationKind::Dm => named
                .user_id
                .map(|user_id| Self::Dm { user_id })
                .ok_or(MissingId("user_id")),
            ConversationKind::Group => named
                .group_id
                .map(|group_id| Self::Group { group_id })
                .ok_or(MissingId("group_id")),
            ConversationKind::Room => match (named.space_id, named.room_id) {
                (Some(space_id), Some(room_id)) => Ok(Self::Room { space_id, room_id }),
                (None, _) => Err(MissingId("space_id")),
                (Some(_), None) => Err(MissingId("room_id")),
            },
        }
    }
}

impl From<Conversation> for ConversationRef {
    fn from(conversation: Conversation) -> Self {
        let mut named = Self {
            kind: conversation.kind(),
            user_id: None,
            group_id: None,
            space_id: None,
            room_id: None,
        };
        match conversation {
            Conversation::Dm { user_id } => named.user_id = Some(user_id),
            Conversation::Group { group_id } => named.group_id = Some(group_id),
            Conversation::Room { space_id, room_id } => {
                named.space_id = Some(space_id);
                named.room_id = Some(room_id);
            }
        }
        named
    }
}

/// In the OpenAPI document a [`Conversation`] is its wire shape, [`ConversationRef`];
/// parsing refuses a kind without its ids, as serde does.
#[cfg(feature = "openapi")]
mod openapi {
    use std::borrow::Cow;

    use poem_openapi::{
        registry::{MetaSchemaRef, Registry},
        types::{ParseError, ParseFromJSON, ParseResult, ToJSON, Type},
    };

    use super::{Conversation, ConversationRef};

    impl Type for Conversation {
        const IS_REQUIRED: bool = true;
        type RawValueType = Self;
        type RawElementValueType = Self;

        fn name() -> Cow<'static, str> {
            ConversationRef::name()
        }

        fn schema_ref() -> MetaSchemaRef {
            ConversationRef::schema_ref()
        }

        fn register(registry: &mut Registry) {
            ConversationRef::register(registry);
        }

        fn as_raw_value(&self) -> Option<&Self::RawValueType> {
            Some(self)
        }

        fn raw_element_iter<'a>(
            &'a self,
        ) -> Box<dyn Iterator<Item = &'a Self::RawElementValueType> + 'a> {
            Box::new(self.as_raw_value().into_iter())
        }
    }

    impl ParseFromJSON for Conversation {
        fn parse_from_json(value: Option<serde_json::Value>) -> ParseResult<Self> {
            let named = ConversationRef::parse_from_json(value).map_err(ParseError::propagate)?;
            Conversation::try_from(named).map_err(ParseError::custom)
        }
    }

    impl ToJSON for Conversation {
        fn to_json(&self) -> Option<serde_json::Value> {
            ConversationRef::from(*self).to_json()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roundtrip::assert_roundtrip;

    #[test]
    fn each_kind_is_written_flat_with_its_ids() {
        let room = Conversation::Room {
            space_id: SpaceId(1),
            room_id: RoomId(2),
        };
        assert_eq!(
            serde_json::to_value(room).unwrap(),
            serde_json::json!({"kind": "room", "space_id": 1, "room_id": 2})
        );
        for conversation in [
            room,
            Conversation::Dm { user_id: UserId(3) },
            Conversation::Group {
                group_id: GroupId(4),
            },
        ] {
            assert_roundtrip(&conversation);
        }
    }

    #[test]
    fn a_kind_without_its_ids_is_refused_naming_the_missing_one() {
        for (json, missing) in [
            (r#"{"kind":"dm","group_id":1}"#, "user_id"),
            (r#"{"kind":"group"}"#, "group_id"),
            (r#"{"kind":"room","room_id":2}"#, "space_id"),
            (r#"{"kind":"room","space_id":1}"#, "room_id"),
        ] {
            let error = serde_json::from_str::<Conversation>(json).unwrap_err();
            assert!(error.to_string().contains(missing), "{json}: {error}");
        }
    }
}
