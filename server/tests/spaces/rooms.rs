//! `/spaces/{space_id}/rooms/…`. Upstream bugs 11 (view_room was public) and 32 (adding
//! a room answered 500).

use crate::common;

use common::{
    TestServer, refusal,
    spaces::{new_space, space_with},
    status,
};
use socmel_client::types::{
    RoomId, SpaceId,
    rooms::{RoomCreate, RoomUpdate},
    spaces::SpaceRole,
};

fn named(name: &str) -> RoomCreate {
    RoomCreate { name: name.into() }
}

#[tokio::test]
async fn adding_a_room_answers_the_room() {
    // Upstream bug 32: the room was created but the answer was always 500.
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    let space = new_space(&ada, "Rust").await;
    let room = ada
        .client
        .add_room(space.id, &named(" general "))
        .await
        .unwrap();
    assert_eq!(room.name, "general");
    assert_eq!(room.space_id, space.id);
    assert_eq!(ada.client.view_room(space.id, room.id).await.unwrap(), room);
    assert_eq!(
        refusal(ada.client.add_room(space.id, &named("GENERAL")).await),
        (400, "Room name already taken".into())
    );
    assert_eq!(
        refusal(ada.client.add_room(space.id, &named("Main")).await),
        (400, "Room name already taken".into())
    );
    // Room names are unique per space only.
    let other = new_space(&ada, "Go").await;
    assert_eq!(
        ada.client
            .add_room(other.id, &named("general"))
            .await
            .unwrap()
            .space_id,
        other.id
    );
    assert_eq!(status(ada.client.add_room(space.id, &named("")).await), 422);
}

#[tokio::test]
async fn moderators_manage_rooms_and_members_cannot() {
    let (_server, [ada, mo, bob]) = TestServer::with_users(["ada", "moe", "bob"]).await;
    let space = space_with(&ada, "Rust", &[&mo, &bob]).await;
    ada.client
        .set_member_role(space.id, mo.user.id, SpaceRole::Moderator)
        .await
        .unwrap();
    let room = mo.client.add_room(space.id, &named("mods")).await.unwrap();
    let renamed = mo
        .client
        .edit_room(
            space.id,
            room.id,
            &RoomUpdate {
                name: Some("moderators".into()),
            },
        )
        .await
        .unwrap();
    assert_eq!(renamed.name, "moderators");
    assert_eq!(
        refusal(bob.client.add_room(space.id, &named("mine")).await),
        (403, "You are not allowed to do this in this space".into())
    );
    assert_eq!(
        status(
            bob.client
                .edit_room(
                    space.id,
                    room.id,
                    &RoomUpdate {
                        name: Some("x".into())
                    }
                )
                .await
        ),
        403
    );
    assert_eq!(status(bob.client.delete_room(space.id, room.id).await), 403);
    assert_eq!(
        mo.client
            .delete_room(space.id, room.id)
            .await
            .unwrap()
            .message,
        "Room deleted"
    );
}

#[tokio::test]
async fn editing_keeps_what_is_omitted_and_rooms_of_other_spaces_are_404() {
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    let space = new_space(&ada, "Rust").await;
    let other = new_space(&ada, "Go").await;
    let room = ada
        .client
        .add_room(space.id, &named("general"))
        .await
        .unwrap();
    let foreign = ada
        .client
        .space_rooms(other.id, None, None)
        .await
        .unwrap()
        .items[0]
        .id;

    let same = ada
        .client
        .edit_room(space.id, room.id, &RoomUpdate { name: None })
        .await
        .unwrap();
    assert_eq!(same.name, "general");
    // An explicit null is the same as leaving the name out (upstream answered 500).
    let raw = server
        .raw()
        .put(server.at(&format!("/spaces/{}/rooms/{}/edit/", space.id, room.id)))
        .bearer_auth(&ada.tokens.access_token)
        .json(&serde_json::json!({"name": null}))
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), 200);
    assert_eq!(
        refusal(
            ada.client
                .edit_room(
                    space.id,
                    room.id,
                    &RoomUpdate {
                        name: Some("MAIN".into())
                    }
                )
                .await
        ),
        (400, "Room name already taken".into())
    );
    for (space_id, room_id) in [(space.id, foreign), (space.id, RoomId(987_654))] {
        assert_eq!(
            refusal(ada.client.view_room(space_id, room_id).await),
            (404, "Room not found".into())
        );
        assert_eq!(
            status(
                ada.client
                    .edit_room(
                        space_id,
                        room_id,
                        &RoomUpdate {
                            name: Some("x".into())
                        }
                    )
                    .await
            ),
            404
        );
        assert_eq!(status(ada.client.delete_room(space_id, room_id).await), 404);
    }
    // The foreign room survived the attempts.
    assert_eq!(
        ada.client.view_room(other.id, foreign).await.unwrap().name,
        "main"
    );

    ada.client.delete_room(space.id, room.id).await.unwrap();
    assert_eq!(status(ada.client.view_room(space.id, room.id).await), 404);
}

#[tokio::test]
async fn rooms_are_for_members_only() {
    // Upstream bug 11: anyone could view any room.
    let (server, [ada, bob, eve]) = TestServer::with_users(["ada", "bob", "eve"]).await;
    let space = space_with(&ada, "Rust", &[&bob]).await;
    let main = ada
        .client
        .space_rooms(space.id, None, None)
        .await
        .unwrap()
        .items[0]
        .clone();
    assert_eq!(bob.client.view_room(space.id, main.id).await.unwrap(), main);
    assert_eq!(
        bob.client
            .space_rooms(space.id, None, None)
            .await
            .unwrap()
            .items,
        std::slice::from_ref(&main)
    );
    assert_eq!(
        refusal(eve.client.view_room(space.id, main.id).await),
        (403, "You are not a member of this space".into())
    );
    assert_eq!(
        status(eve.client.space_rooms(space.id, None, None).await),
        403
    );
    assert_eq!(
        status(server.client().view_room(space.id, main.id).await),
        401
    );
    assert_eq!(
        status(eve.client.view_room(SpaceId(987_654), main.id).await),
        404
    );
}

#[tokio::test]
async fn rooms_are_listed_oldest_first_a_page_at_a_time() {
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    let space = new_space(&ada, "Rust").await;
    for name in ["b", "c", "d", "e"] {
        ada.client.add_room(space.id, &named(name)).await.unwrap();
    }
    let mut names = Vec::new();
    let mut cursor = None;
    loop {
        let page = ada
            .client
            .space_rooms(space.id, cursor.as_deref(), Some(2))
            .await
            .unwrap();
        assert!(page.items.len() <= 2);
        names.extend(page.items.into_iter().map(|room| room.name));
        cursor = page.next_cursor;
        if cursor.is_none() {
            break;
        }
    }
    assert_eq!(names, ["main", "b", "c", "d", "e"]);
    assert_eq!(
        status(ada.client.space_rooms(space.id, None, Some(101)).await),
        422
    );
}
