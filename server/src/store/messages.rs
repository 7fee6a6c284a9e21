//! `messages`, `conversation_reads`.

use super::{Conn, Millis, StoreResult, run, users::summary_columns};

/// The message's own columns, unqualified (for `RETURNING`).
macro_rules! own_columns {
    () => {
        "id, kind, conversation, sender_id, recipient_id, group_id, space_id, room_id, content, \
         parent_id, created_at, edited_at"
    };
}

/// The columns of a [`NamedMessageRow`]: message `m` joined with its sender `s` and,
/// for a DM, its recipient `r`, and the joins themselves, so a single message comes
/// with both names in one query.
macro_rules! select_named {
    () => {
        concat!(
            "SELECT m.id, m.kind, m.conversation, m.sender_id, m.recipient_id, m.group_id, \
             m.space_id, m.room_id, m.content, m.parent_id, m.created_at, m.edited_at, ",
            summary_columns!("s", "sender"),
            ", r.username AS recipient_username, r.display_name AS recipient_display_name, \
             r.pfp AS recipient_pfp \
             FROM messages m JOIN users s ON s.id = m.sender_id \
             LEFT JOIN users r ON r.id = m.recipient_id "
        )
    };
}

/// A message as stored. A page of them names its people separately (a conversation
/// has few: reading them once per page beats joining them into every row).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MessageRow {
    pub id: i64,
    pub kind: String,
    pub conversation: String,
    pub sender_id: i64,
    pub recipient_id: Option<i64>,
    pub group_id: Option<i64>,
    pub space_id: Option<i64>,
    pub room_id: Option<i64>,
    pub content: String,
    pub parent_id: Option<i64>,
    pub created_at: Millis,
    pub edited_at: Option<Millis>,
}

/// One message with the people it names, read in the same query.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NamedMessageRow {
    #[sqlx(flatten)]
    pub message: MessageRow,
    /// The sender's summary (see `store::users::summary_columns`); `sender_id` is the id.
    pub sender_username: String,
    pub sender_display_name: Option<String>,
    pub sender_pfp: Option<String>,
    /// A DM recipient's summary (`NULL` for group and room messages).
    pub recipient_username: Option<String>,
    pub recipient_display_name: Option<String>,
    pub recipient_pfp: Option<String>,
}

pub struct NewMessage<'a> {
    pub kind: &'a str,
    pub conversation: &'a str,
    pub sender_id: i64,
    pub recipient_id: Option<i64>,
    pub group_id: Option<i64>,
    pub space_id: Option<i64>,
    pub room_id: Option<i64>,
    pub content: &'a str,
    pub parent_id: Option<i64>,
    pub now: Millis,
}

pub async fn insert(conn: Conn<'_>, new: NewMessage<'_>) -> StoreResult<NamedMessageRow> {
    let sql = concat!(
        "INSERT INTO messages (kind, conversation, sender_id, recipient_id, group_id, space_id, \
         room_id, content, parent_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
         RETURNING ",
        own_columns!(),
        ", (SELECT username FROM users WHERE id = $3) AS sender_username, \
         (SELECT display_name FROM users WHERE id = $3) AS sender_display_name, \
         (SELECT pfp FROM users WHERE id = $3) AS sender_pfp, \
         (SELECT username FROM users WHERE id = $4) AS recipient_username, \
         (SELECT display_name FROM users WHERE id = $4) AS recipient_display_name, \
         (SELECT pfp FROM users WHERE id = $4) AS recipient_pfp"
    );
    Ok(run!(conn, fetch_one, as NamedMessageRow, sql,
        new.kind, new.conversation, new.sender_id, new.recipient_id, new.group_id, new.space_id,
        new.room_id, new.content, new.parent_id, new.now)?)
}

pub async fn by_id(conn: Conn<'_>, id: i64) -> StoreResult<Option<NamedMessageRow>> {
    let sql = concat!(select_named!(), "WHERE m.id = $1");
    Ok(run!(conn, fetch_optional, as NamedMessageRow, sql, id)?)
}

