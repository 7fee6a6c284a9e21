//! Spaces: membership checks shared by every members-only rule.

use socmel_api_types::{SpaceId, UserId};

use super::{
    ServiceError, ServiceResult, Services,
    auth::AuthUser,
    permissions::{self, Action, Role},
};
use crate::store;

pub const SPACE_NOT_FOUND: &str = "Space not found";
pub const NOT_A_MEMBER: &str = "You are not a member of this space";

/// Proof that a user belongs to a space, with their role. Only [`require_member`]
/// makes one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpaceMembership {
    space_id: SpaceId,
    user_id: UserId,
    role: Role,
}

impl SpaceMembership {
    pub fn space_id(&self) -> SpaceId {
        self.space_id
    }

    pub fn user_id(&self) -> UserId {
        self.user_id
    }

    pub fn role(&self) -> Role {
        self.role
    }

    /// Refuses with 403 unless the role allows `action`.
    pub fn require(&self, action: Action) -> ServiceResult<()> {
        permissions::require(self.role, action)
    }
}

/// 404 "Space not found" when there is no such space; 403 "You are not a member of this
/// space" when the user is not in it.
pub async fn require_member(
    svc: &Services,
    space_id: SpaceId,
    user: &AuthUser,
) -> ServiceResult<SpaceMembership> {
    let mut db = svc.store().reader().await?;
    let stored = store::spaces::member_role(db.conn(), space_id.0, user.id().0).await?;
    let Some(stored) = stored else {
        return Err(if store::spaces::exists(db.conn(), space_id.0).await? {
            ServiceError::Forbidden(NOT_A_MEMBER.into())
        } else {
            ServiceError::NotFound(SPACE_NOT_FOUND.into())
        });
    };
    let role = Role::parse(&stored)
        .ok_or_else(|| ServiceError::internal(anyhow::anyhow!("unknown stored role {stored:?}")))?;
    Ok(SpaceMembership {
        space_id,
        user_id: user.id(),
        role,
    })
}
