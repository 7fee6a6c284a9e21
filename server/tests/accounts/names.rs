//! Every payload that names a person carries their summary (`UserSummary`: id,
//! username, display name, picture) beside the id it already had.

use crate::common;

use std::time::Duration;

use common::{TestServer, TestUser};
use socmel_client::{
    HistoryPage, PageQuery,
    types::{
        UserId,
        frames::ServerFrame,
        groups::GroupChatCreate,
        messages::{Conversation, Message, SendMessage},
        rooms::RoomCreate,
        users::{UserSummary, UserUpdate},
    },
};

async fn named(user: &TestUser, display_name: &str) {
    user.client
        .update_me(&UserUpdate {
            display_name: Some(display_name.into()),
            ..UserUpdate::default()
        })
        .await
        .unwrap();
}

fn is(summary: &UserSummary, user: &TestUser, display_name: Option<&str>) {
    assert_eq!(summary.id, user.user.id);
    assert_eq!(summary.username, user.user.username);
    assert_eq!(summary.display_name.as_deref(), display_name);
}

#[tokio::test]
async fn messages_inbox_and_notifications_name_the_sender() {
    let (_server, [ada, bob]) = TestServer::with_users(["ada", "bob"]).await;
    named(&ada, "Ada Λόβλεϊς").await;
    named(&bob, "Bob B.").await;
    let mut bob_ws = bob.client.connect_ws(None).await.unwrap();

    let dm = Conversation::Dm {
        user_id: bob.user.id,
    };
    let sent = ada
        .client
        .send_message(&SendMessage::text(dm, "hi @bob"))
        .await
        .unwrap();
    is(sent.sender(), &ada, Some("Ada Λόβλεϊς"));
    let Message::Dm(ref sent_dm) = sent else {
        panic!("a DM: {sent:?}")
    };
    is(&sent_dm.recipient, &bob, Some("Bob B."));

    // The socket frame carries the same summary.
    let frame = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            let envelope = bob_ws.next().await.unwrap().unwrap();
            if let ServerFrame::Dm(message) = envelope.frame {
                return message;
            }
        }
    })
    .await
    .expect("the DM frame");
    is(&frame.sender, &ada, Some("Ada Λόβλεϊς"));
    is(&frame.recipient, &bob, Some("Bob B."));

    let history = bob
        .client
        .dm_history(ada.user.id, HistoryPage::default())
        .await
        .unwrap();
    is(&history[0].sender, &ada, Some("Ada Λόβλεϊς"));
    is(&history[0].recipient, &bob, Some("Bob B."));

    let inbox = bob.client.conversations().await.unwrap();
    let entry = &inbox.items[0];
    is(entry.other.as_ref().unwrap(), &ada, Some("Ada Λόβλεϊς"));
    assert!(matches!(entry.last_message, Some(Message::Dm(ref m)) if m.sender.id == ada.user.id));

    // The mention notified Bob, naming Ada.
    let notifications = bob.client.list_notifications(None, None).await.unwrap();
    is(&notifications.items[0].actor, &ada, Some("Ada Λόβλεϊς"));

    // A later rename shows everywhere the summary is read.
    named(&ada, "Countess").await;
    let history = bob
        .client
        .dm_history(ada.user.id, HistoryPage::default())
        .await
        .unwrap();
    is(&history[0].sender, &ada, Some("Countess"));
}

#[tokio::test]
async fn posts_comments_spaces_and_members_name_people() {
    let (server, [ada, bob]) = TestServer::with_users(["ada", "bob"]).await;
    named(&ada, "Ada").await;

    let post = ada.post("hello").await;
    is(&post.user, &ada, Some("Ada"));
    assert_eq!(post.author, "ada", "the username string stays");
    let seen = bob.client.view_post(post.id).await.unwrap();
    is(&seen.user, &ada, Some("Ada"));
    let feed = ada.client.feed(&PageQuery::default()).await.unwrap();
    is(&feed.items[0].user, &ada, Some("Ada"));

    let comment = bob.client.add_comment(post.id, "nice").await.unwrap();
    is(&comment.user, &bob, None);
    let comments = ada
        .client
        .list_comments(post.id, &PageQuery::default())
        .await
        .unwrap();
    is(&comments.items[0].user, &bob, None);
    let notifications = ada.client.list_notifications(None, None).await.unwrap();
    is(&notifications.items[0].actor, &bob, None);

    let space = server.space("club", ada.user.id, &[bob.user.id]).await;
    let card = bob.client.view_space(space).await.unwrap();
    assert_eq!(card.owner_id, ada.user.id);
    is(&card.owner, &ada, Some("Ada"));
    let directory = bob
        .client
        .list_spaces(Some("club"), None, None)
        .await
        .unwrap();
    is(&directory.items[0].owner, &ada, Some("Ada"));
    let mine = bob.client.my_spaces(None, None).await.unwrap();
    is(&mine.items[0].owner, &ada, Some("Ada"));
    let members = bob.client.space_members(space, None, None).await.unwrap();
    let owner = members
        .items
        .iter()
        .find(|m| m.user.id == ada.user.id)
        .unwrap();
    is(&owner.user.summary(), &ada, Some("Ada"));

    let group = ada
        .client
        .create_group(&GroupChatCreate {
            name: "pals".into(),
            members: Some(vec![bob.user.id]),
        })
        .await
        .unwrap();
    is(group.owner.as_ref().unwrap(), &ada, Some("Ada"));
    let groups = bob.client.my_groups(None, None).await.unwrap();
    is(&groups.items[0].owner, &ada, Some("Ada"));
}

