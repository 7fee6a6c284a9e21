//! `/spaces/…`: create, edit, delete, the public card and directory, my spaces,
//! leaving, and the members-only wall. Upstream bugs 11, 30, 31, 33, 35 and 36.

use crate::common;

use common::{
    TestServer, refusal,
    spaces::{invitation, new_space, rename_space, space_with, tomorrow},
    status,
};
use socmel_client::types::{
    ErrorCode, SpaceId,
    invitations::InvitationCreate,
    rooms::RoomCreate,
    spaces::{SpaceCreate, SpaceRole, SpaceUpdate},
};

#[tokio::test]
async fn the_issue_scenario_end_to_end() {
    // Owner creates a space (its main room is listed), adds rooms, invites two people
    // with a one-use invitation (the second is refused), promotes one to moderator,
    // who then bans the other.
    let (_server, [owner, mia, ned]) = TestServer::with_users(["owner", "mia", "ned"]).await;
    let space = new_space(&owner, "Rustaceans").await;
    let rooms = owner
        .client
        .space_rooms(space.id, None, None)
        .await
        .unwrap();
    assert_eq!(rooms.items.len(), 1);
    assert_eq!(rooms.items[0].name, "main");
    let general = owner
        .client
        .add_room(
            space.id,
            &RoomCreate {
                name: "general".into(),
            },
        )
        .await
        .unwrap();
    assert_eq!(general.space_id, space.id);

    let token = invitation(&owner, space.id, 1).await;
    mia.client
        .accept_invitation(space.id, &token)
        .await
        .unwrap();
    assert_eq!(
        refusal(ned.client.accept_invitation(space.id, &token).await),
        (
            400,
            "Invitation has reached the maximum number of uses".into()
        )
    );
    let token = invitation(&owner, space.id, 1).await;
    ned.client.join_space(space.id, &token).await.unwrap();

    let promoted = owner
        .client
        .set_member_role(space.id, mia.user.id, SpaceRole::Moderator)
        .await
        .unwrap();
    assert_eq!(promoted.role, SpaceRole::Moderator);
    let ban = mia.client.ban_member(space.id, ned.user.id).await.unwrap();
    assert_eq!(ban.user.id, ned.user.id);
    assert_eq!(ban.banned_by, Some(mia.user.id));
    assert_eq!(
        status(ned.client.space_rooms(space.id, None, None).await),
        403
    );
    let names: Vec<String> = owner
        .client
        .space_rooms(space.id, None, None)
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|room| room.name)
        .collect();
    assert_eq!(names, ["main", "general"]);
    assert_eq!(
        owner.client.view_space(space.id).await.unwrap().members_nbr,
        2
    );
}

#[tokio::test]
async fn a_new_space_has_its_owner_and_a_main_room_inside_it() {
    // Upstream bug 30: the main room was created with a NULL space id.
    // Upstream bug 36: there was no way to list a space's rooms.
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    let space = new_space(&ada, "  Rustaceans  ").await;
    assert_eq!(space.name, "Rustaceans");
    assert_eq!(space.owner_id, ada.user.id);
    assert_eq!(space.members_nbr, 1);
    assert_eq!(space.my_role, Some(SpaceRole::Owner));
    let rooms = ada.client.space_rooms(space.id, None, None).await.unwrap();
    assert_eq!(rooms.next_cursor, None);
    assert_eq!(rooms.items.len(), 1);
    assert_eq!(rooms.items[0].name, "main");
    assert_eq!(rooms.items[0].space_id, space.id);
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM rooms WHERE space_id IS NULL")
            .await,
        0
    );
    let members = ada
        .client
        .space_members(space.id, None, None)
        .await
        .unwrap();
    assert_eq!(members.items.len(), 1);
    assert_eq!(members.items[0].role, SpaceRole::Owner);
}

#[tokio::test]
async fn space_names_are_unique_case_insensitively_even_under_a_race() {
    // Upstream bug 35: uniqueness was an application check only.
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    new_space(&ada, "Rust").await;
    assert_eq!(
        refusal(
            ada.client
                .create_space(&SpaceCreate {
                    name: "rUST".into()
                })
                .await
        ),
        (400, "Space name already taken".into())
    );
    let attempts = (0..6).map(|_| {
        let client = ada.client.clone();
        tokio::spawn(async move {
            client
                .create_space(&SpaceCreate {
                    name: "Racing".into(),
                })
                .await
        })
    });
    let results = futures_util::future::join_all(attempts).await;
    let created = results
        .into_iter()
        .map(|joined| joined.unwrap())
        .filter(|result| match result {
            Ok(_) => true,
            Err(err) => {
                assert_eq!(err.status(), Some(400), "{err}");
                false
            }
        })
        .count();
    assert_eq!(created, 1);
}

