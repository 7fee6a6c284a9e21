//! `GET /posts/feed/`, with upstream bugs 11 and 20, and the whole flow of this area.

use crate::common;

use std::collections::BTreeSet;

use common::{
    TestServer, TestUser, followers_post, new_post,
    spaces::{invitation, space_with},
};
use socmel_client::{
    PageQuery, UploadFile,
    types::{
        PostId, SpaceId,
        posts::{PostDisplay, PostUpdate, Visibility},
    },
};

fn ids(posts: &[PostDisplay]) -> Vec<PostId> {
    posts.iter().map(|post| post.id).collect()
}

async fn whole_feed(client: &socmel_client::Client) -> Vec<PostId> {
    let mut seen = Vec::new();
    let mut query = PageQuery {
        page_size: Some(100),
        ..PageQuery::default()
    };
    loop {
        let page = client.feed(&query).await.unwrap();
        seen.extend(ids(&page.items));
        match page.next_cursor {
            Some(cursor) => query.cursor = Some(cursor),
            None => return seen,
        }
    }
}

/// `count` accounts named `<prefix>1…`, written straight into the database (no
/// password anyone could use); the first one's id, the rest following it.
async fn bulk_users(server: &TestServer, prefix: &str, count: u32) -> i64 {
    server
        .execute(format!(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {count}) \
             INSERT INTO users (username, email, password_hash, created_at, updated_at) \
             SELECT '{prefix}' || i, '{prefix}' || i || '@example.com', 'x', 0, 0 FROM n"
        ))
        .await;
    server
        .query_i64(&format!(
            "SELECT min(id) FROM users WHERE username LIKE '{prefix}%'"
        ))
        .await
}

#[tokio::test]
async fn the_feed_has_my_posts_my_follows_posts_and_my_spaces_posts() {
    // Upstream bug 20: the signed-in feed was a 500 for anyone following someone or in
    // a space, and it counted pending follows.
    let (server, [ada, bob, carol, dave]) =
        TestServer::with_users(["ada", "bob", "carol", "dave"]).await;
    common::follow(&ada, &bob).await;
    ada.client.request_follow(carol.user.id).await.unwrap(); // left pending
    let joined = server.space("joined", dave.user.id, &[ada.user.id]).await;
    let other = server.space("other", dave.user.id, &[bob.user.id]).await;

    let mut expected = BTreeSet::new();
    let mut post = async |client: &socmel_client::Client,
                          body: PostUpdate,
                          space: Option<SpaceId>,
                          wanted: bool| {
        let created = match space {
            Some(space) => client.create_space_post(space, &body).await.unwrap(),
            None => client.create_post(&body).await.unwrap(),
        };
        if wanted {
            expected.insert(created.id);
        }
    };
    post(&ada.client, new_post("ada's own"), None, true).await;
    post(&ada.client, new_post("ada in joined"), Some(joined), true).await;
    post(&bob.client, new_post("bob public"), None, true).await;
    post(&bob.client, followers_post("bob for followers"), None, true).await;
    post(&bob.client, new_post("bob in other"), Some(other), false).await;
    post(&carol.client, new_post("carol, pending"), None, false).await;
    post(&dave.client, new_post("dave, not followed"), None, false).await;
    post(&dave.client, new_post("dave in joined"), Some(joined), true).await;
    post(&dave.client, new_post("dave in other"), Some(other), false).await;

    let feed = whole_feed(&ada.client).await;
    assert_eq!(feed.len(), expected.len(), "no duplicates");
    assert_eq!(feed.iter().copied().collect::<BTreeSet<_>>(), expected);
    // Newest first.
    let mut sorted = feed.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(feed, sorted);

    // Once carol accepts, her posts arrive.
    carol
        .client
        .accept_follow_request_from(ada.user.id)
        .await
        .unwrap();
    assert_eq!(whole_feed(&ada.client).await.len(), expected.len() + 1);
}

