//! `group_chats`, `group_members`.

use super::{Conn, Millis, StoreResult, run, users::UserRow, users::joined_columns};

/// The columns of [`GroupRow`], for `concat!` into static query texts.
macro_rules! columns {
    () => {
        "id, name, owner_id, created_at"
    };
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GroupRow {
    pub id: i64,
    pub name: String,
    pub owner_id: i64,
    pub created_at: Millis,
}

/// A group in a listing, with its member count.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GroupSummaryRow {
    #[sqlx(flatten)]
    pub group: GroupRow,
    pub members_nbr: i64,
    /// The owner's summary, joined.
    pub owner_username: String,
    pub owner_display_name: Option<String>,
    pub owner_pfp: Option<String>,
}

pub async fn insert(
    conn: Conn<'_>,
    name: &str,
    owner_id: i64,
    now: Millis,
) -> StoreResult<GroupRow> {
    let sql = concat!(
        "INSERT INTO group_chats (name, owner_id, created_at) VALUES ($1, $2, $3) RETURNING ",
        columns!()
    );
    Ok(run!(conn, fetch_one, as GroupRow, sql, name, owner_id, now)?)
}

pub async fn by_id(conn: Conn<'_>, group_id: i64) -> StoreResult<Option<GroupRow>> {
    let sql = concat!("SELECT ", columns!(), " FROM group_chats WHERE id = $1");
    Ok(run!(conn, fetch_optional, as GroupRow, sql, group_id)?)
}

pub async fn rename(conn: Conn<'_>, group_id: i64, name: &str) -> StoreResult<Option<GroupRow>> {
    let sql = concat!(
        "UPDATE group_chats SET name = $2 WHERE id = $1 RETURNING ",
        columns!()
    );
    Ok(run!(conn, fetch_optional, as GroupRow, sql, group_id, name)?)
}

pub async fn set_owner(conn: Conn<'_>, group_id: i64, owner_id: i64) -> StoreResult<bool> {
    Ok(run!(
        conn,
        execute,
        "UPDATE group_chats SET owner_id = $2 WHERE id = $1",
        group_id,
        owner_id
    )? == 1)
}

/// Deletes the group; its memberships go with it (cascade).
pub async fn delete(conn: Conn<'_>, group_id: i64) -> StoreResult<bool> {
    Ok(run!(
        conn,
        execute,
        "DELETE FROM group_chats WHERE id = $1",
        group_id
    )? == 1)
}

/// Adds a member; false when they already were one.
pub async fn add_member(
    conn: Conn<'_>,
    group_id: i64,
    user_id: i64,
    now: Millis,
) -> StoreResult<bool> {
    Ok(run!(
        conn,
        execute,
        "INSERT INTO group_members (group_id, user_id, joined_at) VALUES ($1, $2, $3) \
         ON CONFLICT (group_id, user_id) DO NOTHING",
        group_id,
        user_id,
        now
    )? == 1)
}

/// False when the user was not a member.
pub async fn remove_member(conn: Conn<'_>, group_id: i64, user_id: i64) -> StoreResult<bool> {
    Ok(run!(
        conn,
        execute,
        "DELETE FROM group_members WHERE group_id = $1 AND user_id = $2",
        group_id,
        user_id
    )? == 1)
}

pub async fn is_member(conn: Conn<'_>, group_id: i64, user_id: i64) -> StoreResult<bool> {
    Ok(run!(conn, fetch_optional, scalar i64,
        "SELECT group_id FROM group_members WHERE group_id = $1 AND user_id = $2", group_id, user_id)?
        .is_some())
}

pub async fn member_count(conn: Conn<'_>, group_id: i64) -> StoreResult<i64> {
    Ok(run!(conn, fetch_one, scalar i64,
        "SELECT COUNT(*) FROM group_members WHERE group_id = $1", group_id)?)
}

/// Members by user id, after `after_id`.
pub async fn members(
    conn: Conn<'_>,
    group_id: i64,
    after_id: i64,
    limit: i64,
) -> StoreResult<Vec<UserRow>> {
    let sql = concat!(
        "SELECT ",
        joined_columns!(),
        " FROM group_members m JOIN users u ON u.id = m.user_id \
         WHERE m.group_id = $1 AND m.user_id > $2 ORDER BY m.user_id LIMIT $3"
    );
    Ok(run!(conn, fetch_all, as UserRow, sql, group_id, after_id, limit)?)
}

/// Every member's id.
pub async fn member_ids(conn: Conn<'_>, group_id: i64) -> StoreResult<Vec<i64>> {
    Ok(run!(conn, fetch_all, scalar i64,
        "SELECT user_id FROM group_members WHERE group_id = $1 ORDER BY user_id", group_id)?)
}

/// The user's groups after `after_id`, by id.
pub async fn of_user(
    conn: Conn<'_>,
    user_id: i64,
    after_id: i64,
    limit: i64,
) -> StoreResult<Vec<GroupSummaryRow>> {
    let sql = "SELECT g.id, g.name, g.owner_id, g.created_at, \
               (SELECT COUNT(*) FROM group_members c WHERE c.group_id = g.id) AS members_nbr, \
               o.username AS owner_username, o.display_name AS owner_display_name, \
               o.pfp AS owner_pfp \
               FROM group_members m JOIN group_chats g ON g.id = m.group_id \
               JOIN users o ON o.id = g.owner_id \
               WHERE m.user_id = $1 AND g.id > $2 ORDER BY g.id LIMIT $3";
    Ok(run!(conn, fetch_all, as GroupSummaryRow, sql, user_id, after_id, limit)?)
}

/// Every group chat the user belongs to.
pub async fn group_ids_of(conn: Conn<'_>, user_id: i64) -> StoreResult<Vec<i64>> {
    Ok(run!(conn, fetch_all, scalar i64,
        "SELECT group_id FROM group_members WHERE user_id = $1 ORDER BY group_id", user_id)?)
}