#[tokio::test]
async fn names_are_1_to_50_characters() {
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    for bad in ["", "   ", &"x".repeat(51)] {
        let err = ada
            .client
            .create_space(&SpaceCreate { name: bad.into() })
            .await
            .unwrap_err();
        assert_eq!(err.code(), Some(ErrorCode::Validation), "{bad:?}");
        assert_eq!(
            err.body().unwrap().fields.as_ref().unwrap()[0].field,
            "name"
        );
    }
    assert_eq!(
        new_space(&ada, &"é".repeat(50)).await.name.chars().count(),
        50
    );
}

#[tokio::test]
async fn editing_answers_the_space_and_accepts_its_own_name() {
    // Upstream bug 31: edit always answered 500, refused the space's own name and
    // ran an `IS NULL` query when the name was omitted.
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    let space = new_space(&ada, "Rust").await;
    new_space(&ada, "Go").await;
    let same = rename_space(&ada, space.id, "Rust").await.unwrap();
    assert_eq!(same.name, "Rust");
    let recased = rename_space(&ada, space.id, "RUST").await.unwrap();
    assert_eq!(recased.name, "RUST");
    let untouched = ada
        .client
        .edit_space(space.id, &SpaceUpdate { name: None })
        .await
        .unwrap();
    assert_eq!(untouched.name, "RUST");
    assert_eq!(untouched.my_role, Some(SpaceRole::Owner));
    let renamed = rename_space(&ada, space.id, "Rust lang").await.unwrap();
    assert_eq!(renamed.name, "Rust lang");
    assert_eq!(
        ada.client.view_space(space.id).await.unwrap().name,
        "Rust lang"
    );
    assert_eq!(
        refusal(rename_space(&ada, space.id, "go").await),
        (400, "Space name already taken".into())
    );
}

#[tokio::test]
async fn only_the_owner_edits_or_deletes_a_space() {
    let (_server, [ada, mod_, bob]) = TestServer::with_users(["ada", "mod", "bob"]).await;
    let space = space_with(&ada, "Rust", &[&mod_, &bob]).await;
    ada.client
        .set_member_role(space.id, mod_.user.id, SpaceRole::Moderator)
        .await
        .unwrap();
    for user in [&mod_, &bob] {
        assert_eq!(
            refusal(rename_space(user, space.id, "Mine").await),
            (403, "You are not the owner of this space".into())
        );
        assert_eq!(status(user.client.delete_space(space.id).await), 403);
    }
    assert_eq!(ada.client.view_space(space.id).await.unwrap().name, "Rust");
}

#[tokio::test]
async fn deleting_a_space_deletes_its_rooms_invitations_bans_and_memberships() {
    // Upstream bug 33: rooms, posts and invitations were orphaned with a NULL space.
    let (server, [ada, bob, eve]) = TestServer::with_users(["ada", "bob", "eve"]).await;
    let space = space_with(&ada, "Doomed", &[&bob]).await;
    let other = space_with(&ada, "Kept", &[&bob]).await;
    ada.client
        .add_room(
            space.id,
            &RoomCreate {
                name: "extra".into(),
            },
        )
        .await
        .unwrap();
    invitation(&ada, space.id, 5).await;
    ada.client.ban_member(space.id, eve.user.id).await.unwrap();

    let notice = ada.client.delete_space(space.id).await.unwrap();
    assert_eq!(notice.message, "Space deleted");
    assert_eq!(
        refusal(ada.client.view_space(space.id).await),
        (404, "Space not found".into())
    );
    assert_eq!(
        status(bob.client.space_rooms(space.id, None, None).await),
        404
    );
    let mine = bob.client.my_spaces(None, None).await.unwrap();
    assert_eq!(
        mine.items.iter().map(|s| s.id).collect::<Vec<_>>(),
        [other.id]
    );
    for table in [
        "SELECT COUNT(*) FROM rooms WHERE space_id IS NULL OR space_id NOT IN (SELECT id FROM spaces)",
        "SELECT COUNT(*) FROM space_invitations WHERE space_id NOT IN (SELECT id FROM spaces)",
        "SELECT COUNT(*) FROM space_members WHERE space_id NOT IN (SELECT id FROM spaces)",
        "SELECT COUNT(*) FROM space_bans WHERE space_id NOT IN (SELECT id FROM spaces)",
    ] {
        assert_eq!(server.count(table).await, 0, "{table}");
    }
    // The other space is untouched.
    assert_eq!(
        ada.client
            .space_rooms(other.id, None, None)
            .await
            .unwrap()
            .items
            .len(),
        1
    );
    assert_eq!(status(ada.client.delete_space(space.id).await), 404);
}

