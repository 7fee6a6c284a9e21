//! The feed: one query per audience, newest first with the id breaking ties.
//!
//! The signed-in feed unions three index-driven candidate lists (my posts; the profile
//! posts of the people I follow, accepted follows only; the posts of my spaces), each
//! cut to the page before they are merged, so a page costs about the same at 100 posts
//! or 100,000. The people I follow are walked one by one, taking each one's newest
//! profile posts from `posts_profile_by_author_idx` (a correlated `rowid IN (…)` on
//! SQLite, a `LATERAL` join on PostgreSQL), at most a page of them and none older than
//! a floor that their newest posts set (see `followed_floor`): a page costs about a
//! page, not a page per followee nor every post they ever wrote. `CROSS JOIN` makes
//! SQLite walk my follows and memberships first.

use super::{
    Conn, Millis, StoreResult,
    posts::{
        PostRow, Window, after_key, fetch_all_with_ids, placeholders, post_columns, posts_of_page,
        visible_to,
    },
    run,
};

/// The personal feed's candidates, newest first, at most `$4`: my posts, my followees'
/// profile posts and the posts of my spaces, before the visibility check. `$followed`
/// is the dialect's way of taking each followee's newest page (selecting `b.id,
/// b.created_at`).
macro_rules! personal_candidates {
    ($($followed:tt)+) => {
        concat!(
            "SELECT id, created_at FROM (",
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
            ") candidates ORDER BY created_at DESC, id DESC LIMIT $4"
        )
    };
}

/// The personal feed's page: its candidates that the viewer may see, `$5` from `$6`.
macro_rules! personal_feed {
    ($($followed:tt)+) => {
        posts_of_page!(
            "$1",
            "SELECT p.id, p.created_at FROM (",
            personal_candidates!($($followed)+),
            ") merged JOIN posts p ON p.id = merged.id WHERE ",
            visible_to!("$1"),
            " ORDER BY merged.created_at DESC, merged.id DESC LIMIT $5 OFFSET $6"
        )
    };
}

/// A followee's (`f.followed_id`) profile posts after the page key, newest first, as
/// `$columns` of `x`, at most `$limit`, none older than `$floor`.
macro_rules! followee_page {
    ($columns:literal, $floor:expr, $limit:literal) => {
        concat!(
            "SELECT ",
            $columns,
            " FROM posts x WHERE x.user_id = f.followed_id AND x.space_id IS NULL AND ",
            after_key!("x", "$2", "$3"),
            " AND x.created_at >= ",
            $floor,
            " ORDER BY x.created_at DESC, x.id DESC LIMIT ",
            $limit
        )
    };
}

/// How old a followed post on the page may be. Each followee's newest post after the
/// key is a different post, so the `$4`-th newest of those heads leaves at least `$4`
/// posts at or after it: no older post can reach the page. Every followee then
/// contributes only its posts since then instead of a whole page each, which is what
/// made a feed cost grow with the number of follows. Fewer heads than `$4`: no floor.
/// (`$7` is `$4 - 1`; the `f` inside is this subquery's own follows.)
macro_rules! followed_floor {
    () => {
        concat!(
            "coalesce((SELECT head FROM (SELECT (",
            followee_page!("x.created_at", "-9223372036854775807", "1"),
            ") AS head FROM follows f WHERE f.follower_id = $1 AND f.status = 'accepted') \
             heads WHERE head IS NOT NULL ORDER BY head DESC LIMIT 1 OFFSET $7), \
             -9223372036854775807)"
        )
    };
}

/// Each followee's newest profile posts on SQLite: a correlated `rowid IN (…)`.
macro_rules! followed_sqlite {
    () => {
        concat!(
            "SELECT b.id, b.created_at FROM follows f CROSS JOIN posts b \
             WHERE f.follower_id = $1 AND f.status = 'accepted' AND b.id IN (",
            followee_page!("x.id", followed_floor!(), "$4"),
            ")"
        )
    };
}

/// Each followee's newest profile posts on PostgreSQL: a `LATERAL` join.
macro_rules! followed_postgres {
    () => {
        concat!(
            "SELECT b.id, b.created_at FROM follows f CROSS JOIN LATERAL (",
            followee_page!("x.id, x.created_at", followed_floor!(), "$4"),
            ") b WHERE f.follower_id = $1 AND f.status = 'accepted'"
        )
    };
}

