//! `/groups/…`: group chats. Upstream bugs 15 (emails in group payloads) and 40
//! (`members: null` crashed, unknown ids were skipped, no rename or delete).

use crate::common;

use common::{TestServer, refusal, status};
use socmel_client::types::{GroupId, UserId, groups::GroupChatCreate};

fn group(name: &str, members: Option<Vec<UserId>>) -> GroupChatCreate {
    GroupChatCreate {
        name: name.into(),
        members,
    }
}

#[tokio::test]
async fn members_may_be_null_or_absent() {
    // Upstream bug 40: `members: null` answered 500.
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    for body in [
        serde_json::json!({"name": "solo"}),
        serde_json::json!({"name": "solo", "members": null}),
        serde_json::json!({"name": "solo", "members": []}),
    ] {
        let response = server
            .raw()
            .post(server.at("/groups/create/"))
            .bearer_auth(&ada.tokens.access_token)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{body}");
        let shown: serde_json::Value = response.json().await.unwrap();
        assert_eq!(shown["owner_id"], ada.user.id.0);
        assert_eq!(shown["members"].as_array().unwrap().len(), 1);
        assert_eq!(shown["members"][0]["email"], "ada@example.com");
    }
}

#[tokio::test]
async fn unknown_member_ids_are_refused_naming_them() {
    // Upstream bug 40: unknown ids were silently skipped.
    let (_server, [ada, bob]) = TestServer::with_users(["ada", "bob"]).await;
    let members = vec![bob.user.id, UserId(987_654), UserId(987_650)];
    assert_eq!(
        refusal(
            ada.client
                .create_group(&group("friends", Some(members)))
                .await
        ),
        (404, "users not found: 987650, 987654".into())
    );
    assert!(
        ada.client
            .my_groups(None, None)
            .await
            .unwrap()
            .items
            .is_empty()
    );
    let too_many = (1000..1100).map(UserId).collect();
    assert_eq!(
        status(
            ada.client
                .create_group(&group("crowd", Some(too_many)))
                .await
        ),
        422
    );
    assert_eq!(
        status(ada.client.create_group(&group(" ", None)).await),
        422
    );
}

#[tokio::test]
async fn a_group_is_created_renamed_handed_over_and_deleted() {
    let (server, [ada, bob, cy]) = TestServer::with_users(["ada", "bob", "cyd"]).await;
    let created = ada
        .client
        .create_group(&group(
            "friends",
            Some(vec![bob.user.id, cy.user.id, bob.user.id, ada.user.id]),
        ))
        .await
        .unwrap();
    let ids: Vec<UserId> = created.members.iter().map(|u| u.id).collect();
    assert_eq!(ids, [ada.user.id, bob.user.id, cy.user.id]);
    assert_eq!(created.owner_id, ada.user.id);

    let renamed = ada
        .client
        .rename_group(created.id, "  pals ")
        .await
        .unwrap();
    assert_eq!(renamed.name, "pals");
    assert_eq!(
        bob.client.view_group(created.id).await.unwrap().name,
        "pals"
    );
    assert_eq!(
        refusal(bob.client.rename_group(created.id, "mine").await),
        (403, "you can not rename this group".into())
    );
    assert_eq!(status(ada.client.rename_group(created.id, "").await), 422);

    let new_owner = ada
        .client
        .pass_group_ownership(created.id, bob.user.id)
        .await
        .unwrap();
    assert_eq!(new_owner.id, bob.user.id);
    assert_eq!(new_owner.email, None);
    assert_eq!(
        bob.client.view_group(created.id).await.unwrap().owner_id,
        bob.user.id
    );
    assert_eq!(
        refusal(ada.client.delete_group(created.id).await),
        (403, "you can not delete this group".into())
    );

    let deleted = bob.client.delete_group(created.id).await.unwrap();
    assert_eq!(deleted.detail, "Group deleted");
    for user in [&ada, &bob, &cy] {
        assert_eq!(
            refusal(user.client.view_group(created.id).await),
            (404, "the group you are looking for does not exist".into())
        );
        assert!(
            user.client
                .my_groups(None, None)
                .await
                .unwrap()
                .items
                .is_empty()
        );
    }
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM group_members WHERE group_id NOT IN (SELECT id FROM group_chats)")
            .await,
        0
    );
}

#[tokio::test]
async fn group_payloads_show_only_the_callers_email() {
    // Upstream bug 15.
    let (_server, [ada, bob]) = TestServer::with_users(["ada", "bob"]).await;
    let created = ada
        .client
        .create_group(&group("friends", Some(vec![bob.user.id])))
        .await
        .unwrap();
    let seen = bob.client.view_group(created.id).await.unwrap();
    let emails: Vec<_> = seen.members.iter().map(|u| u.email.clone()).collect();
    assert_eq!(emails, [None, Some("bob@example.com".into())]);
    let listed = bob
        .client
        .group_members(created.id, None, None)
        .await
        .unwrap();
    assert_eq!(listed.items, seen.members);
    let added = ada
        .client
        .add_group_member(created.id, bob.user.id)
        .await
        .unwrap();
    assert_eq!(added[1].email, None);
}

