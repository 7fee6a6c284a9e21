//! Follows: every follow is a request until the followed user accepts it. Only accepted
//! follows count as following (feed, followers-only posts, listings).

use crate::effects::Change;
use socmel_api_types::{
    FollowId, Page, Timestamp, UserId,
    follows::{FollowAck, FollowRelation, FollowState, FollowStatus, FollowUser},
    notifications::NotificationKind,
};

use super::{
    Bad, Missing, ServiceError, ServiceResult, Services, Taken,
    auth::AuthUser,
    notifications::{self, About},
    now,
    pagination::Paging,
    users::display,
};
use crate::store::{
    self, Db,
    follows::{FollowRow, Side},
};

const PENDING: &str = "pending";
const ACCEPTED: &str = "accepted";

fn ack(detail: &str, follow_id: i64) -> FollowAck {
    FollowAck {
        detail: detail.into(),
        follow_id: FollowId(follow_id),
    }
}

/// Asks to follow `user_id`.
pub async fn request(svc: &Services, me: &AuthUser, user_id: UserId) -> ServiceResult<FollowAck> {
    let mut tx = svc.store().begin().await?;
    store::users::by_id(tx.conn(), user_id.0)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Missing::FollowTarget))?;
    if user_id == me.id() {
        return Err(ServiceError::BadRequest(Bad::CannotFollowYourself));
    }
    if let Some(existing) = store::follows::between(tx.conn(), me.id().0, user_id.0).await? {
        return Err(if existing.status == ACCEPTED {
            ServiceError::BadRequest(Bad::AlreadyFollowing)
        } else {
            ServiceError::Taken(Taken::FollowRequest)
        });
    }
    // The unique (follower, followed) constraint settles two racing requests.
    let follow = store::follows::insert(tx.conn(), me.id().0, user_id.0, now()).await?;
    tx.commit().await?;
    notifications::notify(
        svc,
        user_id,
        NotificationKind::FollowRequest,
        me.id(),
        About::default(),
    )
    .await;
    Ok(ack(
        "The follow request has been sent successfully",
        follow.id,
    ))
}

/// Withdraws the caller's pending request `follow_id`.
pub async fn cancel(
    svc: &Services,
    me: &AuthUser,
    follow_id: FollowId,
) -> ServiceResult<FollowAck> {
    drop_pending(svc, me, follow_id, Side::Follower).await?;
    Ok(ack("Follow request cancelled", follow_id.0))
}

/// Accepts the request `follow_id` addressed to the caller.
pub async fn accept(
    svc: &Services,
    me: &AuthUser,
    follow_id: FollowId,
) -> ServiceResult<FollowAck> {
    let mut tx = svc.store().begin().await?;
    let follow = store::follows::by_id(tx.conn(), follow_id.0)
        .await?
        .filter(|follow| follow.followed_id == me.id().0)
        .ok_or_else(|| ServiceError::NotFound(Missing::FollowRequest))?;
    accept_row(svc, tx, me, &follow).await
}

/// Accepts the request of `user_id` to follow the caller.
pub async fn accept_from(
    svc: &Services,
    me: &AuthUser,
    user_id: UserId,
) -> ServiceResult<FollowAck> {
    let mut tx = svc.store().begin().await?;
    let follow = store::follows::between(tx.conn(), user_id.0, me.id().0)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Missing::FollowRequest))?;
    accept_row(svc, tx, me, &follow).await
}

/// Accepts `follow` (addressed to the caller), commits, and tells the follower.
async fn accept_row(
    svc: &Services,
    mut tx: store::Tx,
    me: &AuthUser,
    follow: &FollowRow,
) -> ServiceResult<FollowAck> {
    if follow.status == ACCEPTED
        || !store::follows::accept(tx.conn(), follow.id, me.id().0, now()).await?
    {
        return Err(ServiceError::BadRequest(Bad::RequestAlreadyAccepted));
    }
    tx.commit().await?;
    let follower = UserId(follow.follower_id);
    svc.committed(Change::Follows { viewer: follower });
    notifications::notify(
        svc,
        follower,
        NotificationKind::FollowAccepted,
        me.id(),
        About::default(),
    )
    .await;
    Ok(ack("Follow request accepted", follow.id))
}

/// Declines the pending request `follow_id` addressed to the caller.
pub async fn reject(
    svc: &Services,
    me: &AuthUser,
    follow_id: FollowId,
) -> ServiceResult<FollowAck> {
    drop_pending(svc, me, follow_id, Side::Followed).await?;
    Ok(ack("Follow request rejected", follow_id.0))
}

