//! All SQL lives here, one file per resource.
//!
//! One query text serves both backends: every statement is written in the common
//! dialect (`$N` placeholders, `RETURNING`, `ON CONFLICT`, BIGINT ids, timestamps as
//! BIGINT Unix milliseconds) and [`run!`] dispatches it to whichever
//! driver the connection belongs to. Backend-specific features (full-text search,
//! LISTEN/NOTIFY, advisory locks) sit behind their own small functions.
//!
//! SQLite gets a single writer connection beside a pool of readers: SQLite admits one
//! writer at a time anyway, and queueing writers in the pool instead of letting them
//! collide on the file lock removes `SQLITE_BUSY` failures under load.

pub mod attachments;
pub mod auth;
pub mod bans;
pub mod comments;
pub mod durable;
mod error;
pub mod feed;
pub mod follows;
pub mod groups;
pub mod invitations;
pub mod maintenance;
pub mod message_attachments;
pub mod messages;
pub mod notes;
pub mod notifications;
pub mod open;
pub mod posts;
pub mod rooms;
pub mod security;
pub mod spaces;
pub mod users;
mod wal;

use std::sync::Arc;

use sqlx::{
    PgConnection, PgPool, Postgres, Sqlite, SqliteConnection, SqlitePool, pool::PoolConnection,
};

use durable::Syncer;

pub use error::{Constraint, StoreError};
pub use open::open;

pub type StoreResult<T> = Result<T, StoreError>;

/// Which database a [`Store`] runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Self::Sqlite => "sqlite",
            Self::Postgres => "postgres",
        }
    }
}

/// The database handle the service layer holds. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    pools: Pools,
}

#[derive(Clone)]
enum Pools {
    Sqlite {
        read: SqlitePool,
        write: SqlitePool,
        /// Syncs the log before a write is acknowledged (`store::durable`).
        sync: Arc<Syncer>,
    },
    Postgres(PgPool),
}

impl Store {
    pub fn backend(&self) -> Backend {
        match self.pools {
            Pools::Sqlite { .. } => Backend::Sqlite,
            Pools::Postgres(_) => Backend::Postgres,
        }
    }

    /// Whether this process is the database's only writer, and so sees every change
    /// it could cache around: true of the embedded SQLite file, false of PostgreSQL,
    /// which other nodes (or an operator) may write.
    pub fn is_sole_writer(&self) -> bool {
        matches!(self.pools, Pools::Sqlite { .. })
    }

    /// A connection for reads.
    pub async fn reader(&self) -> StoreResult<Db> {
        Ok(match &self.pools {
            Pools::Sqlite { read, .. } => Db::Sqlite(read.acquire().await?),
            Pools::Postgres(pool) => Db::Postgres(pool.acquire().await?),
        })
    }

    /// A connection for single-statement writes. What it writes is on disk once
    /// [`Store::durable`] returns after it was dropped.
    pub async fn writer(&self) -> StoreResult<Db> {
        Ok(match &self.pools {
            Pools::Sqlite { write, sync, .. } => Db::Writer(write.acquire().await?, sync.clone()),
            Pools::Postgres(pool) => Db::Postgres(pool.acquire().await?),
        })
    }

