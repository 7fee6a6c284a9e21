//! `follows`: one row per (follower, followed), `pending` until the followed user
//! accepts.

use super::{Conn, Millis, StoreResult, run, users::UserRow};

macro_rules! follow_columns {
    () => {
        "id, follower_id, followed_id, status, created_at"
    };
}

/// The listed user's columns (alias `u`) and the follow's (alias `f`).
macro_rules! listed_select {
    () => {
        concat!(
            "SELECT ",
            $crate::store::users::joined_columns!(),
            ", f.id AS follow_id, f.status AS follow_status, \
         f.created_at AS follow_created_at FROM follows f "
        )
    };
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FollowRow {
    pub id: i64,
    pub follower_id: i64,
    pub followed_id: i64,
    /// `pending` or `accepted`.
    pub status: String,
    pub created_at: Millis,
}

/// A user in a follow listing, with the follow that puts them there.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ListedRow {
    #[sqlx(flatten)]
    pub user: UserRow,
    pub follow_id: i64,
    pub follow_status: String,
    pub follow_created_at: Millis,
}

/// A pending follow. A second request for the same pair fails with a `Unique` error
/// naming `follows_pair_key` (or its columns).
pub async fn insert(
    conn: Conn<'_>,
    follower_id: i64,
    followed_id: i64,
    now: Millis,
) -> StoreResult<FollowRow> {
    let sql = concat!(
        "INSERT INTO follows (follower_id, followed_id, status, created_at) \
         VALUES ($1, $2, 'pending', $3) RETURNING ",
        follow_columns!()
    );
    Ok(run!(conn, fetch_one, as FollowRow, sql, follower_id, followed_id, now)?)
}

/// The follow of `followed_id` by `follower_id`, whatever its state.
pub async fn between(
    conn: Conn<'_>,
    follower_id: i64,
    followed_id: i64,
) -> StoreResult<Option<FollowRow>> {
    let sql = concat!(
        "SELECT ",
        follow_columns!(),
        " FROM follows WHERE follower_id = $1 AND followed_id = $2"
    );
    Ok(run!(conn, fetch_optional, as FollowRow, sql, follower_id, followed_id)?)
}

pub async fn by_id(conn: Conn<'_>, id: i64) -> StoreResult<Option<FollowRow>> {
    let sql = concat!("SELECT ", follow_columns!(), " FROM follows WHERE id = $1");
    Ok(run!(conn, fetch_optional, as FollowRow, sql, id)?)
}

/// Accepts the pending follow `id` addressed to `followed_id`; false when there is none.
pub async fn accept(conn: Conn<'_>, id: i64, followed_id: i64, now: Millis) -> StoreResult<bool> {
    Ok(run!(
        conn,
        execute,
        "UPDATE follows SET status = 'accepted', accepted_at = $3 \
         WHERE id = $1 AND followed_id = $2 AND status = 'pending'",
        id,
        followed_id,
        now
    )? == 1)
}

/// Deletes the follow of `followed_id` by `follower_id` if it is in `status`; its id.
pub async fn delete_between(
    conn: Conn<'_>,
    follower_id: i64,
    followed_id: i64,
    status: &str,
) -> StoreResult<Option<i64>> {
    Ok(run!(conn, fetch_optional, scalar i64,
        "DELETE FROM follows WHERE follower_id = $1 AND followed_id = $2 AND status = $3 \
         RETURNING id", follower_id, followed_id, status)?)
}

/// Deletes the follow `id` if it is pending and `user_id` is on the given side of it.
pub async fn delete_pending(
    conn: Conn<'_>,
    id: i64,
    user_id: i64,
    side: Side,
) -> StoreResult<bool> {
    let deleted = match side {
        Side::Follower => run!(
            conn,
            execute,
            "DELETE FROM follows WHERE id = $1 AND follower_id = $2 AND status = 'pending'",
            id,
            user_id
        )?,
        Side::Followed => run!(
            conn,
            execute,
            "DELETE FROM follows WHERE id = $1 AND followed_id = $2 AND status = 'pending'",
            id,
            user_id
        )?,
    };
    Ok(deleted == 1)
}

/// Which end of a follow a user is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Follower,
    Followed,
}

/// Who follows `user_id` (`Side::Followed`: the followers) or whom `user_id` follows
/// (`Side::Follower`: the following), in `status`, newest follow first, before the
/// follow id `before`.
pub async fn listed(
    conn: Conn<'_>,
    user_id: i64,
    side: Side,
    status: &str,
    before: i64,
    fetch: i64,
) -> StoreResult<Vec<ListedRow>> {
    match side {
        Side::Followed => {
            let sql = concat!(
                listed_select!(),
                "JOIN users u ON u.id = f.follower_id WHERE f.followed_id = $1 AND f.status = $2 \
                 AND f.id < $3 ORDER BY f.id DESC LIMIT $4"
            );
            Ok(run!(conn, fetch_all, as ListedRow, sql, user_id, status, before, fetch)?)
        }
        Side::Follower => {
            let sql = concat!(
                listed_select!(),
                "JOIN users u ON u.id = f.followed_id WHERE f.follower_id = $1 AND f.status = $2 \
                 AND f.id < $3 ORDER BY f.id DESC LIMIT $4"
            );
            Ok(run!(conn, fetch_all, as ListedRow, sql, user_id, status, before, fetch)?)
        }
    }
}

/// The accepted followers of a user.
pub async fn follower_ids(conn: Conn<'_>, user_id: i64) -> StoreResult<Vec<i64>> {
    Ok(run!(conn, fetch_all, scalar i64,
        "SELECT follower_id FROM follows WHERE followed_id = $1 AND status = 'accepted'", user_id)?)
}