/// The first page as `user` sees it now: its posts' ids.
async fn first_page(user: &TestUser) -> Vec<PostId> {
    ids(&user.client.feed(&PageQuery::default()).await.unwrap().items)
}

/// The first page is read again after every change to what it is made of (on SQLite it
/// is then served from the candidates remembered by the read before): each change
/// shows at once, and the posts' rows are always fresh.
#[tokio::test]
async fn the_first_page_shows_every_change_to_what_it_is_made_of_at_once() {
    let (_server, [ada, bob, carol]) = TestServer::with_users(["ada", "bob", "carol"]).await;
    common::follow(&ada, &bob).await;
    let space = space_with(&carol, "harbour", &[&ada]).await.id;
    assert_eq!(first_page(&ada).await, []);

    // Posts added and removed: a followee's, my own, one in my space.
    let bob_first = bob.post("bob 1").await.id;
    assert_eq!(first_page(&ada).await, [bob_first]);
    let mine = ada.post("ada").await.id;
    assert_eq!(first_page(&ada).await, [mine, bob_first]);
    let in_space = carol
        .client
        .create_space_post(space, &new_post("carol in harbour"))
        .await
        .unwrap()
        .id;
    assert_eq!(first_page(&ada).await, [in_space, mine, bob_first]);
    bob.client.delete_post(bob_first).await.unwrap();
    assert_eq!(first_page(&ada).await, [in_space, mine]);
    let bob_second = bob.post("bob 2").await.id;
    assert_eq!(first_page(&ada).await, [bob_second, in_space, mine]);

    // Rows are read fresh: a like, an edit.
    bob.client.like_post(mine).await.unwrap();
    ada.client
        .edit_post(mine, &new_post("ada, edited"))
        .await
        .unwrap();
    let page = ada.client.feed(&PageQuery::default()).await.unwrap();
    let shown = page.items.iter().find(|post| post.id == mine).unwrap();
    assert_eq!((shown.likes_nbr, shown.title.as_str()), (1, "ada, edited"));

    // Whom I follow: unfollowing, following again, being removed as a follower.
    ada.client.unfollow(bob.user.id).await.unwrap();
    assert_eq!(first_page(&ada).await, [in_space, mine]);
    common::follow(&ada, &bob).await;
    assert_eq!(first_page(&ada).await, [bob_second, in_space, mine]);
    bob.client.remove_follower(ada.user.id).await.unwrap();
    assert_eq!(first_page(&ada).await, [in_space, mine]);

    // The spaces I belong to: leaving, joining, being removed, being banned.
    ada.client.leave_space(space).await.unwrap();
    assert_eq!(first_page(&ada).await, [mine]);
    let rejoin = async || {
        let token = invitation(&carol, space, 1).await;
        ada.client.accept_invitation(space, &token).await.unwrap();
        assert_eq!(first_page(&ada).await, [in_space, mine]);
    };
    rejoin().await;
    carol
        .client
        .remove_space_member(space, ada.user.id)
        .await
        .unwrap();
    assert_eq!(first_page(&ada).await, [mine]);
    rejoin().await;
    carol.client.ban_member(space, ada.user.id).await.unwrap();
    assert_eq!(first_page(&ada).await, [mine]);

    // A space of mine deleted with its posts.
    let other = space_with(&bob, "other", &[&ada]).await.id;
    let bob_in_other = bob
        .client
        .create_space_post(other, &new_post("bob in other"))
        .await
        .unwrap()
        .id;
    assert_eq!(first_page(&ada).await, [bob_in_other, mine]);
    bob.client.delete_space(other).await.unwrap();
    assert_eq!(first_page(&ada).await, [mine]);

    // Another page size is another page.
    let small = ada.client.feed(&PageQuery::page(1, 1)).await.unwrap();
    assert_eq!(ids(&small.items), [mine]);
}

