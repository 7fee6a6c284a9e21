use socmel_api_types::{MessageId, SpaceId, Timestamp, messages::DmMessage};

use super::{replay::*, *};

/// A session id; `n` tells sessions apart.
fn session(n: char) -> SessionId {
    SessionId::from_family(&format!("{n}{}", "A".repeat(42))).unwrap()
}

/// Registers and subscribes at once, as a socket with nothing in between does.
fn connect(
    hub: &Hub,
    user: UserId,
    spaces: &[i64],
    groups: &[i64],
    partners: &[i64],
    since: Option<u64>,
) -> Registration {
    let registration = hub.connect(user, session('A'), since);
    hub.subscribe(user, registration.connection_id, spaces, groups, partners);
    registration
}

fn summary(id: i64) -> socmel_api_types::users::UserSummary {
    socmel_api_types::users::UserSummary {
        id: UserId(id),
        username: format!("user{id}"),
        display_name: None,
        pfp: None,
    }
}

fn dm(from: i64, to: i64) -> Arc<Message> {
    Arc::new(Message::Dm(DmMessage {
        id: MessageId(1),
        content: "hi".into(),
        sender_id: UserId(from),
        sender: summary(from),
        recipient_id: UserId(to),
        recipient: summary(to),
        timestamp: Timestamp::from_millis(0),
        is_read: false,
        parent_message_id: None,
        edited_at: None,
        attachments: Vec::new(),
    }))
}

/// A message from user 3 in room 1 of `space`.
fn room_message(space: i64) -> Arc<Message> {
    Arc::new(Message::Room(socmel_api_types::messages::RoomMessage {
        id: MessageId(5),
        content: "yo".into(),
        sender_id: UserId(3),
        sender: summary(3),
        space_id: SpaceId(space),
        room_id: socmel_api_types::RoomId(1),
        timestamp: Timestamp::from_millis(0),
        parent_message_id: None,
        edited_at: None,
        attachments: Vec::new(),
    }))
}

#[test]
fn seq_is_spliced_in_front() {
    assert_eq!(
        &*with_seq(7, r#"{"type":"pong"}"#),
        r#"{"seq":7,"type":"pong"}"#
    );
}

#[tokio::test]
async fn every_connection_of_both_sides_gets_a_dm_with_its_own_seq() {
    let hub = Hub::new();
    let mut phone = connect(&hub, UserId(1), &[], &[], &[], None);
    let mut laptop = connect(&hub, UserId(1), &[], &[], &[], None);
    let mut bob = connect(&hub, UserId(2), &[], &[], &[], None);
    assert!(phone.came_online && !laptop.came_online);
    hub.route(&Event::MessageCreated(dm(1, 2)));
    for registration in [&mut phone, &mut laptop, &mut bob] {
        let text = registration.queue.try_recv().unwrap();
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            (json["type"].as_str(), json["seq"].as_u64()),
            (Some("dm"), Some(1))
        );
    }
}

#[tokio::test]
async fn room_messages_reach_online_space_members_only() {
    let hub = Hub::new();
    let mut member = connect(&hub, UserId(1), &[10], &[], &[], None);
    let mut outsider = connect(&hub, UserId(2), &[11], &[], &[], None);
    let room = room_message(10);
    hub.route(&Event::MessageCreated(room.clone()));
    assert!(
        member
            .queue
            .try_recv()
            .unwrap()
            .contains("\"type\":\"space\"")
    );
    assert!(outsider.queue.try_recv().is_err());
    // Removal takes effect at once.
    hub.route(&membership(10, 1, MembershipChange::Removed));
    assert!(member.queue.try_recv().unwrap().contains("membership"));
    hub.route(&Event::MessageCreated(room));
    assert!(member.queue.try_recv().is_err());
}

#[tokio::test]
async fn resume_replays_what_was_missed_or_asks_for_a_resync() {
    let hub = Hub::new();
    let first = connect(&hub, UserId(1), &[], &[], &[], None);
    hub.route(&Event::MessageCreated(dm(2, 1)));
    hub.route(&Event::MessageCreated(dm(2, 1)));
    assert!(hub.disconnect(UserId(1), first.connection_id));
    hub.route(&Event::MessageCreated(dm(2, 1)));
    let resumed = connect(&hub, UserId(1), &[], &[], &[], Some(1));
    let replay = resumed.replay.unwrap();
    let seqs: Vec<u64> = replay
        .iter()
        .map(|t| {
            serde_json::from_str::<serde_json::Value>(t).unwrap()["seq"]
                .as_u64()
                .unwrap()
        })
        .collect();
    assert_eq!(seqs, [2, 3]);
    let from_the_future = connect(&hub, UserId(1), &[], &[], &[], Some(99));
    assert!(from_the_future.replay.is_none());
}

#[tokio::test]
async fn room_messages_sent_while_a_member_is_away_are_replayed() {
    let hub = Hub::new();
    let first = connect(&hub, UserId(1), &[10], &[], &[], None);
    assert!(hub.disconnect(UserId(1), first.connection_id));
    hub.route(&Event::MessageCreated(room_message(10)));
    let resumed = connect(&hub, UserId(1), &[10], &[], &[], Some(0));
    let replay = resumed.replay.unwrap();
    assert_eq!(replay.len(), 1);
    assert!(replay[0].contains("\"type\":\"space\""), "{}", replay[0]);
}

