//! The social side of real time: notifications for follows, likes, comments and
//! replies, and `post_created` for followers and space members.

use crate::common;

use std::time::Duration;

use common::{
    TestServer, follow, new_post,
    ws::{expect, expect_none},
};
use socmel_client::types::{frames::*, notifications::NotificationKind, spaces::SpaceCreate};

fn kinds(items: &[socmel_client::types::notifications::Notification]) -> Vec<NotificationKind> {
    let mut kinds: Vec<_> = items.iter().map(|n| n.kind).collect();
    kinds.sort_by_key(|k| k.as_str());
    kinds
}

#[tokio::test]
async fn follows_likes_comments_and_replies_notify_the_right_people() {
    let (_server, [ada, bob]) = TestServer::with_users(["ada", "bob"]).await;
    let mut ada_ws = ada.client.connect_ws(None).await.unwrap();

    let ack = bob.client.request_follow(ada.user.id).await.unwrap();
    let pushed = expect(&mut ada_ws, "follow request", |f| {
        matches!(f, ServerFrame::Notification { .. })
    })
    .await;
    assert!(
        matches!(pushed.frame, ServerFrame::Notification(NotificationFrame { notification }) if notification.kind == NotificationKind::FollowRequest && notification.actor_id == bob.user.id)
    );
    ada.client
        .accept_follow_request(ack.follow_id)
        .await
        .unwrap();
    assert_eq!(
        kinds(
            &bob.client
                .list_notifications(None, None)
                .await
                .unwrap()
                .items
        ),
        [NotificationKind::FollowAccepted]
    );

    let post = ada.post("hello").await;
    bob.client.like_post(post.id).await.unwrap();
    let comment = bob.client.add_comment(post.id, "nice").await.unwrap();
    ada.client
        .add_reply(post.id, comment.id, "thanks @bob")
        .await
        .unwrap();
    // Unliking is no news.
    bob.client.like_post(post.id).await.unwrap();

    let ada_kinds = kinds(
        &ada.client
            .list_notifications(None, None)
            .await
            .unwrap()
            .items,
    );
    assert_eq!(
        ada_kinds,
        [
            NotificationKind::Comment,
            NotificationKind::FollowRequest,
            NotificationKind::Like
        ]
    );
    let bob_kinds = kinds(
        &bob.client
            .list_notifications(None, None)
            .await
            .unwrap()
            .items,
    );
    assert_eq!(
        bob_kinds,
        [
            NotificationKind::FollowAccepted,
            NotificationKind::Mention,
            NotificationKind::Reply
        ]
    );
}

#[tokio::test]
async fn new_posts_reach_followers_and_space_members_live() {
    let (server, [ada, fan, stranger]) = TestServer::with_users(["ada", "fan", "stranger"]).await;
    follow(&fan, &ada).await;
    let mut fan_ws = fan.client.connect_ws(None).await.unwrap();
    let mut stranger_ws = stranger.client.connect_ws(None).await.unwrap();

    let post = ada.post("fresh").await;
    let live = expect(&mut fan_ws, "post_created", |f| {
        matches!(f, ServerFrame::PostCreated { .. })
    })
    .await;
    assert!(live.seq.is_some());
    assert!(
        matches!(live.frame, ServerFrame::PostCreated(PostCreated { post: p }) if p.id == post.id && p.title == "fresh")
    );
    expect_none(&mut stranger_ws, Duration::from_millis(300), |f| {
        matches!(f, ServerFrame::PostCreated { .. })
    })
    .await;

    let space = ada
        .client
        .create_space(&SpaceCreate {
            name: "club".into(),
        })
        .await
        .unwrap();
    server
        .join_space(space.id, stranger.user.id, "member")
        .await;
    // Memberships are loaded at connect: reconnect to pick up the one made in the database.
    let mut member_ws = stranger.client.connect_ws(None).await.unwrap();
    let space_post = ada
        .client
        .create_space_post(space.id, &new_post("members only"))
        .await
        .unwrap();
    let live = expect(&mut member_ws, "space post", |f| {
        matches!(f, ServerFrame::PostCreated { .. })
    })
    .await;
    assert!(
        matches!(live.frame, ServerFrame::PostCreated(PostCreated { post: p }) if p.id == space_post.id)
    );
    expect_none(
        &mut fan_ws,
        Duration::from_millis(300),
        |f| matches!(f, ServerFrame::PostCreated(PostCreated { post }) if post.id == space_post.id),
    )
    .await;
}
