//! Group chats: the owner adds and removes members, renames, hands over or deletes
//! the group; members see it and may leave.

use std::collections::BTreeSet;

use socmel_api_types::{
    Detail, GroupId, Page, Timestamp, UserId,
    events::{MembershipChange, MembershipScope},
    groups::{GroupChatCreate, GroupChatDisplay, GroupSummary, GroupUpdate},
    users::{UserDisplay, UserSummary},
};

use super::{
    Bad, Missing, Refusal, ServiceError, ServiceResult, Services,
    auth::AuthUser,
    now,
    pagination::Paging,
    permissions::{self, GroupAction, GroupRole},
    users,
    validation::{Validation, checked_name},
};
use crate::store::{
    self, Conn, Tx,
    groups::{GroupRow, GroupSummaryRow},
    users::UserRow,
};

/// The most members a group chat may have, its owner included. Keeps the member list
/// that every group answer carries bounded.
pub const MAX_GROUP_MEMBERS: i64 = 100;

/// A group and where the caller stands in it. Only [`access`] makes one.
struct GroupAccess {
    group: GroupRow,
    role: GroupRole,
}

impl GroupAccess {
    fn require(&self, action: GroupAction) -> ServiceResult<()> {
        permissions::group_require(self.role, action)
    }

    fn id(&self) -> GroupId {
        GroupId(self.group.id)
    }
}

/// 404 when there is no such group; otherwise the group with the caller's standing.
async fn access(
    mut conn: Conn<'_>,
    group_id: GroupId,
    user: &AuthUser,
) -> ServiceResult<GroupAccess> {
    let group = store::groups::by_id(conn.reborrow(), group_id.0)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Missing::Group))?;
    let role = if group.owner_id == user.id().0 {
        GroupRole::Owner
    } else if store::groups::is_member(conn, group_id.0, user.id().0).await? {
        GroupRole::Member
    } else {
        GroupRole::Outsider
    };
    Ok(GroupAccess { group, role })
}

fn display(group: &GroupRow, members: &[UserRow], viewer: UserId) -> GroupChatDisplay {
    GroupChatDisplay {
        name: group.name.clone(),
        id: GroupId(group.id),
        owner_id: UserId(group.owner_id),
        created_at: Timestamp::from_millis(group.created_at),
        members: member_displays(members, viewer),
        // The owner is always a member: named from the list already loaded.
        owner: members
            .iter()
            .find(|member| member.id == group.owner_id)
            .map(|owner| users::display(owner, None).summary()),
    }
}

fn summary(row: &GroupSummaryRow) -> GroupSummary {
    GroupSummary {
        name: row.group.name.clone(),
        id: GroupId(row.group.id),
        owner_id: UserId(row.group.owner_id),
        created_at: Timestamp::from_millis(row.group.created_at),
        members_nbr: row.members_nbr,
        owner: UserSummary {
            id: UserId(row.group.owner_id),
            username: row.owner_username.clone(),
            display_name: row.owner_display_name.clone(),
            pfp: row.owner_pfp.clone(),
        },
    }
}

fn member_displays(members: &[UserRow], viewer: UserId) -> Vec<UserDisplay> {
    members
        .iter()
        .map(|row| users::display(row, Some(viewer)))
        .collect()
}

/// Every member, by user id; bounded by [`MAX_GROUP_MEMBERS`].
async fn all_members(conn: Conn<'_>, group_id: GroupId) -> ServiceResult<Vec<UserRow>> {
    Ok(store::groups::members(conn, group_id.0, 0, MAX_GROUP_MEMBERS).await?)
}

/// Call once a change of `users`' membership has committed ([`super::membership::changed`]).
async fn publish(svc: &Services, group_id: GroupId, users: &[UserId], change: MembershipChange) {
    super::membership::changed(svc, MembershipScope::Group, group_id.0, users, change).await;
}

/// 404 naming the user when they do not exist.
async fn require_user(conn: Conn<'_>, user_id: UserId) -> ServiceResult<()> {
    match store::users::by_id(conn, user_id.0).await? {
        Some(_) => Ok(()),
        None => Err(ServiceError::NotFound(Missing::GroupUser)),
    }
}