/// The `limit` newest messages of a conversation older than `before` (all, without
/// it), newest first, without their people (see [`MessageRow`]).
pub async fn history(
    conn: Conn<'_>,
    conversation: &str,
    before: Option<i64>,
    limit: i64,
) -> StoreResult<Vec<MessageRow>> {
    let sql = concat!(
        "SELECT ",
        own_columns!(),
        " FROM messages WHERE conversation = $1 AND id < $2 ORDER BY id DESC LIMIT $3"
    );
    Ok(run!(conn, fetch_all, as MessageRow, sql, conversation, before.unwrap_or(i64::MAX), limit)?)
}

pub async fn latest(conn: Conn<'_>, conversation: &str) -> StoreResult<Option<NamedMessageRow>> {
    let sql = concat!(
        select_named!(),
        "WHERE m.conversation = $1 ORDER BY m.id DESC LIMIT 1"
    );
    Ok(run!(conn, fetch_optional, as NamedMessageRow, sql, conversation)?)
}

/// Replaces a message's text; answers the message as stored, or `None` when it is gone.
pub async fn set_content(
    mut conn: Conn<'_>,
    id: i64,
    content: &str,
    now: Millis,
) -> StoreResult<Option<NamedMessageRow>> {
    let changed = run!(
        conn.reborrow(),
        execute,
        "UPDATE messages SET content = $2, edited_at = $3 WHERE id = $1",
        id,
        content,
        now
    )?;
    if changed == 0 {
        return Ok(None);
    }
    by_id(conn, id).await
}

pub async fn delete(conn: Conn<'_>, id: i64) -> StoreResult<bool> {
    Ok(run!(conn, execute, "DELETE FROM messages WHERE id = $1", id)? == 1)
}

/// Moves the user's read mark forward (never back).
pub async fn mark_read(
    conn: Conn<'_>,
    user_id: i64,
    conversation: &str,
    message_id: i64,
) -> StoreResult<()> {
    run!(
        conn,
        execute,
        "INSERT INTO conversation_reads (user_id, conversation, last_read_id) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id, conversation) DO UPDATE SET last_read_id = CASE \
         WHEN excluded.last_read_id > conversation_reads.last_read_id THEN excluded.last_read_id \
         ELSE conversation_reads.last_read_id END",
        user_id,
        conversation,
        message_id
    )?;
    Ok(())
}

/// The read marks of users `a` and `b` in a conversation, as `(user_id, last_read_id)`
/// (none for a user who has read nothing): both sides of a DM in one query, by primary
/// key.
pub async fn read_marks(
    conn: Conn<'_>,
    conversation: &str,
    a: i64,
    b: i64,
) -> StoreResult<Vec<(i64, i64)>> {
    Ok(run!(conn, fetch_all, as (i64, i64),
        "SELECT user_id, last_read_id FROM conversation_reads \
         WHERE user_id IN ($2, $3) AND conversation = $1",
        conversation, a, b)?)
}

pub async fn last_read(conn: Conn<'_>, user_id: i64, conversation: &str) -> StoreResult<i64> {
    Ok(run!(conn, fetch_optional, scalar i64,
        "SELECT last_read_id FROM conversation_reads WHERE user_id = $1 AND conversation = $2",
        user_id, conversation)?
    .unwrap_or(0))
}

/// Messages from others after the user's read mark.
pub async fn unread_count(
    conn: Conn<'_>,
    user_id: i64,
    conversation: &str,
    last_read: i64,
) -> StoreResult<i64> {
    Ok(run!(conn, fetch_one, scalar i64,
        "SELECT COUNT(*) FROM messages WHERE conversation = $1 AND id > $2 AND sender_id <> $3",
        conversation, last_read, user_id)?)
}

