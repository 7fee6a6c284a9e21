//! Seed data, made through the API so it works against any server: users (registered
//! and signed in), a ring of accepted follows, spaces with members, and posts. Names
//! carry a tag unique to the run, so runs against one database never collide.

use std::{collections::BTreeMap, future::Future, sync::Arc};

use anyhow::Context;
use futures_util::{StreamExt, TryStreamExt, stream};
use serde::Serialize;
use socmel_client::{
    ClientResult,
    types::{
        SpaceId, Timestamp, UserId,
        auth::UserCreate,
        invitations::InvitationCreate,
        posts::{PostUpdate, Visibility},
        spaces::SpaceCreate,
    },
};

use crate::{pool::ClientPool, progress::Progress};

/// Every seeded account's password (the server asks for at least 8 characters).
pub const PASSWORD: &str = "bench-password";

/// One post in this many goes to its author's space, and one in this many (offset by
/// half) is for followers only; the rest are public, so the feed merges all three kinds.
const SPACE_POST_EVERY: usize = 10;

#[derive(Debug, Clone, Copy, Serialize)]
pub struct Sizes {
    pub users: usize,
    pub follows_per_user: usize,
    pub spaces: usize,
    pub posts: usize,
}

/// A seeded account, signed in.
#[derive(Debug, Clone)]
pub struct User {
    pub id: UserId,
    pub token: String,
}

/// The shared data set most scenarios run on.
pub struct Population {
    /// In index order: user `i` is named `username(tag, 'u', i)`.
    pub users: Vec<User>,
    pub report: SeedReport,
}

/// What was seeded and how long each step took.
#[derive(Debug, Clone, Serialize)]
pub struct SeedReport {
    /// What the seeded names start with (`b<tag>`).
    pub tag: String,
    /// Signed in to the data an earlier run seeded with `tag`, instead of seeding.
    pub reused: bool,
    pub sizes: Sizes,
    pub follows: usize,
    pub seconds: BTreeMap<&'static str, f64>,
}

/// A short random tag that makes this run's names unique.
pub fn run_tag() -> String {
    hex::encode(rand::random::<[u8; 3]>())
}

/// `b<tag><kind><index>`: 3–32 characters of letters and digits, as the server asks.
pub fn username(tag: &str, kind: char, index: usize) -> String {
    format!("b{tag}{kind}{index}")
}

/// Registers `username` and signs in.
pub async fn account(pool: &Arc<ClientPool>, username: String) -> ClientResult<User> {
    let client = pool.anonymous().await;
    let user = client
        .register(&UserCreate {
            email: format!("{username}@bench.example.com"),
            username: username.clone(),
            password: PASSWORD.into(),
        })
        .await?;
    let tokens = client.login(&username, PASSWORD).await?;
    Ok(User {
        id: user.id,
        token: tokens.access_token,
    })
}

/// `count` new accounts named with `tag`, in index order.
pub async fn users(
    pool: &Arc<ClientPool>,
    tag: &str,
    count: usize,
    concurrency: usize,
) -> anyhow::Result<(Vec<User>, f64)> {
    concurrently("users", count, concurrency, |index| async move {
        Ok(account(pool, username(tag, 'u', index)).await?)
    })
    .await
    .context("registering users")
}

/// Each user follows the next `per_user` users (wrapping around), and each follow is
/// accepted, so everyone has exactly `per_user` followees and followers.
pub async fn follow_ring(
    pool: &Arc<ClientPool>,
    users: &[User],
    per_user: usize,
    concurrency: usize,
) -> anyhow::Result<(usize, f64)> {
    let per_user = per_user.min(users.len().saturating_sub(1));
    let count = users.len() * per_user;
    let (_, seconds) = concurrently("follows", count, concurrency, |index| async move {
        let follower = &users[index / per_user];
        let followed = &users[(index / per_user + 1 + index % per_user) % users.len()];
        pool.signed_in(&follower.token)
            .await
            .request_follow(followed.id)
            .await?;
        pool.signed_in(&followed.token)
            .await
            .accept_follow_request_from(follower.id)
            .await?;
        anyhow::Ok(())
    })
    .await
    .context("following")?;
    Ok((count, seconds))
}

/// A space owned by `owner`.
pub async fn create_space(
    pool: &Arc<ClientPool>,
    owner: &User,
    name: String,
) -> anyhow::Result<SpaceId> {
    let space = pool
        .signed_in(&owner.token)
        .await
        .create_space(&SpaceCreate { name })
        .await?;
    Ok(space.id)
}

/// `members` join `space` with one invitation from its owner.
pub async fn join_space(
    pool: &Arc<ClientPool>,
    space: SpaceId,
    owner: &User,
    members: &[&User],
    concurrency: usize,
) -> anyhow::Result<()> {
    if members.is_empty() {
        return Ok(());
    }
    let invitation = pool
        .signed_in(&owner.token)
        .await
        .create_invitation(
            space,
            &InvitationCreate {
                max_uses: i64::try_from(members.len())?,
                expires_at: Timestamp(chrono::Utc::now() + chrono::Duration::days(1)),
            },
        )
        .await?;
    let token = invitation
        .token
        .context("the invitation's answer has no token")?;
    stream::iter(members)
        .map(|member| {
            let token = &token;
            async move {
                pool.signed_in(&member.token)
                    .await
                    .accept_invitation(space, token)
                    .await
            }
        })
        .buffer_unordered(concurrency.max(1))
        .try_for_each(|_| async { Ok(()) })
        .await?;
    Ok(())
}

