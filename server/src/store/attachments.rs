//! `post_attachments`: one row per stored image of a post.

use super::{
    Conn, Millis, StoreResult,
    posts::{fetch_all_with_ids, placeholders},
    run,
};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AttachmentRow {
    pub id: i64,
    pub post_id: i64,
    pub file: String,
    pub file_public_id: String,
}

pub struct NewAttachment<'a> {
    pub post_id: i64,
    pub file: &'a str,
    pub key: &'a str,
    pub content_type: &'a str,
    pub size_bytes: i64,
    pub now: Millis,
}

pub async fn insert(conn: Conn<'_>, new: NewAttachment<'_>) -> StoreResult<i64> {
    Ok(run!(conn, fetch_one, scalar i64,
        "INSERT INTO post_attachments (post_id, file, file_public_id, content_type, size_bytes, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        new.post_id, new.file, new.key, new.content_type, new.size_bytes, new.now)?)
}

pub async fn count(conn: Conn<'_>, post_id: i64) -> StoreResult<i64> {
    Ok(run!(conn, fetch_one, scalar i64,
        "SELECT count(*) FROM post_attachments WHERE post_id = $1", post_id)?)
}

pub async fn get(
    conn: Conn<'_>,
    post_id: i64,
    attachment_id: i64,
) -> StoreResult<Option<AttachmentRow>> {
    Ok(run!(conn, fetch_optional, as AttachmentRow,
        "SELECT id, post_id, file, file_public_id FROM post_attachments \
         WHERE id = $1 AND post_id = $2", attachment_id, post_id)?)
}

pub async fn delete(conn: Conn<'_>, attachment_id: i64) -> StoreResult<bool> {
    Ok(run!(
        conn,
        execute,
        "DELETE FROM post_attachments WHERE id = $1",
        attachment_id
    )? == 1)
}

/// The storage keys of a post's attachments.
pub async fn keys_of_post(conn: Conn<'_>, post_id: i64) -> StoreResult<Vec<String>> {
    Ok(run!(conn, fetch_all, scalar String,
        "SELECT file_public_id FROM post_attachments WHERE post_id = $1 ORDER BY id", post_id)?)
}

/// The attachments of these posts, oldest first per post.
pub async fn of_posts(conn: Conn<'_>, post_ids: &[i64]) -> StoreResult<Vec<AttachmentRow>> {
    if post_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT id, post_id, file, file_public_id FROM post_attachments \
         WHERE post_id IN ({}) ORDER BY post_id, id",
        placeholders(1, post_ids.len())
    );
    Ok(fetch_all_with_ids!(conn, as AttachmentRow, sql, post_ids)?)
}
