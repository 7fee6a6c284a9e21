//! Spaces: create, edit, delete, the public view and directory, my spaces, leaving;
//! and the membership check every members-only rule starts from.

use socmel_api_types::{
    Detail, Notice, Page, SpaceId, Timestamp, UserId,
    events::{MembershipChange, MembershipScope},
    spaces::{SpaceCreate, SpaceDisplay, SpaceRole, SpaceUpdate},
    users::UserSummary,
};

use super::{
    Missing, Refusal, ServiceError, ServiceResult, Services,
    auth::AuthUser,
    now,
    pagination::Paging,
    permissions::{self, Action, Role},
    validation::{Validation, checked_name, escape_like},
};
use crate::store::{self, Conn, spaces::SpaceRow};

/// The room every space starts with.
const MAIN_ROOM: &str = "main";
/// Longest directory search text.
const MAX_QUERY_CHARS: usize = 100;

/// Proof that a user belongs to a space, with their role. Only [`require_member`] and
/// [`membership`] make one.
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

    /// Refuses with 403 unless the role allows `action` on a member whose role is `target`.
    pub fn require_over(&self, action: Action, target: Role) -> ServiceResult<()> {
        permissions::require_over(self.role, action, target)
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
    membership(db.conn(), space_id, user.id()).await
}

/// [`require_member`] on a given connection, so a write transaction can check and act
/// on the same snapshot.
pub(crate) async fn membership(
    mut conn: Conn<'_>,
    space_id: SpaceId,
    user_id: UserId,
) -> ServiceResult<SpaceMembership> {
    let Some(stored) = store::spaces::member_role(conn.reborrow(), space_id.0, user_id.0).await?
    else {
        return Err(if store::spaces::exists(conn, space_id.0).await? {
            ServiceError::Forbidden(Refusal::NotASpaceMember)
        } else {
            ServiceError::NotFound(Missing::Space)
        });
    };
    Ok(SpaceMembership {
        space_id,
        user_id,
        role: parse_role(&stored)?,
    })
}

/// Whether `actor` may remove what `author` wrote in the space (a post, a room
/// message): their own always; someone else's as [`permissions::may_act_on`] says,
/// with the author's role now (someone who left counts as a plain member). Nobody
/// removes the owner's words, and moderators only a plain member's.
pub(crate) async fn may_remove_content_of(
    mut conn: Conn<'_>,
    space_id: SpaceId,
    actor: Role,
    author: UserId,
) -> ServiceResult<bool> {
    let author_role =
        match store::spaces::member_role(conn.reborrow(), space_id.0, author.0).await? {
            Some(stored) => parse_role(&stored)?,
            None => Role::Member,
        };
    Ok(permissions::may_act_on(actor, author_role))
}

pub(crate) fn parse_role(stored: &str) -> ServiceResult<Role> {
    Role::parse(stored)
        .ok_or_else(|| ServiceError::internal(anyhow::anyhow!("unknown stored role {stored:?}")))
}

pub(crate) fn wire_role(role: Role) -> SpaceRole {
    match role {
        Role::Owner => SpaceRole::Owner,
        Role::Moderator => SpaceRole::Moderator,
        Role::Member => SpaceRole::Member,
    }
}

pub(crate) fn display(row: &SpaceRow, my_role: Option<Role>) -> SpaceDisplay {
    SpaceDisplay {
        name: row.name.clone(),
        id: SpaceId(row.id),
        owner_id: UserId(row.owner_id),
        members_nbr: row.members_nbr,
        founded_on: Timestamp::from_millis(row.founded_on),
        my_role: my_role.map(wire_role),
        owner: UserSummary {
            id: UserId(row.owner_id),
            username: row
                .owner_username
                .clone()
                .unwrap_or_else(|| row.owner_id.to_string()),
            display_name: row.owner_display_name.clone(),
            pfp: row.owner_pfp.clone(),
        },
    }
}

/// Call once a change of `users`' membership has committed: their feeds are made of
/// other spaces now, and the real-time hub tells whoever should know.
pub(crate) async fn membership_changed(
    svc: &Services,
    space_id: SpaceId,
    users: &[UserId],
    change: MembershipChange,
) {
    super::membership::changed(svc, MembershipScope::Space, space_id.0, users, change).await;
}

/// Creates the space with the caller as owner and its `main` room inside it.
pub async fn create(
    svc: &Services,
    user: &AuthUser,
    input: SpaceCreate,
) -> ServiceResult<SpaceDisplay> {
    let name = checked_name(&input.name)?;
    let at = now();
    let mut tx = svc.store().begin().await?;
    let space = store::spaces::insert(tx.conn(), name, user.id().0, at).await?;
    store::spaces::add_member(tx.conn(), space.id, user.id().0, Role::Owner.as_str(), at).await?;
    store::rooms::insert(tx.conn(), space.id, MAIN_ROOM, at).await?;
    tx.commit().await?;
    tracing::info!(space_id = space.id, "space created");
    membership_changed(
        svc,
        SpaceId(space.id),
        &[user.id()],
        MembershipChange::Joined,
    )
    .await;
    Ok(display(&space, Some(Role::Owner)))
}