#[tokio::test]
async fn the_anonymous_feed_is_public_profile_posts_only() {
    // Upstream bug 11: anonymous callers got every post, space posts included.
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    let space = server.space("club", ada.user.id, &[]).await;
    let public = ada.post("public").await;
    ada.client
        .create_post(&followers_post("friends"))
        .await
        .unwrap();
    ada.client
        .create_space_post(space, &new_post("members"))
        .await
        .unwrap();

    let feed = server.client().feed(&PageQuery::default()).await.unwrap();
    assert_eq!(ids(&feed.items), [public.id]);
    assert_eq!(feed.items[0].visibility, Visibility::Public);
    assert!(!feed.items[0].liked_by_me);
    assert_eq!(feed.next_cursor, None);
}

#[tokio::test]
async fn the_feed_is_newest_first_with_ties_broken_by_id() {
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    let mut created = Vec::new();
    for n in 0..7 {
        created.push(
            ada.client
                .create_post(&new_post(&format!("p{n}")))
                .await
                .unwrap()
                .id,
        );
    }
    // The same instant for all: only the id can order them.
    server
        .execute("UPDATE posts SET created_at = 1700000000000")
        .await;
    created.reverse();

    let mut walked = Vec::new();
    let mut query = PageQuery {
        page_size: Some(3),
        ..PageQuery::default()
    };
    let mut pages = 0;
    loop {
        let page = ada.client.feed(&query).await.unwrap();
        pages += 1;
        walked.extend(ids(&page.items));
        match page.next_cursor {
            Some(cursor) => query.cursor = Some(cursor),
            None => break,
        }
    }
    assert_eq!(walked, created);
    assert_eq!(pages, 3);
    let second = ada.client.feed(&PageQuery::page(2, 3)).await.unwrap();
    assert_eq!(ids(&second.items), created[3..6]);
    let beyond = ada.client.feed(&PageQuery::page(9, 3)).await.unwrap();
    assert!(beyond.items.is_empty() && beyond.next_cursor.is_none());
    // The header is there exactly when more follow.
    let response = server
        .raw()
        .get(server.at("/posts/feed/?page_size=7"))
        .bearer_auth(&ada.tokens.access_token)
        .send()
        .await
        .unwrap();
    assert!(response.headers().get("x-next-cursor").is_none());
    let response = server
        .raw()
        .get(server.at("/posts/feed/?page_size=6"))
        .bearer_auth(&ada.tokens.access_token)
        .send()
        .await
        .unwrap();
    assert!(response.headers().get("x-next-cursor").is_some());
}

/// More followees than a page holds, posting at a handful of instants: the page's
/// floor (see `store::feed`) must neither drop nor reorder a post, on any page.
#[tokio::test]
async fn the_feed_pages_through_many_followees_in_order_across_ties() {
    let (server, [ada, pending]) = TestServer::with_users(["ada", "pending"]).await;
    ada.client.request_follow(pending.user.id).await.unwrap();
    pending.post("not accepted yet").await;
    ada.post("mine").await;
    let ada_id = ada.user.id;
    let first = bulk_users(&server, "author", 45).await;
    // Ada follows 40 of the 45 authors; the last five are strangers.
    server
        .execute(format!(
            "INSERT INTO follows (follower_id, followed_id, status, created_at) \
             SELECT {ada_id}, id, 'accepted', 0 FROM users \
             WHERE username LIKE 'author%' AND id < {first} + 40"
        ))
        .await;
    // Five posts each, at one of seven instants: ties everywhere, and some followees
    // with nothing newer than others' oldest.
    server
        .execute(format!(
            "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 224) \
             INSERT INTO posts (user_id, title, content, visibility, created_at, updated_at) \
             SELECT {first} + i / 5, 'bulk', 'bulk', 'public', \
             1700000000000 + (i * 5) % 7 + (i / 5) % 3, 0 FROM n"
        ))
        .await;
    let expected_count = server
        .query_i64(&format!(
            "SELECT count(*) FROM posts WHERE user_id = {ada_id} \
             OR user_id IN (SELECT followed_id FROM follows \
             WHERE follower_id = {ada_id} AND status = 'accepted')"
        ))
        .await;
    assert_eq!(expected_count, 201, "ada's post and 40 followees' five");

    // Walked by cursor with a page smaller than the followees, and by page number.
    let mut walked: Vec<PostDisplay> = Vec::new();
    let mut query = PageQuery {
        page_size: Some(7),
        ..PageQuery::default()
    };
    loop {
        let page = ada.client.feed(&query).await.unwrap();
        walked.extend(page.items);
        match page.next_cursor {
            Some(cursor) => query.cursor = Some(cursor),
            None => break,
        }
    }
    assert_eq!(walked.len() as i64, expected_count);
    assert!(
        walked
            .windows(2)
            .all(|pair| (pair[0].created_at, pair[0].id) > (pair[1].created_at, pair[1].id)),
        "newest first, ties by id, no repeats"
    );
    assert!(walked.iter().all(|post| post.user_id != pending.user.id));
    let mut numbered = Vec::new();
    for page in 1.. {
        let items = ada
            .client
            .feed(&PageQuery::page(page, 7))
            .await
            .unwrap()
            .items;
        if items.is_empty() {
            break;
        }
        numbered.extend(ids(&items));
    }
    assert_eq!(numbered, ids(&walked));
}

