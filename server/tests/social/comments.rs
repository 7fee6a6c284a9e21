//! `/posts/{post_id}/comment/…`, with upstream bugs 18, 19, 24, 26 and 27.

use crate::common;

use common::{TestServer, TestUser, refusal};
use serde_json::{Value, json};
use socmel_client::{
    PageQuery,
    types::{CommentId, ErrorCode, PostId, comments::ReactionResult},
};

#[tokio::test]
async fn anyone_who_can_see_the_post_reads_its_comment_threads() {
    // Upstream bug 19: the listing always answered 401, ordered by a missing column,
    // and would have listed replies again at the top level.
    let (server, [ada, bob]) = TestServer::with_users(["ada", "bob"]).await;
    let post = ada.post("talk to me").await;
    let first = bob.client.add_comment(post.id, "first!").await.unwrap();
    let second = ada.client.add_comment(post.id, "second").await.unwrap();
    let reply = ada
        .client
        .add_reply(post.id, first.id, "welcome")
        .await
        .unwrap();
    let nested = bob
        .client
        .add_reply(post.id, reply.id, "thanks")
        .await
        .unwrap();
    let later = bob
        .client
        .add_reply(post.id, first.id, "also")
        .await
        .unwrap();
    assert!(first.created_at <= second.created_at);
    assert_eq!(reply.parent_id, Some(first.id));
    assert_eq!(nested.parent_id, Some(reply.id));

    let listed = server
        .client()
        .list_comments(post.id, &PageQuery::default())
        .await
        .unwrap();
    let top: Vec<CommentId> = listed.items.iter().map(|c| c.id).collect();
    assert_eq!(top, [second.id, first.id], "top level only, newest first");
    let thread = &listed.items[1];
    assert_eq!(
        thread.sub_comments.iter().map(|c| c.id).collect::<Vec<_>>(),
        [reply.id, later.id],
        "replies oldest first"
    );
    assert_eq!(thread.sub_comments[0].sub_comments[0].id, nested.id);
    assert_eq!(thread.sub_comments[0].sub_comments[0].content, "thanks");
    assert_eq!(thread.author, "bob");
    assert_eq!(
        thread.my_reactions, None,
        "anonymous callers have no reactions"
    );
    let mine = ada
        .client
        .list_comments(post.id, &PageQuery::default())
        .await
        .unwrap();
    assert_eq!(mine.items[0].my_reactions, Some(vec![]));
    assert_eq!(ada.client.view_post(post.id).await.unwrap().comments_nbr, 5);

    // The raw shape keeps upstream's fields.
    let raw: Value = server
        .raw()
        .get(server.at(&format!("/posts/{}/comment/all", post.id)))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for field in [
        "id",
        "content",
        "user_id",
        "post_id",
        "likes_nbr",
        "parent_id",
        "sub_comments",
        "created_at",
    ] {
        assert!(raw[0].get(field).is_some(), "{field}");
    }
}

#[tokio::test]
async fn comments_page_by_page_or_by_cursor() {
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    let post = ada.post("busy").await;
    let mut ids = Vec::new();
    for n in 0..5 {
        ids.push(
            ada.client
                .add_comment(post.id, &format!("c{n}"))
                .await
                .unwrap()
                .id,
        );
    }
    ids.reverse();
    let first = ada
        .client
        .list_comments(post.id, &PageQuery::page(1, 2))
        .await
        .unwrap();
    assert_eq!(
        first.items.iter().map(|c| c.id).collect::<Vec<_>>(),
        ids[..2]
    );
    let next = PageQuery {
        page_size: Some(2),
        ..PageQuery::after(first.next_cursor.unwrap())
    };
    let second = ada.client.list_comments(post.id, &next).await.unwrap();
    assert_eq!(
        second.items.iter().map(|c| c.id).collect::<Vec<_>>(),
        ids[2..4]
    );
    let last = ada
        .client
        .list_comments(post.id, &PageQuery::page(3, 2))
        .await
        .unwrap();
    assert_eq!(last.items.len(), 1);
    assert_eq!(last.next_cursor, None);
}

