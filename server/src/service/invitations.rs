//! Invitations: owner and moderators make them; anyone holding the token joins with it,
//! up to `max_uses` people, until it expires or is revoked. Only a hash of the token
//! is stored.

use socmel_api_types::{
    Detail, InvitationId, Page, SpaceId, Timestamp, UserId,
    events::MembershipChange,
    invitations::{InvitationCreate, InvitationDisplay},
    notifications::NotificationKind,
    spaces::JoinedSpace,
};

use super::{
    Bad, Missing, Refusal, ServiceError, ServiceResult, Services, Taken,
    auth::AuthUser,
    notifications::{self, About},
    now,
    pagination::Paging,
    permissions::{Action, Role},
    spaces::{self, membership, membership_changed},
    tokens::{random_token, token_hash},
    validation::Validation,
};
use crate::store::{
    self,
    invitations::{InvitationRow, NewInvitation},
};

fn display(row: &InvitationRow, token: Option<String>) -> InvitationDisplay {
    InvitationDisplay {
        max_uses: row.max_uses,
        expires_at: Timestamp::from_millis(row.expires_at),
        id: InvitationId(row.id),
        token,
        space_id: SpaceId(row.space_id),
        current_uses: row.current_uses,
        created_by: row.created_by.map(UserId),
        created_by_user: super::users::joined_summary(
            row.created_by,
            &row.created_by_username,
            &row.created_by_display_name,
            &row.created_by_pfp,
        ),
        created_at: Timestamp::from_millis(row.created_at),
    }
}

/// Owner and moderators: a new invitation. Its token is in this answer only.
pub async fn create(
    svc: &Services,
    user: &AuthUser,
    space_id: SpaceId,
    input: InvitationCreate,
) -> ServiceResult<InvitationDisplay> {
    let at = now();
    let expires_at = input.expires_at.millis();
    Validation::default()
        .check(input.max_uses >= 1, "max_uses", "at least 1")
        .check(expires_at > at, "expires_at", "must be in the future")
        .finish()?;
    let token = random_token();
    let mut tx = svc.store().begin().await?;
    membership(tx.conn(), space_id, user.id())
        .await?
        .require(Action::ManageInvitations)?;
    let new = NewInvitation {
        space_id: space_id.0,
        token_hash: &token_hash(&token),
        max_uses: input.max_uses,
        expires_at,
        created_by: user.id().0,
        now: at,
    };
    let row = store::invitations::insert(tx.conn(), new).await?;
    tx.commit().await?;
    Ok(display(&row, Some(token)))
}

/// Owner and moderators: the space's invitations, newest first, without tokens.
pub async fn list(
    svc: &Services,
    user: &AuthUser,
    space_id: SpaceId,
    paging: Paging,
) -> ServiceResult<Page<InvitationDisplay>> {
    let pager = paging.pager([i64::MAX])?;
    let [before] = pager.after;
    let mut db = svc.store().reader().await?;
    membership(db.conn(), space_id, user.id())
        .await?
        .require(Action::ManageInvitations)?;
    let rows = store::invitations::page(db.conn(), space_id.0, before, pager.fetch()).await?;
    let (rows, next) = pager.page(rows, |row| [row.id]);
    Ok(Page::new(
        rows.iter().map(|row| display(row, None)).collect(),
        next,
    ))
}

/// Owner and moderators: deletes an invitation; its token stops working at once.
pub async fn revoke(
    svc: &Services,
    user: &AuthUser,
    space_id: SpaceId,
    invitation_id: InvitationId,
) -> ServiceResult<Detail> {
    let mut tx = svc.store().begin().await?;
    membership(tx.conn(), space_id, user.id())
        .await?
        .require(Action::ManageInvitations)?;
    if !store::invitations::delete(tx.conn(), space_id.0, invitation_id.0).await? {
        return Err(ServiceError::NotFound(Missing::Invitation));
    }
    tx.commit().await?;
    Ok(Detail::new("Invitation revoked"))
}

/// Joins the space with an invitation token. The use is counted by one conditional
/// `UPDATE` in the joining transaction, so `max_uses` holds under any concurrency.
pub async fn join(
    svc: &Services,
    user: &AuthUser,
    space_id: SpaceId,
    token: &str,
) -> ServiceResult<JoinedSpace> {
    let at = now();
    let me = user.id().0;
    let mut tx = svc.store().begin().await?;
    if !store::spaces::exists(tx.conn(), space_id.0).await? {
        return Err(ServiceError::NotFound(Missing::Space));
    }
    let invitation = store::invitations::by_token(tx.conn(), space_id.0, &token_hash(token))
        .await?
        .ok_or_else(|| ServiceError::NotFound(Missing::Invitation))?;
    if store::bans::is_banned(tx.conn(), space_id.0, me).await? {
        return Err(ServiceError::Forbidden(Refusal::Banned));
    }
    if invitation.expires_at <= at {
        return Err(ServiceError::BadRequest(Bad::InvitationExpired));
    }
    if invitation.current_uses >= invitation.max_uses {
        return Err(ServiceError::BadRequest(Bad::InvitationUsedUp));
    }
    if store::spaces::member_role(tx.conn(), space_id.0, me)
        .await?
        .is_some()
    {
        return Err(ServiceError::Taken(Taken::Membership));
    }
    // What was read above may be stale under PostgreSQL; this statement decides.
    if !store::invitations::consume(tx.conn(), invitation.id, at).await? {
        return Err(ServiceError::BadRequest(Bad::InvitationUsedUp));
    }
    store::spaces::add_member(tx.conn(), space_id.0, me, Role::Member.as_str(), at).await?;
    store::spaces::add_to_members_nbr(tx.conn(), space_id.0, 1).await?;
    let space = store::spaces::by_id(tx.conn(), space_id.0)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Missing::Space))?;
    tx.commit().await?;
    membership_changed(svc, space_id, &[user.id()], MembershipChange::Joined).await;
    if let Some(inviter) = invitation.created_by {
        let about = About {
            space_id: Some(space_id),
            ..About::default()
        };
        notifications::notify(
            svc,
            UserId(inviter),
            NotificationKind::InvitationUsed,
            user.id(),
            about,
        )
        .await;
    }
    Ok(JoinedSpace {
        message: "You have joined the space".into(),
        space: spaces::display(&space, Some(Role::Member)),
    })
}