/// Creates a group owned by the caller with the listed users in it. Unknown ids are
/// refused (404 naming them) rather than skipped.
pub async fn create(
    svc: &Services,
    user: &AuthUser,
    input: GroupChatCreate,
) -> ServiceResult<GroupChatDisplay> {
    let name = checked_name(&input.name)?;
    let others: BTreeSet<i64> = input
        .members
        .unwrap_or_default()
        .into_iter()
        .map(|id| id.0)
        .filter(|&id| id != user.id().0)
        .collect();
    let max_others = usize::try_from(MAX_GROUP_MEMBERS - 1).unwrap_or(0);
    Validation::default()
        .check(
            others.len() <= max_others,
            "members",
            "at most 100 members, the creator included",
        )
        .finish()?;
    let at = now();
    let mut tx = svc.store().begin().await?;
    let mut unknown = Vec::new();
    for &id in &others {
        if store::users::by_id(tx.conn(), id).await?.is_none() {
            unknown.push(id);
        }
    }
    if !unknown.is_empty() {
        return Err(ServiceError::NotFound(Missing::Users(unknown)));
    }
    let group = store::groups::insert(tx.conn(), name, user.id().0, at).await?;
    let group_id = GroupId(group.id);
    store::groups::add_member(tx.conn(), group.id, user.id().0, at).await?;
    for &id in &others {
        store::groups::add_member(tx.conn(), group.id, id, at).await?;
    }
    let members = all_members(tx.conn(), group_id).await?;
    tx.commit().await?;
    let joined: Vec<UserId> = members.iter().map(|member| UserId(member.id)).collect();
    publish(svc, group_id, &joined, MembershipChange::Joined).await;
    Ok(display(&group, &members, user.id()))
}

/// Members only: the group with its members.
pub async fn view(
    svc: &Services,
    user: &AuthUser,
    group_id: GroupId,
) -> ServiceResult<GroupChatDisplay> {
    let mut db = svc.store().reader().await?;
    let group = access(db.conn(), group_id, user).await?;
    group.require(GroupAction::View)?;
    let members = all_members(db.conn(), group_id).await?;
    Ok(display(&group.group, &members, user.id()))
}

/// Members only: the members, by user id, one page at a time.
pub async fn members(
    svc: &Services,
    user: &AuthUser,
    group_id: GroupId,
    paging: Paging,
) -> ServiceResult<Page<UserDisplay>> {
    let pager = paging.pager([0])?;
    let [after] = pager.after;
    let mut db = svc.store().reader().await?;
    access(db.conn(), group_id, user)
        .await?
        .require(GroupAction::View)?;
    let rows = store::groups::members(db.conn(), group_id.0, after, pager.fetch()).await?;
    let (rows, next) = pager.page(rows, |row| [row.id]);
    Ok(Page::new(member_displays(&rows, user.id()), next))
}

/// The owner adds a user (idempotent); answers the members.
pub async fn add_member(
    svc: &Services,
    user: &AuthUser,
    group_id: GroupId,
    target: UserId,
) -> ServiceResult<Vec<UserDisplay>> {
    let (mut tx, group) = acting_on(svc, user, group_id, GroupAction::AddMember, target).await?;
    let already = store::groups::is_member(tx.conn(), group_id.0, target.0).await?;
    if !already && store::groups::member_count(tx.conn(), group_id.0).await? >= MAX_GROUP_MEMBERS {
        return Err(ServiceError::BadRequest(Bad::GroupFull));
    }
    let added = store::groups::add_member(tx.conn(), group_id.0, target.0, now()).await?;
    let change = added.then_some((target, MembershipChange::Joined));
    commit_members(svc, tx, group.id(), user, change).await
}

/// The owner removes a member (a no-op for non-members); answers the members.
pub async fn remove_member(
    svc: &Services,
    user: &AuthUser,
    group_id: GroupId,
    target: UserId,
) -> ServiceResult<Vec<UserDisplay>> {
    let (mut tx, group) = acting_on(svc, user, group_id, GroupAction::RemoveMember, target).await?;
    if target == user.id() {
        return Err(ServiceError::Forbidden(Refusal::GroupRemoveYourself));
    }
    let removed = store::groups::remove_member(tx.conn(), group_id.0, target.0).await?;
    let change = removed.then_some((target, MembershipChange::Removed));
    commit_members(svc, tx, group.id(), user, change).await
}

