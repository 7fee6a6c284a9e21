//! `posts`, `post_tags`, `likes`.
//!
//! Every listing filters with [`visible_to!`], the SQL form of
//! `service::posts::visible`: both must say the same thing.

use super::{Conn, Millis, StoreError, StoreResult, run};

/// The columns of a [`PostRow`] for post `p` and its author `u`, as seen by the viewer
/// bound at `$viewer` (0 when anonymous, which matches no user).
macro_rules! post_columns {
    ($viewer:literal) => {
        concat!(
            "p.id, p.user_id, p.space_id, p.title, p.content, p.visibility, \
             p.likes_nbr, p.created_at, u.username AS author, \
             u.display_name AS author_display_name, u.pfp AS author_pfp, \
             (SELECT count(*) FROM comments c WHERE c.post_id = p.id) AS comments_nbr, \
             EXISTS (SELECT 1 FROM likes l WHERE l.post_id = p.id AND l.user_id = ",
            $viewer,
            ") AS liked_by_me, \
             (SELECT string_agg(t.tag, '\u{1f}' ORDER BY t.position) FROM post_tags t \
             WHERE t.post_id = p.id) AS tags, \
             EXISTS (SELECT 1 FROM post_attachments pa WHERE pa.post_id = p.id) \
             AS has_attachments"
        )
    };
}
pub(crate) use post_columns;

/// The rows of a page of posts. The page query (the tokens after the viewer) selects
/// the `id` and `created_at` of the page's posts; the costlier columns are computed for
/// those rows only, not for every row a deep `OFFSET` skips.
macro_rules! posts_of_page {
    ($viewer:literal, $($page:tt)+) => {
        concat!(
            "SELECT ",
            post_columns!($viewer),
            " FROM (",
            $($page)+,
            ") pg JOIN posts p ON p.id = pg.id JOIN users u ON u.id = p.user_id \
             ORDER BY pg.created_at DESC, pg.id DESC"
        )
    };
}
pub(crate) use posts_of_page;

/// Whether post `p` is visible to the viewer bound at `$viewer`: the author; anyone for
/// a public profile post; accepted followers for a followers-only one; the space's
/// members for a space post.
macro_rules! visible_to {
    ($viewer:literal) => {
        concat!(
            "(p.user_id = ",
            $viewer,
            " OR (p.space_id IS NULL AND (p.visibility = 'public' OR EXISTS (\
             SELECT 1 FROM follows vf WHERE vf.follower_id = ",
            $viewer,
            " AND vf.followed_id = p.user_id AND vf.status = 'accepted'))) \
             OR (p.space_id IS NOT NULL AND EXISTS (SELECT 1 FROM space_members vm \
             WHERE vm.space_id = p.space_id AND vm.user_id = ",
            $viewer,
            ")))"
        )
    };
}
pub(crate) use visible_to;

/// Rows of `p` strictly after the keyset position `($created_at, $id)` in
/// newest-first order.
macro_rules! after_key {
    ($alias:literal, $created_at:literal, $id:literal) => {
        concat!(
            "(",
            $alias,
            ".created_at < ",
            $created_at,
            " OR (",
            $alias,
            ".created_at = ",
            $created_at,
            " AND ",
            $alias,
            ".id < ",
            $id,
            "))"
        )
    };
}
pub(crate) use after_key;

/// Runs `$sql` (built at run time, with `$1…$n` for `$ids`) and collects every row.
macro_rules! fetch_all_with_ids {
    ($conn:expr, as $row:ty, $sql:expr, $ids:expr) => {
        match $conn {
            $crate::store::Conn::Sqlite(c) => {
                let mut query = sqlx::query_as::<_, $row>(sqlx::AssertSqlSafe($sql));
                for id in $ids {
                    query = query.bind(*id);
                }
                query.fetch_all(&mut *c).await
            }
            $crate::store::Conn::Postgres(c) => {
                let mut query = sqlx::query_as::<_, $row>(sqlx::AssertSqlSafe($sql));
                for id in $ids {
                    query = query.bind(*id);
                }
                query.fetch_all(&mut *c).await
            }
        }
    };
}
pub(crate) use fetch_all_with_ids;

/// `$first, $first+1, …` for `count` bound values.
pub(crate) fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Where a newest-first page starts and how many rows to read (one more than the page
/// holds, so the caller knows whether another page follows).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// Only rows strictly older than `(created_at, id)`; [`Window::FROM_NEWEST`] for none.
    pub before: (Millis, i64),
    pub fetch: i64,
    pub offset: i64,
}

impl Window {
    /// No keyset position: the page starts at the newest row.
    pub const FROM_NEWEST: (Millis, i64) = (i64::MAX, i64::MAX);

