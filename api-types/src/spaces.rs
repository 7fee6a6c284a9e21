//! Spaces, their members, roles and bans.

use serde::{Deserialize, Serialize};

use crate::{
    SpaceId, Timestamp, UserId,
    users::{UserDisplay, UserSummary},
};

/// A space as anyone may see it (upstream `SpaceDisplay`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct SpaceDisplay {
    /// 1–50 characters, unique (case-insensitively) among spaces.
    pub name: String,
    /// The space's id.
    pub id: SpaceId,
    /// The owner's id.
    pub owner_id: UserId,
    /// How many members it has, the owner included.
    pub members_nbr: i64,
    /// When the space was created.
    pub founded_on: Timestamp,
    /// The caller's role, in answers about the caller's own spaces (`/spaces/mine/`,
    /// create, edit, ownership transfer); absent elsewhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub my_role: Option<SpaceRole>,
    /// The owner, as every payload names a person.
    pub owner: UserSummary,
}

/// `POST /spaces/create`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct SpaceCreate {
    /// 1–50 characters, unique (case-insensitively) among spaces.
    pub name: String,
}

/// `PUT /spaces/{space_id}/edit/`: only the keys present change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct SpaceUpdate {
    /// 1–50 characters; the space's own name is accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// A member's role in a space.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
pub enum SpaceRole {
    /// Created the space, or was handed it; may do everything, and cannot leave.
    Owner,
    /// Manages rooms, invitations, bans and plain members; deletes any post or message.
    Moderator,
    /// Reads and takes part.
    Member,
}

/// A member of a space: the user (upstream `UserDisplay`, email only for the caller)
/// plus their role and when they joined.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct SpaceMemberDisplay {
    /// The member, flattened into this object (upstream's user fields).
    #[serde(flatten)]
    #[cfg_attr(feature = "openapi", oai(flatten))]
    pub user: UserDisplay,
    /// The member's role.
    pub role: SpaceRole,
    /// When they joined the space.
    pub joined_at: Timestamp,
}

/// `PUT /spaces/{space_id}/members/{user_id}/role/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct RoleUpdate {
    /// `moderator` or `member`; ownership moves only with `pass_ownership`.
    pub role: SpaceRole,
}

/// A ban: the banned user cannot rejoin until unbanned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct BanDisplay {
    /// The space banned from.
    pub space_id: SpaceId,
    /// The banned user.
    pub user: UserDisplay,
    /// Who banned them; `null` once that account is gone.
    pub banned_by: Option<UserId>,
    /// Who banned them, as every payload names a person; `null` once that account is
    /// gone.
    #[serde(default)]
    pub banned_by_user: Option<UserSummary>,
    /// When the ban was made.
    pub created_at: Timestamp,
}

/// What joining a space answers: upstream's `{"message"}` plus the space joined.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct JoinedSpace {
    /// What happened, in upstream's words.
    pub message: String,
    /// The space joined, with the caller's role in it.
    pub space: SpaceDisplay,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roundtrip::assert_roundtrip;

    fn space() -> SpaceDisplay {
        SpaceDisplay {
            name: "rustaceans".into(),
            id: SpaceId(1),
            owner_id: UserId(2),
            members_nbr: 3,
            founded_on: Timestamp::from_millis(1_700_000_000_123),
            my_role: Some(SpaceRole::Owner),
            owner: crate::roundtrip::person(2, "bob"),
        }
    }

    fn user() -> UserDisplay {
        UserDisplay {
            id: UserId(2),
            username: "ada".into(),
            email: None,
            is_active: true,
            xp: 0,
            level: 1,
            pfp: None,
            created_at: Timestamp::from_millis(1_700_000_000_000),
            display_name: None,
            bio: None,
        }
    }

    #[test]
    fn space_dtos_roundtrip() {
        assert_roundtrip(&space());
        assert_roundtrip(&SpaceDisplay {
            my_role: None,
            ..space()
        });
        assert_roundtrip(&SpaceCreate { name: "a".into() });
        assert_roundtrip(&SpaceUpdate { name: None });
        assert_roundtrip(&RoleUpdate {
            role: SpaceRole::Moderator,
        });
        assert_roundtrip(&BanDisplay {
            space_id: SpaceId(1),
            user: user(),
            banned_by: Some(UserId(3)),
            banned_by_user: Some(crate::roundtrip::person(3, "cy")),
            created_at: Timestamp::from_millis(1_700_000_000_000),
        });
        assert_roundtrip(&JoinedSpace {
            message: "You have joined the space".into(),
            space: space(),
        });
    }

    #[test]
    fn a_member_is_a_user_display_with_a_role() {
        let member = SpaceMemberDisplay {
            user: user(),
            role: SpaceRole::Moderator,
            joined_at: Timestamp::from_millis(1_700_000_000_000),
        };
        assert_roundtrip(&member);
        let json = serde_json::to_value(&member).unwrap();
        assert_eq!(json["username"], "ada");
        assert_eq!(json["role"], "moderator");
        assert!(json.get("user").is_none(), "{json}");
    }

    #[test]
    fn my_role_is_left_out_when_unknown() {
        let json = serde_json::to_value(SpaceDisplay {
            my_role: None,
            ..space()
        })
        .unwrap();
        assert!(json.get("my_role").is_none(), "{json}");
    }
}
