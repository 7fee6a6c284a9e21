//! `message_attachments`.

use super::{Conn, Millis, StoreResult, run};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MessageAttachmentRow {
    pub id: i64,
    pub message_id: Option<i64>,
    pub file: String,
    pub file_key: String,
}

pub struct NewMessageAttachment<'a> {
    pub uploader_id: i64,
    pub file: &'a str,
    pub file_key: &'a str,
    pub content_type: &'a str,
    pub size_bytes: i64,
    pub now: Millis,
}

pub async fn insert(
    conn: Conn<'_>,
    new: NewMessageAttachment<'_>,
) -> StoreResult<MessageAttachmentRow> {
    Ok(run!(conn, fetch_one, as MessageAttachmentRow,
        "INSERT INTO message_attachments (uploader_id, file, file_key, content_type, size_bytes, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, message_id, file, file_key",
        new.uploader_id, new.file, new.file_key, new.content_type, new.size_bytes, new.now)?)
}

/// Gives one of `uploader`'s unclaimed attachments to `message_id`; false when it is not
/// theirs or already carried by a message.
pub async fn claim(
    conn: Conn<'_>,
    id: i64,
    uploader_id: i64,
    message_id: i64,
) -> StoreResult<bool> {
    Ok(run!(
        conn,
        execute,
        "UPDATE message_attachments SET message_id = $3 \
         WHERE id = $1 AND uploader_id = $2 AND message_id IS NULL",
        id,
        uploader_id,
        message_id
    )? == 1)
}

/// The attachments of a message, in upload order.
pub async fn of_message(conn: Conn<'_>, message_id: i64) -> StoreResult<Vec<MessageAttachmentRow>> {
    Ok(run!(conn, fetch_all, as MessageAttachmentRow,
        "SELECT id, message_id, file, file_key FROM message_attachments \
         WHERE message_id = $1 ORDER BY id", message_id)?)
}

/// The attachments of the messages whose ids lie in `low..=high` (a page of history);
/// callers keep those of the messages they hold.
pub async fn in_range(
    conn: Conn<'_>,
    low: i64,
    high: i64,
) -> StoreResult<Vec<MessageAttachmentRow>> {
    Ok(run!(conn, fetch_all, as MessageAttachmentRow,
        "SELECT id, message_id, file, file_key FROM message_attachments \
         WHERE message_id BETWEEN $1 AND $2 ORDER BY id", low, high)?)
}

/// Forgets uploads no message claimed before `cutoff`; returns their storage keys.
pub async fn delete_unclaimed(conn: Conn<'_>, cutoff: Millis) -> StoreResult<Vec<String>> {
    Ok(run!(conn, fetch_all, scalar String,
        "DELETE FROM message_attachments WHERE message_id IS NULL AND created_at < $1 \
         RETURNING file_key", cutoff)?)
}
