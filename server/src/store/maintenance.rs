//! Housekeeping queries run by the background jobs, and the lock that keeps a job to
//! one node at a time.

use sqlx::{Postgres, pool::PoolConnection};

use super::{Millis, Pools, Store, StoreResult, run};

/// Removes refresh tokens, verification codes and invitations past their life;
/// returns how many of each.
pub async fn purge_expired(store: &Store, now: Millis) -> StoreResult<(u64, u64, u64)> {
    let mut db = store.writer().await?;
    let tokens = run!(
        db.conn(),
        execute,
        "DELETE FROM refresh_tokens WHERE expires_at <= $1",
        now
    )?;
    let codes = super::security::delete_expired(db.conn(), now).await?;
    let invitations = run!(
        db.conn(),
        execute,
        "DELETE FROM space_invitations WHERE expires_at <= $1",
        now
    )?;
    Ok((tokens, codes, invitations))
}

/// Removes notes written before `cutoff`; returns how many.
pub async fn purge_notes(store: &Store, cutoff: Millis) -> StoreResult<u64> {
    let mut db = store.writer().await?;
    Ok(run!(
        db.conn(),
        execute,
        "DELETE FROM notes WHERE created_at < $1",
        cutoff
    )?)
}

/// Whether any row still points at the stored object `key` (a post or message
/// attachment, or a profile picture).
pub async fn media_key_in_use(store: &Store, key: &str) -> StoreResult<bool> {
    let mut db = store.reader().await?;
    let used = run!(db.conn(), fetch_optional, scalar i32,
        "SELECT 1 FROM post_attachments WHERE file_public_id = $1 \
         UNION ALL SELECT 1 FROM users WHERE pfp_key = $1 \
         UNION ALL SELECT 1 FROM message_attachments WHERE file_key = $1 LIMIT 1", key)?;
    Ok(used.is_some())
}

/// Held while a job runs. On PostgreSQL it is a session advisory lock, so with several
/// nodes each run happens on exactly one of them; a single SQLite node needs none.
pub enum JobLock {
    Local,
    Postgres {
        conn: PoolConnection<Postgres>,
        key: i64,
    },
}

/// The lock for job `key`, or `None` when another node holds it.
pub async fn try_lock(store: &Store, key: i64) -> StoreResult<Option<JobLock>> {
    match &store.pools {
        Pools::Sqlite { .. } => Ok(Some(JobLock::Local)),
        Pools::Postgres(pool) => {
            let mut conn = pool.acquire().await?;
            let taken: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
                .bind(key)
                .fetch_one(&mut *conn)
                .await?;
            Ok(taken.then_some(JobLock::Postgres { conn, key }))
        }
    }
}

impl JobLock {
    pub async fn release(self) -> StoreResult<()> {
        if let Self::Postgres { mut conn, key } = self {
            sqlx::query("SELECT pg_advisory_unlock($1)")
                .bind(key)
                .execute(&mut *conn)
                .await?;
        }
        Ok(())
    }
}
