//! Opening the database named by the configuration and bringing its schema up to date.

use std::{path::Path, str::FromStr, time::Duration};

use sqlx::{
    migrate::Migrator,
    postgres::{PgConnectOptions, PgPoolOptions},
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
};

use std::sync::Arc;

use super::{
    Pools, Store, StoreResult,
    durable::{Durability, Syncer},
    wal,
};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/postgres");

/// Opens `url` (`sqlite:…` or `postgres://…`) and applies pending migrations;
/// `durability` says what an acknowledged write guarantees (`store::durable`).
pub async fn open(url: &str, max_connections: u32, durability: Durability) -> StoreResult<Store> {
    let pools = if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        let mut options = PgConnectOptions::from_str(url)?.application_name("socmel-server");
        if durability == Durability::Relaxed {
            // PostgreSQL's own relaxed commit: answered before its log is flushed,
            // never inconsistent after a crash.
            options = options.options([("synchronous_commit", "off")]);
        }
        let pool = PgPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await?;
        POSTGRES_MIGRATIONS.run(&pool).await?;
        Pools::Postgres(pool)
    } else {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(5))
            .foreign_keys(true)
            .pragma("temp_store", "memory");
        // `synchronous=NORMAL` never syncs at commit: the log is synced by the group
        // commit in `store::durable` before a write is acknowledged.
        let sync = Arc::new(Syncer::new(options.get_filename(), durability));
        // The writer never checkpoints itself: see `store::wal`.
        //
        // Pinging a pooled connection before handing it out guards against a dropped
        // network link; a SQLite connection is a file handle on a worker thread, and
        // the ping is one more round trip to that thread on every query.
        let write = SqlitePoolOptions::new()
            .test_before_acquire(false)
            .max_connections(1)
            .connect_with(
                options
                    .clone()
                    .pragma("wal_autocheckpoint", "0")
                    .pragma("journal_size_limit", wal::LOG_FILE_LIMIT.to_string())
                    .pragma("cache_size", format!("-{WRITE_CACHE_KIB}")),
            )
            .await?;
        SQLITE_MIGRATIONS.run(&write).await?;
        let readers = sqlite_readers(max_connections);
        let read = SqlitePoolOptions::new()
            .test_before_acquire(false)
            .max_connections(readers)
            .connect_with(options.pragma(
                "cache_size",
                format!("-{}", READ_CACHE_KIB / u64::from(readers)),
            ))
            .await?;
        wal::keep_in_background(read.clone(), write.clone(), sync.clone());
        Pools::Sqlite { read, write, sync }
    };
    Ok(Store { pools })
}

/// The page cache all SQLite readers share out between them (each connection has its
/// own). A feed page walks the newest posts of every followee: with SQLite's default
/// 2 MiB per connection most of those pages were read again from the OS on every
/// request, and with the file memory-mapped instead SQLite re-parses every page header
/// on every visit (BENCHMARKS.md, finding 19). It is a ceiling, filled only as pages
/// are read.
const READ_CACHE_KIB: u64 = 128 * 1024;

/// The writer's page cache. A new post lands on a random leaf of three indexes (its
/// author's posts, twice, and its tags'); with SQLite's default 2 MiB most of those
/// leaves were read again from the log or the database file on every write: post
/// creation 2,965 → 4,047 posts/s with this (BENCHMARKS.md, finding 20). A ceiling,
/// filled only as pages are used.
const WRITE_CACHE_KIB: u64 = 64 * 1024;

/// SQLite reader connections: each is a thread doing CPU-bound work, so beyond two per
/// core they add no throughput, only more copies of the same cached pages.
fn sqlite_readers(max_connections: u32) -> u32 {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let two_per_core = u32::try_from(cores.saturating_mul(2)).unwrap_or(u32::MAX);
    max_connections.clamp(1, two_per_core)
}

/// The default database: `socmel.db` inside the data folder.
pub fn default_sqlite_url(data_dir: &Path) -> String {
    format!("sqlite://{}", data_dir.join("socmel.db").display())
}
