//! Nobody acts on a space's owner, and moderators act on plain members only: that
//! holds for what they wrote too (space posts and room messages).

use crate::common;

use common::{TestServer, TestUser, new_post};
use socmel_client::types::{
    SpaceId,
    conversations::Conversation,
    messages::{ConversationKind, SendMessage},
    rooms::RoomCreate,
};

struct Club {
    space: SpaceId,
    owner: TestUser,
    moderator: TestUser,
    other_moderator: TestUser,
    member: TestUser,
}

async fn club(server: &TestServer) -> Club {
    let owner = server.user("owner").await;
    let moderator = server.user("moderator").await;
    let other_moderator = server.user("other").await;
    let member = server.user("member").await;
    let space = server.space("club", owner.user.id, &[member.user.id]).await;
    server
        .join_space(space, moderator.user.id, "moderator")
        .await;
    server
        .join_space(space, other_moderator.user.id, "moderator")
        .await;
    Club {
        space,
        owner,
        moderator,
        other_moderator,
        member,
    }
}

#[tokio::test]
async fn moderators_delete_members_posts_but_not_the_owners_or_other_moderators() {
    let server = TestServer::start().await;
    let club = club(&server).await;
    let post_of = |user: &TestUser| {
        let client = user.client.clone();
        let space = club.space;
        async move {
            client
                .create_space_post(space, &new_post("words"))
                .await
                .unwrap()
                .id
        }
    };
    let owners = post_of(&club.owner).await;
    let others = post_of(&club.other_moderator).await;
    let members = post_of(&club.member).await;
    let moderator = &club.moderator.client;
    assert_eq!(
        moderator.delete_post(owners).await.unwrap_err().status(),
        Some(403)
    );
    assert_eq!(
        moderator.delete_post(others).await.unwrap_err().status(),
        Some(403)
    );
    moderator.delete_post(members).await.unwrap();
    // The owner acts on moderators; the posts refused above are still there.
    club.owner.client.delete_post(others).await.unwrap();
    assert!(club.member.client.view_post(owners).await.is_ok());
}

#[tokio::test]
async fn moderators_cannot_delete_the_owners_room_messages() {
    let server = TestServer::start().await;
    let club = club(&server).await;
    let room = club
        .owner
        .client
        .add_room(
            club.space,
            &RoomCreate {
                name: "main".into(),
            },
        )
        .await
        .unwrap()
        .id;
    let say = |user: &TestUser| {
        let client = user.client.clone();
        let conversation = Conversation::Room {
            space_id: club.space,
            room_id: room,
        };
        async move {
            client
                .send_message(&SendMessage::text(conversation, "hello"))
                .await
                .unwrap()
                .id()
        }
    };
    let owners = say(&club.owner).await;
    let members = say(&club.member).await;
    let moderator = &club.moderator.client;
    let refused = moderator
        .delete_message(ConversationKind::Room, owners)
        .await
        .unwrap_err();
    assert_eq!(refused.status(), Some(403));
    moderator
        .delete_message(ConversationKind::Room, members)
        .await
        .unwrap();
    club.owner
        .client
        .delete_message(ConversationKind::Room, owners)
        .await
        .unwrap();
}