#[tokio::test]
async fn the_feed_is_right_at_a_hundred_thousand_posts() {
    let (server, [ada, bob, crowd]) = TestServer::with_users(["ada", "bob", "crowd"]).await;
    common::follow(&ada, &bob).await;
    let joined = server.space("joined", crowd.user.id, &[ada.user.id]).await;
    // A thousand other authors and a hundred spaces ada is not in.
    let authors = bulk_users(&server, "bulk", 1000).await;
    server
        .execute(&format!(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100) \
             INSERT INTO spaces (name, owner_id, founded_on) SELECT 'other' || i, {}, 0 FROM n",
            crowd.user.id
        ))
        .await;
    let spaces = server
        .query_i64("SELECT min(id) FROM spaces WHERE name LIKE 'other%'")
        .await;
    // 100,000 posts: bob's 20 are the oldest, the joined space has one in 1,000, and
    // the rest are strangers' (a tenth in spaces ada is not in, a third of the others
    // followers-only), so the feed must not wade through them.
    let bob_id = bob.user.id;
    server
        .execute(&format!(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000) \
             INSERT INTO posts (user_id, space_id, title, content, visibility, created_at, \
             updated_at) \
             SELECT CASE WHEN i <= 20 THEN {bob_id} ELSE {authors} + i % 1000 END, \
             CASE WHEN i > 20 AND i % 1000 = 0 THEN {joined} \
                  WHEN i > 20 AND i % 10 = 5 THEN {spaces} + (i / 10) % 100 END, \
             'bulk', 'bulk', \
             CASE WHEN i > 20 AND i % 3 = 0 AND i % 1000 <> 0 AND i % 10 <> 5 \
                  THEN 'followers' ELSE 'public' END, \
             1700000000000 + i, 1700000000000 + i FROM n"
        ))
        .await;
    server.execute("ANALYZE").await;
    assert_eq!(
        server.query_i64("SELECT count(*) FROM posts").await,
        100_000
    );

    // Speed is the benchmark's to measure (BENCHMARKS.md); here, the right rows.
    // Signed in: the joined space's 100 posts (newest first), then bob's 20.
    let first = ada.client.feed(&PageQuery::page(1, 100)).await.unwrap();
    assert_eq!(first.items.len(), 100);
    assert!(first.items.iter().all(|p| p.space_id == Some(joined)));
    let next = PageQuery {
        page_size: Some(100),
        ..PageQuery::after(first.next_cursor.unwrap())
    };
    let rest = ada.client.feed(&next).await.unwrap();
    assert_eq!(rest.items.len(), 20);
    assert!(rest.items.iter().all(|p| p.user_id == bob_id));
    assert_eq!(rest.next_cursor, None);

    // Anonymous: public profile posts, deep pages included.
    let anonymous = server.client();
    let page = anonymous.feed(&PageQuery::page(1, 100)).await.unwrap();
    assert!(
        page.items
            .iter()
            .all(|p| p.space_id.is_none() && p.visibility == Visibility::Public)
    );
    let deep = anonymous.feed(&PageQuery::page(500, 100)).await.unwrap();
    assert_eq!(deep.items.len(), 100);
    let after = anonymous
        .feed(&PageQuery::after(deep.next_cursor.unwrap()))
        .await
        .unwrap();
    assert!(
        after
            .items
            .iter()
            .all(|p| p.created_at <= deep.items[99].created_at)
    );
}

