//! Storing new posts, with group commit on SQLite.
//!
//! The embedded database has a single writer, and each commit appends every page the
//! new post touched (the table row, its five indexes, the tags and theirs) to the
//! write-ahead log: about eleven 4 KiB pages per post. Posts that arrive while the
//! writer is busy wait in a queue; the next transaction takes all of them (up to
//! [`BATCH_MAX`]), so they share those pages, one `BEGIN` and one `COMMIT`. A post
//! that arrives alone is written alone, at once. PostgreSQL has many writers and
//! writes each post in its own transaction, in the request's task.

use std::sync::Arc;

use tokio::sync::{mpsc, oneshot};

use socmel_api_types::{SpaceId, UserId};

use super::{Change, Effects};
use crate::store::{
    self, Conn, Millis, Store, StoreError, StoreResult,
    posts::{InsertedPost, NewPost},
};

/// The most posts one transaction takes.
const BATCH_MAX: usize = 64;

/// A post to store, with its tags (normalised, in order).
pub struct Draft {
    pub user_id: i64,
    pub space_id: Option<i64>,
    pub title: String,
    pub content: String,
    pub visibility: &'static str,
    pub now: Millis,
    pub tags: Vec<String>,
}

/// What storing a draft gives back: the new row's id and author, and the draft itself,
/// whose fields the caller shows the post with.
pub type Stored = (InsertedPost, Draft);

struct Queued {
    draft: Draft,
    reply: oneshot::Sender<StoreResult<Stored>>,
}

/// Cheap to clone: the queue of the SQLite writer task, or nothing on PostgreSQL.
#[derive(Clone)]
pub struct PostWriter {
    queue: Option<mpsc::UnboundedSender<Queued>>,
    effects: Arc<Effects>,
}

impl PostWriter {
    /// With the store as its sole writer (SQLite), starts the thread that writes the
    /// queued posts; it ends when the last `PostWriter` is dropped. Each stored post
    /// is [`Effects::committed`] by whoever committed it.
    ///
    /// The writer has a thread and a runtime of its own because every post waits for
    /// it: as a task among the request handlers, each of its statements' answers woke
    /// it behind every request queued meanwhile, so under load the one serial step
    /// spent most of its time waiting for a turn (same seeded data, alternating: 2,678
    /// / 2,988 posts/s and a p99 at 2,000/s of 69 / 101 ms as a task, 2,927 / 3,186
    /// and 46 / 47 ms on its own thread).
    pub fn start(store: &Store, effects: Arc<Effects>) -> Self {
        if !store.is_sole_writer() {
            return Self {
                queue: None,
                effects,
            };
        }
        let (queue, queued) = mpsc::unbounded_channel();
        let store = store.clone();
        let writer_effects = Arc::clone(&effects);
        std::thread::Builder::new()
            .name("post-writer".into())
            .spawn(move || {
                tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("the post writer's runtime")
                    .block_on(write_queued(store, writer_effects, queued));
            })
            .expect("the post writer's thread");
        Self {
            queue: Some(queue),
            effects,
        }
    }

    /// Stores the post and its tags; committed when this returns `Ok`.
    pub async fn insert(&self, store: &Store, draft: Draft) -> StoreResult<Stored> {
        let Some(queue) = &self.queue else {
            let mut tx = store.begin().await?;
            let inserted = insert_one(tx.conn(), &draft).await?;
            tx.commit().await?;
            self.effects.committed(stored_post(&draft));
            return Ok((inserted, draft));
        };
        let stopped = || StoreError::Batch("the post writer has stopped".into());
        let (reply, answer) = oneshot::channel();
        queue.send(Queued { draft, reply }).map_err(|_| stopped())?;
        let stored = answer.await.map_err(|_| stopped())??;
        // The writer commits without waiting for the disk, so its next batch starts
        // at once; each caller waits here, and one sync covers the whole batch.
        store.durable().await?;
        Ok(stored)
    }
}

/// The post, then its tags. A failed statement leaves the transaction and the posts
/// before it in the batch as they were (SQLite undoes just that statement), so a post
/// whose tags fail is removed again rather than committed without them.
async fn insert_one(mut conn: Conn<'_>, draft: &Draft) -> StoreResult<InsertedPost> {
    let new = NewPost {
        user_id: draft.user_id,
        space_id: draft.space_id,
        title: &draft.title,
        content: &draft.content,
        visibility: draft.visibility,
        now: draft.now,
    };
    let inserted = store::posts::insert(conn.reborrow(), new).await?;
    if let Err(err) = store::posts::add_tags(conn.reborrow(), inserted.id, &draft.tags).await {
        store::posts::delete(conn, inserted.id).await?;
        return Err(err);
    }
    Ok(inserted)
}

/// What a stored post makes stale.
fn stored_post(draft: &Draft) -> Change {
    Change::Post {
        author: UserId(draft.user_id),
        space: draft.space_id.map(SpaceId),
    }
}