/// A member leaves (the owner hands over or deletes instead); answers who remains.
pub async fn leave(
    svc: &Services,
    user: &AuthUser,
    group_id: GroupId,
) -> ServiceResult<Vec<UserDisplay>> {
    let mut tx = svc.store().begin().await?;
    let group = access(tx.conn(), group_id, user).await?;
    group.require(GroupAction::Leave)?;
    store::groups::remove_member(tx.conn(), group_id.0, user.id().0).await?;
    let change = Some((user.id(), MembershipChange::Left));
    commit_members(svc, tx, group.id(), user, change).await
}

/// The start of the owner's change to `target`'s membership: a transaction in which the
/// caller may take `action` and `target` exists.
async fn acting_on(
    svc: &Services,
    user: &AuthUser,
    group_id: GroupId,
    action: GroupAction,
    target: UserId,
) -> ServiceResult<(Tx, GroupAccess)> {
    let mut tx = svc.store().begin().await?;
    let group = access(tx.conn(), group_id, user).await?;
    group.require(action)?;
    require_user(tx.conn(), target).await?;
    Ok((tx, group))
}

/// The end of a membership change: reads the members as they now are, commits, then
/// publishes the change (if one happened) and answers the members.
async fn commit_members(
    svc: &Services,
    mut tx: Tx,
    group_id: GroupId,
    user: &AuthUser,
    change: Option<(UserId, MembershipChange)>,
) -> ServiceResult<Vec<UserDisplay>> {
    let members = all_members(tx.conn(), group_id).await?;
    tx.commit().await?;
    if let Some((member, change)) = change {
        publish(svc, group_id, &[member], change).await;
    }
    Ok(member_displays(&members, user.id()))
}

/// The owner hands the group to another member; answers the new owner.
pub async fn pass_ownership(
    svc: &Services,
    user: &AuthUser,
    group_id: GroupId,
    target: UserId,
) -> ServiceResult<UserDisplay> {
    let mut tx = svc.store().begin().await?;
    access(tx.conn(), group_id, user)
        .await?
        .require(GroupAction::PassOwnership)?;
    let new_owner = store::users::by_id(tx.conn(), target.0)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Missing::GroupUser))?;
    if !store::groups::is_member(tx.conn(), group_id.0, target.0).await? {
        return Err(ServiceError::BadRequest(Bad::NotInGroup));
    }
    store::groups::set_owner(tx.conn(), group_id.0, target.0).await?;
    tx.commit().await?;
    Ok(users::display(&new_owner, Some(user.id())))
}

/// The owner renames the group.
pub async fn rename(
    svc: &Services,
    user: &AuthUser,
    group_id: GroupId,
    update: GroupUpdate,
) -> ServiceResult<GroupChatDisplay> {
    let name = checked_name(&update.name)?;
    let mut tx = svc.store().begin().await?;
    access(tx.conn(), group_id, user)
        .await?
        .require(GroupAction::Rename)?;
    let group = store::groups::rename(tx.conn(), group_id.0, name)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Missing::Group))?;
    let members = all_members(tx.conn(), group_id).await?;
    tx.commit().await?;
    Ok(display(&group, &members, user.id()))
}

/// The owner deletes the group with its memberships and messages, then tells every
/// former member.
pub async fn delete(svc: &Services, user: &AuthUser, group_id: GroupId) -> ServiceResult<Detail> {
    let mut tx = svc.store().begin().await?;
    access(tx.conn(), group_id, user)
        .await?
        .require(GroupAction::Delete)?;
    let former = store::groups::member_ids(tx.conn(), group_id.0).await?;
    store::groups::delete(tx.conn(), group_id.0).await?;
    tx.commit().await?;
    let former: Vec<UserId> = former.into_iter().map(UserId).collect();
    publish(svc, group_id, &former, MembershipChange::Deleted).await;
    Ok(Detail::new("Group deleted"))
}

/// The caller's groups, by id.
pub async fn mine(
    svc: &Services,
    user: &AuthUser,
    paging: Paging,
) -> ServiceResult<Page<GroupSummary>> {
    let pager = paging.pager([0])?;
    let [after] = pager.after;
    let mut db = svc.store().reader().await?;
    let rows = store::groups::of_user(db.conn(), user.id().0, after, pager.fetch()).await?;
    let (rows, next) = pager.page(rows, |row| [row.group.id]);
    Ok(Page::new(rows.iter().map(summary).collect(), next))
}