const PERSONAL_SQLITE: &str = personal_feed!(followed_sqlite!());
const PERSONAL_POSTGRES: &str = personal_feed!(followed_postgres!());
const CANDIDATES_SQLITE: &str = personal_candidates!(followed_sqlite!());
const CANDIDATES_POSTGRES: &str = personal_candidates!(followed_postgres!());

/// What a viewer's feed is made of besides their own posts.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Sources {
    /// The people the viewer follows (accepted follows).
    pub followed: Vec<i64>,
    /// The spaces the viewer belongs to.
    pub spaces: Vec<i64>,
}

/// `template` for this page: SQLite treats a parameter bound to a `LIMIT` as an input
/// to the plan, so binding it (sqlx binds on every call) throws the prepared statement
/// away and compiles it again. The bounds go into the text instead: they are integers
/// computed by the service, never text from a request, and each page shape is prepared
/// once and cached.
fn shaped(template: &str, window: Window) -> String {
    // Each candidate list must reach past the offset to fill the page.
    let reach = window.offset.saturating_add(window.fetch);
    template
        .replace("$4", &reach.to_string())
        .replace("$5", &window.fetch.to_string())
        .replace("$6", &window.offset.to_string())
        .replace("$7", &(reach - 1).to_string())
}

/// `viewer`'s own posts, the profile posts of people they follow, and the posts of the
/// spaces they belong to.
pub async fn personal(conn: Conn<'_>, viewer: i64, window: Window) -> StoreResult<Vec<PostRow>> {
    let template = match conn {
        Conn::Sqlite(_) => PERSONAL_SQLITE,
        Conn::Postgres(_) => PERSONAL_POSTGRES,
    };
    let sql = shaped(template, window);
    Ok(run!(conn, fetch_all, as PostRow, sqlx::AssertSqlSafe(sql),
        viewer, window.before.0, window.before.1)?)
}

/// The ids of the posts [`personal`] picks its page from, newest first, before the
/// visibility check: [`personal_among`] with them gives the same page.
pub async fn personal_candidates(
    conn: Conn<'_>,
    viewer: i64,
    window: Window,
) -> StoreResult<Vec<i64>> {
    let template = match conn {
        Conn::Sqlite(_) => CANDIDATES_SQLITE,
        Conn::Postgres(_) => CANDIDATES_POSTGRES,
    };
    let sql = shaped(template, window);
    let rows: Vec<(i64, Millis)> = run!(conn, fetch_all, as (i64, Millis),
        sqlx::AssertSqlSafe(sql), viewer, window.before.0, window.before.1)?;
    Ok(rows.into_iter().map(|(id, _)| id).collect())
}

/// The page of `window` among `candidates` (from [`personal_candidates`]), as the
/// viewer sees the posts now.
pub async fn personal_among(
    conn: Conn<'_>,
    viewer: i64,
    candidates: &[i64],
    window: Window,
) -> StoreResult<Vec<PostRow>> {
    if candidates.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        posts_of_page!(
            "$1",
            "SELECT p.id, p.created_at FROM posts p WHERE p.id IN ({ids}) AND ",
            visible_to!("$1"),
            " ORDER BY p.created_at DESC, p.id DESC LIMIT {fetch} OFFSET {offset}"
        ),
        ids = placeholders(2, candidates.len()),
        fetch = window.fetch,
        offset = window.offset,
    );
    let mut binds = Vec::with_capacity(candidates.len() + 1);
    binds.push(viewer);
    binds.extend_from_slice(candidates);
    Ok(fetch_all_with_ids!(conn, as PostRow, sql, &binds)?)
}

/// The people `viewer` follows and the spaces they belong to.
pub async fn sources(conn: Conn<'_>, viewer: i64) -> StoreResult<Sources> {
    let rows: Vec<(bool, i64)> = run!(conn, fetch_all, as (bool, i64),
        "SELECT TRUE, followed_id FROM follows WHERE follower_id = $1 AND status = 'accepted' \
         UNION ALL SELECT FALSE, space_id FROM space_members WHERE user_id = $1",
        viewer)?;
    let mut sources = Sources::default();
    for (followed, id) in rows {
        if followed {
            sources.followed.push(id);
        } else {
            sources.spaces.push(id);
        }
    }
    Ok(sources)
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
