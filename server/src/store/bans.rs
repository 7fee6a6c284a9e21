//! `space_bans`.

use super::{Conn, Millis, StoreResult, run, users::UserRow, users::joined_columns};

/// A ban, with the banned user.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BanRow {
    #[sqlx(flatten)]
    pub user: UserRow,
    pub banned_by: Option<i64>,
    /// The banner's summary (`NULL` once that account is gone), joined.
    pub banned_by_username: Option<String>,
    pub banned_by_display_name: Option<String>,
    pub banned_by_pfp: Option<String>,
    pub banned_at: Millis,
}

/// Bans a user. An existing ban fails with a `Unique` error naming `space_bans`.
pub async fn insert(
    conn: Conn<'_>,
    space_id: i64,
    user_id: i64,
    banned_by: i64,
    now: Millis,
) -> StoreResult<()> {
    run!(
        conn,
        execute,
        "INSERT INTO space_bans (space_id, user_id, banned_by, created_at) VALUES ($1, $2, $3, $4)",
        space_id,
        user_id,
        banned_by,
        now
    )?;
    Ok(())
}

/// False when the user was not banned.
pub async fn delete(conn: Conn<'_>, space_id: i64, user_id: i64) -> StoreResult<bool> {
    Ok(run!(
        conn,
        execute,
        "DELETE FROM space_bans WHERE space_id = $1 AND user_id = $2",
        space_id,
        user_id
    )? == 1)
}

pub async fn is_banned(conn: Conn<'_>, space_id: i64, user_id: i64) -> StoreResult<bool> {
    Ok(run!(conn, fetch_optional, scalar i64,
        "SELECT user_id FROM space_bans WHERE space_id = $1 AND user_id = $2", space_id, user_id)?
    .is_some())
}

pub async fn get(conn: Conn<'_>, space_id: i64, user_id: i64) -> StoreResult<Option<BanRow>> {
    let sql = concat!(
        "SELECT ",
        joined_columns!(),
        ", b.banned_by, bb.username AS banned_by_username, bb.display_name AS banned_by_display_name, \
         bb.pfp AS banned_by_pfp, b.created_at AS banned_at FROM space_bans b \
         JOIN users u ON u.id = b.user_id LEFT JOIN users bb ON bb.id = b.banned_by \
         WHERE b.space_id = $1 AND b.user_id = $2"
    );
    Ok(run!(conn, fetch_optional, as BanRow, sql, space_id, user_id)?)
}

/// Bans newest first (ties by user id, descending), after the key `before`.
pub async fn page(
    conn: Conn<'_>,
    space_id: i64,
    before: (Millis, i64),
    limit: i64,
) -> StoreResult<Vec<BanRow>> {
    let sql = concat!(
        "SELECT ",
        joined_columns!(),
        ", b.banned_by, bb.username AS banned_by_username, bb.display_name AS banned_by_display_name, \
         bb.pfp AS banned_by_pfp, b.created_at AS banned_at FROM space_bans b \
         JOIN users u ON u.id = b.user_id LEFT JOIN users bb ON bb.id = b.banned_by \
         WHERE b.space_id = $1 AND (b.created_at < $2 OR (b.created_at = $2 AND b.user_id < $3)) \
         ORDER BY b.created_at DESC, b.user_id DESC LIMIT $4"
    );
    Ok(run!(conn, fetch_all, as BanRow, sql, space_id, before.0, before.1, limit)?)
}
