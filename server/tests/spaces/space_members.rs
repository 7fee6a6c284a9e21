//! Members of a space: the list, removal, roles, ownership, and the role × action
//! table seen from outside. Upstream bugs 15 (emails in member lists) and 35 (the
//! owner could remove themself; counts drifted).

use crate::common;

use common::{
    TestServer, TestUser, refusal,
    spaces::{invitation, rename_space, space_with, tomorrow},
    status,
};
use socmel_client::types::{
    SpaceId, UserId,
    invitations::InvitationCreate,
    rooms::RoomCreate,
    spaces::{SpaceRole, SpaceUpdate},
};

#[tokio::test]
async fn the_member_list_is_a_bare_array_paged_by_header_without_others_emails() {
    // Upstream bug 15: member lists exposed every member's email.
    let (server, [ada, bob, cy]) = TestServer::with_users(["ada", "bob", "cyd"]).await;
    let space = space_with(&ada, "Rust", &[&bob, &cy]).await;

    let page = bob
        .client
        .space_members(space.id, None, None)
        .await
        .unwrap();
    assert_eq!(page.next_cursor, None);
    let summary: Vec<_> = page
        .items
        .iter()
        .map(|m| (m.user.id, m.role, m.user.email.clone()))
        .collect();
    assert_eq!(
        summary,
        [
            (ada.user.id, SpaceRole::Owner, None),
            (
                bob.user.id,
                SpaceRole::Member,
                Some("bob@example.com".into())
            ),
            (cy.user.id, SpaceRole::Member, None),
        ]
    );

    let path = format!("/spaces/{}/members/all/?limit=2", space.id);
    let response = server
        .raw()
        .get(server.at(&path))
        .bearer_auth(&bob.tokens.access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let cursor = response.headers()["x-next-cursor"]
        .to_str()
        .unwrap()
        .to_owned();
    let body: serde_json::Value = response.json().await.unwrap();
    let rows = body.as_array().expect("a bare array, as upstream");
    assert_eq!(rows.len(), 2);
    assert!(rows[0]["email"].is_null());
    assert_eq!(rows[0]["username"], "ada");
    assert_eq!(rows[0]["role"], "owner");
    let rest = bob
        .client
        .space_members(space.id, Some(&cursor), Some(2))
        .await
        .unwrap();
    assert_eq!(rest.items.len(), 1);
    assert_eq!(rest.items[0].user.id, cy.user.id);
    assert_eq!(rest.next_cursor, None);
    let last = server
        .raw()
        .get(server.at(&format!(
            "/spaces/{}/members/all/?limit=2&cursor={cursor}",
            space.id
        )))
        .bearer_auth(&bob.tokens.access_token)
        .send()
        .await
        .unwrap();
    assert!(last.headers().get("x-next-cursor").is_none());
}

#[tokio::test]
async fn the_owner_can_never_be_removed_and_moderators_spare_each_other() {
    // Upstream bug 35: the owner could remove themself.
    let (_server, [ada, mo, max, bob, cy]) =
        TestServer::with_users(["ada", "moe", "max", "bob", "cyd"]).await;
    let space = space_with(&ada, "Rust", &[&mo, &max, &bob, &cy]).await;
    for moderator in [&mo, &max] {
        ada.client
            .set_member_role(space.id, moderator.user.id, SpaceRole::Moderator)
            .await
            .unwrap();
    }
    let (code, detail) = refusal(ada.client.remove_space_member(space.id, ada.user.id).await);
    assert_eq!(code, 403);
    assert!(detail.contains("owner"), "{detail}");
    assert_eq!(
        status(mo.client.remove_space_member(space.id, ada.user.id).await),
        403
    );
    assert_eq!(
        refusal(mo.client.remove_space_member(space.id, max.user.id).await),
        (403, "Moderators cannot act on other moderators".into())
    );
    assert_eq!(
        refusal(bob.client.remove_space_member(space.id, cy.user.id).await),
        (403, "You are not allowed to do this in this space".into())
    );

    let removed = mo
        .client
        .remove_space_member(space.id, bob.user.id)
        .await
        .unwrap();
    assert_eq!(removed.message, "Member removed");
    ada.client
        .remove_space_member(space.id, max.user.id)
        .await
        .unwrap();
    assert_eq!(
        refusal(mo.client.remove_space_member(space.id, bob.user.id).await),
        (404, "Member not found".into())
    );
    assert_eq!(
        status(
            mo.client
                .remove_space_member(space.id, UserId(987_654))
                .await
        ),
        404
    );
    assert_eq!(
        ada.client.view_space(space.id).await.unwrap().members_nbr,
        3
    );
    assert_eq!(
        status(bob.client.space_rooms(space.id, None, None).await),
        403
    );
    assert!(
        bob.client
            .my_spaces(None, None)
            .await
            .unwrap()
            .items
            .is_empty()
    );
    // A removed (not banned) member may come back with a new invitation.
    let token = invitation(&ada, space.id, 1).await;
    bob.client
        .accept_invitation(space.id, &token)
        .await
        .unwrap();
}

#[tokio::test]
async fn only_the_owner_promotes_and_demotes() {
    let (_server, [ada, mo, bob]) = TestServer::with_users(["ada", "moe", "bob"]).await;
    let space = space_with(&ada, "Rust", &[&mo, &bob]).await;
    let promoted = ada
        .client
        .set_member_role(space.id, mo.user.id, SpaceRole::Moderator)
        .await
        .unwrap();
    assert_eq!(
        (promoted.user.id, promoted.role),
        (mo.user.id, SpaceRole::Moderator)
    );
    assert_eq!(promoted.user.email, None);
    assert_eq!(
        refusal(
            mo.client
                .set_member_role(space.id, bob.user.id, SpaceRole::Moderator)
                .await
        ),
        (403, "You are not the owner of this space".into())
    );
    assert_eq!(
        status(
            bob.client
                .set_member_role(space.id, bob.user.id, SpaceRole::Moderator)
                .await
        ),
        403
    );
    let err = ada
        .client
        .set_member_role(space.id, bob.user.id, SpaceRole::Owner)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(422));
    assert_eq!(
        err.body().unwrap().fields.as_ref().unwrap()[0].field,
        "role"
    );
    assert_eq!(
        status(
            ada.client
                .set_member_role(space.id, ada.user.id, SpaceRole::Member)
                .await
        ),
        403
    );
    assert_eq!(
        status(
            ada.client
                .set_member_role(space.id, UserId(987_654), SpaceRole::Moderator)
                .await
        ),
        404
    );
    let demoted = ada
        .client
        .set_member_role(space.id, mo.user.id, SpaceRole::Member)
        .await
        .unwrap();
    assert_eq!(demoted.role, SpaceRole::Member);
    assert_eq!(
        status(
            mo.client
                .add_room(space.id, &RoomCreate { name: "x".into() })
                .await
        ),
        403
    );
}