#[tokio::test]
async fn bans_and_invitations_name_who_made_them() {
    let (server, [ada, bob, eve]) = TestServer::with_users(["ada", "bob", "eve"]).await;
    named(&ada, "Ada").await;
    let space = server.space("club", ada.user.id, &[bob.user.id]).await;

    let ban = ada.client.ban_member(space, bob.user.id).await.unwrap();
    assert_eq!(ban.banned_by, Some(ada.user.id));
    is(ban.banned_by_user.as_ref().unwrap(), &ada, Some("Ada"));
    // An outsider banned ahead is named the same way.
    ada.client.ban_member(space, eve.user.id).await.unwrap();
    let bans = ada.client.list_bans(space, None, None).await.unwrap();
    assert_eq!(bans.items.len(), 2);
    for listed in &bans.items {
        is(listed.banned_by_user.as_ref().unwrap(), &ada, Some("Ada"));
    }

    let made = ada
        .client
        .create_invitation(
            space,
            &socmel_client::types::invitations::InvitationCreate {
                max_uses: 2,
                expires_at: socmel_client::types::Timestamp::from_millis(4_000_000_000_000),
            },
        )
        .await
        .unwrap();
    is(made.created_by_user.as_ref().unwrap(), &ada, Some("Ada"));
    let listed = ada
        .client
        .list_invitations(space, None, None)
        .await
        .unwrap();
    is(
        listed.items[0].created_by_user.as_ref().unwrap(),
        &ada,
        Some("Ada"),
    );
}

#[tokio::test]
async fn group_and_room_history_name_every_sender() {
    // A page names its people from one read of all of them: each message must still
    // get its own sender.
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    let bob = server.user("bob").await;
    let cyd = server.user("cyd").await;
    named(&bob, "Bob B.").await;
    let people = [&ada, &bob, &cyd];
    let display = |user: &TestUser| (user.user.id == bob.user.id).then_some("Bob B.");

    let group = ada
        .client
        .create_group(&GroupChatCreate {
            name: "trio".into(),
            members: Some(vec![bob.user.id, cyd.user.id]),
        })
        .await
        .unwrap();
    let space = server
        .space("club", ada.user.id, &[bob.user.id, cyd.user.id])
        .await;
    let room = ada
        .client
        .add_room(
            space,
            &RoomCreate {
                name: "general".into(),
            },
        )
        .await
        .unwrap()
        .id;
    for round in 0..2 {
        for person in people {
            let text = format!("{} {round}", person.user.username);
            for conversation in [
                Conversation::Group { group_id: group.id },
                Conversation::Room {
                    space_id: space,
                    room_id: room,
                },
            ] {
                person
                    .client
                    .send_message(&SendMessage::text(conversation, &text))
                    .await
                    .unwrap();
            }
        }
    }

    // Each message must name its own sender: the person its text starts with.
    let check = |page: Vec<(&str, UserId, &UserSummary)>| {
        assert_eq!(page.len(), 6);
        for (content, sender_id, sender) in page {
            let username = content.split(' ').next().unwrap();
            let person = *people.iter().find(|p| p.user.username == username).unwrap();
            assert_eq!(sender_id, person.user.id);
            is(sender, person, display(person));
        }
    };
    let groups = cyd
        .client
        .group_history(group.id, HistoryPage::default())
        .await
        .unwrap();
    check(
        groups
            .iter()
            .map(|m| (m.content.as_str(), m.sender_id, &m.sender))
            .collect(),
    );
    let rooms = cyd
        .client
        .room_history(space, room, HistoryPage::default())
        .await
        .unwrap();
    check(
        rooms
            .iter()
            .map(|m| (m.content.as_str(), m.sender_id, &m.sender))
            .collect(),
    );
}