#[tokio::test]
async fn the_public_card_needs_no_token() {
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    let space = new_space(&ada, "Rust").await;
    let card = server.client().view_space(space.id).await.unwrap();
    assert_eq!(card.name, "Rust");
    assert_eq!(card.owner_id, ada.user.id);
    assert_eq!(card.my_role, None);
    assert_eq!(
        refusal(server.client().view_space(SpaceId(987_654)).await),
        (404, "Space not found".into())
    );
}

#[tokio::test]
async fn the_directory_searches_names_and_pages() {
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    for name in [
        "Rust",
        "rust-gamedev",
        "Go",
        "TRUSTED",
        "100% cotton",
        "a_b",
    ] {
        new_space(&ada, name).await;
    }
    let anonymous = server.client();
    let all = anonymous.list_spaces(None, None, None).await.unwrap();
    assert_eq!(all.items.len(), 6);
    assert_eq!(all.next_cursor, None);

    let found: Vec<String> = anonymous
        .list_spaces(Some("RUST"), None, None)
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|s| s.name)
        .collect();
    assert_eq!(found, ["Rust", "rust-gamedev", "TRUSTED"]);
    // LIKE wildcards in the search text match themselves only.
    let percent = anonymous.list_spaces(Some("%"), None, None).await.unwrap();
    assert_eq!(percent.items.len(), 1);
    assert_eq!(percent.items[0].name, "100% cotton");
    let underscore = anonymous.list_spaces(Some("_"), None, None).await.unwrap();
    assert_eq!(underscore.items.len(), 1);
    assert_eq!(underscore.items[0].name, "a_b");

    let mut seen = Vec::new();
    let mut cursor = None;
    loop {
        let page = anonymous
            .list_spaces(None, cursor.as_deref(), Some(4))
            .await
            .unwrap();
        assert!(page.items.len() <= 4);
        seen.extend(page.items.into_iter().map(|s| s.id));
        cursor = page.next_cursor;
        if cursor.is_none() {
            break;
        }
    }
    assert_eq!(seen.len(), 6);
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "by id: {seen:?}");

    for (limit, cursor) in [(Some(0), None), (Some(101), None), (None, Some("garbage"))] {
        let err = anonymous
            .list_spaces(None, cursor, limit)
            .await
            .unwrap_err();
        assert_eq!(err.status(), Some(422));
    }
    let long = "q".repeat(101);
    assert_eq!(
        status(anonymous.list_spaces(Some(&long), None, None).await),
        422
    );
}

#[tokio::test]
async fn my_spaces_lists_memberships_with_my_role() {
    let (server, [ada, bob]) = TestServer::with_users(["ada", "bob"]).await;
    let owned = new_space(&bob, "Bob's").await;
    let joined = space_with(&ada, "Ada's", &[&bob]).await;
    new_space(&ada, "Not bob's").await;
    let mine = bob.client.my_spaces(None, None).await.unwrap();
    let summary: Vec<_> = mine.items.iter().map(|s| (s.id, s.my_role)).collect();
    assert_eq!(
        summary,
        [
            (owned.id, Some(SpaceRole::Owner)),
            (joined.id, Some(SpaceRole::Member))
        ]
    );
    let first = bob.client.my_spaces(None, Some(1)).await.unwrap();
    assert_eq!(first.items[0].id, owned.id);
    let second = bob
        .client
        .my_spaces(first.next_cursor.as_deref(), Some(1))
        .await
        .unwrap();
    assert_eq!(second.items[0].id, joined.id);
    assert_eq!(second.next_cursor, None);
    assert_eq!(status(server.client().my_spaces(None, None).await), 401);
}

#[tokio::test]
async fn members_leave_and_the_owner_must_hand_over_first() {
    // Upstream bug 36: there was no way to leave a space.
    let (server, [ada, bob, eve]) = TestServer::with_users(["ada", "bob", "eve"]).await;
    let space = space_with(&ada, "Rust", &[&bob]).await;
    assert_eq!(
        ada.client.view_space(space.id).await.unwrap().members_nbr,
        2
    );

    assert_eq!(
        refusal(eve.client.leave_space(space.id).await),
        (403, "You are not a member of this space".into())
    );
    assert_eq!(status(eve.client.leave_space(SpaceId(987_654)).await), 404);
    let (code, detail) = refusal(ada.client.leave_space(space.id).await);
    assert_eq!(code, 403);
    assert!(detail.contains("pass ownership"), "{detail}");

    let left = bob.client.leave_space(space.id).await.unwrap();
    assert_eq!(left.detail, "You have left the space");
    assert_eq!(
        ada.client.view_space(space.id).await.unwrap().members_nbr,
        1
    );
    assert!(
        bob.client
            .my_spaces(None, None)
            .await
            .unwrap()
            .items
            .is_empty()
    );
    assert_eq!(status(bob.client.leave_space(space.id).await), 403);

    // Once ownership moves, the former owner may leave.
    let carol = server.user("carol").await;
    let token = invitation(&ada, space.id, 1).await;
    carol
        .client
        .accept_invitation(space.id, &token)
        .await
        .unwrap();
    ada.client
        .pass_space_ownership(space.id, carol.user.id)
        .await
        .unwrap();
    ada.client.leave_space(space.id).await.unwrap();
    let card = carol.client.view_space(space.id).await.unwrap();
    assert_eq!((card.owner_id, card.members_nbr), (carol.user.id, 1));
}

