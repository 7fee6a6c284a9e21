//! `/posts/…`: writing, reading, visibility and likes, with upstream bugs 11, 22, 23,
//! 24, 25, 27 and 28.

use crate::common;

use common::{TestServer, followers_post, new_post, refusal};
use serde_json::{Value, json};
use socmel_client::{
    PageQuery,
    types::{
        ErrorCode, PostId, SpaceId, UserId,
        posts::{PostUpdate, Visibility},
    },
};

#[tokio::test]
async fn tags_are_stored_and_returned_as_a_list() {
    // Upstream bug 22: a tag list could not be stored (500) and `tags` was required.
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    let created: Value = server
        .raw()
        .post(server.at("/posts/create/"))
        .bearer_auth(&ada.tokens.access_token)
        .json(&json!({"title": "Hello", "content": "World", "tags": ["Rust", "#web", "rust"]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(created["tags"], json!(["rust", "web"]));
    assert_eq!(created["attachments"], json!([]));
    assert_eq!(created["visibility"], "public");
    assert_eq!(created["likes_nbr"], 0);
    assert_eq!(created["comments_nbr"], 0);
    assert_eq!(created["author"], "ada");
    let id = PostId(created["id"].as_i64().unwrap());
    let viewed = server.client().view_post(id).await.unwrap();
    assert_eq!(viewed.tags, Some(vec!["rust".into(), "web".into()]));
    assert_eq!(
        server
            .query_i64(&format!(
                "SELECT count(*) FROM post_tags WHERE post_id = {id}"
            ))
            .await,
        2
    );

    // Upstream's body with `"tags": null`, and a body without `tags`, both work.
    for body in [
        json!({"title": "a", "content": "b", "tags": null}),
        json!({"title": "a", "content": "b"}),
    ] {
        let response = server
            .raw()
            .post(server.at("/posts/create/"))
            .bearer_auth(&ada.tokens.access_token)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{body}");
        let post: Value = response.json().await.unwrap();
        assert_eq!(post["tags"], json!([]));
    }
}

#[tokio::test]
async fn title_and_content_are_required_on_create() {
    // Upstream bug 23: a missing title or content was committed, then answered 500.
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    let err = ada
        .client
        .create_post(&PostUpdate::default())
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::Validation));
    let fields: Vec<_> = err
        .body()
        .unwrap()
        .fields
        .as_ref()
        .unwrap()
        .iter()
        .map(|f| f.field.as_str())
        .collect();
    assert_eq!(fields, ["title", "content"]);

    let too_long = PostUpdate {
        title: Some("t".repeat(201)),
        ..new_post("x")
    };
    assert_eq!(
        ada.client
            .create_post(&too_long)
            .await
            .unwrap_err()
            .status(),
        Some(422)
    );
    let too_many_tags = PostUpdate {
        tags: Some((0..11).map(|n| format!("tag{n}")).collect()),
        ..new_post("x")
    };
    assert_eq!(
        ada.client
            .create_post(&too_many_tags)
            .await
            .unwrap_err()
            .status(),
        Some(422)
    );
    let long_tag = PostUpdate {
        tags: Some(vec!["x".repeat(31)]),
        ..new_post("x")
    };
    let err = ada.client.create_post(&long_tag).await.unwrap_err();
    assert_eq!(
        err.body().unwrap().fields.as_ref().unwrap()[0].field,
        "tags"
    );
    let space_visibility = PostUpdate {
        visibility: Some(Visibility::Space),
        ..new_post("x")
    };
    assert_eq!(
        ada.client
            .create_post(&space_visibility)
            .await
            .unwrap_err()
            .status(),
        Some(422)
    );
    assert_eq!(server.query_i64("SELECT count(*) FROM posts").await, 0);
}

#[tokio::test]
async fn editing_changes_only_the_keys_present() {
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    let post = ada
        .client
        .create_post(&PostUpdate {
            tags: Some(vec!["one".into()]),
            ..new_post("First")
        })
        .await
        .unwrap();
    let edited = ada
        .client
        .edit_post(
            post.id,
            &PostUpdate {
                title: Some("Second".into()),
                ..PostUpdate::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(edited.title, "Second");
    assert_eq!(edited.content, post.content);
    assert_eq!(edited.tags, Some(vec!["one".into()]));

    let edited = ada
        .client
        .edit_post(
            post.id,
            &PostUpdate {
                tags: Some(vec![]),
                visibility: Some(Visibility::Followers),
                ..PostUpdate::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(edited.tags, Some(vec![]));
    assert_eq!(edited.visibility, Visibility::Followers);
    let blank = PostUpdate {
        content: Some("  ".into()),
        ..PostUpdate::default()
    };
    assert_eq!(
        ada.client
            .edit_post(post.id, &blank)
            .await
            .unwrap_err()
            .status(),
        Some(422)
    );
}

#[tokio::test]
async fn only_the_author_edits_or_deletes_and_others_get_403() {
    // Upstream bug 27: ownership failures were 401, and delete said "edit".
    let (_server, [ada, bob]) = TestServer::with_users(["ada", "bob"]).await;
    let post = ada.post("mine").await;

    assert_eq!(
        refusal(bob.client.edit_post(post.id, &new_post("theirs")).await),
        (403, "you do not have permission to edit this post".into())
    );
    assert_eq!(
        refusal(bob.client.delete_post(post.id).await),
        (403, "you do not have permission to delete this post".into())
    );

    let done = ada.client.delete_post(post.id).await.unwrap();
    assert_eq!(done.detail, "the post has been deleted successfully");
    assert_eq!(
        refusal(ada.client.view_post(post.id).await),
        (404, "the post you are looking for does not exist".into())
    );
    assert_eq!(
        ada.client.delete_post(post.id).await.unwrap_err().status(),
        Some(404)
    );
}

#[tokio::test]
async fn deleting_a_post_deletes_its_likes_comments_and_reactions() {
    // Upstream bug 24: likes and comments were orphaned with a NULL post id.
    let (server, [ada, bob]) = TestServer::with_users(["ada", "bob"]).await;
    let post = ada.post("doomed").await;
    bob.client.like_post(post.id).await.unwrap();
    let comment = bob.client.add_comment(post.id, "nice").await.unwrap();
    ada.client
        .add_reply(post.id, comment.id, "thanks")
        .await
        .unwrap();
    ada.client
        .react_to_comment(post.id, comment.id, "like")
        .await
        .unwrap();

    ada.client.delete_post(post.id).await.unwrap();
    for table in ["posts", "likes", "comments", "reactions", "post_tags"] {
        assert_eq!(
            server
                .query_i64(&format!("SELECT count(*) FROM {table}"))
                .await,
            0,
            "{table}"
        );
    }
}

#[tokio::test]
async fn likes_toggle_and_show_who_liked() {
    let (server, [ada, bob]) = TestServer::with_users(["ada", "bob"]).await;
    let post = ada.post("likeable").await;
    assert!(!post.liked_by_me);

    let liked = bob.client.like_post(post.id).await.unwrap();
    assert!(liked.liked);
    assert_eq!(liked.like_count, 1);
    let seen = bob.client.view_post(post.id).await.unwrap();
    assert!(seen.liked_by_me);
    assert_eq!(seen.likes_nbr, 1);
    assert!(!ada.client.view_post(post.id).await.unwrap().liked_by_me);
    assert!(
        !server
            .client()
            .view_post(post.id)
            .await
            .unwrap()
            .liked_by_me
    );

    let unliked = bob.client.like_post(post.id).await.unwrap();
    assert!(!unliked.liked);
    assert_eq!(unliked.like_count, 0);
    assert_eq!(
        bob.client
            .like_post(PostId(999_999))
            .await
            .unwrap_err()
            .status(),
        Some(404)
    );
    assert_eq!(
        server
            .client()
            .like_post(post.id)
            .await
            .unwrap_err()
            .status(),
        Some(401)
    );
}

#[tokio::test]
async fn many_people_liking_at_once_are_all_counted() {
    // Upstream bug 25: a read-modify-write counter and no unique like per user.
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    let post = ada.post("popular").await;
    let mut fans = Vec::new();
    for n in 0..12 {
        fans.push(server.user(&format!("fan{n}")).await);
    }
    let likes = fans.iter().map(|fan| fan.client.like_post(post.id));
    for result in futures_util::future::join_all(likes).await {
        assert!(result.unwrap().liked);
    }
    assert_eq!(ada.client.view_post(post.id).await.unwrap().likes_nbr, 12);
    assert_eq!(server.query_i64("SELECT count(*) FROM likes").await, 12);

    let unlikes = fans.iter().map(|fan| fan.client.like_post(post.id));
    for result in futures_util::future::join_all(unlikes).await {
        assert!(!result.unwrap().liked);
    }
    assert_eq!(ada.client.view_post(post.id).await.unwrap().likes_nbr, 0);
}

#[tokio::test]
async fn one_person_toggling_at_once_ends_where_the_likes_are() {
    // Upstream bug 25: racing toggles drifted the counter away from the likes.
    let (server, [ada, bob]) = TestServer::with_users(["ada", "bob"]).await;
    let post = ada.post("flicker").await;
    let toggles = (0..25).map(|_| bob.client.like_post(post.id));
    let results: Vec<_> = futures_util::future::join_all(toggles)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    let likes = server.query_i64("SELECT count(*) FROM likes").await;
    let seen = bob.client.view_post(post.id).await.unwrap();
    assert!(likes <= 1, "one like per person at most");
    assert_eq!(seen.likes_nbr, likes, "the counter matches the likes");
    assert_eq!(seen.liked_by_me, likes == 1);
    // Every answer reported a count the like rows could have had.
    assert!(results.iter().all(|r| (0..=1).contains(&r.like_count)));
    // And one more toggle moves both together.
    let after = bob.client.like_post(post.id).await.unwrap();
    assert_eq!(after.like_count, 1 - likes);
    assert_eq!(
        server.query_i64("SELECT count(*) FROM likes").await,
        1 - likes
    );
}

#[tokio::test]
async fn followers_only_posts_are_hidden_on_every_read_path() {
    let (server, [ada, fan, stranger]) = TestServer::with_users(["ada", "fan", "stranger"]).await;
    common::follow(&fan, &ada).await;
    let post = ada
        .client
        .create_post(&followers_post("close friends"))
        .await
        .unwrap();
    assert_eq!(post.visibility, Visibility::Followers);
    let comment = ada.client.add_comment(post.id, "first").await.unwrap();

    // The follower (and the author) see it everywhere.
    for client in [&ada.client, &fan.client] {
        assert_eq!(client.view_post(post.id).await.unwrap().id, post.id);
        let listed = client
            .user_posts(ada.user.id, &PageQuery::default())
            .await
            .unwrap();
        assert_eq!(listed.items.len(), 1);
        assert_eq!(
            client
                .list_comments(post.id, &PageQuery::default())
                .await
                .unwrap()
                .items
                .len(),
            1
        );
    }
    assert_eq!(
        fan.client
            .feed(&PageQuery::default())
            .await
            .unwrap()
            .items
            .len(),
        1
    );
    fan.client.like_post(post.id).await.unwrap();
    fan.client
        .react_to_comment(post.id, comment.id, "wow")
        .await
        .unwrap();

    // Strangers and anonymous callers get 404 (or nothing), as if it did not exist.
    let anonymous = server.client();
    for client in [&stranger.client, &anonymous] {
        assert_hidden(client, ada.user.id, post.id).await;
    }
    assert_cannot_interact(&stranger.client, post.id, comment.id).await;
}

#[tokio::test]
async fn space_posts_are_for_members_only() {
    // Upstream bug 11: space posts leaked through view, feed, like and comment.
    let (server, [owner, member, outsider]) =
        TestServer::with_users(["owner", "member", "outsider"]).await;
    // Following the author is not membership.
    common::follow(&outsider, &member).await;
    let space = server.space("club", owner.user.id, &[member.user.id]).await;

    assert_eq!(
        refusal(
            outsider
                .client
                .create_space_post(space, &new_post("x"))
                .await
        ),
        (403, "You are not a member of this space".into())
    );
    let err = outsider
        .client
        .create_space_post(SpaceId(999), &new_post("x"))
        .await
        .unwrap_err();
    assert_eq!(
        (err.status(), err.body().unwrap().detail.as_str()),
        (Some(404), "Space not found")
    );
    let followers_only = PostUpdate {
        visibility: Some(Visibility::Followers),
        ..new_post("x")
    };
    assert_eq!(
        member
            .client
            .create_space_post(space, &followers_only)
            .await
            .unwrap_err()
            .status(),
        Some(422)
    );

    let post = member
        .client
        .create_space_post(space, &new_post("members only"))
        .await
        .unwrap();
    assert_eq!(post.space_id, Some(space));
    assert_eq!(post.visibility, Visibility::Space);
    let comment = owner.client.add_comment(post.id, "welcome").await.unwrap();
    owner.client.like_post(post.id).await.unwrap();

    let anonymous = server.client();
    for client in [&outsider.client, &anonymous] {
        assert_hidden(client, member.user.id, post.id).await;
    }
    assert_cannot_interact(&outsider.client, post.id, comment.id).await;
    let err = outsider
        .client
        .space_posts(space, &PageQuery::default())
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(403));
    let err = outsider
        .client
        .space_posts(SpaceId(999), &PageQuery::default())
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404));

    // Members read the space's posts, also per author.
    let listed = owner
        .client
        .space_posts(space, &PageQuery::default())
        .await
        .unwrap();
    assert_eq!(listed.items.len(), 1);
    assert_eq!(listed.items[0].likes_nbr, 1);
    assert_eq!(listed.items[0].comments_nbr, 1);
    let by_member = owner
        .client
        .space_user_posts(space, member.user.id, &PageQuery::default())
        .await
        .unwrap();
    assert_eq!(by_member.items.len(), 1);
    assert!(
        owner
            .client
            .space_user_posts(space, owner.user.id, &PageQuery::default())
            .await
            .unwrap()
            .items
            .is_empty()
    );
    let err = owner
        .client
        .space_user_posts(space, UserId(999), &PageQuery::default())
        .await
        .unwrap_err();
    assert_eq!(
        (err.status(), err.body().unwrap().detail.as_str()),
        (Some(404), "User not found")
    );
    assert_eq!(
        owner
            .client
            .feed(&PageQuery::default())
            .await
            .unwrap()
            .items
            .len(),
        1
    );
}

#[tokio::test]
async fn space_moderators_may_delete_posts_but_plain_members_may_not() {
    let (server, [owner, author, member]) =
        TestServer::with_users(["owner", "author", "member"]).await;
    let space = server
        .space("club", owner.user.id, &[author.user.id, member.user.id])
        .await;
    let post = author
        .client
        .create_space_post(space, &new_post("spam"))
        .await
        .unwrap();
    assert_eq!(
        member
            .client
            .delete_post(post.id)
            .await
            .unwrap_err()
            .status(),
        Some(403)
    );
    owner.client.delete_post(post.id).await.unwrap();
    assert_eq!(
        author.client.view_post(post.id).await.unwrap_err().status(),
        Some(404)
    );
}

#[tokio::test]
async fn user_posts_are_newest_first_and_page_by_page_or_cursor() {
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    let mut ids = Vec::new();
    for n in 0..5 {
        ids.push(
            ada.client
                .create_post(&new_post(&format!("post {n}")))
                .await
                .unwrap()
                .id,
        );
    }
    ids.reverse();
    let anonymous = server.client();

    let first = anonymous
        .user_posts(ada.user.id, &PageQuery::page(1, 2))
        .await
        .unwrap();
    assert_eq!(
        first.items.iter().map(|p| p.id).collect::<Vec<_>>(),
        ids[..2]
    );
    let second = anonymous
        .user_posts(ada.user.id, &PageQuery::page(2, 2))
        .await
        .unwrap();
    assert_eq!(
        second.items.iter().map(|p| p.id).collect::<Vec<_>>(),
        ids[2..4]
    );

    let mut walked = Vec::new();
    let mut query = PageQuery {
        page_size: Some(2),
        ..PageQuery::default()
    };
    loop {
        let page = anonymous.user_posts(ada.user.id, &query).await.unwrap();
        walked.extend(page.items.iter().map(|p| p.id));
        match page.next_cursor {
            Some(cursor) => query.cursor = Some(cursor),
            None => break,
        }
    }
    assert_eq!(walked, ids);
    let err = anonymous
        .user_posts(UserId(999), &PageQuery::default())
        .await
        .unwrap_err();
    assert_eq!(
        (err.status(), err.body().unwrap().detail.as_str()),
        (Some(404), "User not found")
    );
}

#[tokio::test]
async fn paging_bounds_are_checked() {
    // Upstream bug 28: no bounds; a negative offset or limit was a 500.
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    let post = ada.post("x").await;
    let paths = [
        "/posts/feed/".to_owned(),
        format!("/posts/user/{}/all/", ada.user.id),
        format!("/posts/{}/comment/all", post.id),
    ];
    for path in &paths {
        for (query, field) in [
            ("page=0", "page"),
            ("page=-3", "page"),
            ("page_size=0", "page_size"),
            ("page_size=101", "page_size"),
            ("page_size=-1", "page_size"),
            ("cursor=garbage", "cursor"),
            ("page=abc", "page"),
        ] {
            let response = server
                .raw()
                .get(server.at(&format!("{path}?{query}")))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 422, "{path}?{query}");
            let body: Value = response.json().await.unwrap();
            assert_eq!(body["fields"][0]["field"], field, "{path}?{query}");
        }
        let ok = server
            .raw()
            .get(server.at(&format!("{path}?page=1&page_size=100")))
            .send()
            .await
            .unwrap();
        assert_eq!(ok.status(), 200, "{path}");
    }
}

#[tokio::test]
async fn an_invalid_token_on_optional_routes_is_401_not_anonymous() {
    // Upstream fell back to anonymous silently when the token was bad.
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    let post = ada.post("x").await;
    let forged = server.client().with_token("not-a-token");
    assert_eq!(
        forged
            .feed(&PageQuery::default())
            .await
            .unwrap_err()
            .status(),
        Some(401)
    );
    assert_eq!(
        forged.view_post(post.id).await.unwrap_err().status(),
        Some(401)
    );
    assert_eq!(
        forged
            .user_posts(ada.user.id, &PageQuery::default())
            .await
            .unwrap_err()
            .status(),
        Some(401)
    );
    assert_eq!(
        forged
            .list_comments(post.id, &PageQuery::default())
            .await
            .unwrap_err()
            .status(),
        Some(401)
    );
    // A token that was valid once but is revoked is just as bad.
    let stale = server.client().with_token(ada.tokens.access_token.clone());
    ada.client.logout_all().await.unwrap();
    assert_eq!(
        stale
            .feed(&PageQuery::default())
            .await
            .unwrap_err()
            .status(),
        Some(401)
    );
    // No header at all is anonymous.
    assert_eq!(
        server
            .client()
            .feed(&PageQuery::default())
            .await
            .unwrap()
            .items
            .len(),
        1
    );
}

/// Someone who may not see a post finds it on no read path: viewing it and its comments
/// answer 404, and neither the author's posts nor the feed list it.
async fn assert_hidden(
    client: &socmel_client::Client,
    author: UserId,
    post: socmel_client::types::PostId,
) {
    let viewed = client.view_post(post).await.unwrap_err();
    assert_eq!(viewed.status(), Some(404));
    let comments = client.list_comments(post, &PageQuery::default()).await;
    assert_eq!(comments.unwrap_err().status(), Some(404));
    let by_author = client.user_posts(author, &PageQuery::default()).await;
    assert!(by_author.unwrap().items.is_empty());
    assert!(
        client
            .feed(&PageQuery::default())
            .await
            .unwrap()
            .items
            .is_empty()
    );
}

/// Someone who may not see a post can neither like it nor comment, reply or react on it:
/// each answers 404, as if the post did not exist.
async fn assert_cannot_interact(
    client: &socmel_client::Client,
    post: socmel_client::types::PostId,
    comment: socmel_client::types::CommentId,
) {
    for err in [
        client.like_post(post).await.unwrap_err(),
        client.add_comment(post, "hi").await.unwrap_err(),
        client.add_reply(post, comment, "hi").await.unwrap_err(),
        client
            .react_to_comment(post, comment, "wow")
            .await
            .unwrap_err(),
    ] {
        assert_eq!(err.status(), Some(404), "{err}");
    }
}