#[tokio::test]
async fn presence_skips_big_spaces_and_members_who_are_away() {
    let hub = Hub::new();
    let crowd_size = i64::try_from(PRESENCE_SPACE_LIMIT).unwrap() + 1;
    let _crowd: Vec<_> = (100..100 + crowd_size)
        .map(|user| connect(&hub, UserId(user), &[1], &[], &[], None))
        .collect();
    let away = connect(&hub, UserId(3), &[], &[7], &[], None);
    assert!(hub.disconnect(UserId(3), away.connection_id));
    let _friend = connect(&hub, UserId(2), &[], &[7], &[], None);
    let _me = connect(&hub, UserId(1), &[1], &[7], &[], None);
    assert_eq!(hub.presence_audience(UserId(1)), [UserId(2)]);
}

/// A socket that vanished ends its connection's task (closing its queue) before the
/// hub hears of the disconnection: a message in between finds the queue closed.
/// What the user's rooms say after that must still be kept for their resume.
#[tokio::test]
async fn a_member_whose_connection_closed_unannounced_still_gets_the_rest_replayed() {
    let hub = Hub::new();
    let gone = connect(&hub, UserId(1), &[10], &[], &[], None);
    let connection_id = gone.connection_id;
    drop(gone);
    hub.route(&Event::MessageCreated(room_message(10)));
    assert!(!hub.is_online(UserId(1)));
    hub.route(&Event::MessageCreated(room_message(10)));
    assert!(hub.disconnect(UserId(1), connection_id));
    hub.route(&Event::MessageCreated(room_message(10)));
    let resumed = connect(&hub, UserId(1), &[10], &[], &[], Some(0));
    assert_eq!(resumed.replay.unwrap().len(), 3);
}

fn membership(space: i64, user: i64, change: MembershipChange) -> Event {
    Event::Membership {
        scope: MembershipScope::Space,
        id: space,
        user: person(user),
        change,
    }
}

fn person(id: i64) -> UserSummary {
    UserSummary {
        id: UserId(id),
        username: format!("user{id}"),
        display_name: None,
        pfp: None,
    }
}

fn frames(registration: &mut Registration) -> Vec<String> {
    std::iter::from_fn(|| registration.queue.try_recv().ok())
        .map(|frame| frame.to_string())
        .collect()
}

/// A socket registers, then reads the user's memberships; changes committed while
/// it reads reach the hub in between. Whichever way the read saw them, the
/// connection ends up with the memberships as they are after the changes.
#[tokio::test]
async fn a_membership_change_between_registering_and_reading_is_not_missed() {
    let hub = Hub::new();
    let mut socket = hub.connect(UserId(1), session('A'), None);
    // Read before the ban committed (the read still lists space 10) and before
    // the join of space 11 committed (not listed): both events arrive meanwhile.
    hub.route(&membership(10, 1, MembershipChange::Banned));
    hub.route(&membership(11, 1, MembershipChange::Joined));
    hub.subscribe(UserId(1), socket.connection_id, &[10], &[], &[]);
    let _ = frames(&mut socket); // the two membership frames
    hub.route(&Event::MessageCreated(room_message(10)));
    hub.route(&Event::MessageCreated(room_message(11)));
    let got = frames(&mut socket);
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(got[0].contains("\"space_id\":11"), "{got:?}");
}

#[tokio::test]
async fn ending_a_session_closes_its_connections_only_after_telling_them() {
    let hub = Hub::new();
    let mut phone = hub.connect(UserId(1), session('A'), None);
    let mut laptop = hub.connect(UserId(1), session('B'), None);
    hub.route(&Event::SessionsEnded {
        user_id: UserId(1),
        session: Some(session('A')),
    });
    assert_eq!(frames(&mut phone), [r#"{"type":"session_revoked"}"#]);
    assert!(phone.queue.recv().await.is_none(), "the queue closes");
    assert!(phone.revoked.load(Ordering::Acquire));
    hub.route(&Event::MessageCreated(dm(2, 1)));
    assert_eq!(frames(&mut laptop).len(), 1);
    assert!(!laptop.revoked.load(Ordering::Acquire));
    hub.route(&Event::SessionsEnded {
        user_id: UserId(1),
        session: None,
    });
    assert_eq!(frames(&mut laptop), [r#"{"type":"session_revoked"}"#]);
    assert!(laptop.queue.recv().await.is_none());
    assert!(!hub.is_online(UserId(1)));
}

#[tokio::test]
async fn a_read_is_told_to_the_readers_other_connections_only() {
    let hub = Hub::new();
    let mut phone = connect(&hub, UserId(1), &[], &[], &[], None);
    let mut laptop = connect(&hub, UserId(1), &[], &[], &[], None);
    let mut bob = connect(&hub, UserId(2), &[], &[], &[], None);
    hub.route(&Event::Read {
        reader: person(1),
        message: dm(2, 1),
        message_id: MessageId(1),
        from_connection: Some(phone.connection_id),
    });
    assert!(frames(&mut phone).is_empty());
    assert_eq!(frames(&mut laptop).len(), 1);
    assert_eq!(frames(&mut bob).len(), 1, "the other side of the DM");
}

#[tokio::test]
async fn a_slow_consumer_is_dropped_not_buffered() {
    let hub = Hub::new();
    let slow = connect(&hub, UserId(1), &[], &[], &[], None);
    for _ in 0..=QUEUE_FRAMES {
        hub.route(&Event::MessageCreated(dm(2, 1)));
    }
    assert!(!hub.is_online(UserId(1)));
    drop(slow);
}
