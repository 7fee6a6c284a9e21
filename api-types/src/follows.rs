//! Follows: requests, approval, followers and following.

use serde::{Deserialize, Serialize};

use crate::{FollowId, Timestamp, users::UserDisplay};

/// A follow's state as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
pub enum FollowState {
    /// Requested, waiting for the followed user's approval.
    Pending,
    /// Approved: the follower follows.
    Accepted,
}

/// A user in a follow listing: upstream's user fields, plus the follow it comes from,
/// so clients can cancel, accept or reject it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct FollowUser {
    /// The other user, flattened into this object (upstream's user fields).
    #[serde(flatten)]
    #[cfg_attr(feature = "openapi", oai(flatten))]
    pub user: UserDisplay,
    /// The follow this listing line comes from.
    pub follow_id: FollowId,
    /// `pending` or `accepted`.
    pub follow_status: FollowState,
    /// When the follow was requested.
    pub follow_created_at: Timestamp,
}

/// What the follow actions answer: upstream's `{"detail"}` plus the follow concerned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct FollowAck {
    /// What happened, in upstream's words (e.g. `Follow request accepted`).
    pub detail: String,
    /// The follow concerned.
    pub follow_id: FollowId,
}

/// Between the caller and another user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
pub enum FollowRelation {
    /// The caller neither follows nor asked to.
    None,
    /// The caller's request waits for approval.
    Pending,
    /// The caller follows the user.
    Following,
}

/// `GET /follows/status/{user_id}/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct FollowStatus {
    /// `none`, `pending` or `following`: where the caller stands with the user.
    pub status: FollowRelation,
    /// The caller's follow of the user (pending or accepted), if any.
    pub follow_id: Option<FollowId>,
    /// Whether the user follows the caller (accepted).
    pub follows_me: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{UserId, roundtrip::assert_roundtrip};

    #[test]
    fn follow_dtos_roundtrip() {
        let listed = FollowUser {
            user: UserDisplay {
                id: UserId(2),
                username: "bob".into(),
                email: None,
                is_active: true,
                xp: 0,
                level: 1,
                pfp: None,
                created_at: Timestamp::from_millis(1_700_000_000_000),
                display_name: None,
                bio: None,
            },
            follow_id: FollowId(9),
            follow_status: FollowState::Pending,
            follow_created_at: Timestamp::from_millis(1_700_000_000_001),
        };
        assert_roundtrip(&listed);
        // Old clients read the user's fields at the top level.
        let json = serde_json::to_value(&listed).unwrap();
        assert_eq!(json["username"], "bob");
        assert_eq!(json["follow_id"], 9);
        assert_roundtrip(&FollowAck {
            detail: "Follow request accepted".into(),
            follow_id: FollowId(9),
        });
        let status = FollowStatus {
            status: FollowRelation::None,
            follow_id: None,
            follows_me: false,
        };
        assert_roundtrip(&status);
        assert_eq!(
            serde_json::to_value(&status).unwrap(),
            serde_json::json!({"status": "none", "follow_id": null, "follows_me": false})
        );
    }
}
