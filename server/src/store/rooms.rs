//! `rooms`.

use super::{Conn, Millis, StoreResult, run};

/// The columns of [`RoomRow`], for `concat!` into static query texts.
macro_rules! columns {
    () => {
        "id, space_id, name, created_at"
    };
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RoomRow {
    pub id: i64,
    pub space_id: i64,
    pub name: String,
    pub created_at: Millis,
}

/// Inserts a room. A name taken in the space fails with a `Unique` error naming
/// `rooms_space_name_key`.
pub async fn insert(
    conn: Conn<'_>,
    space_id: i64,
    name: &str,
    now: Millis,
) -> StoreResult<RoomRow> {
    let sql = concat!(
        "INSERT INTO rooms (space_id, name, created_at) VALUES ($1, $2, $3) RETURNING ",
        columns!()
    );
    Ok(run!(conn, fetch_one, as RoomRow, sql, space_id, name, now)?)
}

/// The room, if it belongs to that space.
pub async fn in_space(conn: Conn<'_>, space_id: i64, room_id: i64) -> StoreResult<Option<RoomRow>> {
    let sql = concat!(
        "SELECT ",
        columns!(),
        " FROM rooms WHERE id = $2 AND space_id = $1"
    );
    Ok(run!(conn, fetch_optional, as RoomRow, sql, space_id, room_id)?)
}

pub async fn rename(
    conn: Conn<'_>,
    space_id: i64,
    room_id: i64,
    name: &str,
) -> StoreResult<Option<RoomRow>> {
    let sql = concat!(
        "UPDATE rooms SET name = $3 WHERE id = $2 AND space_id = $1 RETURNING ",
        columns!()
    );
    Ok(run!(conn, fetch_optional, as RoomRow, sql, space_id, room_id, name)?)
}

/// False when there is no such room in the space.
pub async fn delete(conn: Conn<'_>, space_id: i64, room_id: i64) -> StoreResult<bool> {
    Ok(run!(
        conn,
        execute,
        "DELETE FROM rooms WHERE id = $2 AND space_id = $1",
        space_id,
        room_id
    )? == 1)
}

/// The space's rooms after `after_id`, by id (so `main` comes first).
pub async fn page(
    conn: Conn<'_>,
    space_id: i64,
    after_id: i64,
    limit: i64,
) -> StoreResult<Vec<RoomRow>> {
    let sql = concat!(
        "SELECT ",
        columns!(),
        " FROM rooms WHERE space_id = $1 AND id > $2 ORDER BY id LIMIT $3"
    );
    Ok(run!(conn, fetch_all, as RoomRow, sql, space_id, after_id, limit)?)
}