    /// The first page: no keyset position and no offset.
    pub fn is_first_page(&self) -> bool {
        self.before == Self::FROM_NEWEST && self.offset == 0
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PostRow {
    pub id: i64,
    pub user_id: i64,
    pub space_id: Option<i64>,
    pub title: String,
    pub content: String,
    pub visibility: String,
    pub likes_nbr: i64,
    pub created_at: Millis,
    pub author: String,
    pub author_display_name: Option<String>,
    pub author_pfp: Option<String>,
    pub comments_nbr: i64,
    pub liked_by_me: bool,
    /// Read with the post rather than by a second query for the page.
    #[sqlx(try_from = "Option<String>")]
    pub tags: TagList,
    /// Whether [`super::attachments::of_posts`] has anything for this post.
    pub has_attachments: bool,
}

/// A post's tags in their order, gathered into one column by `post_columns!` and
/// joined there by the unit separator, a control character no tag may contain.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TagList(pub Vec<String>);

impl From<Option<String>> for TagList {
    fn from(joined: Option<String>) -> Self {
        TagList(
            joined
                .map(|joined| joined.split('\u{1f}').map(str::to_owned).collect())
                .unwrap_or_default(),
        )
    }
}

/// What deciding who may see or touch a post needs.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PostAccessRow {
    pub id: i64,
    pub user_id: i64,
    pub space_id: Option<i64>,
    pub visibility: String,
    /// Whether the viewer's follow of the author is accepted.
    pub viewer_follows: bool,
    /// The viewer's role in the post's space, if a member.
    pub viewer_role: Option<String>,
}

pub struct NewPost<'a> {
    pub user_id: i64,
    pub space_id: Option<i64>,
    pub title: &'a str,
    pub content: &'a str,
    pub visibility: &'a str,
    pub now: Millis,
}

/// The new post's id and its author's username: with what was inserted, all it
/// takes to show the post without reading it back.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InsertedPost {
    pub id: i64,
    pub author: String,
    pub author_display_name: Option<String>,
    pub author_pfp: Option<String>,
}

pub async fn insert(conn: Conn<'_>, new: NewPost<'_>) -> StoreResult<InsertedPost> {
    Ok(run!(conn, fetch_one, as InsertedPost,
        "INSERT INTO posts (user_id, space_id, title, content, visibility, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6) \
         RETURNING id, (SELECT username FROM users WHERE id = $1) AS author, \
         (SELECT display_name FROM users WHERE id = $1) AS author_display_name, \
         (SELECT pfp FROM users WHERE id = $1) AS author_pfp",
        new.user_id, new.space_id, new.title, new.content, new.visibility, new.now)?)
}

/// Replaces the post's tags with `tags`, in that order.
pub async fn replace_tags(mut conn: Conn<'_>, post_id: i64, tags: &[String]) -> StoreResult<()> {
    run!(
        reborrow(&mut conn),
        execute,
        "DELETE FROM post_tags WHERE post_id = $1",
        post_id
    )?;
    add_tags(conn, post_id, tags).await
}

/// Gives a post without tags its `tags`, in that order, in one statement (a round trip
/// to the writer per tag was a good part of what creating a post cost).
pub async fn add_tags(conn: Conn<'_>, post_id: i64, tags: &[String]) -> StoreResult<()> {
    if tags.is_empty() {
        return Ok(());
    }
    match conn {
        Conn::Sqlite(c) => {
            let tags = serde_json::to_string(tags)
                .map_err(|err| StoreError::Database(sqlx::Error::Encode(Box::new(err))))?;
            sqlx::query(
                "INSERT INTO post_tags (post_id, position, tag)                  SELECT $1, CAST(key AS INTEGER), value FROM json_each($2)",
            )
            .bind(post_id)
            .bind(tags)
            .execute(&mut *c)
            .await?;
        }
        Conn::Postgres(c) => {
            sqlx::query(
                "INSERT INTO post_tags (post_id, position, tag)                  SELECT $1, t.ord - 1, t.tag FROM unnest($2::text[]) WITH ORDINALITY AS t(tag, ord)",
            )
            .bind(post_id)
            .bind(tags)
            .execute(&mut *c)
            .await?;
        }
    }
    Ok(())
}

/// A shorter-lived `Conn` on the same connection, for several statements in a row.
pub(crate) fn reborrow<'a>(conn: &'a mut Conn<'_>) -> Conn<'a> {
    match conn {
        Conn::Sqlite(c) => Conn::Sqlite(c),
        Conn::Postgres(c) => Conn::Postgres(c),
    }
}

/// Only the fields given change.
pub struct PostChanges<'a> {
    pub title: Option<&'a str>,
    pub content: Option<&'a str>,
    pub visibility: Option<&'a str>,
    pub now: Millis,
}

pub async fn update(conn: Conn<'_>, id: i64, changes: PostChanges<'_>) -> StoreResult<bool> {
    let changed = run!(
        conn,
        execute,
        "UPDATE posts SET title = COALESCE($2, title), content = COALESCE($3, content), \
         visibility = COALESCE($4, visibility), updated_at = $5 WHERE id = $1",
        id,
        changes.title,
        changes.content,
        changes.visibility,
        changes.now
    )?;
    Ok(changed == 1)
}