#[tokio::test]
async fn ownership_moves_only_to_a_member() {
    let (_server, [ada, bob, eve]) = TestServer::with_users(["ada", "bob", "eve"]).await;
    let space = space_with(&ada, "Rust", &[&bob]).await;
    assert_eq!(
        refusal(ada.client.pass_space_ownership(space.id, eve.user.id).await),
        (400, "this user is not a member of this space".into())
    );
    assert_eq!(
        status(
            ada.client
                .pass_space_ownership(space.id, UserId(987_654))
                .await
        ),
        404
    );
    assert_eq!(
        status(bob.client.pass_space_ownership(space.id, bob.user.id).await),
        403
    );
    let kept = ada
        .client
        .pass_space_ownership(space.id, ada.user.id)
        .await
        .unwrap();
    assert_eq!(kept.owner_id, ada.user.id);

    let handed = ada
        .client
        .pass_space_ownership(space.id, bob.user.id)
        .await
        .unwrap();
    assert_eq!(handed.owner_id, bob.user.id);
    assert_eq!(handed.my_role, Some(SpaceRole::Moderator));
    let roles: Vec<_> = bob
        .client
        .space_members(space.id, None, None)
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|m| (m.user.id, m.role))
        .collect();
    assert_eq!(
        roles,
        [
            (ada.user.id, SpaceRole::Moderator),
            (bob.user.id, SpaceRole::Owner)
        ]
    );
    assert_eq!(status(ada.client.delete_space(space.id).await), 403);
    let renamed = rename_space(&bob, space.id, "Bob's").await.unwrap();
    assert_eq!(renamed.name, "Bob's");
    // Ownership, not seniority, protects: the new owner can remove the old one.
    bob.client
        .remove_space_member(space.id, ada.user.id)
        .await
        .unwrap();
}

/// What each role gets from each action, end to end (the unit test of
/// `permissions` holds the same table for the rules themselves).
#[tokio::test]
async fn role_by_action_table_over_http() {
    let (_server, [owner, moderator, member, outsider]) =
        TestServer::with_users(["owner", "moderator", "member", "outsider"]).await;
    let space = space_with(&owner, "Table", &[&moderator, &member]).await;
    owner
        .client
        .set_member_role(space.id, moderator.user.id, SpaceRole::Moderator)
        .await
        .unwrap();

    async fn attempt(user: &TestUser, space: SpaceId, action: &str) -> u16 {
        let client = &user.client;
        let outcome = match action {
            "view members" => client.space_members(space, None, None).await.map(|_| ()),
            "list rooms" => client.space_rooms(space, None, None).await.map(|_| ()),
            "add room" => {
                let name = format!("room-{}", user.user.username);
                client
                    .add_room(space, &RoomCreate { name })
                    .await
                    .map(|_| ())
            }
            "invite" => client
                .create_invitation(
                    space,
                    &InvitationCreate {
                        max_uses: 1,
                        expires_at: tomorrow(),
                    },
                )
                .await
                .map(|_| ()),
            "list invitations" => client.list_invitations(space, None, None).await.map(|_| ()),
            "list bans" => client.list_bans(space, None, None).await.map(|_| ()),
            "edit space" => client
                .edit_space(space, &SpaceUpdate { name: None })
                .await
                .map(|_| ()),
            other => panic!("unknown action {other}"),
        };
        match outcome {
            Ok(()) => 200,
            Err(err) => err.status().unwrap(),
        }
    }

    #[rustfmt::skip]
    let table = [
        // action,            owner, moderator, member, outsider
        ("view members",      200,   200,       200,    403),
        ("list rooms",        200,   200,       200,    403),
        ("add room",          200,   200,       403,    403),
        ("invite",            200,   200,       403,    403),
        ("list invitations",  200,   200,       403,    403),
        ("list bans",         200,   200,       403,    403),
        ("edit space",        200,   403,       403,    403),
    ];
    for (action, o, m, p, x) in table {
        let got = [
            attempt(&owner, space.id, action).await,
            attempt(&moderator, space.id, action).await,
            attempt(&member, space.id, action).await,
            attempt(&outsider, space.id, action).await,
        ];
        assert_eq!(got, [o, m, p, x], "{action}");
    }
}
