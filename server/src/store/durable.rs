//! What an acknowledged write guarantees, and the group commit that keeps it cheap.
//!
//! With [`Durability::Commit`] (the default) a write is acknowledged only once it is on
//! disk: on PostgreSQL that is `synchronous_commit = on`; on SQLite the commit's pages
//! are in the write-ahead log and the log has been synced ([`Syncer::durable`]). SQLite
//! itself runs with `synchronous=NORMAL`, which never syncs at commit, because a sync
//! per commit on the single writer connection would cap every write at one sync each
//! (about 4 ms on an ordinary disk: 250 writes/s). Instead every commit that finishes
//! while a sync is under way waits for the next one, and one sync covers them all: the
//! writer connection is free again as soon as it has committed, and the wait happens
//! in the request that wrote.
//!
//! With [`Durability::Relaxed`] (opt-in) a write is acknowledged once it is committed
//! in the operating system's cache: a crash of the process loses nothing, a power cut
//! or a kernel crash loses up to [`super::wal`]'s sync interval (100 ms) of commits on
//! SQLite, and what PostgreSQL's `synchronous_commit = off` loses (three times its
//! `wal_writer_delay`) there. Neither mode can corrupt the database.
//!
//! The log is synced through a descriptor of its own, opened for each sync. That is
//! safe for SQLite's locking, which a foreign descriptor on the *database* file is not:
//! closing any descriptor of a file drops every POSIX lock the process holds on that
//! file, and SQLite keeps its locks on the database file and on the `-shm` file only
//! (`os_unix.c`: `unixLock` on the main database, `unixShmSystemLock` on the shared
//! memory). It never locks the `-wal` file, so opening and closing it cannot let
//! another process believe it is alone and delete the log. Nothing here ever opens the
//! database file or the `-shm` file.

use std::{
    path::{Path, PathBuf},
    sync::atomic::{AtomicU64, Ordering},
};

use clap::ValueEnum;
use tokio::sync::{Mutex, watch};

/// What an acknowledgement means (see the module).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum Durability {
    /// An acknowledged write is on disk: it survives a power cut.
    #[default]
    Commit,
    /// An acknowledged write survives a crash of the server, not a power cut.
    Relaxed,
}

/// The group commit of SQLite's write-ahead log.
pub struct Syncer {
    log: PathBuf,
    mode: Durability,
    /// Counts writes whose pages have reached the log; each takes the next number.
    written: AtomicU64,
    /// The highest write number known to be on disk.
    synced: watch::Sender<u64>,
    /// Held by the one task syncing at a time.
    syncing: Mutex<()>,
}

impl Syncer {
    pub fn new(database: &Path, mode: Durability) -> Self {
        let mut log = database.as_os_str().to_owned();
        log.push("-wal");
        Self {
            log: log.into(),
            mode,
            written: AtomicU64::new(0),
            synced: watch::Sender::new(0),
            syncing: Mutex::new(()),
        }
    }

    /// Notes that a write has reached the log (after its commit returned), so the next
    /// sync must cover it.
    pub fn wrote(&self) {
        self.written.fetch_add(1, Ordering::SeqCst);
    }

    /// Returns once every write noted before the call is on disk; at once when nothing
    /// new was written or when acknowledgements are relaxed.
    pub async fn durable(&self) -> std::io::Result<()> {
        if self.mode == Durability::Relaxed {
            return Ok(());
        }
        self.sync_past(self.written.load(Ordering::SeqCst)).await
    }

    /// Syncs whatever was written so far, if anything (the background upkeep, which
    /// bounds what a power cut takes in the relaxed mode).
    pub async fn sync_now(&self) -> std::io::Result<()> {
        self.sync_past(self.written.load(Ordering::SeqCst)).await
    }

    /// Waits until write number `target` is on disk, syncing if nobody else is. A
    /// sync started before `target` was written may not cover it, so a waiter whose
    /// target is past what the finished sync covered goes round again: the next sync
    /// starts as soon as the current one ends and covers everyone waiting meanwhile.
    async fn sync_past(&self, target: u64) -> std::io::Result<()> {
        let mut synced = self.synced.subscribe();
        loop {
            if *synced.borrow_and_update() >= target {
                return Ok(());
            }
            if let Ok(syncing) = self.syncing.try_lock() {
                // Read after taking the lock: every write numbered up to here had its
                // pages in the log before the sync below starts.
                let upto = self.written.load(Ordering::SeqCst);
                let done = self.sync_log().await;
                // Unlocked before the waiters wake, so one whose write came too late
                // for this sync finds the lock free and starts the next.
                drop(syncing);
                if done.is_ok() {
                    self.synced
                        .send_modify(|synced| *synced = (*synced).max(upto));
                } else {
                    self.synced.send_modify(|_| {});
                }
                done?;
                continue;
            }
            // Someone else is syncing: wait for them, then look again.
            if synced.changed().await.is_err() {
                return Ok(());
            }
        }
    }

    async fn sync_log(&self) -> std::io::Result<()> {
        let log = self.log.clone();
        tokio::task::spawn_blocking(move || match std::fs::File::open(&log) {
            Ok(file) => file.sync_data(),
            // Before the first write there is no log, hence nothing to sync.
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(err) => Err(err),
        })
        .await
        .map_err(std::io::Error::other)?
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    #[tokio::test]
    async fn concurrent_writers_share_syncs_and_all_return_once_covered() {
        let dir = tempfile::tempdir().unwrap();
        let database = dir.path().join("db");
        std::fs::write(format!("{}-wal", database.display()), b"log").unwrap();
        let syncer = Arc::new(Syncer::new(&database, Durability::Commit));
        let waits = (0..64).map(|_| {
            let syncer = syncer.clone();
            tokio::spawn(async move {
                syncer.wrote();
                syncer.durable().await.unwrap();
                syncer.written.load(Ordering::SeqCst)
            })
        });
        for wait in waits {
            let seen = wait.await.unwrap();
            assert!(*syncer.synced.borrow() >= seen.min(1));
        }
        assert_eq!(*syncer.synced.borrow(), 64, "every write is covered");
    }

    #[tokio::test]
    async fn relaxed_acknowledgements_do_not_wait_but_the_upkeep_syncs() {
        let dir = tempfile::tempdir().unwrap();
        let syncer = Syncer::new(&dir.path().join("db"), Durability::Relaxed);
        syncer.wrote();
        syncer.durable().await.unwrap();
        assert_eq!(*syncer.synced.borrow(), 0);
        syncer.sync_now().await.unwrap();
        assert_eq!(*syncer.synced.borrow(), 1);
    }
}
