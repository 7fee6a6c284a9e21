//! Invitations to join a space.

use serde::{Deserialize, Serialize};

use crate::{InvitationId, SpaceId, Timestamp, UserId, users::UserSummary};

/// `POST /spaces/{space_id}/invitations/create/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct InvitationCreate {
    /// How many people may join with it; at least 1.
    pub max_uses: i64,
    /// Must be in the future. Without an offset it is read as UTC.
    pub expires_at: Timestamp,
}

/// Upstream `InvitationDisplay`, plus its use count and origin. The `token` is shown
/// once, in the answer to its creation; only a hash is kept, so listings show `null`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct InvitationDisplay {
    /// How many people may join with it.
    pub max_uses: i64,
    /// When it stops working.
    pub expires_at: Timestamp,
    /// The invitation's id (for revoking it).
    pub id: InvitationId,
    /// The secret to join with, in the answer to its creation only; `null` in listings.
    pub token: Option<String>,
    /// The space it lets people join.
    pub space_id: SpaceId,
    /// How many people have joined with it so far.
    pub current_uses: i64,
    /// `null` once the creator's account is gone.
    pub created_by: Option<UserId>,
    /// Who created it, as every payload names a person; `null` once that account is gone.
    #[serde(default)]
    pub created_by_user: Option<UserSummary>,
    /// When it was created.
    pub created_at: Timestamp,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roundtrip::assert_roundtrip;

    #[test]
    fn invitation_dtos_roundtrip() {
        assert_roundtrip(&InvitationCreate {
            max_uses: 1,
            expires_at: Timestamp::from_millis(1_800_000_000_000),
        });
        let shown = InvitationDisplay {
            max_uses: 2,
            expires_at: Timestamp::from_millis(1_800_000_000_000),
            id: InvitationId(3),
            token: Some("abc".into()),
            space_id: SpaceId(4),
            current_uses: 1,
            created_by: Some(UserId(5)),
            created_by_user: Some(crate::roundtrip::person(5, "eve")),
            created_at: Timestamp::from_millis(1_700_000_000_000),
        };
        assert_roundtrip(&shown);
        let listed = InvitationDisplay {
            token: None,
            created_by: None,
            created_by_user: None,
            ..shown
        };
        assert_roundtrip(&listed);
        assert!(serde_json::to_value(&listed).unwrap()["token"].is_null());
    }
}