#[tokio::test]
async fn a_reply_must_answer_a_comment_of_the_same_post() {
    // Upstream bug 26: a reply could hang under a comment of another post.
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    let one = ada.post("one").await;
    let two = ada.post("two").await;
    let on_one = ada.client.add_comment(one.id, "on one").await.unwrap();
    assert_eq!(
        refusal(ada.client.add_reply(two.id, on_one.id, "lost").await),
        (404, "this comment does not exist".into())
    );
    let err = ada
        .client
        .add_reply(one.id, CommentId(987_654), "lost")
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404));
    assert_eq!(server.query_i64("SELECT count(*) FROM comments").await, 1);
}

#[tokio::test]
async fn deleting_a_comment_deletes_its_replies() {
    // Upstream bug 24: replies of a deleted comment became top-level comments.
    let (server, [ada, bob]) = TestServer::with_users(["ada", "bob"]).await;
    let post = ada.post("thread").await;
    let top = bob.client.add_comment(post.id, "top").await.unwrap();
    let reply = ada
        .client
        .add_reply(post.id, top.id, "reply")
        .await
        .unwrap();
    bob.client
        .add_reply(post.id, reply.id, "deeper")
        .await
        .unwrap();
    ada.client
        .react_to_comment(post.id, reply.id, "like")
        .await
        .unwrap();
    let keep = ada.client.add_comment(post.id, "keep").await.unwrap();

    let done = bob.client.delete_comment(post.id, top.id).await.unwrap();
    assert_eq!(done.detail, "The comment has been deleted successfully");
    let listed = ada
        .client
        .list_comments(post.id, &PageQuery::default())
        .await
        .unwrap();
    assert_eq!(
        listed.items.iter().map(|c| c.id).collect::<Vec<_>>(),
        [keep.id]
    );
    assert_eq!(server.query_i64("SELECT count(*) FROM comments").await, 1);
    assert_eq!(server.query_i64("SELECT count(*) FROM reactions").await, 0);
    assert_eq!(ada.client.view_post(post.id).await.unwrap().comments_nbr, 1);
}

#[tokio::test]
async fn the_post_author_may_delete_any_comment_and_others_get_403() {
    // Upstream bug 27: 401 for ownership failures; the post's owner could not moderate.
    let (_server, [ada, bob, carol]) = TestServer::with_users(["ada", "bob", "carol"]).await;
    let post = ada.post("mine").await;
    let by_bob = bob.client.add_comment(post.id, "rude").await.unwrap();

    assert_eq!(
        refusal(carol.client.delete_comment(post.id, by_bob.id).await),
        (
            403,
            "You do not have permission to delete this comment".into()
        )
    );
    assert_eq!(
        refusal(ada.client.edit_comment(post.id, by_bob.id, "nicer").await),
        (
            403,
            "You do not have permission to edit this comment".into()
        )
    );

    let edited = bob
        .client
        .edit_comment(post.id, by_bob.id, "polite")
        .await
        .unwrap();
    assert_eq!(edited.content, "polite");
    ada.client.delete_comment(post.id, by_bob.id).await.unwrap();
    let err = ada
        .client
        .delete_comment(post.id, by_bob.id)
        .await
        .unwrap_err();
    assert_eq!(
        (err.status(), err.body().unwrap().detail.as_str()),
        (Some(404), "Comment not found")
    );
    // A comment must be addressed through its own post.
    let other = ada.post("other").await;
    let here = bob.client.add_comment(post.id, "here").await.unwrap();
    assert_eq!(
        bob.client
            .delete_comment(other.id, here.id)
            .await
            .unwrap_err()
            .status(),
        Some(404)
    );
}

