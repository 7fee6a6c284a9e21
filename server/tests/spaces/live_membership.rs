//! Membership changes take effect on live connections at once (contract §3; upstream
//! bugs 40 and 42): joins start deliveries, removals and bans stop them.

use crate::common;

use std::time::Duration;

use common::{
    TestServer,
    ws::{expect, expect_none},
};
use socmel_client::types::{
    Timestamp, events::MembershipChange, frames::*, groups::GroupChatCreate,
    invitations::InvitationCreate, spaces::SpaceCreate,
};

#[tokio::test]
async fn joining_starts_room_deliveries_and_removal_stops_them_without_reconnecting() {
    let (_server, [ada, bob]) = TestServer::with_users(["ada", "bob"]).await;
    let space = ada
        .client
        .create_space(&SpaceCreate {
            name: "club".into(),
        })
        .await
        .unwrap();
    let rooms = ada.client.space_rooms(space.id, None, None).await.unwrap();
    let main = rooms
        .items
        .iter()
        .find(|r| r.name == "main")
        .expect("the main room is listed")
        .id;
    let mut bob_ws = bob.client.connect_ws(None).await.unwrap();

    let invitation = ada
        .client
        .create_invitation(
            space.id,
            &InvitationCreate {
                max_uses: 1,
                expires_at: Timestamp::from_millis(
                    chrono::Utc::now().timestamp_millis() + 3_600_000,
                ),
            },
        )
        .await
        .unwrap();
    bob.client
        .join_space(space.id, invitation.token.as_deref().unwrap())
        .await
        .unwrap();
    let joined = expect(&mut bob_ws, "joined", |f| {
        matches!(
            f,
            ServerFrame::Membership(MembershipUpdate {
                change: MembershipChange::Joined,
                ..
            })
        )
    })
    .await;
    let ServerFrame::Membership(joined) = joined.frame else {
        unreachable!()
    };
    assert_eq!(
        (
            joined.user_id,
            joined.user.id,
            joined.user.username.as_str()
        ),
        (bob.user.id, bob.user.id, "bob"),
        "the frame names the member"
    );

    let say = |text: &str| {
        ClientFrame::Space(SendRoomMessage {
            space_id: space.id,
            room_id: main,
            draft: MessageDraft::text(text),
        })
    };
    let mut ada_ws = ada.client.connect_ws(None).await.unwrap();
    ada_ws.send(&say("welcome")).await.unwrap();
    expect(
        &mut bob_ws,
        "room message",
        |f| matches!(f, ServerFrame::Space(m) if m.content == "welcome"),
    )
    .await;

    ada.client
        .remove_space_member(space.id, bob.user.id)
        .await
        .unwrap();
    expect(&mut bob_ws, "removed", |f| {
        matches!(
            f,
            ServerFrame::Membership(MembershipUpdate {
                change: MembershipChange::Removed,
                ..
            })
        )
    })
    .await;
    ada_ws.send(&say("members only")).await.unwrap();
    expect_none(&mut bob_ws, Duration::from_millis(400), |f| {
        matches!(f, ServerFrame::Space(_))
    })
    .await;
    // And the socket refuses bob's own sends there now.
    bob_ws.send(&say("still here?")).await.unwrap();
    expect(&mut bob_ws, "refusal", |f| {
        matches!(f, ServerFrame::Error { .. })
    })
    .await;
}

#[tokio::test]
async fn group_members_added_at_creation_or_later_hear_at_once() {
    let (_server, [ada, bob, cy]) = TestServer::with_users(["ada", "bob", "cyd"]).await;
    let mut bob_ws = bob.client.connect_ws(None).await.unwrap();
    let mut cy_ws = cy.client.connect_ws(None).await.unwrap();
    let group = ada
        .client
        .create_group(&GroupChatCreate {
            name: "pals".into(),
            members: Some(vec![bob.user.id]),
        })
        .await
        .unwrap();
    let say = |text: &str| {
        ClientFrame::Group(SendGroupMessage {
            group_id: group.id,
            draft: MessageDraft::text(text),
        })
    };
    let mut ada_ws = ada.client.connect_ws(None).await.unwrap();
    ada_ws.send(&say("hi bob")).await.unwrap();
    expect(
        &mut bob_ws,
        "group message",
        |f| matches!(f, ServerFrame::Group(m) if m.content == "hi bob"),
    )
    .await;
    expect_none(&mut cy_ws, Duration::from_millis(300), |f| {
        matches!(f, ServerFrame::Group(_))
    })
    .await;

    ada.client
        .add_group_member(group.id, cy.user.id)
        .await
        .unwrap();
    ada_ws.send(&say("hi cy")).await.unwrap();
    expect(
        &mut cy_ws,
        "group message after being added",
        |f| matches!(f, ServerFrame::Group(m) if m.content == "hi cy"),
    )
    .await;
}

/// Removal from a group stops its deliveries on the open socket at once: once a member
/// who stayed has the next message, the removed member's socket (asked for a pong) has
/// nothing of it.
#[tokio::test]
async fn removal_from_a_group_stops_its_deliveries_at_once() {
    let (_server, [ada, bob, cy]) = TestServer::with_users(["ada", "bob", "cyd"]).await;
    let group = ada
        .client
        .create_group(&GroupChatCreate {
            name: "pals".into(),
            members: Some(vec![bob.user.id, cy.user.id]),
        })
        .await
        .unwrap();
    let mut bob_ws = bob.client.connect_ws(None).await.unwrap();
    let mut cy_ws = cy.client.connect_ws(None).await.unwrap();
    ada.client
        .remove_group_member(group.id, bob.user.id)
        .await
        .unwrap();
    expect(
        &mut bob_ws,
        "the removal",
        |f| matches!(f, ServerFrame::Membership(m) if m.change == MembershipChange::Removed && m.user.username == "bob"),
    )
    .await;
    ada.client
        .send_message(&socmel_client::types::messages::SendMessage::text(
            socmel_client::types::messages::Conversation::Group { group_id: group.id },
            "after bob left",
        ))
        .await
        .unwrap();
    expect(&mut cy_ws, "the message", |f| {
        matches!(f, ServerFrame::Group(_))
    })
    .await;
    bob_ws.send(&ClientFrame::Ping(Ping {})).await.unwrap();
    let next = expect(&mut bob_ws, "pong", |f| {
        matches!(f, ServerFrame::Pong(_) | ServerFrame::Group(_))
    })
    .await;
    assert!(
        matches!(next.frame, ServerFrame::Pong(_)),
        "a removed member still received {:?}",
        next.frame
    );
}
