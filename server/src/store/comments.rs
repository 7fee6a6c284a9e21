//! `comments`, `reactions`.

use super::{
    Conn, Millis, StoreResult,
    posts::{Window, after_key, fetch_all_with_ids, placeholders},
    run,
};

macro_rules! comment_select {
    () => {
        "SELECT c.id, c.post_id, c.user_id, c.parent_id, c.root_id, c.depth, c.content, \
         c.likes_nbr, c.created_at, u.username AS author, \
         u.display_name AS author_display_name, u.pfp AS author_pfp \
         FROM comments c JOIN users u ON u.id = c.user_id "
    };
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CommentRow {
    pub id: i64,
    pub post_id: i64,
    pub user_id: i64,
    pub parent_id: Option<i64>,
    /// The top-level comment of the thread; `None` for a top-level comment.
    pub root_id: Option<i64>,
    /// 0 for a top-level comment, 1 for a reply to it, and so on.
    pub depth: i64,
    pub content: String,
    pub likes_nbr: i64,
    pub created_at: Millis,
    pub author: String,
    pub author_display_name: Option<String>,
    pub author_pfp: Option<String>,
}

pub struct NewComment<'a> {
    pub post_id: i64,
    pub user_id: i64,
    pub parent_id: Option<i64>,
    pub root_id: Option<i64>,
    pub depth: i64,
    pub content: &'a str,
    pub now: Millis,
}

pub async fn insert(conn: Conn<'_>, new: NewComment<'_>) -> StoreResult<i64> {
    Ok(run!(conn, fetch_one, scalar i64,
        "INSERT INTO comments (post_id, user_id, parent_id, root_id, depth, content, created_at, \
         updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
        new.post_id, new.user_id, new.parent_id, new.root_id, new.depth, new.content, new.now)?)
}

pub async fn by_id(conn: Conn<'_>, id: i64) -> StoreResult<Option<CommentRow>> {
    let sql = concat!(comment_select!(), "WHERE c.id = $1");
    Ok(run!(conn, fetch_optional, as CommentRow, sql, id)?)
}

pub async fn set_content(conn: Conn<'_>, id: i64, content: &str, now: Millis) -> StoreResult<bool> {
    Ok(run!(
        conn,
        execute,
        "UPDATE comments SET content = $2, updated_at = $3 WHERE id = $1",
        id,
        content,
        now
    )? == 1)
}

/// Deletes the comment; its replies (and theirs) and every reaction go with it.
pub async fn delete(conn: Conn<'_>, id: i64) -> StoreResult<bool> {
    Ok(run!(conn, execute, "DELETE FROM comments WHERE id = $1", id)? == 1)
}

/// A page of the post's top-level comments, newest first.
pub async fn top_level(
    conn: Conn<'_>,
    post_id: i64,
    window: Window,
) -> StoreResult<Vec<CommentRow>> {
    let sql = concat!(
        comment_select!(),
        "WHERE c.post_id = $1 AND c.parent_id IS NULL AND ",
        after_key!("c", "$2", "$3"),
        " ORDER BY c.created_at DESC, c.id DESC LIMIT $4 OFFSET $5"
    );
    Ok(run!(conn, fetch_all, as CommentRow, sql,
        post_id, window.before.0, window.before.1, window.fetch, window.offset)?)
}

/// Every reply in the threads of these top-level comments, oldest first.
pub async fn replies_in(conn: Conn<'_>, root_ids: &[i64]) -> StoreResult<Vec<CommentRow>> {
    if root_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "{}WHERE c.root_id IN ({}) ORDER BY c.created_at, c.id",
        comment_select!(),
        placeholders(1, root_ids.len())
    );
    Ok(fetch_all_with_ids!(conn, as CommentRow, sql, root_ids)?)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReactionCount {
    pub comment_id: i64,
    pub reaction: String,
    pub n: i64,
}

/// Reaction counts of these comments and, for top-level ones, of their whole threads.
pub async fn reaction_counts(conn: Conn<'_>, ids: &[i64]) -> StoreResult<Vec<ReactionCount>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = placeholders(1, ids.len());
    let sql = format!(
        "SELECT r.comment_id, r.reaction, count(*) AS n FROM reactions r \
         JOIN comments c ON c.id = r.comment_id \
         WHERE c.id IN ({list}) OR c.root_id IN ({list}) \
         GROUP BY r.comment_id, r.reaction ORDER BY r.comment_id, r.reaction"
    );
    Ok(fetch_all_with_ids!(conn, as ReactionCount, sql, ids)?)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OwnReaction {
    pub comment_id: i64,
    pub reaction: String,
}

/// `user_id`'s reactions on these comments and their threads.
pub async fn reactions_of(
    conn: Conn<'_>,
    user_id: i64,
    ids: &[i64],
) -> StoreResult<Vec<OwnReaction>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = placeholders(2, ids.len());
    let sql = format!(
        "SELECT r.comment_id, r.reaction FROM reactions r \
         JOIN comments c ON c.id = r.comment_id \
         WHERE r.user_id = $1 AND (c.id IN ({list}) OR c.root_id IN ({list})) \
         ORDER BY r.comment_id, r.reaction"
    );
    let binds: Vec<i64> = std::iter::once(user_id)
        .chain(ids.iter().copied())
        .collect();
    Ok(fetch_all_with_ids!(conn, as OwnReaction, sql, &binds)?)
}

/// True when the reaction is new; false when the user already had it.
pub async fn insert_reaction(
    conn: Conn<'_>,
    comment_id: i64,
    user_id: i64,
    reaction: &str,
    now: Millis,
) -> StoreResult<bool> {
    Ok(run!(
        conn,
        execute,
        "INSERT INTO reactions (comment_id, user_id, reaction, created_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        comment_id,
        user_id,
        reaction,
        now
    )? == 1)
}

/// Removes only this reaction row; the comment stays.
pub async fn delete_reaction(
    conn: Conn<'_>,
    comment_id: i64,
    user_id: i64,
    reaction: &str,
) -> StoreResult<bool> {
    Ok(run!(
        conn,
        execute,
        "DELETE FROM reactions WHERE comment_id = $1 AND user_id = $2 AND reaction = $3",
        comment_id,
        user_id,
        reaction
    )? == 1)
}

pub async fn count_reaction(conn: Conn<'_>, comment_id: i64, reaction: &str) -> StoreResult<i64> {
    Ok(run!(conn, fetch_one, scalar i64,
        "SELECT count(*) FROM reactions WHERE comment_id = $1 AND reaction = $2",
        comment_id, reaction)?)
}
