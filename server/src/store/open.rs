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
            .pragma("temp_store", "memory")
            // Readers map the file instead of copying every page they touch out of the
            // OS cache with a read call; mapped pages are shared and evictable.
            .pragma("mmap_size", "268435456");
        // The writer never checkpoints itself: a checkpoint copies the log into the
        // database and syncs it, and run inside whichever write crossed the threshold
        // it stalls that write and every one queued behind it. A background task does
        // it instead (see `checkpoint_in_background`).
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone().pragma("wal_autocheckpoint", "0"))
            .await?;
        SQLITE_MIGRATIONS.run(&write).await?;
        let read = SqlitePoolOptions::new()
            .max_connections(max_connections.max(1))
            .connect_with(options)
            .await?;
        checkpoint_in_background(read.clone(), write.clone());
        Pools::Sqlite { read, write }
    };
    Ok(Store { pools })
}

/// How often the write-ahead log is copied into the database.
const CHECKPOINT_EVERY: Duration = Duration::from_secs(1);

/// Log size, in pages, past which the writer empties the log: 64 MiB of 4 KiB pages.
const TRUNCATE_LOG_AT_PAGES: i64 = 16_384;

/// Checkpoints the write-ahead log every [`CHECKPOINT_EVERY`] (see [`checkpoint`]),
/// until the pools close.
fn checkpoint_in_background(read: SqlitePool, write: SqlitePool) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(CHECKPOINT_EVERY);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        while !read.is_closed() {
            every.tick().await;
            if let Err(err) = checkpoint(&read, &write, TRUNCATE_LOG_AT_PAGES).await {
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
/// happens while writes keep coming: the log would grow without end (gigabytes while
/// seeding the benchmark). So once it holds more than `truncate_at` pages the writer
/// itself empties it, waiting for readers to move to the newest snapshot; the passive
/// round has just copied nearly all of it, so this holds up writes only briefly.
async fn checkpoint(read: &SqlitePool, write: &SqlitePool, truncate_at: i64) -> sqlx::Result<()> {
    let (_busy, log_pages, _copied): (i64, i64, i64) =
        sqlx::query_as("PRAGMA wal_checkpoint(PASSIVE)")
            .fetch_one(read)
            .await?;
    if log_pages > truncate_at {
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(write)
            .await?;
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
    /// checkpoint alone leaves the log growing; past the limit the writer empties it.
    #[tokio::test]
    async fn the_log_is_emptied_once_past_its_limit_under_nonstop_writes() {
        let dir = tempfile::tempdir().unwrap();
        let store = open(&default_sqlite_url(dir.path()), 4).await.unwrap();
        let Pools::Sqlite { read, write } = &store.pools else {
            unreachable!("a SQLite URL opens SQLite pools")
        };
        sqlx::query("CREATE TABLE filler (body BLOB)")
            .execute(write)
            .await
            .unwrap();
        let wal = dir.path().join("socmel.db-wal");
        let wal_len = || std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
        for _ in 0..50 {
            sqlx::query("INSERT INTO filler VALUES (zeroblob(8192))")
                .execute(write)
                .await
                .unwrap();
        }
        // A reader holds a snapshot while the writer goes on: the passive round
        // cannot copy past it.
        let mut held = read.begin().await.unwrap();
        sqlx::query("SELECT count(*) FROM filler")
            .execute(&mut *held)
            .await
            .unwrap();
        sqlx::query("INSERT INTO filler VALUES (zeroblob(8192))")
            .execute(write)
            .await
            .unwrap();
        checkpoint(read, write, i64::MAX).await.unwrap();
        assert!(wal_len() > 50 * 8192, "below the limit the log stays");
        held.commit().await.unwrap();
        checkpoint(read, write, 10).await.unwrap();
        assert_eq!(wal_len(), 0, "past the limit the writer empties the log");
        let (rows,): (i64,) = sqlx::query_as("SELECT count(*) FROM filler")
            .fetch_one(read)
            .await
            .unwrap();
        assert_eq!(rows, 51, "nothing is lost");
    }
}