/// Deletes the pending request `follow_id` in which the caller is on `side`; 404 for any
/// other.
async fn drop_pending(
    svc: &Services,
    me: &AuthUser,
    follow_id: FollowId,
    side: Side,
) -> ServiceResult<()> {
    let mut db = svc.store().writer().await?;
    if !store::follows::delete_pending(db.conn(), follow_id.0, me.id().0, side).await? {
        return Err(ServiceError::NotFound(Missing::PendingFollowRequest));
    }
    Ok(())
}

/// Declines the pending request of `user_id` to follow the caller.
pub async fn reject_from(
    svc: &Services,
    me: &AuthUser,
    user_id: UserId,
) -> ServiceResult<FollowAck> {
    let mut db = svc.store().writer().await?;
    let id = store::follows::delete_between(db.conn(), user_id.0, me.id().0, PENDING)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Missing::PendingFollowRequest))?;
    Ok(ack("Follow request rejected", id))
}

/// Stops following `user_id`.
pub async fn unfollow(svc: &Services, me: &AuthUser, user_id: UserId) -> ServiceResult<FollowAck> {
    let mut db = svc.store().writer().await?;
    let id = store::follows::delete_between(db.conn(), me.id().0, user_id.0, ACCEPTED)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Missing::Followee))?;
    svc.committed(Change::Follows { viewer: me.id() });
    Ok(ack("Unfollowed successfully", id))
}

/// Removes `user_id` from the caller's followers.
pub async fn remove_follower(
    svc: &Services,
    me: &AuthUser,
    user_id: UserId,
) -> ServiceResult<FollowAck> {
    let mut db = svc.store().writer().await?;
    let id = store::follows::delete_between(db.conn(), user_id.0, me.id().0, ACCEPTED)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Missing::Follower))?;
    svc.committed(Change::Follows { viewer: user_id });
    Ok(ack("Follower removed successfully", id))
}

/// Where the caller and `user_id` stand.
pub async fn status(svc: &Services, me: &AuthUser, user_id: UserId) -> ServiceResult<FollowStatus> {
    let mut db = svc.store().reader().await?;
    require_user(&mut db, user_id).await?;
    let mine = store::follows::between(db.conn(), me.id().0, user_id.0).await?;
    let theirs = store::follows::between(db.conn(), user_id.0, me.id().0).await?;
    let status = match &mine {
        None => FollowRelation::None,
        Some(follow) if follow.status == ACCEPTED => FollowRelation::Following,
        Some(_) => FollowRelation::Pending,
    };
    Ok(FollowStatus {
        status,
        follow_id: mine.map(|follow| FollowId(follow.id)),
        follows_me: theirs.is_some_and(|follow| follow.status == ACCEPTED),
    })
}

/// Pending requests addressed to the caller.
pub async fn requests(
    svc: &Services,
    me: &AuthUser,
    query: Paging,
) -> ServiceResult<Page<FollowUser>> {
    listing(svc, me, me.id(), Side::Followed, PENDING, query).await
}

/// Who follows `user_id` (accepted follows).
pub async fn followers(
    svc: &Services,
    me: &AuthUser,
    user_id: UserId,
    query: Paging,
) -> ServiceResult<Page<FollowUser>> {
    listing(svc, me, user_id, Side::Followed, ACCEPTED, query).await
}

/// Whom `user_id` follows (accepted follows).
pub async fn following(
    svc: &Services,
    me: &AuthUser,
    user_id: UserId,
    query: Paging,
) -> ServiceResult<Page<FollowUser>> {
    listing(svc, me, user_id, Side::Follower, ACCEPTED, query).await
}

/// The users on the other side of `user_id`'s follows, newest follow first.
async fn listing(
    svc: &Services,
    me: &AuthUser,
    user_id: UserId,
    side: Side,
    status: &str,
    query: Paging,
) -> ServiceResult<Page<FollowUser>> {
    let pager = query.pager([i64::MAX])?;
    let [before] = pager.after;
    let mut db = svc.store().reader().await?;
    if user_id != me.id() {
        require_user(&mut db, user_id).await?;
    }
    let rows =
        store::follows::listed(db.conn(), user_id.0, side, status, before, pager.fetch()).await?;
    let (rows, next) = pager.page(rows, |row| [row.follow_id]);
    let items = rows
        .into_iter()
        .map(|row| FollowUser {
            user: display(&row.user, Some(me.id())),
            follow_id: FollowId(row.follow_id),
            follow_status: if row.follow_status == ACCEPTED {
                FollowState::Accepted
            } else {
                FollowState::Pending
            },
            follow_created_at: Timestamp::from_millis(row.follow_created_at),
        })
        .collect();
    Ok(Page::new(items, next))
}

async fn require_user(db: &mut Db, user_id: UserId) -> ServiceResult<()> {
    store::users::by_id(db.conn(), user_id.0)
        .await?
        .map(|_| ())
        .ok_or_else(|| ServiceError::NotFound(Missing::User))
}
