//! `spaces`, `space_members`.

use super::{Conn, Millis, StoreResult, run, users::UserRow, users::joined_columns};

/// The columns of [`SpaceRow`], for `concat!` into static query texts.
/// The owner's summary comes by primary-key subqueries, which also work in `RETURNING`.
macro_rules! columns {
    () => {
        "id, name, owner_id, members_nbr, founded_on, \
         (SELECT username FROM users WHERE users.id = owner_id) AS owner_username, \
         (SELECT display_name FROM users WHERE users.id = owner_id) AS owner_display_name, \
         (SELECT pfp FROM users WHERE users.id = owner_id) AS owner_pfp"
    };
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SpaceRow {
    pub id: i64,
    pub name: String,
    pub owner_id: i64,
    pub members_nbr: i64,
    pub founded_on: Millis,
    /// The owner's summary (`None` only if the owner's row vanished).
    pub owner_username: Option<String>,
    pub owner_display_name: Option<String>,
    pub owner_pfp: Option<String>,
}

/// A space of a user's, with their role in it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MySpaceRow {
    #[sqlx(flatten)]
    pub space: SpaceRow,
    pub role: String,
}

/// A member: the user, their role and when they joined.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MemberRow {
    #[sqlx(flatten)]
    pub user: UserRow,
    pub role: String,
    pub joined_at: Millis,
}

pub async fn exists(conn: Conn<'_>, space_id: i64) -> StoreResult<bool> {
    Ok(
        run!(conn, fetch_optional, scalar i64, "SELECT id FROM spaces WHERE id = $1", space_id)?
            .is_some(),
    )
}

/// Inserts a space counting one member (its owner, whom the caller adds).
/// A taken name fails with a `Unique` error naming `spaces_name_key`.
pub async fn insert(
    conn: Conn<'_>,
    name: &str,
    owner_id: i64,
    now: Millis,
) -> StoreResult<SpaceRow> {
    let sql = concat!(
        "INSERT INTO spaces (name, owner_id, members_nbr, founded_on) VALUES ($1, $2, 1, $3) \
         RETURNING ",
        columns!()
    );
    Ok(run!(conn, fetch_one, as SpaceRow, sql, name, owner_id, now)?)
}

pub async fn by_id(conn: Conn<'_>, space_id: i64) -> StoreResult<Option<SpaceRow>> {
    let sql = concat!("SELECT ", columns!(), " FROM spaces WHERE id = $1");
    Ok(run!(conn, fetch_optional, as SpaceRow, sql, space_id)?)
}

pub async fn rename(conn: Conn<'_>, space_id: i64, name: &str) -> StoreResult<Option<SpaceRow>> {
    let sql = concat!(
        "UPDATE spaces SET name = $2 WHERE id = $1 RETURNING ",
        columns!()
    );
    Ok(run!(conn, fetch_optional, as SpaceRow, sql, space_id, name)?)
}

pub async fn set_owner(
    conn: Conn<'_>,
    space_id: i64,
    owner_id: i64,
) -> StoreResult<Option<SpaceRow>> {
    let sql = concat!(
        "UPDATE spaces SET owner_id = $2 WHERE id = $1 RETURNING ",
        columns!()
    );
    Ok(run!(conn, fetch_optional, as SpaceRow, sql, space_id, owner_id)?)
}

/// Deletes the space; rooms, members, bans and invitations go with it (cascades).
pub async fn delete(conn: Conn<'_>, space_id: i64) -> StoreResult<bool> {
    Ok(run!(conn, execute, "DELETE FROM spaces WHERE id = $1", space_id)? == 1)
}

/// Moves the member count by `delta`, in SQL, so concurrent joins never lose an update.
pub async fn add_to_members_nbr(conn: Conn<'_>, space_id: i64, delta: i64) -> StoreResult<()> {
    run!(
        conn,
        execute,
        "UPDATE spaces SET members_nbr = members_nbr + $2 WHERE id = $1",
        space_id,
        delta
    )?;
    Ok(())
}

