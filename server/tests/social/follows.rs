//! `/follows/…`, with upstream bugs 37, 38 and 39.

use crate::common;

use common::{TestServer, followers_post, refusal};
use serde_json::Value;
use socmel_client::{
    CursorQuery,
    types::{
        FollowId, UserId,
        follows::{FollowRelation, FollowState},
    },
};

#[tokio::test]
async fn the_request_and_accept_flow_shows_follow_ids_everywhere() {
    // Upstream bug 38: no endpoint returned the follow ids that cancel, accept and
    // reject need.
    let (server, [ada, bob]) = TestServer::with_users(["ada", "bob"]).await;
    let sent = ada.client.request_follow(bob.user.id).await.unwrap();
    assert_eq!(sent.detail, "The follow request has been sent successfully");

    let status = ada.client.follow_status(bob.user.id).await.unwrap();
    assert_eq!(
        (status.status, status.follow_id, status.follows_me),
        (FollowRelation::Pending, Some(sent.follow_id), false)
    );
    let waiting = bob
        .client
        .follow_requests(&CursorQuery::default())
        .await
        .unwrap();
    assert_eq!(waiting.items.len(), 1);
    assert_eq!(waiting.items[0].follow_id, sent.follow_id);
    assert_eq!(waiting.items[0].user.id, ada.user.id);
    assert_eq!(waiting.items[0].user.email, None);
    assert_eq!(waiting.items[0].follow_status, FollowState::Pending);
    // Still upstream's bare array of users, with the added fields.
    let raw: Value = server
        .raw()
        .get(server.at("/follows/requests/"))
        .bearer_auth(&bob.tokens.access_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(raw[0]["username"], "ada");
    assert_eq!(raw[0]["follow_id"], sent.follow_id.0);
    // Pending is not following.
    assert!(
        ada.client
            .my_following(&CursorQuery::default())
            .await
            .unwrap()
            .items
            .is_empty()
    );
    assert!(
        bob.client
            .my_followers(&CursorQuery::default())
            .await
            .unwrap()
            .items
            .is_empty()
    );

    let accepted = bob
        .client
        .accept_follow_request(sent.follow_id)
        .await
        .unwrap();
    assert_eq!(
        (accepted.detail.as_str(), accepted.follow_id),
        ("Follow request accepted", sent.follow_id)
    );
    assert_eq!(
        refusal(bob.client.accept_follow_request(sent.follow_id).await),
        (400, "This follow request has already been accepted".into())
    );

    let following = ada
        .client
        .my_following(&CursorQuery::default())
        .await
        .unwrap();
    assert_eq!(following.items[0].user.id, bob.user.id);
    assert_eq!(following.items[0].follow_id, sent.follow_id);
    assert_eq!(following.items[0].follow_status, FollowState::Accepted);
    let followers = bob
        .client
        .my_followers(&CursorQuery::default())
        .await
        .unwrap();
    assert_eq!(followers.items[0].follow_id, sent.follow_id);
    let status = bob.client.follow_status(ada.user.id).await.unwrap();
    assert_eq!(
        (status.status, status.follow_id, status.follows_me),
        (FollowRelation::None, None, true)
    );
    assert_eq!(
        ada.client.follow_status(bob.user.id).await.unwrap().status,
        FollowRelation::Following
    );
    assert!(
        bob.client
            .follow_requests(&CursorQuery::default())
            .await
            .unwrap()
            .items
            .is_empty()
    );
}

#[tokio::test]
async fn following_yourself_is_400_and_repeats_are_refused() {
    // Upstream bug 39: self-follow was allowed.
    let (server, [ada, bob]) = TestServer::with_users(["ada", "bob"]).await;
    assert_eq!(
        refusal(ada.client.request_follow(ada.user.id).await),
        (400, "You cannot follow yourself".into())
    );
    let err = ada
        .client
        .request_follow(UserId(999_999))
        .await
        .unwrap_err();
    assert_eq!(
        (err.status(), err.body().unwrap().detail.as_str()),
        (Some(404), "This user does not exist")
    );

    let sent = ada.client.request_follow(bob.user.id).await.unwrap();
    let err = ada.client.request_follow(bob.user.id).await.unwrap_err();
    assert_eq!(
        err.body().unwrap().detail,
        "Follow request already sent and pending"
    );
    bob.client
        .accept_follow_request(sent.follow_id)
        .await
        .unwrap();
    let err = ada.client.request_follow(bob.user.id).await.unwrap_err();
    assert_eq!(
        (err.status(), err.body().unwrap().detail.as_str()),
        (Some(400), "You are already following this user")
    );
    assert_eq!(server.query_i64("SELECT count(*) FROM follows").await, 1);
}

#[tokio::test]
async fn racing_follow_requests_make_one_follow() {
    let (server, [ada, bob]) = TestServer::with_users(["ada", "bob"]).await;
    let attempts = (0..8).map(|_| ada.client.request_follow(bob.user.id));
    let results = futures_util::future::join_all(attempts).await;
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1);
    for err in results.into_iter().filter_map(Result::err) {
        assert_eq!(err.status(), Some(400), "{err}");
    }
    assert_eq!(server.query_i64("SELECT count(*) FROM follows").await, 1);
}

