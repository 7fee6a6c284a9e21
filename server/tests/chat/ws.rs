//! `/messages/ws` with real sockets (contract §3; upstream bugs 6, 41–43, 45).

use crate::common;

use std::time::Duration;

use common::{
    TestServer, TestUser,
    ws::{expect, expect_none},
};
use socmel_client::{
    Session,
    types::{
        ErrorCode, GroupId, MessageId, RoomId, SpaceId, UserId,
        frames::*,
        messages::{Conversation, MarkRead},
    },
};

fn dm(to: UserId, text: &str, client_id: &str) -> ClientFrame {
    ClientFrame::Dm(SendDm {
        receiver_id: to,
        draft: MessageDraft {
            message: text.into(),
            parent_id: None,
            client_id: Some(client_id.into()),
            attachment_ids: Vec::new(),
        },
    })
}

fn is_error(frame: &ServerFrame) -> bool {
    matches!(frame, ServerFrame::Error { .. })
}

/// A space (id 10) with rooms 100 and 101, owned by `owner`, with `members`; and a
/// second space (id 20, room 200) that only `owner` is in.
async fn spaces(server: &TestServer, owner: &TestUser, members: &[&TestUser]) {
    let owner_id = owner.user.id;
    server.execute(format!("INSERT INTO spaces (id, name, owner_id, members_nbr, founded_on) VALUES (10, 'club', {owner_id}, 1, 0), (20, 'other', {owner_id}, 1, 0)")).await;
    server.execute("INSERT INTO rooms (id, space_id, name, created_at) VALUES (100, 10, 'main', 0), (101, 10, 'games', 0), (200, 20, 'main', 0)").await;
    server.execute(format!("INSERT INTO space_members (space_id, user_id, role, joined_at) VALUES (10, {owner_id}, 'owner', 0), (20, {owner_id}, 'owner', 0)")).await;
    for member in members {
        server.execute(format!("INSERT INTO space_members (space_id, user_id, role, joined_at) VALUES (10, {}, 'member', 0)", member.user.id)).await;
    }
}

/// Group 7 with `members`.
async fn group(server: &TestServer, owner: &TestUser, members: &[&TestUser]) {
    server
        .execute(format!(
            "INSERT INTO group_chats (id, name, owner_id, created_at) VALUES (7, 'pals', {}, 0)",
            owner.user.id
        ))
        .await;
    for member in members {
        server
            .execute(format!(
                "INSERT INTO group_members (group_id, user_id, joined_at) VALUES (7, {}, 0)",
                member.user.id
            ))
            .await;
    }
}

#[tokio::test]
async fn a_dm_is_acked_to_the_sender_and_delivered_to_every_device_of_both() {
    let (_server, [ada, bob]) = TestServer::with_users(["ada", "bob"]).await;
    let mut ada_phone = ada.client.connect_ws(None).await.unwrap();
    let mut ada_laptop = ada.client.connect_ws(None).await.unwrap();
    let mut bob_ws = bob.client.connect_ws(None).await.unwrap();

    ada_phone
        .send(&dm(bob.user.id, "hello bob", "c-1"))
        .await
        .unwrap();
    let ack = expect(&mut ada_phone, "ack", |f| {
        matches!(f, ServerFrame::Ack { .. })
    })
    .await;
    let ServerFrame::Ack(Ack { client_id, id, .. }) = ack.frame else {
        unreachable!()
    };
    assert_eq!(client_id.as_deref(), Some("c-1"));

    let received = expect(&mut bob_ws, "dm", |f| matches!(f, ServerFrame::Dm(_))).await;
    assert!(received.seq.is_some(), "durable frames carry a seq");
    let ServerFrame::Dm(message) = received.frame else {
        unreachable!()
    };
    assert_eq!(
        (message.id, message.content.as_str(), message.sender_id),
        (id, "hello bob", ada.user.id)
    );
    // Upstream bug 43: the sender's other devices never saw their own messages.
    let copy = expect(&mut ada_laptop, "dm copy", |f| {
        matches!(f, ServerFrame::Dm(_))
    })
    .await;
    assert!(matches!(copy.frame, ServerFrame::Dm(m) if m.id == id));

    // Persist, then deliver: it is in the history already.
    let history = bob
        .client
        .dm_history(ada.user.id, Default::default())
        .await
        .unwrap();
    assert_eq!(history.last().map(|m| m.id), Some(id));
}