/// Renames the space (owner only). Keeping its own name, in any case, is fine.
pub async fn edit(
    svc: &Services,
    user: &AuthUser,
    space_id: SpaceId,
    update: SpaceUpdate,
) -> ServiceResult<SpaceDisplay> {
    let name = update.name.as_deref().map(checked_name).transpose()?;
    let mut tx = svc.store().begin().await?;
    let member = membership(tx.conn(), space_id, user.id()).await?;
    member.require(Action::EditSpace)?;
    let row = match name {
        Some(name) => store::spaces::rename(tx.conn(), space_id.0, name).await?,
        None => store::spaces::by_id(tx.conn(), space_id.0).await?,
    }
    .ok_or_else(|| ServiceError::NotFound(Missing::Space))?;
    tx.commit().await?;
    Ok(display(&row, Some(member.role())))
}

/// Deletes the space with its rooms, members, bans and invitations (owner only), then
/// tells every former member.
pub async fn delete(svc: &Services, user: &AuthUser, space_id: SpaceId) -> ServiceResult<Notice> {
    let mut tx = svc.store().begin().await?;
    membership(tx.conn(), space_id, user.id())
        .await?
        .require(Action::DeleteSpace)?;
    let former = store::spaces::member_ids(tx.conn(), space_id.0).await?;
    store::spaces::delete(tx.conn(), space_id.0).await?;
    tx.commit().await?;
    tracing::info!(space_id = space_id.0, "space deleted");
    let former: Vec<UserId> = former.into_iter().map(UserId).collect();
    membership_changed(svc, space_id, &former, MembershipChange::Deleted).await;
    Ok(Notice::new("Space deleted"))
}

/// The public card of a space: its name, owner and size are not secret.
pub async fn view(svc: &Services, space_id: SpaceId) -> ServiceResult<SpaceDisplay> {
    let mut db = svc.store().reader().await?;
    let row = store::spaces::by_id(db.conn(), space_id.0)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Missing::Space))?;
    Ok(display(&row, None))
}

/// The spaces the caller belongs to, by id, with their role in each.
pub async fn mine(
    svc: &Services,
    user: &AuthUser,
    paging: Paging,
) -> ServiceResult<Page<SpaceDisplay>> {
    let pager = paging.pager([0])?;
    let [after] = pager.after;
    let mut db = svc.store().reader().await?;
    let rows = store::spaces::of_user(db.conn(), user.id().0, after, pager.fetch()).await?;
    let (rows, next) = pager.page(rows, |row| [row.space.id]);
    let items = rows
        .iter()
        .map(|row| Ok(display(&row.space, Some(parse_role(&row.role)?))))
        .collect::<ServiceResult<_>>()?;
    Ok(Page::new(items, next))
}

/// The public directory: every space, or those whose name contains `query`
/// (case-insensitively), by id.
pub async fn directory(
    svc: &Services,
    query: Option<&str>,
    paging: Paging,
) -> ServiceResult<Page<SpaceDisplay>> {
    let query = query.map(str::trim).unwrap_or_default();
    Validation::default()
        .check(
            query.chars().count() <= MAX_QUERY_CHARS,
            "q",
            "at most 100 characters",
        )
        .finish()?;
    let pager = paging.pager([0])?;
    let [after] = pager.after;
    let pattern = format!("%{}%", escape_like(&query.to_lowercase()));
    let mut db = svc.store().reader().await?;
    let rows = store::spaces::directory(db.conn(), &pattern, after, pager.fetch()).await?;
    let (rows, next) = pager.page(rows, |row| [row.id]);
    Ok(Page::new(
        rows.iter().map(|row| display(row, None)).collect(),
        next,
    ))
}

/// Leaves a space. The owner must hand it over or delete it first.
pub async fn leave(svc: &Services, user: &AuthUser, space_id: SpaceId) -> ServiceResult<Detail> {
    let mut tx = svc.store().begin().await?;
    membership(tx.conn(), space_id, user.id())
        .await?
        .require(Action::Leave)?;
    store::spaces::remove_member(tx.conn(), space_id.0, user.id().0).await?;
    store::spaces::add_to_members_nbr(tx.conn(), space_id.0, -1).await?;
    tx.commit().await?;
    membership_changed(svc, space_id, &[user.id()], MembershipChange::Left).await;
    Ok(Detail::new("You have left the space"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_wildcards_in_user_text_are_literal() {
        assert_eq!(escape_like("50%_off\\"), "50\\%\\_off\\\\");
        assert_eq!(escape_like("plain"), "plain");
    }

    #[test]
    fn roles_have_wire_names() {
        assert_eq!(wire_role(Role::Owner), SpaceRole::Owner);
        assert_eq!(wire_role(Role::Moderator), SpaceRole::Moderator);
        assert_eq!(wire_role(Role::Member), SpaceRole::Member);
    }
}
