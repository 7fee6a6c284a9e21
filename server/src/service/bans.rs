//! Bans: a banned user is removed from the space and cannot rejoin until unbanned.

use socmel_api_types::{
    Detail, Page, SpaceId, Timestamp, UserId, events::MembershipChange, spaces::BanDisplay,
};

use super::{
    Bad, Missing, ServiceError, ServiceResult, Services,
    auth::AuthUser,
    now,
    pagination::Paging,
    permissions::Action,
    spaces::{membership, membership_changed, parse_role},
    users,
};
use crate::store::{self, bans::BanRow};

fn display(space_id: SpaceId, row: &BanRow, viewer: UserId) -> BanDisplay {
    BanDisplay {
        space_id,
        user: users::display(&row.user, Some(viewer)),
        banned_by: row.banned_by.map(UserId),
        banned_by_user: users::joined_summary(
            row.banned_by,
            &row.banned_by_username,
            &row.banned_by_display_name,
            &row.banned_by_pfp,
        ),
        created_at: Timestamp::from_millis(row.banned_at),
    }
}

/// Bans a user (member or not) from the space; a member is removed first. Moderators
/// ban plain members only; nobody bans the owner.
pub async fn ban(
    svc: &Services,
    user: &AuthUser,
    space_id: SpaceId,
    target: UserId,
) -> ServiceResult<BanDisplay> {
    let mut tx = svc.store().begin().await?;
    let actor = membership(tx.conn(), space_id, user.id()).await?;
    actor.require(Action::Ban)?;
    if store::users::by_id(tx.conn(), target.0).await?.is_none() {
        return Err(ServiceError::NotFound(Missing::User));
    }
    if target == user.id() {
        return Err(ServiceError::BadRequest(Bad::CannotBanYourself));
    }
    let was_member = match store::spaces::member_role(tx.conn(), space_id.0, target.0).await? {
        Some(stored) => {
            actor.require_over(Action::Ban, parse_role(&stored)?)?;
            store::spaces::remove_member(tx.conn(), space_id.0, target.0).await?;
            store::spaces::add_to_members_nbr(tx.conn(), space_id.0, -1).await?;
            true
        }
        None => false,
    };
    store::bans::insert(tx.conn(), space_id.0, target.0, user.id().0, now()).await?;
    let row = store::bans::get(tx.conn(), space_id.0, target.0)
        .await?
        .ok_or_else(|| ServiceError::internal(anyhow::anyhow!("the ban just made is gone")))?;
    tx.commit().await?;
    if was_member {
        membership_changed(svc, space_id, &[target], MembershipChange::Banned).await;
    }
    Ok(display(space_id, &row, user.id()))
}

/// Lifts a ban; the user may then join again with an invitation.
pub async fn unban(
    svc: &Services,
    user: &AuthUser,
    space_id: SpaceId,
    target: UserId,
) -> ServiceResult<Detail> {
    let mut tx = svc.store().begin().await?;
    membership(tx.conn(), space_id, user.id())
        .await?
        .require(Action::Ban)?;
    if !store::bans::delete(tx.conn(), space_id.0, target.0).await? {
        return Err(ServiceError::NotFound(Missing::Ban));
    }
    tx.commit().await?;
    Ok(Detail::new("User unbanned"))
}

/// Owner and moderators: who is banned, newest first.
pub async fn list(
    svc: &Services,
    user: &AuthUser,
    space_id: SpaceId,
    paging: Paging,
) -> ServiceResult<Page<BanDisplay>> {
    let pager = paging.pager([i64::MAX, i64::MAX])?;
    let [at, user_id] = pager.after;
    let mut db = svc.store().reader().await?;
    membership(db.conn(), space_id, user.id())
        .await?
        .require(Action::Ban)?;
    let rows = store::bans::page(db.conn(), space_id.0, (at, user_id), pager.fetch()).await?;
    let (rows, next) = pager.page(rows, |row| [row.banned_at, row.user.id]);
    Ok(Page::new(
        rows.iter()
            .map(|row| display(space_id, row, user.id()))
            .collect(),
        next,
    ))
}