/// `count` spaces, the first owned by the first user and so on; every user belongs to
/// space `index % count`.
pub async fn spaces(
    pool: &Arc<ClientPool>,
    tag: &str,
    users: &[User],
    count: usize,
    concurrency: usize,
) -> anyhow::Result<(Vec<SpaceId>, f64)> {
    let count = count.min(users.len());
    concurrently("spaces", count, 1, |index| async move {
        let owner = &users[index];
        let space = create_space(pool, owner, format!("bench {tag} {index}")).await?;
        let members: Vec<&User> = users
            .iter()
            .enumerate()
            .filter(|&(member, _)| member % count == index && member != index)
            .map(|(_, user)| user)
            .collect();
        join_space(pool, space, owner, &members, concurrency).await?;
        anyhow::Ok(space)
    })
    .await
    .context("creating spaces")
}

/// The `sequence`-th post of a run: a title, a paragraph and two tags.
pub fn post_body(sequence: u64) -> PostUpdate {
    PostUpdate {
        title: Some(format!("Bench post {sequence}")),
        content: Some(format!(
            "Post number {sequence}. A paragraph of ordinary length, so the feed carries \
             realistic bodies: sixty to eighty words is what most social posts come to, \
             and the server has to read, serialise and send every one of them."
        )),
        tags: Some(vec!["bench".into(), format!("t{}", sequence % 20)]),
        visibility: Some(
            if sequence as usize % SPACE_POST_EVERY == SPACE_POST_EVERY / 2 {
                Visibility::Followers
            } else {
                Visibility::Public
            },
        ),
    }
}

/// `count` posts, authors taken in turn; one in [`SPACE_POST_EVERY`] goes to its
/// author's space.
pub async fn posts(
    pool: &Arc<ClientPool>,
    users: &[User],
    spaces: &[SpaceId],
    count: usize,
    concurrency: usize,
) -> anyhow::Result<f64> {
    let (_, seconds) = concurrently("posts", count, concurrency, |index| async move {
        let author = index % users.len();
        let client = pool.signed_in(&users[author].token).await;
        let body = post_body(index as u64);
        if !spaces.is_empty() && index % SPACE_POST_EVERY == 0 {
            // A space post's visibility is the space's; the server refuses any other.
            let body = PostUpdate {
                visibility: None,
                ..body
            };
            client
                .create_space_post(spaces[author % spaces.len()], &body)
                .await?;
        } else {
            client.create_post(&body).await?;
        }
        anyhow::Ok(())
    })
    .await
    .context("creating posts")?;
    Ok(seconds)
}

/// The whole data set: users, follows, spaces, posts.
pub async fn population(url: &str, sizes: Sizes, concurrency: usize) -> anyhow::Result<Population> {
    anyhow::ensure!(sizes.users > 0, "at least one user is needed");
    let pool = ClientPool::new(url, concurrency)?;
    let tag = run_tag();
    eprintln!("seeding (tag {tag}): {sizes:?}");
    let mut seconds = BTreeMap::new();
    let (users, took) = users(&pool, &tag, sizes.users, concurrency).await?;
    seconds.insert("users", took);
    let (follows, took) = follow_ring(&pool, &users, sizes.follows_per_user, concurrency).await?;
    seconds.insert("follows", took);
    let (spaces, took) = spaces(&pool, &tag, &users, sizes.spaces, concurrency).await?;
    seconds.insert("spaces", took);
    let took = posts(&pool, &users, &spaces, sizes.posts, concurrency).await?;
    seconds.insert("posts", took);
    Ok(Population {
        users,
        report: SeedReport {
            tag,
            reused: false,
            sizes,
            follows,
            seconds,
        },
    })
}

/// The first `sizes.users` users an earlier run seeded with `tag`, signed in again: runs
/// against one server can then share a data set that takes minutes to make.
pub async fn reuse(
    url: &str,
    tag: &str,
    sizes: Sizes,
    concurrency: usize,
) -> anyhow::Result<Population> {
    let pool = ClientPool::new(url, concurrency)?;
    eprintln!("reusing the data seeded with tag {tag}");
    let (users, took) = concurrently("sign-ins", sizes.users, concurrency, |index| {
        let pool = &pool;
        async move {
            let client = pool.anonymous().await;
            let user = username(tag, 'u', index);
            let tokens = client.login(&user, PASSWORD).await?;
            let me = client.current_user().await?;
            anyhow::Ok(User {
                id: me.id,
                token: tokens.access_token,
            })
        }
    })
    .await
    .with_context(|| format!("signing in as the users seeded with tag {tag}"))?;
    Ok(Population {
        users,
        report: SeedReport {
            tag: tag.to_owned(),
            reused: true,
            sizes,
            follows: sizes.users * sizes.follows_per_user,
            seconds: BTreeMap::from([("sign-ins", took)]),
        },
    })
}

/// Runs `task(0..count)` at most `concurrency` at a time, with progress on stderr;
/// gives the results in index order and the seconds taken, or the first error.
async fn concurrently<T, F, Fut>(
    label: &str,
    count: usize,
    concurrency: usize,
    task: F,
) -> anyhow::Result<(Vec<T>, f64)>
where
    F: Fn(usize) -> Fut,
    Fut: Future<Output = anyhow::Result<T>>,
{
    let progress = Progress::start(label, count as u64);
    let results = stream::iter(0..count)
        .map(&task)
        .buffered(concurrency.max(1))
        .inspect_ok(|_| progress.add(1))
        .try_collect()
        .await?;
    Ok((results, progress.finish()))
}