#[tokio::test]
async fn remove_follower_removes_that_user() {
    // Upstream bug 37: the follow row id was compared with the user id.
    let (server, [ada, bob, carol]) = TestServer::with_users(["ada", "bob", "carol"]).await;
    // Bob's follow comes first, so the follow whose id equals bob's user id is
    // carol's: upstream removed carol when asked to remove bob.
    common::follow(&bob, &ada).await;
    common::follow(&carol, &ada).await;
    let carols_follow = server
        .query_i64(&format!(
            "SELECT id FROM follows WHERE follower_id = {}",
            carol.user.id
        ))
        .await;
    assert_eq!(
        carols_follow, bob.user.id.0,
        "the ids line up as upstream's bug needs"
    );
    let err = ada.client.remove_follower(UserId(999)).await.unwrap_err();
    assert_eq!(
        (err.status(), err.body().unwrap().detail.as_str()),
        (Some(404), "This user is not your follower")
    );

    let removed = ada.client.remove_follower(bob.user.id).await.unwrap();
    assert_eq!(removed.detail, "Follower removed successfully");
    let left: Vec<UserId> = ada
        .client
        .my_followers(&CursorQuery::default())
        .await
        .unwrap()
        .items
        .iter()
        .map(|f| f.user.id)
        .collect();
    assert_eq!(left, [carol.user.id]);
    assert!(
        bob.client
            .my_following(&CursorQuery::default())
            .await
            .unwrap()
            .items
            .is_empty()
    );
}

#[tokio::test]
async fn requests_are_accepted_or_rejected_by_user_id_too() {
    let (_server, [ada, bob, carol]) = TestServer::with_users(["ada", "bob", "carol"]).await;
    bob.client.request_follow(ada.user.id).await.unwrap();
    let from_carol = carol.client.request_follow(ada.user.id).await.unwrap();

    let accepted = ada
        .client
        .accept_follow_request_from(bob.user.id)
        .await
        .unwrap();
    assert_eq!(accepted.detail, "Follow request accepted");
    let rejected = ada
        .client
        .reject_follow_request_from(carol.user.id)
        .await
        .unwrap();
    assert_eq!(
        (rejected.detail.as_str(), rejected.follow_id),
        ("Follow request rejected", from_carol.follow_id)
    );
    let err = ada
        .client
        .reject_follow_request_from(carol.user.id)
        .await
        .unwrap_err();
    assert_eq!(
        (err.status(), err.body().unwrap().detail.as_str()),
        (Some(404), "No pending follow request found")
    );
    let err = ada
        .client
        .accept_follow_request_from(carol.user.id)
        .await
        .unwrap_err();
    assert_eq!(
        (err.status(), err.body().unwrap().detail.as_str()),
        (Some(404), "No follow request found")
    );
    // Accepted follows are not pending requests any more.
    assert_eq!(
        ada.client
            .reject_follow_request_from(bob.user.id)
            .await
            .unwrap_err()
            .status(),
        Some(404)
    );
    let followers = ada
        .client
        .my_followers(&CursorQuery::default())
        .await
        .unwrap();
    assert_eq!(
        followers
            .items
            .iter()
            .map(|f| f.user.id)
            .collect::<Vec<_>>(),
        [bob.user.id]
    );
}