/// Spaces whose lower-cased name matches the `LIKE` pattern (with `\` as the escape
/// character), after `after_id`, by id.
pub async fn directory(
    conn: Conn<'_>,
    pattern: &str,
    after_id: i64,
    limit: i64,
) -> StoreResult<Vec<SpaceRow>> {
    let sql = concat!(
        "SELECT ",
        columns!(),
        " FROM spaces WHERE id > $1 AND lower(name) LIKE $2 ESCAPE '\\' ORDER BY id LIMIT $3"
    );
    Ok(run!(conn, fetch_all, as SpaceRow, sql, after_id, pattern, limit)?)
}

/// The user's spaces after `after_id`, by id.
pub async fn of_user(
    conn: Conn<'_>,
    user_id: i64,
    after_id: i64,
    limit: i64,
) -> StoreResult<Vec<MySpaceRow>> {
    let sql = "SELECT s.id, s.name, s.owner_id, s.members_nbr, s.founded_on, \
               o.username AS owner_username, o.display_name AS owner_display_name, \
               o.pfp AS owner_pfp, m.role \
               FROM space_members m JOIN spaces s ON s.id = m.space_id \
               JOIN users o ON o.id = s.owner_id \
               WHERE m.user_id = $1 AND s.id > $2 ORDER BY s.id LIMIT $3";
    Ok(run!(conn, fetch_all, as MySpaceRow, sql, user_id, after_id, limit)?)
}

/// Adds a member. An existing membership fails with a `Unique` error naming `space_members`.
pub async fn add_member(
    conn: Conn<'_>,
    space_id: i64,
    user_id: i64,
    role: &str,
    now: Millis,
) -> StoreResult<()> {
    run!(
        conn,
        execute,
        "INSERT INTO space_members (space_id, user_id, role, joined_at) VALUES ($1, $2, $3, $4)",
        space_id,
        user_id,
        role,
        now
    )?;
    Ok(())
}

/// False when the user was not a member.
pub async fn remove_member(conn: Conn<'_>, space_id: i64, user_id: i64) -> StoreResult<bool> {
    Ok(run!(
        conn,
        execute,
        "DELETE FROM space_members WHERE space_id = $1 AND user_id = $2",
        space_id,
        user_id
    )? == 1)
}

/// False when the user is not a member.
pub async fn set_role(
    conn: Conn<'_>,
    space_id: i64,
    user_id: i64,
    role: &str,
) -> StoreResult<bool> {
    Ok(run!(
        conn,
        execute,
        "UPDATE space_members SET role = $3 WHERE space_id = $1 AND user_id = $2",
        space_id,
        user_id,
        role
    )? == 1)
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

pub async fn member(conn: Conn<'_>, space_id: i64, user_id: i64) -> StoreResult<Option<MemberRow>> {
    let sql = concat!(
        "SELECT ",
        joined_columns!(),
        ", m.role, m.joined_at FROM space_members m JOIN users u ON u.id = m.user_id \
         WHERE m.space_id = $1 AND m.user_id = $2"
    );
    Ok(run!(conn, fetch_optional, as MemberRow, sql, space_id, user_id)?)
}

/// Members in the order they joined (ties by user id), after the key `after`.
pub async fn members(
    conn: Conn<'_>,
    space_id: i64,
    after: (Millis, i64),
    limit: i64,
) -> StoreResult<Vec<MemberRow>> {
    let sql = concat!(
        "SELECT ",
        joined_columns!(),
        ", m.role, m.joined_at FROM space_members m JOIN users u ON u.id = m.user_id \
         WHERE m.space_id = $1 AND (m.joined_at > $2 OR (m.joined_at = $2 AND m.user_id > $3)) \
         ORDER BY m.joined_at, m.user_id LIMIT $4"
    );
    Ok(run!(conn, fetch_all, as MemberRow, sql, space_id, after.0, after.1, limit)?)
}

/// Every member's id (to tell them the space is gone).
pub async fn member_ids(conn: Conn<'_>, space_id: i64) -> StoreResult<Vec<i64>> {
    Ok(run!(conn, fetch_all, scalar i64,
        "SELECT user_id FROM space_members WHERE space_id = $1 ORDER BY user_id", space_id)?)
}

/// Every space the user belongs to.
pub async fn space_ids_of(conn: Conn<'_>, user_id: i64) -> StoreResult<Vec<i64>> {
    Ok(run!(conn, fetch_all, scalar i64,
        "SELECT space_id FROM space_members WHERE user_id = $1 ORDER BY space_id", user_id)?)
}
