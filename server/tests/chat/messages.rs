//! Message history and the inbox over REST (upstream bug 44).

use crate::common;

use common::TestServer;
use socmel_client::{
    HistoryPage, Method,
    types::{
        UserId,
        messages::{Conversation, SendMessage},
    },
};

fn to(user: UserId, text: &str) -> SendMessage {
    SendMessage::text(Conversation::Dm { user_id: user }, text)
}

#[tokio::test]
async fn history_pages_back_oldest_first_within_a_page() {
    let (_server, [ada, bob]) = TestServer::with_users(["ada", "bob"]).await;
    for i in 1..=5 {
        ada.client
            .send_message(&to(bob.user.id, &format!("m{i}")))
            .await
            .unwrap();
    }
    let latest = bob
        .client
        .dm_history(
            ada.user.id,
            HistoryPage {
                before: None,
                limit: Some(2),
            },
        )
        .await
        .unwrap();
    let texts: Vec<_> = latest.iter().map(|m| m.content.as_str()).collect();
    assert_eq!(texts, ["m4", "m5"]);
    let older = bob
        .client
        .dm_history(
            ada.user.id,
            HistoryPage {
                before: Some(latest[0].id),
                limit: Some(2),
            },
        )
        .await
        .unwrap();
    let texts: Vec<_> = older.iter().map(|m| m.content.as_str()).collect();
    assert_eq!(texts, ["m2", "m3"]);
    let rest = bob
        .client
        .dm_history(
            ada.user.id,
            HistoryPage {
                before: Some(older[0].id),
                limit: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(rest.len(), 1);
    for bad in [0, 201] {
        let err = bob
            .client
            .dm_history(
                ada.user.id,
                HistoryPage {
                    before: None,
                    limit: Some(bad),
                },
            )
            .await
            .unwrap_err();
        assert_eq!(err.status(), Some(422), "limit {bad}");
    }
}

#[tokio::test]
async fn dm_history_holds_only_the_two_peoples_messages() {
    let (server, [ada, bob, eve]) = TestServer::with_users(["ada", "bob", "eve"]).await;
    ada.client
        .send_message(&to(bob.user.id, "for bob"))
        .await
        .unwrap();
    bob.client
        .send_message(&to(ada.user.id, "for ada"))
        .await
        .unwrap();
    ada.client
        .send_message(&to(eve.user.id, "for eve"))
        .await
        .unwrap();
    let history = bob
        .client
        .dm_history(ada.user.id, HistoryPage::default())
        .await
        .unwrap();
    let texts: Vec<_> = history.iter().map(|m| m.content.as_str()).collect();
    assert_eq!(texts, ["for bob", "for ada"]);
    assert!(
        history
            .iter()
            .all(|m| m.timestamp.to_string().ends_with('Z'))
    );
    // Nothing of theirs leaks into eve's view of bob.
    assert!(
        eve.client
            .dm_history(bob.user.id, HistoryPage::default())
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        server
            .client()
            .dm_history(ada.user.id, HistoryPage::default())
            .await
            .unwrap_err()
            .status(),
        Some(401)
    );
}

#[tokio::test]
async fn room_history_checks_membership_before_the_room() {
    // Upstream bug 44: 404s came before the membership check, so outsiders could probe.
    let (server, [ada, eve]) = TestServer::with_users(["ada", "eve"]).await;
    server.execute(format!("INSERT INTO spaces (id, name, owner_id, members_nbr, founded_on) VALUES (10, 'club', {}, 1, 0)", ada.user.id)).await;
    server.execute(format!("INSERT INTO space_members (space_id, user_id, role, joined_at) VALUES (10, {}, 'owner', 0)", ada.user.id)).await;
    server
        .execute("INSERT INTO rooms (id, space_id, name, created_at) VALUES (100, 10, 'main', 0)")
        .await;
    use socmel_client::types::{RoomId, SpaceId};
    for room in [100, 999] {
        let err = eve
            .client
            .room_history(SpaceId(10), RoomId(room), HistoryPage::default())
            .await
            .unwrap_err();
        assert_eq!(err.status(), Some(403), "room {room}");
    }
    assert_eq!(
        ada.client
            .room_history(SpaceId(10), RoomId(999), HistoryPage::default())
            .await
            .unwrap_err()
            .status(),
        Some(404)
    );
    assert!(
        ada.client
            .room_history(SpaceId(10), RoomId(100), HistoryPage::default())
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn a_send_missing_its_target_is_422() {
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    let body = serde_json::json!({"kind": "dm", "group_id": 1, "message": "x"});
    let err = ada
        .client
        .raw(Method::POST, "/messages/send/", Some(&body))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(422));
    let detail = &err.body().unwrap().detail;
    assert!(detail.contains("user_id"), "{detail}");
}

#[tokio::test]
async fn a_conversation_without_messages_is_active_since_the_caller_joined_it() {
    use socmel_client::types::{groups::GroupChatCreate, spaces::SpaceCreate};
    let (server, [ada, bob]) = TestServer::with_users(["ada", "bob"]).await;
    let group = ada
        .client
        .create_group(&GroupChatCreate {
            name: "tea".into(),
            members: Some(vec![bob.user.id]),
        })
        .await
        .unwrap();
    ada.client
        .create_space(&SpaceCreate {
            name: "garden".into(),
        })
        .await
        .unwrap();
    ada.client
        .send_message(&to(bob.user.id, "hi"))
        .await
        .unwrap();

    // On the wire: a date-time on every line, never null.
    let raw: serde_json::Value = server
        .raw()
        .get(server.at("/messages/conversations/"))
        .bearer_auth(&ada.tokens.access_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let items = raw["items"].as_array().unwrap();
    assert_eq!(items.len(), 3, "{raw}");
    for item in items {
        assert!(item["last_activity"].is_string(), "{item}");
    }

    let inbox = ada.client.conversations().await.unwrap().items;
    let names: Vec<&str> = inbox.iter().map(|entry| entry.name.as_str()).collect();
    // The DM has the newest activity; the group and the room only their joining.
    assert_eq!(names[0], "bob");
    let tea = inbox.iter().find(|entry| entry.name == "tea").unwrap();
    assert!(tea.last_message.is_none());
    assert!(tea.last_activity >= group.created_at);
    assert!(tea.last_activity <= inbox[0].last_activity);
    let room = inbox
        .iter()
        .find(|entry| entry.name == "garden / main")
        .unwrap();
    assert!(room.last_message.is_none());
    assert!(room.last_activity >= group.created_at);
}
