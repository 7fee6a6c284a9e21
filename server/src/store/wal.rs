//! Keeping SQLite's write-ahead log short, and synced, beside the writer.
//!
//! The writer never checkpoints itself (`wal_autocheckpoint=0`): run inside whichever
//! write crossed the threshold, a checkpoint stalls that write and every one queued
//! behind it. One background task does the work instead, and keeps every step it can
//! off the writer (BENCHMARKS.md, findings 11, 13 and 20):
//!
//! - Every [`SYNC_EVERY`] it syncs what was written to the log since the last sync,
//!   if an acknowledgement has not done so already (`store::durable`): with relaxed
//!   acknowledgements that bounds what a power cut can take to about that long of
//!   commits, and it keeps a checkpoint from having a second's worth of log to sync
//!   (tens of MiB under sustained writes) while it stalls the writer. Only the log is
//!   synced from outside SQLite: a descriptor of ours on the database file, once
//!   closed, would drop SQLite's locks on it (see `store::durable`). The database file
//!   is synced by SQLite itself, in the checkpoints.
//! - Every [`CHECKPOINT_EVERY`] a `PASSIVE` checkpoint from a reader connection copies
//!   the log into the database, never waiting for the writer.
//! - SQLite only rewinds the log when a write starts with every page of it copied,
//!   which never happens while writes keep coming: the log grew without end. So past
//!   [`REWIND_AT_PAGES`] the task copies and syncs whatever arrived meanwhile, then the
//!   writer finishes the copy and rewinds the log (`RESTART`), with only moments' worth
//!   left to copy and sync.

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use sqlx::sqlite::SqlitePool;

use super::durable::Syncer;

/// How often the log is synced to disk when nothing else synced it.
const SYNC_EVERY: Duration = Duration::from_millis(100);

/// How often the log is copied into the database.
const CHECKPOINT_EVERY: Duration = Duration::from_secs(1);

/// Log size, in pages, past which the writer rewinds the log: 64 MiB of 4 KiB pages.
const REWIND_AT_PAGES: i64 = 16_384;

/// The largest log file kept after a rewind (`journal_size_limit`), in bytes. The log
/// goes on growing for the second or so a rewind takes to come (about 130 MB at 2,000
/// posts/s); cutting the file back inside the writer's rewind took 15 ms, so only a log
/// past anything sustained writes reach is cut back.
pub const LOG_FILE_LIMIT: u64 = 256 * 1024 * 1024;

/// Runs the log's upkeep (see the module) until the pools close.
pub fn keep_in_background(read: SqlitePool, write: SqlitePool, sync: Arc<Syncer>) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(SYNC_EVERY);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut last_checkpoint = Instant::now();
        // A failing sync is reported when it starts failing and when it recovers, not
        // ten times a second.
        let mut failing = false;
        while !read.is_closed() {
            every.tick().await;
            match (sync.sync_now().await, failing) {
                (Err(err), false) => {
                    tracing::warn!(error = %err, "syncing the write-ahead log");
                    failing = true;
                }
                (Ok(()), true) => {
                    tracing::info!("syncing the write-ahead log works again");
                    failing = false;
                }
                _ => {}
            }
            if last_checkpoint.elapsed() < CHECKPOINT_EVERY {
                continue;
            }
            last_checkpoint = Instant::now();
            if let Err(err) = checkpoint(&read, &write, &sync, REWIND_AT_PAGES).await {
                if read.is_closed() || write.is_closed() {
                    break;
                }
                tracing::warn!(error = %err, "checkpointing the write-ahead log");
            }
        }
    });
}

/// One checkpoint round, rewinding the log once it holds more than `rewind_at` pages.
async fn checkpoint(
    read: &SqlitePool,
    write: &SqlitePool,
    sync: &Syncer,
    rewind_at: i64,
) -> sqlx::Result<()> {
    let passive = || sqlx::query_as("PRAGMA wal_checkpoint(PASSIVE)").fetch_one(read);
    let (_busy, log_pages, _copied): (i64, i64, i64) = passive().await?;
    if log_pages <= rewind_at {
        return Ok(());
    }
    // What was written during the first round, copied and synced beside the writer
    // too, then what was written during that sync: the writer itself has only
    // moments' worth left to copy and sync.
    let started = Instant::now();
    let _: (i64, i64, i64) = passive().await?;
    // Should the sync fail, the checkpoint's own sync does the work.
    let _ = sync.sync_now().await;
    let _: (i64, i64, i64) = passive().await?;
    let rewind = Instant::now();
    sqlx::query("PRAGMA wal_checkpoint(RESTART)")
        .execute(write)
        .await?;
    tracing::debug!(log_pages, beside = ?rewind - started, writer_held = ?rewind.elapsed(),
        "write-ahead log rewound");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{
        Pools,
        durable::Durability,
        open::{default_sqlite_url, open},
    };

    /// Under writes that never pause, with a reader always mid-query, the passive
    /// checkpoint alone leaves the log growing; past the limit the writer rewinds it,
    /// so the next write starts at its beginning.
    #[tokio::test]
    async fn the_log_is_rewound_once_past_its_limit_under_nonstop_writes() {
        let dir = tempfile::tempdir().unwrap();
        let store = open(&default_sqlite_url(dir.path()), 4, Durability::Commit)
            .await
            .unwrap();
        let Pools::Sqlite { read, write, sync } = &store.pools else {
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
        checkpoint(read, write, sync, i64::MAX).await.unwrap();
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
        checkpoint(read, write, sync, 10).await.unwrap();
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
