//! Opening the database named by the configuration and bringing its schema up to date.

use std::{path::Path, str::FromStr, time::Duration};

use sqlx::{
    migrate::Migrator,
    postgres::{PgConnectOptions, PgPoolOptions},
    sqlite::{
        SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
    },
};

use super::{Pools, Store, StoreResult};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/postgres");

/// Opens `url` (`sqlite:…` or `postgres://…`) and applies pending migrations.
pub async fn open(url: &str, max_connections: u32) -> StoreResult<Store> {
    let pools = if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        let options = PgConnectOptions::from_str(url)?.application_name("socmel-server");
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
        // The writer never checkpoints itself: a checkpoint copies the log into the
        // database and syncs it, and run inside whichever write crossed the threshold
        // it stalls that write and every one queued behind it. A background task does
        // it instead (see `checkpoint_in_background`).
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
                    .pragma("journal_size_limit", "67108864"),
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
        checkpoint_in_background(read.clone(), write.clone());
        Pools::Sqlite { read, write }
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

/// SQLite reader connections: each is a thread doing CPU-bound work, so beyond two per
/// core they add no throughput, only more copies of the same cached pages.
fn sqlite_readers(max_connections: u32) -> u32 {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let two_per_core = u32::try_from(cores.saturating_mul(2)).unwrap_or(u32::MAX);
    max_connections.clamp(1, two_per_core)
}

/// How often the write-ahead log is copied into the database.
const CHECKPOINT_EVERY: Duration = Duration::from_secs(1);

/// Log size, in pages, past which the writer rewinds the log: 64 MiB of 4 KiB pages.
const RESTART_LOG_AT_PAGES: i64 = 16_384;

/// Checkpoints the write-ahead log every [`CHECKPOINT_EVERY`] (see [`checkpoint`]),
/// until the pools close.
fn checkpoint_in_background(read: SqlitePool, write: SqlitePool) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(CHECKPOINT_EVERY);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        while !read.is_closed() {
            every.tick().await;
            if let Err(err) = checkpoint(&read, &write, RESTART_LOG_AT_PAGES).await {
                if read.is_closed() || write.is_closed() {
                    break;
                }
                tracing::warn!(error = %err, "checkpointing the write-ahead log");
            }
        }
    });
}

/// One checkpoint round. A `PASSIVE` checkpoint from a reader connection copies the
/// log into the database beside the writer, never waiting for it. But SQLite only
/// rewinds the log when a write starts with every page of it copied, which never
/// happens while writes keep coming: the log grew without end (gigabytes while seeding
/// the benchmark). So once it holds more than `restart_at` pages, a second passive
/// round copies what arrived during the first, and then the writer itself finishes
/// the copy and rewinds the log (`RESTART`; `journal_size_limit` cuts the file back).
/// That holds writes up while the log is synced to disk: about 0.1 s per 64 MiB here.
async fn checkpoint(read: &SqlitePool, write: &SqlitePool, restart_at: i64) -> sqlx::Result<()> {
    let started = std::time::Instant::now();
    let (_busy, log_pages, copied): (i64, i64, i64) =
        sqlx::query_as("PRAGMA wal_checkpoint(PASSIVE)")
            .fetch_one(read)
            .await?;
    let passive = started.elapsed();
    if log_pages > restart_at {
        // What was written during the first round, copied beside the writer too, so
        // the writer itself has only moments' worth left.
        sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
            .execute(read)
            .await?;
        let restart = std::time::Instant::now();
        sqlx::query("PRAGMA wal_checkpoint(RESTART)")
            .execute(write)
            .await?;
        tracing::debug!(log_pages, copied, ?passive, restart = ?restart.elapsed(),
            "write-ahead log rewound");
    }
    Ok(())
}

/// The default database: `socmel.db` inside the data folder.
pub fn default_sqlite_url(data_dir: &Path) -> String {
    format!("sqlite://{}", data_dir.join("socmel.db").display())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Under writes that never pause, with a reader always mid-query, the passive
    /// checkpoint alone leaves the log growing; past the limit the writer rewinds it,
    /// so the next write starts at its beginning.
    #[tokio::test]
    async fn the_log_is_rewound_once_past_its_limit_under_nonstop_writes() {
        let dir = tempfile::tempdir().unwrap();
        let store = open(&default_sqlite_url(dir.path()), 4).await.unwrap();
        let Pools::Sqlite { read, write } = &store.pools else {
            unreachable!("a SQLite URL opens SQLite pools")
        };
        let insert = || sqlx::query("INSERT INTO filler VALUES (zeroblob(8192))").execute(write);
        // How many pages the log holds now, copying what it can.
        let log_pages = || async {
            let (_, pages, _): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(PASSIVE)")
                .fetch_one(read)
                .await
                .unwrap();
            pages
        };
        sqlx::query("CREATE TABLE filler (body BLOB)")
            .execute(write)
            .await
            .unwrap();
        for _ in 0..50 {
            insert().await.unwrap();
        }
        // A reader holds a snapshot while the writer goes on: no round can finish.
        let mut held = read.begin().await.unwrap();
        sqlx::query("SELECT count(*) FROM filler")
            .execute(&mut *held)
            .await
            .unwrap();
        insert().await.unwrap();
        checkpoint(read, write, i64::MAX).await.unwrap();
        insert().await.unwrap();
        assert!(
            log_pages().await > 100,
            "below the limit the log only grows"
        );
        // The reader lets go only once the round has begun: a passive round cannot
        // finish, the writer's waits for it.
        let release = tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(100)).await;
            held.commit().await.unwrap();
        });
        checkpoint(read, write, 10).await.unwrap();
        release.await.unwrap();
        insert().await.unwrap();
        let after = log_pages().await;
        assert!(
            after < 10,
            "the next write starts the log over ({after} pages)"
        );
        let (rows,): (i64,) = sqlx::query_as("SELECT count(*) FROM filler")
            .fetch_one(read)
            .await
            .unwrap();
        assert_eq!(rows, 53, "nothing is lost");
    }
}