async fn write_queued(
    store: Store,
    effects: Arc<Effects>,
    mut queued: mpsc::UnboundedReceiver<Queued>,
) {
    while let Some(first) = queued.recv().await {
        let mut batch = vec![first];
        while batch.len() < BATCH_MAX {
            match queued.try_recv() {
                Ok(next) => batch.push(next),
                Err(_) => break,
            }
        }
        match write_batch(&store, &batch).await {
            Ok(outcomes) => {
                for (queued, outcome) in batch.into_iter().zip(outcomes) {
                    // Here rather than in the caller, which may be gone by now.
                    if outcome.is_ok() {
                        effects.committed(stored_post(&queued.draft));
                    }
                    let stored = outcome.map(|inserted| (inserted, queued.draft));
                    let _ = queued.reply.send(stored);
                }
            }
            Err(err) => {
                tracing::error!(error = %err, posts = batch.len(), "storing a batch of posts");
                for queued in batch {
                    let _ = queued.reply.send(Err(StoreError::Batch(err.to_string())));
                }
            }
        }
    }
}

/// One transaction for the batch: each post's own outcome, or the error that lost
/// them all (nothing of the batch is stored then).
async fn write_batch(
    store: &Store,
    batch: &[Queued],
) -> StoreResult<Vec<StoreResult<InsertedPost>>> {
    let mut tx = store.begin().await?;
    let mut outcomes = Vec::with_capacity(batch.len());
    for queued in batch {
        outcomes.push(insert_one(tx.conn(), &queued.draft).await);
    }
    // Durable before each caller is answered: see `PostWriter::insert`.
    tx.commit_unsynced().await?;
    Ok(outcomes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(user_id: i64, title: &str, tags: &[&str]) -> Draft {
        Draft {
            user_id,
            space_id: None,
            title: title.into(),
            content: "body".into(),
            visibility: "public",
            now: 1_700_000_000_000,
            tags: tags.iter().map(|tag| (*tag).to_owned()).collect(),
        }
    }

    /// Queued together (the test's runtime runs the writer only once all are queued),
    /// the posts share one transaction; the one whose author does not exist fails
    /// alone, and every other post is stored with its tags.
    #[tokio::test]
    async fn a_batch_stores_each_post_and_refuses_only_the_bad_one() {
        let dir = tempfile::tempdir().unwrap();
        let store = store::open(
            &store::open::default_sqlite_url(dir.path()),
            2,
            store::durable::Durability::Commit,
        )
        .await
        .unwrap();
        let mut tx = store.begin().await.unwrap();
        let Conn::Sqlite(conn) = tx.conn() else {
            unreachable!("a SQLite store")
        };
        sqlx::query(
            "INSERT INTO users (username, email, password_hash, created_at, updated_at) \
             VALUES ('ada', 'ada@example.com', 'x', 0, 0)",
        )
        .execute(&mut *conn)
        .await
        .unwrap();
        let (ada,): (i64,) = sqlx::query_as("SELECT id FROM users")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        tx.commit().await.unwrap();

        let effects = Arc::new(Effects::new(crate::events::EventBus::new(), true));
        let writer = PostWriter::start(&store, effects);
        let drafts = vec![
            draft(ada, "first", &["rust", "sqlite"]),
            draft(ada + 1000, "nobody's", &["lost"]),
            draft(ada, "second", &[]),
            draft(ada, "third", &["batch"]),
        ];
        let outcomes =
            futures_util::future::join_all(drafts.into_iter().map(|d| writer.insert(&store, d)))
                .await;
        assert!(matches!(outcomes[1], Err(StoreError::ForeignKey)));
        let ids: Vec<i64> = [0, 2, 3]
            .iter()
            .map(|&n| outcomes[n].as_ref().unwrap().0.id)
            .collect();
        assert!(ids.windows(2).all(|pair| pair[0] < pair[1]), "{ids:?}");
        assert!(
            [0, 2, 3]
                .iter()
                .all(|&n| outcomes[n].as_ref().unwrap().0.author == "ada")
        );

        let mut db = store.reader().await.unwrap();
        let Conn::Sqlite(conn) = db.conn() else {
            unreachable!("a SQLite store")
        };
        let stored: Vec<(String, Option<String>)> = sqlx::query_as(
            "SELECT p.title, (SELECT group_concat(tag, ',') FROM \
             (SELECT tag FROM post_tags t WHERE t.post_id = p.id ORDER BY position)) \
             FROM posts p ORDER BY p.id",
        )
        .fetch_all(&mut *conn)
        .await
        .unwrap();
        assert_eq!(
            stored,
            [
                ("first".to_owned(), Some("rust,sqlite".to_owned())),
                ("second".to_owned(), None),
                ("third".to_owned(), Some("batch".to_owned())),
            ]
        );
    }
}
