//! Group chats.

use serde::{Deserialize, Serialize};

use crate::{
    GroupId, Timestamp, UserId,
    users::{UserDisplay, UserSummary},
};

/// Upstream `GroupChatDisplay`: the group with all its members.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct GroupChatDisplay {
    /// 1–50 characters.
    pub name: String,
    /// The group's id.
    pub id: GroupId,
    /// The owner's id: the only one who may rename, delete or manage members.
    pub owner_id: UserId,
    /// When the group was created.
    pub created_at: Timestamp,
    /// Everyone in the group (emails only for the caller).
    pub members: Vec<UserDisplay>,
    /// The owner, as every payload names a person (`null` only if the owner is not
    /// among the members, which membership rules prevent).
    #[serde(default)]
    pub owner: Option<UserSummary>,
}

/// A group in a listing: the group without its member list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct GroupSummary {
    /// 1–50 characters.
    pub name: String,
    /// The group's id.
    pub id: GroupId,
    /// The owner's id.
    pub owner_id: UserId,
    /// When the group was created.
    pub created_at: Timestamp,
    /// How many members it has, the owner included (at most 100).
    pub members_nbr: i64,
    /// The owner, as every payload names a person.
    pub owner: UserSummary,
}

/// `POST /groups/create/` (upstream `GroupChatCreate`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct GroupChatCreate {
    /// 1–50 characters.
    pub name: String,
    /// Users to add besides the creator; may be absent or `null`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub members: Option<Vec<UserId>>,
}

/// `PUT /groups/{group_id}/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct GroupUpdate {
    /// 1–50 characters.
    pub name: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roundtrip::assert_roundtrip;

    #[test]
    fn group_dtos_roundtrip() {
        let at = Timestamp::from_millis(1_700_000_000_000);
        assert_roundtrip(&GroupChatDisplay {
            name: "friends".into(),
            id: GroupId(1),
            owner_id: UserId(2),
            created_at: at,
            members: vec![UserDisplay {
                id: UserId(2),
                username: "ada".into(),
                email: Some("ada@example.com".into()),
                is_active: true,
                xp: 0,
                level: 1,
                pfp: None,
                created_at: at,
                display_name: None,
                bio: None,
            }],
            owner: Some(crate::roundtrip::person(2, "ada")),
        });
        assert_roundtrip(&GroupSummary {
            name: "friends".into(),
            id: GroupId(1),
            owner_id: UserId(2),
            created_at: at,
            members_nbr: 1,
            owner: crate::roundtrip::person(2, "ada"),
        });
        assert_roundtrip(&GroupChatCreate {
            name: "friends".into(),
            members: Some(vec![UserId(3)]),
        });
        assert_roundtrip(&GroupChatCreate {
            name: "solo".into(),
            members: None,
        });
        assert_roundtrip(&GroupUpdate {
            name: "pals".into(),
        });
    }

    #[test]
    fn members_may_be_null_or_absent() {
        for body in [r#"{"name":"g"}"#, r#"{"name":"g","members":null}"#] {
            let parsed: GroupChatCreate = serde_json::from_str(body).unwrap();
            assert_eq!(parsed.members, None);
        }
    }
}