#[tokio::test]
async fn outsiders_get_403_and_unknown_spaces_404_on_every_members_only_route() {
    // Upstream bug 11: view_room was public; members-only content leaked.
    let (server, [ada, bob, eve]) = TestServer::with_users(["ada", "bob", "eve"]).await;
    let space = space_with(&ada, "Private", &[&bob]).await;
    let room = ada
        .client
        .space_rooms(space.id, None, None)
        .await
        .unwrap()
        .items[0]
        .id;
    let invitation_id = ada
        .client
        .create_invitation(
            space.id,
            &InvitationCreate {
                max_uses: 1,
                expires_at: tomorrow(),
            },
        )
        .await
        .unwrap()
        .id;
    let routes = |space: i64| {
        let bob = bob.user.id;
        vec![
            ("GET", format!("/spaces/{space}/rooms/"), None),
            ("GET", format!("/spaces/{space}/rooms/{room}/view/"), None),
            ("GET", format!("/spaces/{space}/members/all/"), None),
            ("GET", format!("/spaces/{space}/invitations/"), None),
            ("GET", format!("/spaces/{space}/bans/"), None),
            (
                "POST",
                format!("/spaces/{space}/rooms/add/"),
                Some(serde_json::json!({"name": "x"})),
            ),
            (
                "PUT",
                format!("/spaces/{space}/rooms/{room}/edit/"),
                Some(serde_json::json!({"name": "x"})),
            ),
            (
                "DELETE",
                format!("/spaces/{space}/rooms/{room}/delete/"),
                None,
            ),
            (
                "POST",
                format!("/spaces/{space}/invitations/create/"),
                Some(serde_json::json!({"max_uses": 1, "expires_at": tomorrow()})),
            ),
            (
                "DELETE",
                format!("/spaces/{space}/invitations/{invitation_id}/"),
                None,
            ),
            (
                "DELETE",
                format!("/spaces/{space}/members/{bob}/remove/"),
                None,
            ),
            (
                "PUT",
                format!("/spaces/{space}/members/{bob}/role/"),
                Some(serde_json::json!({"role": "moderator"})),
            ),
            (
                "PUT",
                format!("/spaces/{space}/pass_ownership/{bob}/"),
                None,
            ),
            ("POST", format!("/spaces/{space}/bans/{bob}/"), None),
            ("DELETE", format!("/spaces/{space}/bans/{bob}/"), None),
            (
                "PUT",
                format!("/spaces/{space}/edit/"),
                Some(serde_json::json!({"name": "x"})),
            ),
            ("DELETE", format!("/spaces/{space}/delete/"), None),
            ("DELETE", format!("/spaces/{space}/leave/"), None),
        ]
    };
    let call = |method: &str, path: &str, body: Option<serde_json::Value>, token: Option<&str>| {
        let mut request = server
            .raw()
            .request(method.parse().unwrap(), server.at(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send()
    };
    for (method, path, body) in routes(space.id.0) {
        let response = call(method, &path, body.clone(), Some(&eve.tokens.access_token))
            .await
            .unwrap();
        assert_eq!(response.status(), 403, "{method} {path}");
        let body_json: serde_json::Value = response.json().await.unwrap();
        assert_eq!(
            body_json["detail"], "You are not a member of this space",
            "{method} {path}"
        );
        let anonymous = call(method, &path, body, None).await.unwrap();
        assert_eq!(anonymous.status(), 401, "{method} {path}");
    }
    for (method, path, body) in routes(987_654) {
        let response = call(method, &path, body, Some(&eve.tokens.access_token))
            .await
            .unwrap();
        assert_eq!(response.status(), 404, "{method} {path}");
    }
    // Nothing changed.
    assert_eq!(
        ada.client.view_space(space.id).await.unwrap().members_nbr,
        2
    );
    assert_eq!(
        ada.client
            .space_members(space.id, None, None)
            .await
            .unwrap()
            .items
            .len(),
        2
    );
}