/// Everyone the user has exchanged DMs with.
pub async fn dm_partners(conn: Conn<'_>, user_id: i64) -> StoreResult<Vec<i64>> {
    Ok(run!(conn, fetch_all, scalar i64,
        "SELECT DISTINCT CASE WHEN sender_id = $1 THEN recipient_id ELSE sender_id END \
         FROM messages WHERE kind = 'dm' AND (sender_id = $1 OR recipient_id = $1)",
        user_id)?)
}

/// Whether `a` and `b` share something: a message in their DM conversation
/// (`dm_conversation`), a group chat, or a space.
pub async fn acquainted(
    conn: Conn<'_>,
    a: i64,
    b: i64,
    dm_conversation: &str,
) -> StoreResult<bool> {
    Ok(run!(conn, fetch_one, scalar bool,
        "SELECT (EXISTS (SELECT 1 FROM messages WHERE conversation = $3) \
         OR EXISTS (SELECT 1 FROM group_members g1 JOIN group_members g2 \
             ON g2.group_id = g1.group_id WHERE g1.user_id = $1 AND g2.user_id = $2) \
         OR EXISTS (SELECT 1 FROM space_members s1 JOIN space_members s2 \
             ON s2.space_id = s1.space_id WHERE s1.user_id = $1 AND s2.user_id = $2)) \
         AS acquainted", a, b, dm_conversation)?)
}

/// A room the user can chat in, with its space's and its own name.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RoomEntry {
    pub space_id: i64,
    pub room_id: i64,
    pub space_name: String,
    pub room_name: String,
    /// Since when the user can read the room: the later of joining the space and the
    /// room's creation.
    pub joined_at: i64,
}

/// Every room of every space the user belongs to.
pub async fn rooms_of(conn: Conn<'_>, user_id: i64) -> StoreResult<Vec<RoomEntry>> {
    Ok(run!(conn, fetch_all, as RoomEntry,
        "SELECT r.space_id, r.id AS room_id, s.name AS space_name, r.name AS room_name, \
         CASE WHEN m.joined_at > r.created_at THEN m.joined_at ELSE r.created_at END AS joined_at \
         FROM space_members m JOIN rooms r ON r.space_id = m.space_id \
         JOIN spaces s ON s.id = m.space_id WHERE m.user_id = $1 ORDER BY r.space_id, r.id",
        user_id)?)
}

/// Whether `room_id` is a room of `space_id`.
pub async fn room_in_space(conn: Conn<'_>, space_id: i64, room_id: i64) -> StoreResult<bool> {
    Ok(run!(conn, fetch_optional, scalar i64,
        "SELECT id FROM rooms WHERE id = $1 AND space_id = $2", room_id, space_id)?
    .is_some())
}

/// A group the user belongs to, with its name.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GroupEntry {
    pub group_id: i64,
    pub name: String,
    pub joined_at: i64,
}

pub async fn groups_of(conn: Conn<'_>, user_id: i64) -> StoreResult<Vec<GroupEntry>> {
    Ok(run!(conn, fetch_all, as GroupEntry,
        "SELECT g.id AS group_id, g.name, m.joined_at FROM group_members m JOIN group_chats g ON g.id = m.group_id \
         WHERE m.user_id = $1 ORDER BY g.id",
        user_id)?)
}

pub async fn group_exists(conn: Conn<'_>, group_id: i64) -> StoreResult<bool> {
    Ok(run!(conn, fetch_optional, scalar i64, "SELECT id FROM group_chats WHERE id = $1", group_id)?
        .is_some())
}

/// The users of a group chat.
pub async fn group_member_ids(conn: Conn<'_>, group_id: i64) -> StoreResult<Vec<i64>> {
    Ok(run!(conn, fetch_all, scalar i64,
        "SELECT user_id FROM group_members WHERE group_id = $1", group_id)?)
}

/// The users of a space.
pub async fn space_member_ids(conn: Conn<'_>, space_id: i64) -> StoreResult<Vec<i64>> {
    Ok(run!(conn, fetch_all, scalar i64,
        "SELECT user_id FROM space_members WHERE space_id = $1", space_id)?)
}
