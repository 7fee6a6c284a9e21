//! `refresh_tokens`: only SHA-256 hashes of the tokens are stored.

use super::{Conn, Millis, StoreResult, run};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RefreshTokenRow {
    pub user_id: i64,
    pub family: String,
    pub expires_at: Millis,
    pub used_at: Option<Millis>,
}

pub struct NewRefreshToken<'a> {
    pub user_id: i64,
    pub token_hash: &'a str,
    pub family: &'a str,
    pub now: Millis,
    pub expires_at: Millis,
}

pub async fn insert(conn: Conn<'_>, new: NewRefreshToken<'_>) -> StoreResult<()> {
    run!(
        conn,
        execute,
        "INSERT INTO refresh_tokens (user_id, token_hash, family, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
        new.user_id,
        new.token_hash,
        new.family,
        new.now,
        new.expires_at
    )?;
    Ok(())
}

pub async fn by_hash(conn: Conn<'_>, token_hash: &str) -> StoreResult<Option<RefreshTokenRow>> {
    Ok(run!(conn, fetch_optional, as RefreshTokenRow,
        "SELECT user_id, family, expires_at, used_at FROM refresh_tokens WHERE token_hash = $1",
        token_hash)?)
}

/// Marks a token spent; false when it already was (someone replayed it).
pub async fn mark_used(conn: Conn<'_>, token_hash: &str, now: Millis) -> StoreResult<bool> {
    let changed = run!(
        conn,
        execute,
        "UPDATE refresh_tokens SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL",
        token_hash,
        now
    )?;
    Ok(changed == 1)
}

/// Ends one login session: every token of the family goes.
pub async fn delete_family(conn: Conn<'_>, family: &str) -> StoreResult<u64> {
    Ok(run!(
        conn,
        execute,
        "DELETE FROM refresh_tokens WHERE family = $1",
        family
    )?)
}

pub async fn delete_for_user(conn: Conn<'_>, user_id: i64) -> StoreResult<u64> {
    Ok(run!(
        conn,
        execute,
        "DELETE FROM refresh_tokens WHERE user_id = $1",
        user_id
    )?)
}
