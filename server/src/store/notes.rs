//! `notes`: at most one per user.

use super::{Conn, Millis, StoreResult, run};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NoteRow {
    pub content: String,
    pub created_at: Millis,
}

/// Writes the user's note, replacing any previous one and restarting its clock.
pub async fn upsert(
    conn: Conn<'_>,
    user_id: i64,
    content: &str,
    now: Millis,
) -> StoreResult<NoteRow> {
    Ok(run!(conn, fetch_one, as NoteRow,
        "INSERT INTO notes (user_id, content, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id) DO UPDATE SET content = excluded.content, \
         created_at = excluded.created_at RETURNING content, created_at",
        user_id, content, now)?)
}

/// The user's note if it was written after `since`.
pub async fn written_since(
    conn: Conn<'_>,
    user_id: i64,
    since: Millis,
) -> StoreResult<Option<NoteRow>> {
    Ok(run!(conn, fetch_optional, as NoteRow,
        "SELECT content, created_at FROM notes WHERE user_id = $1 AND created_at > $2",
        user_id, since)?)
}

pub async fn delete(conn: Conn<'_>, user_id: i64) -> StoreResult<bool> {
    Ok(run!(
        conn,
        execute,
        "DELETE FROM notes WHERE user_id = $1",
        user_id
    )? == 1)
}
