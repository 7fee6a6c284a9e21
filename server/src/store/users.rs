//! `users`.

use super::{Conn, Millis, StoreResult, run};

/// The columns of [`UserRow`], for `concat!` into static query texts.
macro_rules! columns {
    () => {
        "id, username, email, password_hash, is_active, xp, level, pfp, token_version, created_at, \
         display_name, bio"
    };
}

/// The columns of [`UserRow`] qualified by the alias `u`, for queries that join `users u`
/// and decode a [`UserRow`] (flattened) beside other columns.
macro_rules! joined_columns {
    () => {
        "u.id, u.username, u.email, u.password_hash, u.is_active, u.xp, u.level, u.pfp, \
         u.token_version, u.created_at, u.display_name, u.bio"
    };
}
pub(crate) use joined_columns;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub email: String,
    pub password_hash: String,
    pub is_active: bool,
    pub xp: i64,
    pub level: i64,
    pub pfp: Option<String>,
    pub token_version: i64,
    pub created_at: Millis,
    pub display_name: Option<String>,
    pub bio: Option<String>,
}

/// The columns of a person's summary (id, username, display name, picture) of the
/// users row aliased `$alias`, named `<$prefix>_id`, `<$prefix>_username`, … so they
/// sit beside another row's columns in one query (a join, not a query per row).
macro_rules! summary_columns {
    ($alias:literal, $prefix:literal) => {
        concat!(
            $alias,
            ".id AS ",
            $prefix,
            "_id, ",
            $alias,
            ".username AS ",
            $prefix,
            "_username, ",
            $alias,
            ".display_name AS ",
            $prefix,
            "_display_name, ",
            $alias,
            ".pfp AS ",
            $prefix,
            "_pfp"
        )
    };
}
pub(crate) use summary_columns;

/// What every payload shows of a person.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SummaryRow {
    pub id: i64,
    pub username: String,
    pub display_name: Option<String>,
    pub pfp: Option<String>,
}

pub struct NewUser<'a> {
    pub username: &'a str,
    pub email: &'a str,
    pub password_hash: &'a str,
    pub now: Millis,
}

/// Inserts a user. A taken username or email fails with a `Unique` error naming it.
pub async fn insert(conn: Conn<'_>, new: NewUser<'_>) -> StoreResult<UserRow> {
    let sql = concat!(
        "INSERT INTO users (username, email, password_hash, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $4) RETURNING ",
        columns!()
    );
    Ok(run!(conn, fetch_one, as UserRow, sql,
        new.username, new.email, new.password_hash, new.now)?)
}

pub async fn by_id(conn: Conn<'_>, id: i64) -> StoreResult<Option<UserRow>> {
    let sql = concat!("SELECT ", columns!(), " FROM users WHERE id = $1");
    Ok(run!(conn, fetch_optional, as UserRow, sql, id)?)
}

/// Looks a user up by email (already lower-cased) or, case-insensitively, by username.
pub async fn by_login(conn: Conn<'_>, email_or_username: &str) -> StoreResult<Option<UserRow>> {
    let sql = concat!(
        "SELECT ",
        columns!(),
        " FROM users WHERE email = lower($1) OR lower(username) = lower($1) ORDER BY id LIMIT 1"
    );
    Ok(run!(conn, fetch_optional, as UserRow, sql, email_or_username)?)
}

/// Just what authenticating a request needs.
#[derive(Debug, Clone, Copy, sqlx::FromRow)]
pub struct TokenCheck {
    pub token_version: i64,
    pub is_active: bool,
    /// The session (refresh-token family) still has a live, unspent token.
    pub session_live: bool,
}

/// The account's token version and status, and whether its session `family` lives,
/// in one read.
pub async fn token_check(
    conn: Conn<'_>,
    id: i64,
    family: &str,
    now: Millis,
) -> StoreResult<Option<TokenCheck>> {
    Ok(run!(conn, fetch_optional, as TokenCheck,
        "SELECT token_version, is_active, EXISTS (SELECT 1 FROM refresh_tokens \
         WHERE family = $2 AND user_id = $1 AND used_at IS NULL AND expires_at > $3) \
         AS session_live FROM users WHERE id = $1", id, family, now)?)
}

pub async fn set_username(
    conn: Conn<'_>,
    id: i64,
    username: &str,
    now: Millis,
) -> StoreResult<Option<UserRow>> {
    let sql = concat!(
        "UPDATE users SET username = $2, updated_at = $3 WHERE id = $1 RETURNING ",
        columns!()
    );
    Ok(run!(conn, fetch_optional, as UserRow, sql, id, username, now)?)
}

/// Invalidates every access token of the user; returns the new version.
pub async fn bump_token_version(conn: Conn<'_>, id: i64, now: Millis) -> StoreResult<Option<i64>> {
    Ok(run!(conn, fetch_optional, scalar i64,
        "UPDATE users SET token_version = token_version + 1, updated_at = $2 \
         WHERE id = $1 RETURNING token_version", id, now)?)
}

