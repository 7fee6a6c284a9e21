//! `notifications`.

use super::{Conn, Millis, StoreResult, run};

macro_rules! columns {
    () => {
        "id, kind, actor_id, post_id, comment_id, space_id, message_id, created_at, read_at"
    };
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NotificationRow {
    pub id: i64,
    pub kind: String,
    pub actor_id: i64,
    pub post_id: Option<i64>,
    pub comment_id: Option<i64>,
    pub space_id: Option<i64>,
    pub message_id: Option<i64>,
    pub created_at: Millis,
    pub read_at: Option<Millis>,
}

pub struct NewNotification<'a> {
    pub user_id: i64,
    pub kind: &'a str,
    pub actor_id: i64,
    pub post_id: Option<i64>,
    pub comment_id: Option<i64>,
    pub space_id: Option<i64>,
    pub message_id: Option<i64>,
    pub now: Millis,
}

pub async fn insert(conn: Conn<'_>, new: NewNotification<'_>) -> StoreResult<NotificationRow> {
    let sql = concat!(
        "INSERT INTO notifications (user_id, kind, actor_id, post_id, comment_id, space_id, \
         message_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ",
        columns!()
    );
    Ok(run!(conn, fetch_one, as NotificationRow, sql,
        new.user_id, new.kind, new.actor_id, new.post_id, new.comment_id, new.space_id,
        new.message_id, new.now)?)
}

/// Newest first: `limit` notifications of the user with ids below `before`.
pub async fn page(
    conn: Conn<'_>,
    user_id: i64,
    before: i64,
    limit: i64,
) -> StoreResult<Vec<NotificationRow>> {
    let sql = concat!(
        "SELECT ",
        columns!(),
        " FROM notifications WHERE user_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3"
    );
    Ok(run!(conn, fetch_all, as NotificationRow, sql, user_id, before, limit)?)
}

pub async fn mark_read(conn: Conn<'_>, user_id: i64, id: i64, now: Millis) -> StoreResult<u64> {
    Ok(run!(
        conn,
        execute,
        "UPDATE notifications SET read_at = $3 WHERE user_id = $1 AND id = $2 AND read_at IS NULL",
        user_id,
        id,
        now
    )?)
}

pub async fn mark_all_read(conn: Conn<'_>, user_id: i64, now: Millis) -> StoreResult<u64> {
    Ok(run!(
        conn,
        execute,
        "UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL",
        user_id,
        now
    )?)
}