#[tokio::test]
async fn reactions_toggle_and_never_delete_the_comment() {
    // Upstream bug 18: reacting always answered 500, and removing a reaction would
    // have deleted the comment.
    let (server, [ada, bob]) = TestServer::with_users(["ada", "bob"]).await;
    let post = ada.post("react").await;
    let comment = ada
        .client
        .add_comment(post.id, "react to me")
        .await
        .unwrap();

    let added = react(&bob, post.id, comment.id, "like").await;
    assert_eq!(
        (added.message.as_str(), added.reacted, added.count),
        ("Reaction added", true, 1)
    );
    react(&ada, post.id, comment.id, "like").await;
    react(&bob, post.id, comment.id, "laugh").await;

    let listed = common::comments(&bob.client, post.id).await;
    let shown = &listed[0];
    assert_eq!(shown.reactions.get("like"), Some(&2));
    assert_eq!(shown.reactions.get("laugh"), Some(&1));
    assert_eq!(
        shown.my_reactions,
        Some(vec!["laugh".into(), "like".into()])
    );

    let removed = react(&bob, post.id, comment.id, "like").await;
    assert_eq!(
        (removed.message.as_str(), removed.reacted, removed.count),
        ("Reaction removed", false, 1)
    );
    react(&bob, post.id, comment.id, "laugh").await;
    let listed = common::comments(&bob.client, post.id).await;
    assert_eq!(listed.len(), 1, "the comment stays");
    assert_eq!(listed[0].reactions.get("like"), Some(&1));
    assert_eq!(listed[0].reactions.get("laugh"), None);
    assert_eq!(listed[0].my_reactions, Some(vec![]));

    // The body is a bare JSON string of 1–20 characters.
    let raw = server
        .raw()
        .post(server.at(&format!("/posts/{}/comment/{}/react/", post.id, comment.id)))
        .bearer_auth(&bob.tokens.access_token)
        .json(&json!("fire"))
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), 200);
    let body: Value = raw.json().await.unwrap();
    assert_eq!(body["reacted"], true);
    let err = bob
        .client
        .react_to_comment(post.id, comment.id, &"x".repeat(21))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::Validation));
    let err = bob
        .client
        .react_to_comment(post.id, comment.id, " ")
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::Validation));
    let err = bob
        .client
        .react_to_comment(post.id, CommentId(999_999), "like")
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404));
}

#[tokio::test]
async fn text_comes_from_the_query_string_or_a_json_body() {
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    let post = ada.post("say something").await;
    let url = server.at(&format!("/posts/{}/comment/add/", post.id));
    let from_body: Value = server
        .raw()
        .post(&url)
        .bearer_auth(&ada.tokens.access_token)
        .json(&json!({"content": "from the body"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(from_body["content"], "from the body");

    for (request, field) in [
        (server.raw().post(&url), "comment"),
        (server.raw().post(format!("{url}?comment=")), "comment"),
        (
            server
                .raw()
                .post(format!("{url}?comment={}", "x".repeat(2001))),
            "comment",
        ),
    ] {
        let response = request
            .bearer_auth(&ada.tokens.access_token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 422);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["fields"][0]["field"], field);
    }
    let comment_id = from_body["id"].as_i64().unwrap();
    let edit = server
        .raw()
        .put(server.at(&format!("/posts/{}/comment/{comment_id}/edit/", post.id)))
        .bearer_auth(&ada.tokens.access_token)
        .json(&json!({"content": "edited in the body"}))
        .send()
        .await
        .unwrap();
    assert_eq!(edit.status(), 200);
    let reply = server
        .raw()
        .post(server.at(&format!(
            "/posts/{}/comment/add_reply/{comment_id}/?reply=via%20query",
            post.id
        )))
        .bearer_auth(&ada.tokens.access_token)
        .send()
        .await
        .unwrap();
    let reply: Value = reply.json().await.unwrap();
    assert_eq!(reply["content"], "via query");
    assert_eq!(reply["parent_id"], comment_id);
    let unauthenticated = server
        .raw()
        .post(format!("{url}?comment=hi"))
        .send()
        .await
        .unwrap();
    assert_eq!(unauthenticated.status(), 401);
}

#[tokio::test]
async fn replies_nest_at_most_thirty_two_deep() {
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    let post = ada.post("deep").await;
    let mut parent = ada.client.add_comment(post.id, "0").await.unwrap().id;
    for depth in 1..=32 {
        parent = ada
            .client
            .add_reply(post.id, parent, &depth.to_string())
            .await
            .unwrap()
            .id;
    }
    let err = ada
        .client
        .add_reply(post.id, parent, "too deep")
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(400));
    // The whole thread still parses on the client.
    let listed = ada
        .client
        .list_comments(post.id, &PageQuery::default())
        .await
        .unwrap();
    let mut node = &listed.items[0];
    let mut depth = 0;
    while let Some(child) = node.sub_comments.first() {
        node = child;
        depth += 1;
    }
    assert_eq!(depth, 32);
}

/// `user` toggles `reaction` on a comment.
async fn react(
    user: &TestUser,
    post: PostId,
    comment: CommentId,
    reaction: &str,
) -> ReactionResult {
    user.client
        .react_to_comment(post, comment, reaction)
        .await
        .expect("reaction")
}