#[tokio::test]
async fn the_owner_manages_members_and_members_may_leave() {
    let (_server, [ada, bob, cy, eve]) = TestServer::with_users(["ada", "bob", "cyd", "eve"]).await;
    let created = ada
        .client
        .create_group(&group("friends", Some(vec![bob.user.id])))
        .await
        .unwrap();
    let id = created.id;

    assert_eq!(
        refusal(eve.client.view_group(id).await),
        (403, "you can not view this group".into())
    );
    assert_eq!(status(eve.client.group_members(id, None, None).await), 403);
    assert_eq!(
        refusal(bob.client.add_group_member(id, cy.user.id).await),
        (403, "you can not add members to this group".into())
    );
    assert_eq!(
        refusal(ada.client.add_group_member(id, UserId(987_654)).await),
        (404, "the user you are looking for does not exist".into())
    );
    let members = ada.client.add_group_member(id, cy.user.id).await.unwrap();
    assert_eq!(members.len(), 3);
    // Adding twice changes nothing.
    assert_eq!(
        ada.client.add_group_member(id, cy.user.id).await.unwrap(),
        members
    );
    assert_eq!(cy.client.view_group(id).await.unwrap().members.len(), 3);

    assert_eq!(
        refusal(bob.client.remove_group_member(id, cy.user.id).await),
        (403, "you can not remove members from this group".into())
    );
    assert_eq!(
        refusal(ada.client.remove_group_member(id, ada.user.id).await),
        (403, "you can not remove yourself from the group".into())
    );
    let after_removal = ada
        .client
        .remove_group_member(id, cy.user.id)
        .await
        .unwrap();
    assert_eq!(after_removal.len(), 2);
    // Removing a non-member is a no-op.
    assert_eq!(
        ada.client
            .remove_group_member(id, eve.user.id)
            .await
            .unwrap()
            .len(),
        2
    );
    assert_eq!(status(cy.client.view_group(id).await), 403);

    assert_eq!(
        refusal(ada.client.leave_group(id).await),
        (403, "you can not leave the group you own".into())
    );
    assert_eq!(
        refusal(eve.client.leave_group(id).await),
        (403, "you can not leave this group".into())
    );
    let remaining = bob.client.leave_group(id).await.unwrap();
    assert_eq!(
        remaining.iter().map(|u| u.id).collect::<Vec<_>>(),
        [ada.user.id]
    );
    assert_eq!(
        refusal(ada.client.pass_group_ownership(id, bob.user.id).await),
        (400, "this user is not a member of this group".into())
    );
    assert_eq!(
        refusal(bob.client.pass_group_ownership(id, bob.user.id).await),
        (403, "you can not pass ownership of this group".into())
    );
    assert_eq!(status(ada.client.view_group(GroupId(987_654)).await), 404);
}

#[tokio::test]
async fn my_groups_and_member_lists_page() {
    let (server, [ada, bob, cy]) = TestServer::with_users(["ada", "bob", "cyd"]).await;
    let first = ada
        .client
        .create_group(&group("one", Some(vec![bob.user.id, cy.user.id])))
        .await
        .unwrap();
    let second = bob
        .client
        .create_group(&group("two", Some(vec![ada.user.id])))
        .await
        .unwrap();
    ada.client
        .create_group(&group("alone", None))
        .await
        .unwrap();

    let page = bob.client.my_groups(None, Some(1)).await.unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!((page.items[0].id, page.items[0].members_nbr), (first.id, 3));
    let rest = bob
        .client
        .my_groups(page.next_cursor.as_deref(), Some(1))
        .await
        .unwrap();
    assert_eq!(rest.items[0].id, second.id);
    assert_eq!(rest.items[0].owner_id, bob.user.id);
    assert_eq!(rest.next_cursor, None);
    assert_eq!(
        ada.client.my_groups(None, None).await.unwrap().items.len(),
        3
    );

    let response = server
        .raw()
        .get(server.at(&format!("/groups/{}/members/?limit=2", first.id)))
        .bearer_auth(&bob.tokens.access_token)
        .send()
        .await
        .unwrap();
    let cursor = response.headers()["x-next-cursor"]
        .to_str()
        .unwrap()
        .to_owned();
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body.as_array().expect("a bare array").len(), 2);
    let rest = bob
        .client
        .group_members(first.id, Some(&cursor), Some(2))
        .await
        .unwrap();
    assert_eq!(rest.items.len(), 1);
    assert_eq!(rest.items[0].id, cy.user.id);
    assert_eq!(rest.next_cursor, None);
    assert_eq!(
        status(bob.client.group_members(first.id, Some("nope"), None).await),
        422
    );
}
