//! `spaces`, `space_members`.

use super::{Conn, StoreResult, run};

pub async fn exists(conn: Conn<'_>, space_id: i64) -> StoreResult<bool> {
    Ok(
        run!(conn, fetch_optional, scalar i64, "SELECT id FROM spaces WHERE id = $1", space_id)?
            .is_some(),
    )
}

/// The member's stored role, or `None` when they are not a member.
pub async fn member_role(
    conn: Conn<'_>,
    space_id: i64,
    user_id: i64,
) -> StoreResult<Option<String>> {
    Ok(run!(conn, fetch_optional, scalar String,
        "SELECT role FROM space_members WHERE space_id = $1 AND user_id = $2", space_id, user_id)?)
}

/// Every space the user belongs to.
pub async fn space_ids_of(conn: Conn<'_>, user_id: i64) -> StoreResult<Vec<i64>> {
    Ok(run!(conn, fetch_all, scalar i64,
        "SELECT space_id FROM space_members WHERE user_id = $1 ORDER BY space_id", user_id)?)
}