    /// A write transaction; nothing is visible to others until [`Tx::commit`].
    pub async fn begin(&self) -> StoreResult<Tx> {
        Ok(match &self.pools {
            // IMMEDIATE takes the write lock up front, so a transaction that reads
            // first never fails later when it tries to upgrade to writing.
            Pools::Sqlite { write, sync, .. } => {
                Tx::Sqlite(write.begin_with("BEGIN IMMEDIATE").await?, sync.clone())
            }
            Pools::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }

    /// Returns once every write this process committed before the call is on disk
    /// (`store::durable`): what an acknowledgement waits for. PostgreSQL's commits
    /// wait for its own log flush, so there is nothing left to wait for.
    pub async fn durable(&self) -> StoreResult<()> {
        if let Pools::Sqlite { sync, .. } = &self.pools {
            sync.durable().await.map_err(sync_failed)?;
        }
        Ok(())
    }

    /// Closes every pooled connection (on shutdown).
    pub async fn close(&self) {
        match &self.pools {
            Pools::Sqlite { read, write, .. } => {
                write.close().await;
                read.close().await;
            }
            Pools::Postgres(pool) => pool.close().await,
        }
    }
}

/// A pooled connection of either backend.
pub enum Db {
    Sqlite(PoolConnection<Sqlite>),
    /// SQLite's writer: dropping it notes that its writes reached the log.
    Writer(PoolConnection<Sqlite>, Arc<Syncer>),
    Postgres(PoolConnection<Postgres>),
}

impl Db {
    pub fn conn(&mut self) -> Conn<'_> {
        match self {
            Self::Sqlite(c) | Self::Writer(c, _) => Conn::Sqlite(c),
            Self::Postgres(c) => Conn::Postgres(c),
        }
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        // Each statement committed on its own as it ran; the next sync covers them.
        if let Self::Writer(_, sync) = self {
            sync.wrote();
        }
    }
}

/// An open transaction of either backend; dropped without commit, it rolls back.
pub enum Tx {
    Sqlite(sqlx::Transaction<'static, Sqlite>, Arc<Syncer>),
    Postgres(sqlx::Transaction<'static, Postgres>),
}

impl Tx {
    pub fn conn(&mut self) -> Conn<'_> {
        match self {
            Self::Sqlite(tx, _) => Conn::Sqlite(tx),
            Self::Postgres(tx) => Conn::Postgres(tx),
        }
    }

    /// Commits, and returns once the commit is on disk (`store::durable`). The writer
    /// connection is free for the next transaction while this one waits.
    pub async fn commit(self) -> StoreResult<()> {
        if let Some(sync) = self.commit_unsynced().await? {
            sync.durable().await.map_err(sync_failed)?;
        }
        Ok(())
    }

    /// Commits without waiting for the disk: for a writer that answers many callers
    /// and lets each wait with [`Store::durable`] instead of waiting in its loop.
    pub async fn commit_unsynced(self) -> StoreResult<Option<Arc<Syncer>>> {
        match self {
            Self::Sqlite(tx, sync) => {
                tx.commit().await?;
                sync.wrote();
                Ok(Some(sync))
            }
            Self::Postgres(tx) => {
                tx.commit().await?;
                Ok(None)
            }
        }
    }
}

/// A failed sync leaves a commit whose durability is unknown: the write is refused.
fn sync_failed(err: std::io::Error) -> StoreError {
    tracing::error!(error = %err, "syncing the write-ahead log");
    StoreError::Io(err)
}

/// A borrowed connection, in or out of a transaction: what every store function takes.
pub enum Conn<'c> {
    Sqlite(&'c mut SqliteConnection),
    Postgres(&'c mut PgConnection),
}

impl Conn<'_> {
    /// A shorter borrow of the same connection, so one `Conn` can run several queries.
    pub fn reborrow(&mut self) -> Conn<'_> {
        match self {
            Self::Sqlite(c) => Conn::Sqlite(c),
            Self::Postgres(c) => Conn::Postgres(c),
        }
    }
}

/// Runs one query text on whichever backend `$conn` (a `Conn`) belongs to.
///
/// `run!(conn, fetch_optional, as UserRow, "SELECT … WHERE id = $1", id)`
/// `run!(conn, execute, "UPDATE …", a, b)`
macro_rules! run {
    ($conn:expr, $method:ident, as $row:ty, $sql:expr $(, $arg:expr)* $(,)?) => {
        match $conn {
            $crate::store::Conn::Sqlite(c) => {
                sqlx::query_as::<_, $row>($sql)$(.bind($arg))*.$method(&mut *c).await
            }
            $crate::store::Conn::Postgres(c) => {
                sqlx::query_as::<_, $row>($sql)$(.bind($arg))*.$method(&mut *c).await
            }
        }
    };
    ($conn:expr, $method:ident, scalar $ty:ty, $sql:expr $(, $arg:expr)* $(,)?) => {
        match $conn {
            $crate::store::Conn::Sqlite(c) => {
                sqlx::query_scalar::<_, $ty>($sql)$(.bind($arg))*.$method(&mut *c).await
            }
            $crate::store::Conn::Postgres(c) => {
                sqlx::query_scalar::<_, $ty>($sql)$(.bind($arg))*.$method(&mut *c).await
            }
        }
    };
    ($conn:expr, execute, $sql:expr $(, $arg:expr)* $(,)?) => {
        match $conn {
            $crate::store::Conn::Sqlite(c) => sqlx::query($sql)$(.bind($arg))*
                .execute(&mut *c).await.map(|done| done.rows_affected()),
            $crate::store::Conn::Postgres(c) => sqlx::query($sql)$(.bind($arg))*
                .execute(&mut *c).await.map(|done| done.rows_affected()),
        }
    };
}
pub(crate) use run;

/// Milliseconds since the Unix epoch: how every timestamp is stored.
pub type Millis = i64;

impl Store {
    /// One round trip to the database (and, for SQLite, to the writer too).
    pub async fn ping(&self) -> StoreResult<()> {
        let mut db = self.reader().await?;
        run!(db.conn(), fetch_one, scalar i32, "SELECT 1")?;
        let mut db = self.writer().await?;
        run!(db.conn(), fetch_one, scalar i32, "SELECT 1")?;
        Ok(())
    }
}