/// Takes the post's row lock until the transaction ends (a portable `FOR UPDATE`), so
/// writers that count something about the post take turns. False when it is gone.
pub async fn lock(conn: Conn<'_>, id: i64) -> StoreResult<bool> {
    let changed = run!(
        conn,
        execute,
        "UPDATE posts SET updated_at = updated_at WHERE id = $1",
        id
    )?;
    Ok(changed == 1)
}

/// Deletes the post; its tags, likes, comments, reactions and attachment rows go with it.
pub async fn delete(conn: Conn<'_>, id: i64) -> StoreResult<bool> {
    Ok(run!(conn, execute, "DELETE FROM posts WHERE id = $1", id)? == 1)
}

pub async fn access(conn: Conn<'_>, id: i64, viewer: i64) -> StoreResult<Option<PostAccessRow>> {
    Ok(run!(conn, fetch_optional, as PostAccessRow,
        "SELECT p.id, p.user_id, p.space_id, p.visibility, \
         EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = $2 AND f.followed_id = p.user_id \
                 AND f.status = 'accepted') AS viewer_follows, \
         (SELECT m.role FROM space_members m WHERE m.space_id = p.space_id AND m.user_id = $2) \
             AS viewer_role \
         FROM posts p WHERE p.id = $1", id, viewer)?)
}

pub async fn by_id(conn: Conn<'_>, id: i64, viewer: i64) -> StoreResult<Option<PostRow>> {
    let sql = concat!(
        "SELECT ",
        post_columns!("$1"),
        " FROM posts p JOIN users u ON u.id = p.user_id WHERE p.id = $2"
    );
    Ok(run!(conn, fetch_optional, as PostRow, sql, viewer, id)?)
}

/// A user's profile posts the viewer may see, newest first.
pub async fn of_user(
    conn: Conn<'_>,
    viewer: i64,
    user_id: i64,
    window: Window,
) -> StoreResult<Vec<PostRow>> {
    let sql = posts_of_page!(
        "$1",
        "SELECT p.id, p.created_at FROM posts p \
         WHERE p.user_id = $2 AND p.space_id IS NULL AND ",
        visible_to!("$1"),
        " AND ",
        after_key!("p", "$3", "$4"),
        " ORDER BY p.created_at DESC, p.id DESC LIMIT $5 OFFSET $6"
    );
    Ok(run!(conn, fetch_all, as PostRow, sql,
        viewer, user_id, window.before.0, window.before.1, window.fetch, window.offset)?)
}

/// A space's posts (of one author, when `author` is set), newest first.
pub async fn of_space(
    conn: Conn<'_>,
    viewer: i64,
    space_id: i64,
    author: Option<i64>,
    window: Window,
) -> StoreResult<Vec<PostRow>> {
    let sql = posts_of_page!(
        "$1",
        "SELECT p.id, p.created_at FROM posts p \
         WHERE p.space_id = $2 AND ($3 = 0 OR p.user_id = $3) AND ",
        visible_to!("$1"),
        " AND ",
        after_key!("p", "$4", "$5"),
        " ORDER BY p.created_at DESC, p.id DESC LIMIT $6 OFFSET $7"
    );
    Ok(run!(conn, fetch_all, as PostRow, sql,
        viewer, space_id, author.unwrap_or(0), window.before.0, window.before.1,
        window.fetch, window.offset)?)
}

// --- likes ---------------------------------------------------------------------------

/// True when the like is new; false when the user already liked the post.
pub async fn insert_like(
    conn: Conn<'_>,
    post_id: i64,
    user_id: i64,
    now: Millis,
) -> StoreResult<bool> {
    let inserted = run!(
        conn,
        execute,
        "INSERT INTO likes (post_id, user_id, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT DO NOTHING",
        post_id,
        user_id,
        now
    )?;
    Ok(inserted == 1)
}

/// True when there was a like to remove.
pub async fn delete_like(conn: Conn<'_>, post_id: i64, user_id: i64) -> StoreResult<bool> {
    let deleted = run!(
        conn,
        execute,
        "DELETE FROM likes WHERE post_id = $1 AND user_id = $2",
        post_id,
        user_id
    )?;
    Ok(deleted == 1)
}

/// Moves the like counter by `delta` in place; the new count, or `None` if the post is gone.
pub async fn add_likes(conn: Conn<'_>, post_id: i64, delta: i64) -> StoreResult<Option<i64>> {
    Ok(run!(conn, fetch_optional, scalar i64,
        "UPDATE posts SET likes_nbr = likes_nbr + $2 WHERE id = $1 RETURNING likes_nbr",
        post_id, delta)?)
}

pub async fn likes_nbr(conn: Conn<'_>, post_id: i64) -> StoreResult<Option<i64>> {
    Ok(run!(conn, fetch_optional, scalar i64,
        "SELECT likes_nbr FROM posts WHERE id = $1", post_id)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_from_first() {
        assert_eq!(placeholders(1, 3), "$1, $2, $3");
        assert_eq!(placeholders(4, 1), "$4");
        assert_eq!(placeholders(1, 0), "");
    }
}
