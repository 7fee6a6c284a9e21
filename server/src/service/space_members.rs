//! Members of a space: the member list, removal, roles and ownership.

use socmel_api_types::{
    Notice, Page, SpaceId, Timestamp, UserId,
    events::MembershipChange,
    spaces::{RoleUpdate, SpaceDisplay, SpaceMemberDisplay, SpaceRole},
};

use super::{
    Bad, Missing, ServiceError, ServiceResult, Services,
    auth::AuthUser,
    pagination::Paging,
    permissions::{Action, Role},
    spaces::{self, membership, membership_changed, parse_role, wire_role},
    users,
    validation::Validation,
};
use crate::store::{self, Conn, spaces::MemberRow};

fn display(row: &MemberRow, viewer: UserId) -> ServiceResult<SpaceMemberDisplay> {
    Ok(SpaceMemberDisplay {
        user: users::display(&row.user, Some(viewer)),
        role: wire_role(parse_role(&row.role)?),
        joined_at: Timestamp::from_millis(row.joined_at),
    })
}

/// The target's current role; 404 "Member not found" when they are not a member.
async fn target_role(conn: Conn<'_>, space_id: SpaceId, target: UserId) -> ServiceResult<Role> {
    let stored = store::spaces::member_role(conn, space_id.0, target.0)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Missing::Member))?;
    parse_role(&stored)
}

/// Members only: everyone in the space, in the order they joined.
pub async fn list(
    svc: &Services,
    user: &AuthUser,
    space_id: SpaceId,
    paging: Paging,
) -> ServiceResult<Page<SpaceMemberDisplay>> {
    let pager = paging.pager([i64::MIN, i64::MIN])?;
    let [joined_at, user_id] = pager.after;
    let mut db = svc.store().reader().await?;
    membership(db.conn(), space_id, user.id())
        .await?
        .require(Action::View)?;
    let rows =
        store::spaces::members(db.conn(), space_id.0, (joined_at, user_id), pager.fetch()).await?;
    let (rows, next) = pager.page(rows, |row| [row.joined_at, row.user.id]);
    let items = rows
        .iter()
        .map(|row| display(row, user.id()))
        .collect::<ServiceResult<_>>()?;
    Ok(Page::new(items, next))
}

/// Removes a member: moderators remove plain members, the owner anyone but themself.
pub async fn remove(
    svc: &Services,
    user: &AuthUser,
    space_id: SpaceId,
    target: UserId,
) -> ServiceResult<Notice> {
    let mut tx = svc.store().begin().await?;
    let actor = membership(tx.conn(), space_id, user.id()).await?;
    actor.require(Action::RemoveMember)?;
    let role = target_role(tx.conn(), space_id, target).await?;
    actor.require_over(Action::RemoveMember, role)?;
    store::spaces::remove_member(tx.conn(), space_id.0, target.0).await?;
    store::spaces::add_to_members_nbr(tx.conn(), space_id.0, -1).await?;
    tx.commit().await?;
    membership_changed(svc, space_id, &[target], MembershipChange::Removed).await;
    Ok(Notice::new("Member removed"))
}

/// The owner makes a member a moderator or a plain member again.
pub async fn set_role(
    svc: &Services,
    user: &AuthUser,
    space_id: SpaceId,
    target: UserId,
    update: RoleUpdate,
) -> ServiceResult<SpaceMemberDisplay> {
    let new_role = match update.role {
        SpaceRole::Moderator => Role::Moderator,
        SpaceRole::Member => Role::Member,
        SpaceRole::Owner => Role::Owner,
    };
    Validation::default()
        .check(
            new_role != Role::Owner,
            "role",
            "moderator or member (ownership moves with pass_ownership)",
        )
        .finish()?;
    let mut tx = svc.store().begin().await?;
    let actor = membership(tx.conn(), space_id, user.id()).await?;
    actor.require(Action::ChangeRole)?;
    let role = target_role(tx.conn(), space_id, target).await?;
    actor.require_over(Action::ChangeRole, role)?;
    store::spaces::set_role(tx.conn(), space_id.0, target.0, new_role.as_str()).await?;
    let row = store::spaces::member(tx.conn(), space_id.0, target.0)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Missing::Member))?;
    tx.commit().await?;
    display(&row, user.id())
}

/// The owner hands the space to another member and stays on as a moderator.
pub async fn pass_ownership(
    svc: &Services,
    user: &AuthUser,
    space_id: SpaceId,
    target: UserId,
) -> ServiceResult<SpaceDisplay> {
    let mut tx = svc.store().begin().await?;
    let actor = membership(tx.conn(), space_id, user.id()).await?;
    actor.require(Action::PassOwnership)?;
    if store::users::by_id(tx.conn(), target.0).await?.is_none() {
        return Err(ServiceError::NotFound(Missing::User));
    }
    if store::spaces::member_role(tx.conn(), space_id.0, target.0)
        .await?
        .is_none()
    {
        return Err(ServiceError::BadRequest(Bad::NotInSpace));
    }
    let my_role = if target == user.id() {
        Role::Owner
    } else {
        let (me, them) = (user.id().0, target.0);
        store::spaces::set_role(tx.conn(), space_id.0, me, Role::Moderator.as_str()).await?;
        store::spaces::set_role(tx.conn(), space_id.0, them, Role::Owner.as_str()).await?;
        Role::Moderator
    };
    let row = store::spaces::set_owner(tx.conn(), space_id.0, target.0)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Missing::Space))?;
    tx.commit().await?;
    tracing::info!(space_id = space_id.0, "space ownership passed");
    Ok(spaces::display(&row, Some(my_role)))
}
