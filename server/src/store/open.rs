//! Opening the database named by the configuration and bringing its schema up to date.

use std::{path::Path, str::FromStr, time::Duration};

use sqlx::{
    migrate::Migrator,
    postgres::{PgConnectOptions, PgPoolOptions},
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
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
        checkpoint_in_background(read.clone());
        Pools::Sqlite { read, write }
    };
    Ok(Store { pools })
}

/// How often the write-ahead log is copied into the database.
const CHECKPOINT_EVERY: Duration = Duration::from_secs(1);

/// Checkpoints the write-ahead log every [`CHECKPOINT_EVERY`] from a reader connection,
/// beside the writer rather than inside one of its transactions. `PASSIVE` never waits
/// for readers or the writer; until the pool closes.
fn checkpoint_in_background(pool: sqlx::SqlitePool) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(CHECKPOINT_EVERY);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        while !pool.is_closed() {
            every.tick().await;
            if let Err(err) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                .execute(&pool)
                .await
            {
                if pool.is_closed() {
                    break;
                }
                tracing::warn!(error = %err, "checkpointing the write-ahead log");
            }
        }
    });
}

/// The default database: `socmel.db` inside the data folder.
pub fn default_sqlite_url(data_dir: &Path) -> String {
    format!("sqlite://{}", data_dir.join("socmel.db").display())
}
