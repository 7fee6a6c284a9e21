//! Notifications: stored, listed, marked read, and pushed live.

use crate::common;

use common::{TestServer, ws::expect};
use socmel_client::types::{
    GroupId, Timestamp,
    frames::*,
    invitations::InvitationCreate,
    messages::{Conversation, SendMessage},
    notifications::NotificationKind,
    spaces::SpaceCreate,
};

#[tokio::test]
async fn a_mention_is_stored_pushed_listed_and_marked_read() {
    let (_server, [ada, bob]) = TestServer::with_users(["ada", "bob"]).await;
    let mut bob_ws = bob.client.connect_ws(None).await.unwrap();
    ada.client
        .send_message(&SendMessage {
            conversation: Conversation::Dm {
                user_id: bob.user.id,
            },
            message: "look @bob, and @ada too".into(),
            parent_id: None,
            attachment_ids: Vec::new(),
        })
        .await
        .unwrap();
    let pushed = expect(&mut bob_ws, "notification", |f| {
        matches!(f, ServerFrame::Notification { .. })
    })
    .await;
    assert!(pushed.seq.is_some(), "notifications are durable");
    let ServerFrame::Notification(NotificationFrame { notification }) = pushed.frame else {
        unreachable!()
    };
    assert_eq!(
        (notification.kind, notification.actor_id, notification.read),
        (NotificationKind::Mention, ada.user.id, false)
    );

    let listed = bob.client.list_notifications(None, None).await.unwrap();
    assert_eq!(listed.items, std::slice::from_ref(&notification));
    // Mentioning yourself notifies nobody.
    assert!(
        ada.client
            .list_notifications(None, None)
            .await
            .unwrap()
            .items
            .is_empty()
    );

    bob.client.mark_notifications_read(None).await.unwrap();
    assert!(
        bob.client
            .list_notifications(None, None)
            .await
            .unwrap()
            .items[0]
            .read
    );
}

#[tokio::test]
async fn mentions_reach_only_people_who_can_read_the_conversation() {
    let (server, [ada, bob, eve]) = TestServer::with_users(["ada", "bob", "eve"]).await;
    server
        .execute(format!(
            "INSERT INTO group_chats (id, name, owner_id, created_at) VALUES (7, 'pals', {}, 0)",
            ada.user.id
        ))
        .await;
    for user in [&ada, &bob] {
        server
            .execute(format!(
                "INSERT INTO group_members (group_id, user_id, joined_at) VALUES (7, {}, 0)",
                user.user.id
            ))
            .await;
    }
    let mut ws = ada.client.connect_ws(None).await.unwrap();
    ws.send(&ClientFrame::Group(SendGroupMessage {
        group_id: GroupId(7),
        draft: MessageDraft::text("@bob @eve see this"),
    }))
    .await
    .unwrap();
    expect(&mut ws, "ack", |f| matches!(f, ServerFrame::Ack { .. })).await;
    let bobs = bob.client.list_notifications(None, None).await.unwrap();
    assert_eq!(bobs.items.len(), 1);
    assert!(
        eve.client
            .list_notifications(None, None)
            .await
            .unwrap()
            .items
            .is_empty(),
        "eve is not in the group"
    );
}

#[tokio::test]
async fn the_inviter_hears_when_an_invitation_is_used_and_pages_hold() {
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    let space = ada
        .client
        .create_space(&SpaceCreate {
            name: "club".into(),
        })
        .await
        .unwrap();
    let expires_at = Timestamp::from_millis(chrono::Utc::now().timestamp_millis() + 3_600_000);
    let invitation = ada
        .client
        .create_invitation(
            space.id,
            &InvitationCreate {
                max_uses: 5,
                expires_at,
            },
        )
        .await
        .unwrap();
    for name in ["bob", "cyd", "dee"] {
        let user = server.user(name).await;
        user.client
            .join_space(space.id, invitation.token.as_deref().unwrap())
            .await
            .unwrap();
    }
    let first = ada.client.list_notifications(None, Some(2)).await.unwrap();
    assert_eq!(first.items.len(), 2);
    assert!(
        first
            .items
            .iter()
            .all(|n| n.kind == NotificationKind::InvitationUsed && n.space_id == Some(space.id))
    );
    let rest = ada
        .client
        .list_notifications(first.next_cursor.as_deref(), Some(2))
        .await
        .unwrap();
    assert_eq!((rest.items.len(), rest.next_cursor), (1, None));
    assert!(rest.items[0].id < first.items[1].id, "newest first");
    let err = ada
        .client
        .list_notifications(Some("garbage"), None)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(422));
}
