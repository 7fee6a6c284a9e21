//! `group_chats`, `group_members`.

use super::{Conn, StoreResult, run};

pub async fn is_member(conn: Conn<'_>, group_id: i64, user_id: i64) -> StoreResult<bool> {
    Ok(run!(conn, fetch_optional, scalar i64,
        "SELECT group_id FROM group_members WHERE group_id = $1 AND user_id = $2", group_id, user_id)?
        .is_some())
}

/// Every group chat the user belongs to.
pub async fn group_ids_of(conn: Conn<'_>, user_id: i64) -> StoreResult<Vec<i64>> {
    Ok(run!(conn, fetch_all, scalar i64,
        "SELECT group_id FROM group_members WHERE user_id = $1 ORDER BY group_id", user_id)?)
}