#[tokio::test]
async fn cancel_reject_and_unfollow_act_only_on_their_own_follows() {
    let (_server, [ada, bob, mallory]) = TestServer::with_users(["ada", "bob", "mallory"]).await;
    let sent = ada.client.request_follow(bob.user.id).await.unwrap();

    // Nobody else can cancel, accept or reject it.
    for err in [
        mallory
            .client
            .cancel_follow_request(sent.follow_id)
            .await
            .unwrap_err(),
        mallory
            .client
            .reject_follow_request(sent.follow_id)
            .await
            .unwrap_err(),
        mallory
            .client
            .accept_follow_request(sent.follow_id)
            .await
            .unwrap_err(),
        ada.client
            .accept_follow_request(sent.follow_id)
            .await
            .unwrap_err(),
        bob.client
            .cancel_follow_request(sent.follow_id)
            .await
            .unwrap_err(),
    ] {
        assert_eq!(err.status(), Some(404), "{err}");
    }
    let err = ada.client.unfollow(bob.user.id).await.unwrap_err();
    assert_eq!(
        (err.status(), err.body().unwrap().detail.as_str()),
        (Some(404), "You are not following this user")
    );

    let cancelled = ada
        .client
        .cancel_follow_request(sent.follow_id)
        .await
        .unwrap();
    assert_eq!(cancelled.detail, "Follow request cancelled");
    let again = ada.client.request_follow(bob.user.id).await.unwrap();
    let rejected = bob
        .client
        .reject_follow_request(again.follow_id)
        .await
        .unwrap();
    assert_eq!(rejected.detail, "Follow request rejected");
    let err = bob
        .client
        .reject_follow_request(again.follow_id)
        .await
        .unwrap_err();
    assert_eq!(
        err.body().unwrap().detail,
        "No pending follow request found"
    );

    common::follow(&ada, &bob).await;
    let unfollowed = ada.client.unfollow(bob.user.id).await.unwrap();
    assert_eq!(unfollowed.detail, "Unfollowed successfully");
    assert_eq!(
        ada.client.follow_status(bob.user.id).await.unwrap().status,
        FollowRelation::None
    );
    assert_eq!(
        ada.client
            .cancel_follow_request(FollowId(999_999))
            .await
            .unwrap_err()
            .status(),
        Some(404)
    );
}

#[tokio::test]
async fn pending_follows_never_count_as_following() {
    let (_server, [ada, bob]) = TestServer::with_users(["ada", "bob"]).await;
    let post = bob
        .client
        .create_post(&followers_post("for followers"))
        .await
        .unwrap();
    let sent = ada.client.request_follow(bob.user.id).await.unwrap();
    assert_eq!(
        ada.client.view_post(post.id).await.unwrap_err().status(),
        Some(404)
    );
    assert!(
        ada.client
            .feed(&Default::default())
            .await
            .unwrap()
            .items
            .is_empty()
    );
    bob.client
        .accept_follow_request(sent.follow_id)
        .await
        .unwrap();
    assert_eq!(ada.client.view_post(post.id).await.unwrap().id, post.id);
    assert_eq!(
        ada.client
            .feed(&Default::default())
            .await
            .unwrap()
            .items
            .len(),
        1
    );
}

#[tokio::test]
async fn anyones_followers_and_following_are_listed_page_by_page() {
    let (server, [star, viewer]) = TestServer::with_users(["star", "viewer"]).await;
    let mut fans = Vec::new();
    for n in 0..3 {
        let fan = server.user(&format!("fan{n}")).await;
        common::follow(&fan, &star).await;
        fans.push(fan);
    }
    let pending = server.user("pending").await;
    pending.client.request_follow(star.user.id).await.unwrap();

    let first = viewer
        .client
        .user_followers(
            star.user.id,
            &CursorQuery {
                limit: Some(2),
                cursor: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(first.items.len(), 2);
    let rest = viewer
        .client
        .user_followers(
            star.user.id,
            &CursorQuery {
                limit: Some(2),
                cursor: first.next_cursor.clone(),
            },
        )
        .await
        .unwrap();
    assert_eq!(rest.items.len(), 1);
    assert_eq!(rest.next_cursor, None);
    let mut listed: Vec<UserId> = first
        .items
        .iter()
        .chain(&rest.items)
        .map(|f| f.user.id)
        .collect();
    listed.sort();
    let mut expected: Vec<UserId> = fans.iter().map(|f| f.user.id).collect();
    expected.sort();
    assert_eq!(listed, expected, "accepted follows only, newest first");
    assert!(first.items.iter().all(|f| f.user.email.is_none()));

    let following = viewer
        .client
        .user_following(fans[0].user.id, &CursorQuery::default())
        .await
        .unwrap();
    assert_eq!(following.items.len(), 1);
    assert_eq!(following.items[0].user.id, star.user.id);
    // New listings are `{"items", "next_cursor"}`.
    let raw: Value = server
        .raw()
        .get(server.at(&format!("/follows/{}/followers/?limit=1", star.user.id)))
        .bearer_auth(&viewer.tokens.access_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(raw["items"].as_array().unwrap().len(), 1);
    assert!(raw["next_cursor"].is_string());

    let err = viewer
        .client
        .user_followers(UserId(999_999), &CursorQuery::default())
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404));
    let err = viewer
        .client
        .user_followers(
            star.user.id,
            &CursorQuery {
                limit: Some(0),
                cursor: None,
            },
        )
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(422));
    assert_eq!(
        server
            .client()
            .user_followers(star.user.id, &CursorQuery::default())
            .await
            .unwrap_err()
            .status(),
        Some(401)
    );
    // The upstream listing pages the same way, with the cursor in a header.
    let mine = star
        .client
        .my_followers(&CursorQuery {
            limit: Some(2),
            cursor: None,
        })
        .await
        .unwrap();
    assert_eq!(mine.items.len(), 2);
    assert!(mine.next_cursor.is_some());
}
