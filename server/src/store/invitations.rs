//! `space_invitations`: only SHA-256 hashes of the tokens are stored.

use super::{Conn, Millis, StoreResult, run};

/// The columns of [`InvitationRow`], for `concat!` into static query texts.
macro_rules! columns {
    () => {
        "id, space_id, max_uses, current_uses, expires_at, created_by, created_at, \
         (SELECT username FROM users WHERE users.id = created_by) AS created_by_username, \
         (SELECT display_name FROM users WHERE users.id = created_by) AS created_by_display_name, \
         (SELECT pfp FROM users WHERE users.id = created_by) AS created_by_pfp"
    };
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InvitationRow {
    pub id: i64,
    pub space_id: i64,
    pub max_uses: i64,
    pub current_uses: i64,
    pub expires_at: Millis,
    pub created_by: Option<i64>,
    pub created_at: Millis,
    /// The creator's summary (`NULL` once that account is gone), by primary-key
    /// subqueries that also work in `RETURNING`.
    pub created_by_username: Option<String>,
    pub created_by_display_name: Option<String>,
    pub created_by_pfp: Option<String>,
}

pub struct NewInvitation<'a> {
    pub space_id: i64,
    pub token_hash: &'a str,
    pub max_uses: i64,
    pub expires_at: Millis,
    pub created_by: i64,
    pub now: Millis,
}

pub async fn insert(conn: Conn<'_>, new: NewInvitation<'_>) -> StoreResult<InvitationRow> {
    let sql = concat!(
        "INSERT INTO space_invitations \
         (space_id, token_hash, max_uses, current_uses, expires_at, created_by, created_at) \
         VALUES ($1, $2, $3, 0, $4, $5, $6) RETURNING ",
        columns!()
    );
    Ok(run!(conn, fetch_one, as InvitationRow, sql,
        new.space_id, new.token_hash, new.max_uses, new.expires_at, new.created_by, new.now)?)
}

/// The invitation of that space with this token hash.
pub async fn by_token(
    conn: Conn<'_>,
    space_id: i64,
    token_hash: &str,
) -> StoreResult<Option<InvitationRow>> {
    let sql = concat!(
        "SELECT ",
        columns!(),
        " FROM space_invitations WHERE token_hash = $2 AND space_id = $1"
    );
    Ok(run!(conn, fetch_optional, as InvitationRow, sql, space_id, token_hash)?)
}

/// Counts one use, unless the invitation is used up or expired: the check and the
/// increment are one statement, so concurrent joins can never exceed `max_uses`.
pub async fn consume(conn: Conn<'_>, id: i64, now: Millis) -> StoreResult<bool> {
    Ok(run!(
        conn,
        execute,
        "UPDATE space_invitations SET current_uses = current_uses + 1 \
         WHERE id = $1 AND current_uses < max_uses AND expires_at > $2",
        id,
        now
    )? == 1)
}

/// False when the space has no such invitation.
pub async fn delete(conn: Conn<'_>, space_id: i64, id: i64) -> StoreResult<bool> {
    Ok(run!(
        conn,
        execute,
        "DELETE FROM space_invitations WHERE id = $2 AND space_id = $1",
        space_id,
        id
    )? == 1)
}

/// The space's invitations newest first, before `before_id`.
pub async fn page(
    conn: Conn<'_>,
    space_id: i64,
    before_id: i64,
    limit: i64,
) -> StoreResult<Vec<InvitationRow>> {
    let sql = concat!(
        "SELECT ",
        columns!(),
        " FROM space_invitations WHERE space_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3"
    );
    Ok(run!(conn, fetch_all, as InvitationRow, sql, space_id, before_id, limit)?)
}
