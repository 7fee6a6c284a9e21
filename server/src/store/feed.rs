//! The feed: one query per audience, newest first with the id breaking ties.
//!
//! The signed-in feed unions three index-driven candidate lists (my posts; the profile
//! posts of the people I follow, accepted follows only; the posts of my spaces), each
//! cut to the page before they are merged, so a page costs about the same at 100 posts
//! or 100,000. The people I follow are walked one by one, taking at most a page of each
//! one's newest profile posts from `posts_profile_by_author_idx` (a correlated
//! `rowid IN (…)` on SQLite, a `LATERAL` join on PostgreSQL): a page costs a page per
//! followee instead of every post they ever wrote. `CROSS JOIN` makes SQLite walk my
//! follows and memberships first.

use super::{
    Conn, StoreResult,
    posts::{PostRow, Window, after_key, post_columns, posts_of_page, visible_to},
    run,
};

/// The personal feed's query, with `$followed` the dialect's way of taking each
/// followee's newest page (selecting `b.id, b.created_at`).
macro_rules! personal_feed {
    ($($followed:tt)+) => {
        posts_of_page!(
            "$1",
            "SELECT p.id, p.created_at FROM (SELECT id, created_at FROM (",
            "SELECT id, created_at FROM (SELECT a.id, a.created_at FROM posts a \
             WHERE a.user_id = $1 AND ",
            after_key!("a", "$2", "$3"),
            " ORDER BY a.created_at DESC, a.id DESC LIMIT $4) mine",
            " UNION ALL ",
            "SELECT id, created_at FROM (",
            $($followed)+,
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
        )
    };
}

/// A followee's newest profile posts after the page key, at most `$4` of them, as
/// `$columns` of `x`.
macro_rules! followee_page {
    ($columns:literal) => {
        concat!(
            "SELECT ",
            $columns,
            " FROM posts x WHERE x.user_id = f.followed_id AND x.space_id IS NULL AND ",
            after_key!("x", "$2", "$3"),
            " ORDER BY x.created_at DESC, x.id DESC LIMIT $4"
        )
    };
}

const PERSONAL_SQLITE: &str = personal_feed!(
    "SELECT b.id, b.created_at FROM follows f CROSS JOIN posts b \
     WHERE f.follower_id = $1 AND f.status = 'accepted' AND b.id IN (",
    followee_page!("x.id"),
    ")"
);

const PERSONAL_POSTGRES: &str = personal_feed!(
    "SELECT b.id, b.created_at FROM follows f CROSS JOIN LATERAL (",
    followee_page!("x.id, x.created_at"),
    ") b WHERE f.follower_id = $1 AND f.status = 'accepted'"
);

/// `viewer`'s own posts, the profile posts of people they follow, and the posts of the
/// spaces they belong to.
pub async fn personal(conn: Conn<'_>, viewer: i64, window: Window) -> StoreResult<Vec<PostRow>> {
    let template = match conn {
        Conn::Sqlite(_) => PERSONAL_SQLITE,
        Conn::Postgres(_) => PERSONAL_POSTGRES,
    };
    // Each candidate list must reach past the offset to fill the page.
    let reach = window.offset.saturating_add(window.fetch);
    // SQLite treats a parameter bound to a `LIMIT` as an input to the plan, so binding
    // it (sqlx binds on every call) throws the prepared statement away and compiles it
    // again: the bounds go into the text instead. They are integers computed by the
    // service, never text from a request; each page shape is prepared once and cached.
    let sql = template
        .replace("$4", &reach.to_string())
        .replace("$5", &window.fetch.to_string())
        .replace("$6", &window.offset.to_string());
    Ok(run!(conn, fetch_all, as PostRow, sqlx::AssertSqlSafe(sql),
        viewer, window.before.0, window.before.1)?)
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
