//! What the server's and the CLI's test harnesses share: which database a test runs on
//! (SQLite in its folder, or a fresh PostgreSQL database on `TEST_DATABASE_URL`), and
//! the mails the server left in its outbox.

use std::path::Path;

/// Whether this run talks to PostgreSQL (`TEST_DATABASE_URL` is set).
pub fn on_postgres() -> bool {
    std::env::var("TEST_DATABASE_URL").is_ok_and(|url| !url.is_empty())
}

/// SQLite (`test.db` in `dir`), or a fresh database on `TEST_DATABASE_URL`.
pub async fn database_url(dir: &Path) -> String {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(admin_url) if !admin_url.is_empty() => fresh_postgres_database(&admin_url).await,
        _ => format!("sqlite://{}", dir.join("test.db").display()),
    }
}

/// Creates a database with a random name on the server `admin_url` points at, and
/// returns its URL: each test starts from an empty database.
///
/// # Panics
/// When the server cannot be reached or refuses: a test cannot go on without it.
pub async fn fresh_postgres_database(admin_url: &str) -> String {
    use sqlx::Connection;
    let name = format!("socmel_test_{:016x}", rand::random::<u64>());
    let mut admin = sqlx::PgConnection::connect(admin_url)
        .await
        .expect("connect to TEST_DATABASE_URL");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut admin)
        .await
        .expect("create test database");
    let (base, _) = admin_url
        .rsplit_once('/')
        .expect("TEST_DATABASE_URL names a database");
    format!("{base}/{name}")
}

/// The mails in `outbox` (one `.eml` file each) addressed to `to`, oldest first.
pub fn mails_to(outbox: &Path, to: &str) -> Vec<String> {
    let mut files: Vec<_> = std::fs::read_dir(outbox)
        .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    files
        .iter()
        .filter_map(|path| std::fs::read_to_string(path).ok())
        .filter(|mail| {
            mail.lines()
                .any(|line| line.eq_ignore_ascii_case(&format!("To: {to}")))
        })
        .collect()
}
