//! `verification_codes`.

use super::{Conn, Millis, StoreResult, run};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CodeRow {
    pub id: i64,
    pub code_hash: String,
    pub attempts: i64,
    pub expires_at: Millis,
}

pub struct NewCode<'a> {
    pub email: &'a str,
    pub purpose: &'a str,
    pub code_hash: &'a str,
    pub now: Millis,
    pub expires_at: Millis,
}

/// Stores a code, replacing any earlier one for the same email and purpose.
pub async fn upsert(conn: Conn<'_>, new: NewCode<'_>) -> StoreResult<()> {
    run!(
        conn,
        execute,
        "INSERT INTO verification_codes (email, purpose, code_hash, attempts, created_at, expires_at) \
         VALUES ($1, $2, $3, 0, $4, $5) \
         ON CONFLICT (email, purpose) DO UPDATE SET code_hash = excluded.code_hash, \
         attempts = 0, created_at = excluded.created_at, expires_at = excluded.expires_at",
        new.email,
        new.purpose,
        new.code_hash,
        new.now,
        new.expires_at
    )?;
    Ok(())
}

pub async fn find(conn: Conn<'_>, email: &str, purpose: &str) -> StoreResult<Option<CodeRow>> {
    Ok(run!(conn, fetch_optional, as CodeRow,
        "SELECT id, code_hash, attempts, expires_at FROM verification_codes \
         WHERE email = $1 AND purpose = $2", email, purpose)?)
}

/// Counts a wrong try; returns the tries so far.
pub async fn add_attempt(conn: Conn<'_>, id: i64) -> StoreResult<i64> {
    Ok(run!(conn, fetch_one, scalar i64,
        "UPDATE verification_codes SET attempts = attempts + 1 WHERE id = $1 RETURNING attempts", id)?)
}

pub async fn delete(conn: Conn<'_>, id: i64) -> StoreResult<()> {
    run!(
        conn,
        execute,
        "DELETE FROM verification_codes WHERE id = $1",
        id
    )?;
    Ok(())
}

/// Removes codes past their life; returns how many.
pub async fn delete_expired(conn: Conn<'_>, now: Millis) -> StoreResult<u64> {
    Ok(run!(
        conn,
        execute,
        "DELETE FROM verification_codes WHERE expires_at <= $1",
        now
    )?)
}
