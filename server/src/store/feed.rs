//! The feed: one query per audience, newest first with the id breaking ties.
//!
//! The signed-in feed unions three index-driven candidate lists (my posts; the profile
//! posts of the people I follow, accepted follows only; the posts of my spaces), each
//! cut to the page before they are merged, so a page costs about the same at 100 posts
//! or 100,000. `CROSS JOIN` makes SQLite walk my follows and memberships first, into
//! `posts(user_id, created_at)` and `posts(space_id, created_at)`, instead of scanning
//! everyone's posts by date; PostgreSQL reads it as a plain join and plans on its
//! statistics.

use super::{
    Conn, StoreResult,
    posts::{PostRow, Window, after_key, post_columns, posts_of_page, visible_to},
    run,
};

/// `viewer`'s own posts, the profile posts of people they follow, and the posts of the
/// spaces they belong to.
pub async fn personal(conn: Conn<'_>, viewer: i64, window: Window) -> StoreResult<Vec<PostRow>> {
    let sql = posts_of_page!(
        "$1",
        "SELECT p.id, p.created_at FROM (SELECT id, created_at FROM (",
        "SELECT id, created_at FROM (SELECT a.id, a.created_at FROM posts a \
         WHERE a.user_id = $1 AND ",
        after_key!("a", "$2", "$3"),
        " ORDER BY a.created_at DESC, a.id DESC LIMIT $4) mine",
        " UNION ALL ",
        "SELECT id, created_at FROM (SELECT b.id, b.created_at FROM follows f \
         CROSS JOIN posts b WHERE b.user_id = f.followed_id \
         AND f.follower_id = $1 AND f.status = 'accepted' AND b.space_id IS NULL AND ",
        after_key!("b", "$2", "$3"),
        " ORDER BY b.created_at DESC, b.id DESC LIMIT $4) followed",
        " UNION ALL ",
        "SELECT id, created_at FROM (SELECT s.id, s.created_at FROM space_members m \
         CROSS JOIN posts s WHERE s.space_id = m.space_id \
         AND m.user_id = $1 AND s.user_id <> $1 AND ",
        after_key!("s", "$2", "$3"),
        " ORDER BY s.created_at DESC, s.id DESC LIMIT $4) joined",
        ") candidates ORDER BY created_at DESC, id DESC LIMIT $4) merged \
         JOIN posts p ON p.id = merged.id WHERE ",
        visible_to!("$1"),
        " ORDER BY merged.created_at DESC, merged.id DESC LIMIT $5 OFFSET $6"
    );
    // Each candidate list must reach past the offset to fill the page.
    let reach = window.offset.saturating_add(window.fetch);
    Ok(run!(conn, fetch_all, as PostRow, sql,
        viewer, window.before.0, window.before.1, reach, window.fetch, window.offset)?)
}

/// Public profile posts: what anyone may see.
pub async fn public(conn: Conn<'_>, window: Window) -> StoreResult<Vec<PostRow>> {
    let sql = posts_of_page!(
        "0",
        "SELECT p.id, p.created_at FROM posts p \
         WHERE p.space_id IS NULL AND p.visibility = 'public' AND ",
        after_key!("p", "$1", "$2"),
        " ORDER BY p.created_at DESC, p.id DESC LIMIT $3 OFFSET $4"
    );
    Ok(run!(conn, fetch_all, as PostRow, sql,
        window.before.0, window.before.1, window.fetch, window.offset)?)
}