pub async fn by_email(conn: Conn<'_>, email: &str) -> StoreResult<Option<UserRow>> {
    let sql = concat!("SELECT ", columns!(), " FROM users WHERE email = $1");
    Ok(run!(conn, fetch_optional, as UserRow, sql, email)?)
}

/// Sets a new email (already lower-cased); a taken one fails with a `Unique` error.
pub async fn set_email(conn: Conn<'_>, id: i64, email: &str, now: Millis) -> StoreResult<()> {
    run!(
        conn,
        execute,
        "UPDATE users SET email = $2, updated_at = $3 WHERE id = $1",
        id,
        email,
        now
    )?;
    Ok(())
}

/// Sets a new password hash and revokes every access token (the version moves on).
pub async fn set_password(
    conn: Conn<'_>,
    id: i64,
    password_hash: &str,
    now: Millis,
) -> StoreResult<()> {
    run!(
        conn,
        execute,
        "UPDATE users SET password_hash = $2, token_version = token_version + 1, updated_at = $3 \
         WHERE id = $1",
        id,
        password_hash,
        now
    )?;
    Ok(())
}

/// The active user called `username` (case-insensitively).
pub async fn active_by_username(conn: Conn<'_>, username: &str) -> StoreResult<Option<UserRow>> {
    let sql = concat!(
        "SELECT ",
        columns!(),
        " FROM users WHERE lower(username) = lower($1) AND is_active = TRUE"
    );
    Ok(run!(conn, fetch_optional, as UserRow, sql, username)?)
}

/// Active users whose lower-cased username or folded display name matches the `LIKE`
/// pattern (`\` escapes), ordered by lower-cased username, after the user `after_id`
/// (0: from the start). The walk follows the unique index on `lower(username)`.
pub async fn search(
    conn: Conn<'_>,
    pattern: &str,
    after_id: i64,
    limit: i64,
) -> StoreResult<Vec<SummaryRow>> {
    Ok(run!(conn, fetch_all, as SummaryRow,
        "SELECT id, username, display_name, pfp FROM users \
         WHERE is_active = TRUE \
         AND (lower(username) LIKE $1 ESCAPE '\\' OR display_name_folded LIKE $1 ESCAPE '\\') \
         AND lower(username) > COALESCE((SELECT lower(username) FROM users WHERE id = $2), '') \
         ORDER BY lower(username) LIMIT $3",
        pattern, after_id, limit)?)
}

/// The summaries of the users `ids` (any order; unknown ids are left out), in one
/// query whatever their number.
pub async fn summaries(conn: Conn<'_>, ids: &[i64]) -> StoreResult<Vec<SummaryRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(match conn {
        Conn::Sqlite(c) => {
            let list = serde_json::to_string(ids).unwrap_or_default();
            sqlx::query_as::<_, SummaryRow>(
                "SELECT id, username, display_name, pfp FROM users \
                 WHERE id IN (SELECT value FROM json_each($1))",
            )
            .bind(list)
            .fetch_all(&mut *c)
            .await?
        }
        Conn::Postgres(c) => {
            sqlx::query_as::<_, SummaryRow>(
                "SELECT id, username, display_name, pfp FROM users WHERE id = ANY($1)",
            )
            .bind(ids)
            .fetch_all(&mut *c)
            .await?
        }
    })
}

/// Sets the display name (with its folded form for search) and the bio; `None` clears.
pub async fn set_profile(
    conn: Conn<'_>,
    id: i64,
    display_name: Option<&str>,
    display_name_folded: Option<&str>,
    bio: Option<&str>,
    now: Millis,
) -> StoreResult<Option<UserRow>> {
    let sql = concat!(
        "UPDATE users SET display_name = $2, display_name_folded = $3, bio = $4, updated_at = $5 \
         WHERE id = $1 RETURNING ",
        columns!()
    );
    Ok(
        run!(conn, fetch_optional, as UserRow, sql, id, display_name, display_name_folded, bio, now)?,
    )
}

/// The id of the user called `username` (case-insensitively).
pub async fn id_by_username(conn: Conn<'_>, username: &str) -> StoreResult<Option<i64>> {
    Ok(run!(conn, fetch_optional, scalar i64,
        "SELECT id FROM users WHERE lower(username) = lower($1)", username)?)
}

/// The storage key of the user's profile picture; `None` when the user is gone.
pub async fn pfp_key(conn: Conn<'_>, id: i64) -> StoreResult<Option<Option<String>>> {
    Ok(run!(conn, fetch_optional, scalar Option<String>,
        "SELECT pfp_key FROM users WHERE id = $1", id)?)
}

/// Sets (or, with `None`, clears) the profile picture's URL and storage key.
pub async fn set_pfp(
    conn: Conn<'_>,
    id: i64,
    pfp: Option<&str>,
    pfp_key: Option<&str>,
    now: Millis,
) -> StoreResult<Option<UserRow>> {
    let sql = concat!(
        "UPDATE users SET pfp = $2, pfp_key = $3, updated_at = $4 WHERE id = $1 RETURNING ",
        columns!()
    );
    Ok(run!(conn, fetch_optional, as UserRow, sql, id, pfp, pfp_key, now)?)
}