#[tokio::test]
async fn two_people_follow_each_other_post_react_and_see_each_other() {
    // The whole area, end to end, through the typed client.
    let (server, [ada, bob]) = TestServer::with_users(["ada", "bob"]).await;

    // The request/accept flow, both ways.
    let request = ada.client.request_follow(bob.user.id).await.unwrap();
    let waiting = bob
        .client
        .follow_requests(&Default::default())
        .await
        .unwrap();
    assert_eq!(waiting.items[0].follow_id, request.follow_id);
    bob.client
        .accept_follow_request(request.follow_id)
        .await
        .unwrap();
    bob.client.request_follow(ada.user.id).await.unwrap();
    ada.client
        .accept_follow_request_from(bob.user.id)
        .await
        .unwrap();
    let status = ada.client.follow_status(bob.user.id).await.unwrap();
    assert!(status.follows_me);
    assert_eq!(status.follow_id, Some(request.follow_id));

    // Posts with tags and images.
    let tagged = |title: &str| PostUpdate {
        tags: Some(vec!["Travel".into(), "food".into()]),
        ..new_post(title)
    };
    let ada_post = ada.client.create_post(&tagged("Lisbon")).await.unwrap();
    let with_images = ada
        .client
        .upload_post_images(
            ada_post.id,
            vec![
                UploadFile::bytes("tram.png", common::png(64)),
                UploadFile::bytes("pastel.jpg", common::jpeg()),
            ],
        )
        .await
        .unwrap();
    assert_eq!(with_images.attachments.as_ref().unwrap().len(), 2);
    let bob_post = bob
        .client
        .create_post(&PostUpdate {
            visibility: Some(Visibility::Followers),
            ..tagged("Porto")
        })
        .await
        .unwrap();

    // Like, comment, reply, react.
    bob.client.like_post(ada_post.id).await.unwrap();
    let comment = bob
        .client
        .add_comment(ada_post.id, "Looks great")
        .await
        .unwrap();
    let reply = ada
        .client
        .add_reply(ada_post.id, comment.id, "It was!")
        .await
        .unwrap();
    bob.client
        .react_to_comment(ada_post.id, reply.id, "heart")
        .await
        .unwrap();

    // Each sees the other's posts in the feed.
    let ada_feed = ada.client.feed(&PageQuery::default()).await.unwrap();
    assert_eq!(ids(&ada_feed.items), [bob_post.id, ada_post.id]);
    let bob_feed = bob.client.feed(&PageQuery::default()).await.unwrap();
    let seen = bob_feed.items.iter().find(|p| p.id == ada_post.id).unwrap();
    assert_eq!(seen.tags, Some(vec!["travel".into(), "food".into()]));
    assert_eq!(seen.attachments.as_ref().unwrap().len(), 2);
    assert_eq!((seen.likes_nbr, seen.comments_nbr), (1, 2));
    assert!(seen.liked_by_me);
    let thread = bob
        .client
        .list_comments(ada_post.id, &PageQuery::default())
        .await
        .unwrap();
    assert_eq!(thread.items[0].sub_comments[0].reactions["heart"], 1);

    // An anonymous caller sees only ada's public post.
    let anonymous = server.client().feed(&PageQuery::default()).await.unwrap();
    assert_eq!(ids(&anonymous.items), [ada_post.id]);
}