#[tokio::test]
async fn bad_frames_get_error_frames_and_the_connection_stays_open() {
    // Upstream bug 41: any bad frame killed the connection.
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    let mut ws = ada.client.connect_ws(None).await.unwrap();
    let cases = [
        ("not json", ErrorCode::Validation),
        (r#"{"type":"shout","message":"x"}"#, ErrorCode::Validation),
        (
            r#"{"type":"dm","receiver_id":"abc","message":"x","client_id":"k"}"#,
            ErrorCode::Validation,
        ),
        (
            r#"{"type":"dm","receiver_id":987654,"message":"x","client_id":"k2"}"#,
            ErrorCode::NotFound,
        ),
        (
            r#"{"type":"dm","receiver_id":1,"message":"   "}"#,
            ErrorCode::Validation,
        ),
    ];
    for (text, code) in cases {
        ws.send_text(text).await.unwrap();
        let error = expect(&mut ws, "error frame", is_error).await;
        let ServerFrame::Error(ErrorFrame { code: got, .. }) = error.frame else {
            unreachable!()
        };
        assert_eq!(got, code, "{text}");
    }
    let huge = format!(r#"{{"type":"ping","pad":"{}"}}"#, "x".repeat(20_000));
    ws.send_text(&huge).await.unwrap();
    let error = expect(&mut ws, "size error", is_error).await;
    assert!(matches!(
        error.frame,
        ServerFrame::Error(ErrorFrame {
            code: ErrorCode::PayloadTooLarge,
            ..
        })
    ));
    // Still alive.
    ws.send(&ClientFrame::Ping(Ping {})).await.unwrap();
    expect(&mut ws, "pong", |f| matches!(f, ServerFrame::Pong(Pong {}))).await;
    // Error frames echo the client id.
    ws.send_text(r#"{"type":"dm","receiver_id":987654,"message":"x","client_id":"mine"}"#)
        .await
        .unwrap();
    let error = expect(&mut ws, "error", is_error).await;
    assert!(
        matches!(error.frame, ServerFrame::Error(ErrorFrame { client_id: Some(id), .. }) if id == "mine")
    );
}

#[tokio::test]
async fn a_bad_token_is_refused_before_the_upgrade() {
    let server = TestServer::start().await;
    let err = server
        .client()
        .with_token("garbage")
        .connect_ws(None)
        .await
        .err()
        .expect("refused");
    assert_eq!(err.status(), Some(401));
    let err = server
        .client()
        .connect_ws(None)
        .await
        .err()
        .expect("refused");
    assert_eq!(err.status(), Some(401));
    // The upstream query-parameter form works too.
    let ada = server.user("ada").await;
    let url = format!(
        "{}/messages/ws?token={}",
        server.url.replace("http://", "ws://"),
        ada.tokens.access_token
    );
    assert!(tokio_tungstenite::connect_async(url).await.is_ok());
}

#[tokio::test]
async fn group_messages_reach_every_member_and_outsiders_are_refused() {
    // Upstream bugs 6 and 40: anyone could post into any group; members added at
    // creation heard nothing until they reconnected.
    let (server, [ada, bob, eve]) = TestServer::with_users(["ada", "bob", "eve"]).await;
    group(&server, &ada, &[&ada, &bob]).await;
    let mut ada_ws = ada.client.connect_ws(None).await.unwrap();
    let mut bob_ws = bob.client.connect_ws(None).await.unwrap();
    let mut eve_ws = eve.client.connect_ws(None).await.unwrap();

    eve_ws
        .send(&ClientFrame::Group(SendGroupMessage {
            group_id: GroupId(7),
            draft: MessageDraft {
                message: "let me in".into(),
                parent_id: None,
                client_id: Some("e".into()),
                attachment_ids: Vec::new(),
            },
        }))
        .await
        .unwrap();
    let refused = expect(&mut eve_ws, "refusal", is_error).await;
    assert!(matches!(
        refused.frame,
        ServerFrame::Error(ErrorFrame {
            code: ErrorCode::Forbidden,
            ..
        })
    ));

    ada_ws
        .send(&ClientFrame::Group(SendGroupMessage {
            group_id: GroupId(7),
            draft: MessageDraft::text("hi pals"),
        }))
        .await
        .unwrap();
    let got = expect(&mut bob_ws, "group message", |f| {
        matches!(f, ServerFrame::Group(_))
    })
    .await;
    assert!(
        matches!(got.frame, ServerFrame::Group(m) if m.group_chat_id == GroupId(7) && m.content == "hi pals")
    );
    expect_none(&mut eve_ws, Duration::from_millis(300), |f| {
        matches!(f, ServerFrame::Group(_))
    })
    .await;
}

#[tokio::test]
async fn room_messages_reach_all_online_space_members_and_checks_hold() {
    // Upstream bugs 6 and 42: no membership check, spoofable space ids, and room
    // messages reached only members registered since the process started.
    let (server, [ada, bob, eve]) = TestServer::with_users(["ada", "bob", "eve"]).await;
    spaces(&server, &ada, &[&bob]).await;
    let mut ada_ws = ada.client.connect_ws(None).await.unwrap();
    let mut bob_ws = bob.client.connect_ws(None).await.unwrap();
    let mut eve_ws = eve.client.connect_ws(None).await.unwrap();

    let room = |space: i64, room: i64, text: &str| {
        ClientFrame::Space(SendRoomMessage {
            space_id: SpaceId(space),
            room_id: RoomId(room),
            draft: MessageDraft {
                message: text.into(),
                parent_id: None,
                client_id: Some(text.into()),
                attachment_ids: Vec::new(),
            },
        })
    };
    bob_ws.send(&room(10, 101, "gg")).await.unwrap();
    let got = expect(&mut ada_ws, "room message", |f| {
        matches!(f, ServerFrame::Space(_))
    })
    .await;
    assert!(
        matches!(got.frame, ServerFrame::Space(m) if m.space_id == SpaceId(10) && m.room_id == RoomId(101))
    );
    expect_none(&mut eve_ws, Duration::from_millis(300), |f| {
        matches!(f, ServerFrame::Space(_))
    })
    .await;

    // A non-member, a room of another space (spoofing), and a room that does not exist.
    eve_ws.send(&room(10, 100, "intruder")).await.unwrap();
    assert!(matches!(
        expect(&mut eve_ws, "refusal", is_error).await.frame,
        ServerFrame::Error(ErrorFrame {
            code: ErrorCode::Forbidden,
            ..
        })
    ));
    bob_ws.send(&room(10, 200, "spoof")).await.unwrap();
    assert!(matches!(
        expect(&mut bob_ws, "refusal", is_error).await.frame,
        ServerFrame::Error(ErrorFrame {
            code: ErrorCode::NotFound,
            ..
        })
    ));
    bob_ws.send(&room(20, 200, "not mine")).await.unwrap();
    assert!(matches!(
        expect(&mut bob_ws, "refusal", is_error).await.frame,
        ServerFrame::Error(ErrorFrame {
            code: ErrorCode::Forbidden,
            ..
        })
    ));
}

#[tokio::test]
async fn replies_must_stay_in_their_conversation() {
    let (_server, [ada, bob, eve]) = TestServer::with_users(["ada", "bob", "eve"]).await;
    let mut ws = ada.client.connect_ws(None).await.unwrap();
    ws.send(&dm(eve.user.id, "to eve", "a")).await.unwrap();
    let ServerFrame::Ack(Ack {
        id: eve_message, ..
    }) = expect(&mut ws, "ack", |f| matches!(f, ServerFrame::Ack { .. }))
        .await
        .frame
    else {
        unreachable!()
    };
    ws.send(&ClientFrame::Dm(SendDm {
        receiver_id: bob.user.id,
        draft: MessageDraft {
            message: "re".into(),
            parent_id: Some(eve_message),
            client_id: Some("r".into()),
            attachment_ids: Vec::new(),
        },
    }))
    .await
    .unwrap();
    assert!(matches!(
        expect(&mut ws, "refusal", is_error).await.frame,
        ServerFrame::Error(ErrorFrame {
            code: ErrorCode::BadRequest,
            ..
        })
    ));
    ws.send(&ClientFrame::Dm(SendDm {
        receiver_id: eve.user.id,
        draft: MessageDraft {
            message: "re".into(),
            parent_id: Some(eve_message),
            client_id: Some("ok".into()),
            attachment_ids: Vec::new(),
        },
    }))
    .await
    .unwrap();
    expect(
        &mut ws,
        "ack",
        |f| matches!(f, ServerFrame::Ack(Ack { client_id: Some(c), .. }) if c == "ok"),
    )
    .await;
}

#[tokio::test]
async fn reconnecting_with_since_replays_what_was_missed() {
    let (_server, [ada, bob]) = TestServer::with_users(["ada", "bob"]).await;
    let mut bob_ws = bob.client.connect_ws(None).await.unwrap();
    let mut ada_ws = ada.client.connect_ws(None).await.unwrap();
    ada_ws.send(&dm(bob.user.id, "one", "1")).await.unwrap();
    let first = expect(&mut bob_ws, "first", |f| matches!(f, ServerFrame::Dm(_))).await;
    let seen = first.seq.unwrap();
    bob_ws.close().await.unwrap();

    for text in ["two", "three"] {
        ada_ws.send(&dm(bob.user.id, text, text)).await.unwrap();
        expect(&mut ada_ws, "ack", |f| matches!(f, ServerFrame::Ack { .. })).await;
    }
    let mut resumed = bob.client.connect_ws(Some(seen)).await.unwrap();
    let mut texts = Vec::new();
    for _ in 0..2 {
        let frame = expect(&mut resumed, "replayed dm", |f| {
            matches!(f, ServerFrame::Dm(_))
        })
        .await;
        let ServerFrame::Dm(m) = frame.frame else {
            unreachable!()
        };
        texts.push(m.content);
    }
    assert_eq!(texts, ["two", "three"]);

    let mut lost = bob.client.connect_ws(Some(10_000)).await.unwrap();
    expect(&mut lost, "resync", |f| {
        matches!(f, ServerFrame::Resync(Resync {}))
    })
    .await;
}

#[tokio::test]
async fn typing_and_presence_reach_the_people_concerned() {
    let (server, [ada, bob]) = TestServer::with_users(["ada", "bob"]).await;
    group(&server, &ada, &[&ada, &bob]).await;
    bob.client
        .update_me(&socmel_client::types::users::UserUpdate {
            display_name: Some("Bob B.".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let mut ada_ws = ada.client.connect_ws(None).await.unwrap();
    let mut bob_ws = bob.client.connect_ws(None).await.unwrap();
    // Ada sees Bob come online (they share a group), named.
    let online = expect(&mut ada_ws, "presence", |f| matches!(f, ServerFrame::Presence(Presence { user_id, status: PresenceStatus::Online, .. }) if *user_id == bob.user.id)).await;
    let ServerFrame::Presence(online) = online.frame else {
        unreachable!()
    };
    assert_eq!(online.user.id, bob.user.id);
    assert_eq!(online.user.username, "bob");
    assert_eq!(online.user.display_name.as_deref(), Some("Bob B."));
    // And Bob, on connecting, hears that Ada is online, named too.
    let peer = expect(
        &mut bob_ws,
        "presence of ada",
        |f| matches!(f, ServerFrame::Presence(Presence { user_id, .. }) if *user_id == ada.user.id),
    )
    .await;
    assert!(
        matches!(&peer.frame, ServerFrame::Presence(Presence { user, .. }) if user.username == "ada")
    );

    bob_ws
        .send(&ClientFrame::Typing(StartTyping {
            conversation: Conversation::Group {
                group_id: GroupId(7),
            },
        }))
        .await
        .unwrap();
    let typing = expect(&mut ada_ws, "typing", |f| {
        matches!(f, ServerFrame::Typing { .. })
    })
    .await;
    assert!(typing.seq.is_none(), "typing is ephemeral");
    assert!(
        matches!(&typing.frame, ServerFrame::Typing(Typing { typer_id, typer, .. })
            if *typer_id == bob.user.id && typer.id == bob.user.id && typer.name() == "Bob B.")
    );
    // DM typing names the conversation after the typer, as the receiver sees it.
    ada_ws
        .send(&ClientFrame::Typing(StartTyping {
            conversation: Conversation::Dm {
                user_id: bob.user.id,
            },
        }))
        .await
        .unwrap();
    let typing = expect(&mut bob_ws, "dm typing", |f| {
        matches!(f, ServerFrame::Typing { .. })
    })
    .await;
    assert!(
        matches!(typing.frame, ServerFrame::Typing(Typing { conversation: Conversation::Dm { user_id }, .. }) if user_id == ada.user.id)
    );

    bob_ws.close().await.unwrap();
    // Offline is announced after a short grace period.
    let offline = tokio::time::timeout(Duration::from_secs(10), async {
        expect(&mut ada_ws, "offline", |f| {
            matches!(
                f,
                ServerFrame::Presence(Presence {
                    status: PresenceStatus::Offline,
                    user,
                    ..
                }) if user.username == "bob"
            )
        })
        .await
    })
    .await;
    assert!(offline.is_ok());
}

/// Every frame `socket` receives until the pong it asks for now.
async fn frames_until_pong(socket: &mut Session) -> Vec<ServerFrame> {
    socket.send(&ClientFrame::Ping(Ping {})).await.unwrap();
    let mut seen = Vec::new();
    loop {
        let next = tokio::time::timeout(Duration::from_secs(5), socket.next())
            .await
            .expect("a pong")
            .expect("open")
            .expect("a frame");
        if matches!(next.frame, ServerFrame::Pong(_)) {
            return seen;
        }
        seen.push(next.frame);
    }
}

fn typing(conversation: Conversation) -> ClientFrame {
    ClientFrame::Typing(StartTyping { conversation })
}

/// A stranger (no shared group, space or DM) never sees someone's typing or presence,
/// and typing where one may not write is refused with an error frame.
#[tokio::test]
async fn strangers_see_neither_typing_nor_presence_and_refused_typing_is_answered() {
    let (server, [ada, bob, cy]) = TestServer::with_users(["ada", "bob", "cyd"]).await;
    group(&server, &ada, &[&ada, &bob]).await;
    spaces(&server, &ada, &[&bob]).await;
    let mut cy_ws = cy.client.connect_ws(None).await.unwrap();
    let mut ada_ws = ada.client.connect_ws(None).await.unwrap();
    let mut bob_ws = bob.client.connect_ws(None).await.unwrap();
    expect(
        &mut ada_ws,
        "bob online",
        |f| matches!(f, ServerFrame::Presence(Presence { user_id, .. }) if *user_id == bob.user.id),
    )
    .await;

    // Ada types in the group, the room and a DM to Bob (they share a group): Bob sees
    // all three; Ada's own socket answers a ping only once all three were handled.
    for conversation in [
        Conversation::Group {
            group_id: GroupId(7),
        },
        Conversation::Room {
            space_id: SpaceId(10),
            room_id: RoomId(100),
        },
        Conversation::Dm {
            user_id: bob.user.id,
        },
        // Cy is a stranger: no error (typing to someone is allowed), but not told.
        Conversation::Dm {
            user_id: cy.user.id,
        },
    ] {
        ada_ws.send(&typing(conversation)).await.unwrap();
    }
    assert!(
        frames_until_pong(&mut ada_ws)
            .await
            .iter()
            .all(|f| !is_error(f))
    );
    let to_bob = frames_until_pong(&mut bob_ws).await;
    let typed = to_bob
        .iter()
        .filter(|f| matches!(f, ServerFrame::Typing(Typing { typer_id, .. }) if *typer_id == ada.user.id))
        .count();
    assert_eq!(typed, 3, "{to_bob:?}");
    // Everything meant for Cy was queued before Ada's pong: nothing of it is there.
    let to_cy = frames_until_pong(&mut cy_ws).await;
    assert!(
        to_cy
            .iter()
            .all(|f| !matches!(f, ServerFrame::Typing(_) | ServerFrame::Presence(_))),
        "a stranger saw {to_cy:?}"
    );

    // Cy types where Cy may not write: each is refused, naming why.
    let refused = [
        (
            Conversation::Group {
                group_id: GroupId(7),
            },
            ErrorCode::Forbidden,
        ),
        (
            Conversation::Room {
                space_id: SpaceId(10),
                room_id: RoomId(100),
            },
            ErrorCode::Forbidden,
        ),
        (
            Conversation::Dm {
                user_id: UserId(999_999),
            },
            ErrorCode::NotFound,
        ),
    ];
    for (conversation, code) in refused {
        cy_ws.send(&typing(conversation)).await.unwrap();
        let error = expect(&mut cy_ws, "an error frame", is_error).await;
        assert!(
            matches!(&error.frame, ServerFrame::Error(e) if e.code == code),
            "{conversation:?}: {:?}",
            error.frame
        );
    }
    let to_ada = frames_until_pong(&mut ada_ws).await;
    assert!(
        to_ada.iter().all(|f| !matches!(f, ServerFrame::Typing(_))),
        "{to_ada:?}"
    );
}

#[tokio::test]
async fn reads_are_pushed_and_unread_counts_go_up_and_down() {
    let (_server, [ada, bob]) = TestServer::with_users(["ada", "bob"]).await;
    let mut ada_ws = ada.client.connect_ws(None).await.unwrap();
    let mut last = MessageId(0);
    for text in ["a", "b", "c"] {
        ada_ws.send(&dm(bob.user.id, text, text)).await.unwrap();
        let ack = expect(&mut ada_ws, "ack", |f| matches!(f, ServerFrame::Ack { .. })).await;
        if let ServerFrame::Ack(Ack { id, .. }) = ack.frame {
            last = id;
        }
    }
    let inbox = bob.client.conversations().await.unwrap().items;
    assert_eq!(inbox.len(), 1);
    assert_eq!(
        (
            inbox[0].conversation,
            inbox[0].unread_count,
            inbox[0].name.as_str()
        ),
        (
            Conversation::Dm {
                user_id: ada.user.id
            },
            3,
            "ada"
        )
    );

    let mut bob_ws = bob.client.connect_ws(None).await.unwrap();
    let mut bob_phone = bob.client.connect_ws(None).await.unwrap();
    bob_ws
        .send(&ClientFrame::Read(MarkRead {
            conversation: Conversation::Dm {
                user_id: ada.user.id,
            },
            message_id: last,
        }))
        .await
        .unwrap();
    let read = expect(&mut ada_ws, "read receipt", |f| {
        matches!(f, ServerFrame::Read { .. })
    })
    .await;
    assert!(
        matches!(read.frame, ServerFrame::Read(ReadReceipt { reader_id, ref reader, message_id, conversation: Conversation::Dm { user_id } }) if reader_id == bob.user.id && reader.id == bob.user.id && reader.username == "bob" && message_id == last && user_id == bob.user.id)
    );
    // Bob's other connection is told; the one the read came from is not. Once the
    // phone has it, the hub has routed the read to all of Bob's connections, so a
    // pong asked for now comes after anything the read would have put there.
    expect(&mut bob_phone, "the read on bob's other connection", |f| {
        matches!(f, ServerFrame::Read { .. })
    })
    .await;
    bob_ws.send(&ClientFrame::Ping(Ping {})).await.unwrap();
    let next = expect(&mut bob_ws, "pong", |f| {
        matches!(f, ServerFrame::Read(_) | ServerFrame::Pong(_))
    })
    .await;
    assert!(
        matches!(next.frame, ServerFrame::Pong(_)),
        "the read was echoed to its own connection: {:?}",
        next.frame
    );
    assert_eq!(
        bob.client.conversations().await.unwrap().items[0].unread_count,
        0
    );
    let history = ada
        .client
        .dm_history(bob.user.id, Default::default())
        .await
        .unwrap();
    assert!(
        history.iter().all(|m| m.is_read),
        "is_read follows the recipient's read mark"
    );
}

#[tokio::test]
async fn edits_and_deletions_are_pushed_live_and_only_authors_may() {
    let (server, [ada, bob]) = TestServer::with_users(["ada", "bob"]).await;
    let mut bob_ws = bob.client.connect_ws(None).await.unwrap();
    let sent = ada
        .client
        .send_message(&socmel_client::types::messages::SendMessage {
            conversation: Conversation::Dm {
                user_id: bob.user.id,
            },
            message: "typo".into(),
            parent_id: None,
            attachment_ids: Vec::new(),
        })
        .await
        .unwrap();
    expect(&mut bob_ws, "dm", |f| matches!(f, ServerFrame::Dm(_))).await;
    use socmel_client::types::messages::ConversationKind::Dm;
    assert_eq!(
        bob.client
            .edit_message(Dm, sent.id(), "hacked")
            .await
            .unwrap_err()
            .status(),
        Some(403)
    );
    let edited = ada
        .client
        .edit_message(Dm, sent.id(), "fixed")
        .await
        .unwrap();
    assert_eq!(edited.content(), "fixed");
    expect(&mut bob_ws, "edit", |f| {
        matches!(f, ServerFrame::MessageEdited { .. })
    })
    .await;

    assert_eq!(
        bob.client
            .delete_message(Dm, sent.id())
            .await
            .unwrap_err()
            .status(),
        Some(403)
    );
    ada.client.delete_message(Dm, sent.id()).await.unwrap();
    let gone = expect(&mut bob_ws, "deletion", |f| {
        matches!(f, ServerFrame::MessageDeleted { .. })
    })
    .await;
    assert!(
        matches!(gone.frame, ServerFrame::MessageDeleted(MessageDeleted { id, .. }) if id == sent.id())
    );
    assert!(
        bob.client
            .dm_history(ada.user.id, Default::default())
            .await
            .unwrap()
            .is_empty()
    );
    // A stranger cannot even find it.
    let eve = server.user("eve").await;
    let sent = ada
        .client
        .send_message(&socmel_client::types::messages::SendMessage {
            conversation: Conversation::Dm {
                user_id: bob.user.id,
            },
            message: "private".into(),
            parent_id: None,
            attachment_ids: Vec::new(),
        })
        .await
        .unwrap();
    assert_eq!(
        eve.client
            .delete_message(Dm, sent.id())
            .await
            .unwrap_err()
            .status(),
        Some(404)
    );
}
