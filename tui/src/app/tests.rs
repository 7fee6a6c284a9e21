//! Reducer tests: messages in, state and commands out. No terminal, no network.

use chrono::{DateTime, Utc};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use socmel_client::types::{
    ErrorCode, GroupId, MessageId, RoomId, SpaceId, Timestamp, UserId,
    conversations::Conversation,
    frames::{
        Ack, ClientFrame, ErrorFrame, MessageDeleted, MessageEdited, ReadReceipt, Resync,
        ServerFrame, Typing,
    },
    messages::{DmMessage, InboxEntry, Message, RoomMessage},
};

use super::*;
use crate::timeline::Backfill;

const ME: UserId = UserId(1);
const BOB: UserId = UserId(2);

fn at(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_800_000_000 + seconds, 0).unwrap()
}

fn room() -> Conversation {
    Conversation::Room {
        space_id: SpaceId(1),
        room_id: RoomId(1),
    }
}

fn bob_dm() -> Conversation {
    Conversation::Dm { user_id: BOB }
}

fn app() -> App {
    let mut app = App::new(
        Keymap::default(),
        "http://127.0.0.1:8000",
        Some(Person {
            id: ME,
            username: "ada".into(),
            display_name: None,
        }),
    );
    app.now = at(0);
    app.init();
    app.update(Msg::Net(NetEvent::Me(user(ME, "ada"))));
    app.update(Msg::Net(NetEvent::Link(Link::Connected)));
    app.update(Msg::Net(NetEvent::Inbox(vec![
        inbox(room(), "lounge / general", 0, None),
        inbox(bob_dm(), "bob", 0, None),
    ])));
    app
}

fn user(id: UserId, name: &str) -> socmel_client::types::users::UserDisplay {
    socmel_client::types::users::UserDisplay {
        id,
        username: name.into(),
        email: None,
        is_active: true,
        xp: 0,
        level: 1,
        pfp: None,
        created_at: Timestamp(at(0)),
        display_name: None,
        bio: None,
    }
}

/// The summary payloads carry for user `id` (ada, bob, else `user<id>`).
fn summary(id: UserId) -> socmel_client::types::users::UserSummary {
    let username = match id {
        ME => "ada".to_owned(),
        BOB => "bob".to_owned(),
        other => format!("user{other}"),
    };
    socmel_client::types::users::UserSummary {
        id,
        username,
        display_name: None,
        pfp: None,
    }
}

fn inbox(conversation: Conversation, name: &str, unread: i64, last: Option<Message>) -> InboxEntry {
    InboxEntry {
        conversation,
        name: name.into(),
        other: None,
        // Without messages, the server gives the time the caller joined.
        last_activity: last.as_ref().map_or(Timestamp(at(0)), |m| m.timestamp()),
        last_message: last,
        unread_count: unread,
    }
}

fn room_message(id: i64, sender: UserId, text: &str) -> Message {
    Message::Room(RoomMessage {
        id: MessageId(id),
        content: text.into(),
        sender_id: sender,
        sender: summary(sender),
        space_id: SpaceId(1),
        room_id: RoomId(1),
        timestamp: Timestamp(at(id)),
        parent_message_id: None,
        edited_at: None,
        attachments: Vec::new(),
    })
}

fn dm(id: i64, sender: UserId, recipient: UserId, text: &str) -> ServerFrame {
    ServerFrame::Dm(DmMessage {
        id: MessageId(id),
        content: text.into(),
        sender_id: sender,
        sender: summary(sender),
        recipient_id: recipient,
        recipient: summary(recipient),
        timestamp: Timestamp(at(id)),
        is_read: false,
        parent_message_id: None,
        edited_at: None,
        attachments: Vec::new(),
    })
}

fn frame(app: &mut App, frame: ServerFrame) -> Vec<Cmd> {
    app.update(Msg::Net(NetEvent::Frame(Box::new(frame))))
}

fn room_frame(id: i64, sender: UserId, text: &str) -> ServerFrame {
    match room_message(id, sender, text) {
        Message::Room(m) => ServerFrame::Space(m),
        _ => unreachable!(),
    }
}

fn key(app: &mut App, code: KeyCode, modifiers: KeyModifiers) -> Vec<Cmd> {
    app.update(Msg::Term(Event::Key(KeyEvent::new(code, modifiers))))
}

fn type_text(app: &mut App, text: &str) -> Vec<Cmd> {
    let mut cmds = Vec::new();
    for c in text.chars() {
        cmds.extend(key(app, KeyCode::Char(c), KeyModifiers::NONE));
    }
    cmds
}

fn unread(app: &App, conversation: Conversation) -> u32 {
    app.sidebar.get(&conversation).unwrap().unread
}

fn contents(app: &App, conversation: Conversation) -> Vec<String> {
    app.timelines[&conversation]
        .iter()
        .map(|m| m.content.clone())
        .collect()
}

fn history(conversation: Conversation, messages: Vec<Message>, complete: bool) -> Msg {
    Msg::Net(NetEvent::History {
        conversation,
        before: None,
        messages,
        complete,
    })
}

#[test]
fn messages_elsewhere_count_as_unread_and_mentions_are_marked() {
    let mut app = app();
    frame(&mut app, room_frame(10, BOB, "hello all"));
    frame(&mut app, room_frame(11, BOB, "@ada can you review?"));
    // A replayed copy is not counted twice; my own messages never count.
    frame(&mut app, room_frame(11, BOB, "@ada can you review?"));
    frame(&mut app, room_frame(12, ME, "sure"));
    assert_eq!(unread(&app, room()), 2);
    assert!(app.sidebar.get(&room()).unwrap().mention);
    assert_eq!(app.sidebar.next_unread(None), Some(room()));
    // Opening it loads history, marks it read and places the "new messages" line.
    let cmds = app.update(Msg::Term(Event::Key(KeyEvent::new(
        KeyCode::Char('a'),
        KeyModifiers::ALT,
    ))));
    assert_eq!(app.current, Some(room()));
    assert!(cmds.contains(&Cmd::LoadHistory {
        conversation: room(),
        before: None
    }));
    assert!(
        cmds.iter().any(
            |c| matches!(c, Cmd::Frame(ClientFrame::Read(r)) if r.message_id == MessageId(12))
        )
    );
    assert_eq!(unread(&app, room()), 0);
    // The first page puts the "new messages" line at the first of the two unread.
    app.update(history(
        room(),
        vec![
            room_message(9, BOB, "old"),
            room_message(10, BOB, "hello all"),
            room_message(11, BOB, "@ada can you review?"),
            room_message(12, ME, "sure"),
        ],
        true,
    ));
    assert_eq!(app.timelines[&room()].new_marker, Some(MessageId(11)));
}

#[test]
fn inbox_counts_are_not_doubled_by_live_copies_of_counted_messages() {
    let mut app = app();
    let last = room_message(20, BOB, "counted");
    app.update(Msg::Net(NetEvent::Inbox(vec![inbox(
        room(),
        "lounge / general",
        3,
        Some(last),
    )])));
    assert_eq!(unread(&app, room()), 3);
    frame(&mut app, room_frame(20, BOB, "counted"));
    frame(&mut app, room_frame(19, BOB, "older, counted"));
    assert_eq!(unread(&app, room()), 3);
    frame(&mut app, room_frame(21, BOB, "new"));
    assert_eq!(unread(&app, room()), 4);
    // Read on another device: the count clears here too.
    frame(
        &mut app,
        ServerFrame::Read(ReadReceipt {
            conversation: room(),
            reader_id: ME,
            reader: Default::default(),
            message_id: MessageId(21),
        }),
    );
    assert_eq!(unread(&app, room()), 0);
}

#[test]
fn sending_shows_an_echo_until_the_ack_and_a_refusal_keeps_the_draft() {
    let mut app = app();
    let mut cmds = Vec::new();
    app.open(room(), &mut cmds);
    app.update(history(room(), vec![room_message(1, BOB, "hi")], true));
    type_text(&mut app, "hello");
    let cmds = key(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    let client_id = match cmds.as_slice() {
        [Cmd::Frame(ClientFrame::Space(send))] => send.draft.client_id.clone().unwrap(),
        other => panic!("{other:?}"),
    };
    assert!(app.composer.is_empty());
    let echo = app.timelines[&room()].pending()[0].clone();
    assert_eq!(echo.delivery, Delivery::Sending);
    frame(
        &mut app,
        ServerFrame::Ack(Ack {
            client_id: Some(client_id),
            id: MessageId(2),
            timestamp: Timestamp(at(2)),
        }),
    );
    assert_eq!(contents(&app, room()), ["hi", "hello"]);
    assert!(app.timelines[&room()].pending().is_empty());

    type_text(&mut app, "too fast");
    let cmds = key(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    let Some(Cmd::Frame(ClientFrame::Space(send))) = cmds.first() else {
        panic!()
    };
    frame(
        &mut app,
        ServerFrame::Error(ErrorFrame {
            code: ErrorCode::RateLimited,
            detail: "slow down".into(),
            client_id: send.draft.client_id.clone(),
        }),
    );
    assert_eq!(app.composer.text(), "too fast");
    let failed = &app.timelines[&room()].pending()[0];
    assert_eq!(failed.delivery, Delivery::Failed("slow down".into()));
}

#[test]
fn a_draft_over_the_limit_is_refused_before_sending() {
    let mut app = app();
    let mut cmds = Vec::new();
    app.open(room(), &mut cmds);
    app.update(Msg::Term(Event::Paste("x".repeat(4001))));
    let cmds = key(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    assert!(cmds.is_empty(), "{cmds:?}");
    assert_eq!(app.composer.text().len(), 4001);
    assert!(app.notice.as_ref().unwrap().text.contains("too long"));
}

#[test]
fn offline_sends_wait_and_unconfirmed_ones_are_checked_against_history() {
    let mut app = app();
    let mut cmds = Vec::new();
    app.open(room(), &mut cmds);
    app.update(history(room(), vec![], true));
    type_text(&mut app, "in flight");
    key(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    app.update(Msg::Net(NetEvent::Link(Link::Reconnecting {
        attempt: 1,
        retry_in: std::time::Duration::from_secs(1),
        reason: "closed".into(),
    })));
    type_text(&mut app, "queued");
    let cmds = key(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    assert!(cmds.is_empty(), "nothing is sent while offline: {cmds:?}");
    let states: Vec<Delivery> = app.timelines[&room()]
        .pending()
        .iter()
        .map(|m| m.delivery.clone())
        .collect();
    assert_eq!(states, [Delivery::Unconfirmed, Delivery::Queued]);
    // Back: the queued one goes now, the unconfirmed one waits for history.
    let cmds = app.update(Msg::Net(NetEvent::Link(Link::Connected)));
    assert!(
        cmds.iter()
            .any(|c| matches!(c, Cmd::Frame(ClientFrame::Space(s)) if s.draft.message == "queued"))
    );
    assert!(cmds.contains(&Cmd::LoadHistory {
        conversation: room(),
        before: None
    }));
    // History shows it was stored: no second copy is sent.
    let cmds = app.update(history(
        room(),
        vec![room_message(5, ME, "in flight")],
        true,
    ));
    assert!(
        !cmds
            .iter()
            .any(|c| matches!(c, Cmd::Frame(ClientFrame::Space(_)))),
        "{cmds:?}"
    );
    assert_eq!(contents(&app, room()), ["in flight", "queued"]);
}

#[test]
fn resume_and_history_pages_never_duplicate() {
    let mut app = app();
    let mut cmds = Vec::new();
    app.open(room(), &mut cmds);
    frame(&mut app, room_frame(48, BOB, "live before history"));
    let page: Vec<Message> = (31..=50)
        .map(|i| room_message(i, BOB, &format!("m{i}")))
        .collect();
    app.update(history(room(), page, false));
    assert_eq!(app.timelines[&room()].len(), 20);
    // An older page overlapping the loaded one.
    app.update(Msg::Net(NetEvent::History {
        conversation: room(),
        before: Some(MessageId(31)),
        messages: (21..=32)
            .map(|i| room_message(i, BOB, &format!("m{i}")))
            .collect(),
        complete: true,
    }));
    assert_eq!(app.timelines[&room()].len(), 30);
    assert_eq!(app.timelines[&room()].backfill, Backfill::Complete);
    // A resync reloads; the replayed page changes nothing.
    let cmds = frame(&mut app, ServerFrame::Resync(Resync {}));
    assert!(cmds.contains(&Cmd::LoadInbox));
    app.update(history(
        room(),
        (31..=50)
            .map(|i| room_message(i, BOB, &format!("m{i}")))
            .collect(),
        false,
    ));
    let ids: Vec<i64> = app.timelines[&room()]
        .iter()
        .map(|m| m.id.unwrap().0)
        .collect();
    assert_eq!(ids, (21..=50).collect::<Vec<_>>());
}

#[test]
fn edits_and_deletions_reach_loaded_messages() {
    let mut app = app();
    let mut cmds = Vec::new();
    app.open(bob_dm(), &mut cmds);
    frame(&mut app, dm(1, BOB, ME, "frist"));
    frame(&mut app, dm(2, ME, BOB, "hi bob"));
    let edited = match dm(1, BOB, ME, "first") {
        ServerFrame::Dm(m) => Message::Dm(m),
        _ => unreachable!(),
    };
    frame(
        &mut app,
        ServerFrame::MessageEdited(MessageEdited {
            conversation: Conversation::Dm { user_id: ME },
            message: edited,
        }),
    );
    assert_eq!(contents(&app, bob_dm()), ["first", "hi bob"]);
    assert!(app.timelines[&bob_dm()].get(MessageId(1)).unwrap().edited);
    // Bob's side names the DM by me; it is still found.
    frame(
        &mut app,
        ServerFrame::MessageDeleted(MessageDeleted {
            conversation: Conversation::Dm { user_id: ME },
            id: MessageId(2),
        }),
    );
    assert_eq!(contents(&app, bob_dm()), ["first"]);
}

#[test]
fn up_on_an_empty_composer_edits_the_last_message_and_enter_saves_it() {
    let mut app = app();
    let mut cmds = Vec::new();
    app.open(room(), &mut cmds);
    app.update(history(
        room(),
        vec![room_message(1, ME, "helo"), room_message(2, BOB, "?")],
        true,
    ));
    key(&mut app, KeyCode::Up, KeyModifiers::NONE);
    assert_eq!(app.composer.text(), "helo");
    assert_eq!(app.composer.editing, Some(MessageId(1)));
    key(&mut app, KeyCode::Backspace, KeyModifiers::NONE);
    type_text(&mut app, "lo");
    let cmds = key(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    assert_eq!(
        cmds,
        [Cmd::Edit {
            conversation: room(),
            id: MessageId(1),
            content: "hello".into()
        }]
    );
}

#[test]
fn reply_and_delete_act_on_the_selected_message() {
    let mut app = app();
    let mut cmds = Vec::new();
    app.open(room(), &mut cmds);
    app.update(history(
        room(),
        vec![
            room_message(1, BOB, "question"),
            room_message(2, ME, "oops"),
        ],
        true,
    ));
    key(&mut app, KeyCode::Tab, KeyModifiers::NONE);
    assert_eq!(app.focus, Focus::Messages);
    assert_eq!(app.timelines[&room()].selected, Some(MessageId(2)));
    // Delete asks for a second press.
    assert!(key(&mut app, KeyCode::Char('d'), KeyModifiers::NONE).is_empty());
    let cmds = key(&mut app, KeyCode::Char('d'), KeyModifiers::NONE);
    assert_eq!(
        cmds,
        [Cmd::Delete {
            conversation: room(),
            id: MessageId(2)
        }]
    );
    key(&mut app, KeyCode::Up, KeyModifiers::NONE);
    key(&mut app, KeyCode::Char('r'), KeyModifiers::NONE);
    assert_eq!(app.focus, Focus::Composer);
    assert_eq!(app.composer.reply_to, Some(MessageId(1)));
    type_text(&mut app, "answer");
    let cmds = key(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    assert!(
        matches!(&cmds[..], [Cmd::Frame(ClientFrame::Space(s))] if s.draft.parent_id == Some(MessageId(1)))
    );
}

#[test]
fn typing_is_sent_throttled_and_shown_until_it_expires() {
    let mut app = app();
    let mut cmds = Vec::new();
    app.open(room(), &mut cmds);
    let sent = type_text(&mut app, "abc");
    assert_eq!(
        sent.iter()
            .filter(|c| matches!(c, Cmd::Frame(ClientFrame::Typing(_))))
            .count(),
        1
    );
    app.now = at(4);
    let sent = type_text(&mut app, "d");
    assert_eq!(sent.len(), 1);
    frame(
        &mut app,
        ServerFrame::Typing(Typing {
            conversation: room(),
            typer_id: BOB,
            typer: summary(BOB),
        }),
    );
    app.update(Msg::Net(NetEvent::People(vec![Person {
        id: BOB,
        username: "bob".into(),
        display_name: None,
    }])));
    assert_eq!(app.typing_line().as_deref(), Some("bob is typing…"));
    assert!(app.next_deadline().is_some());
    app.now = at(30);
    app.update(Msg::Tick);
    assert_eq!(app.typing_line(), None);
}

#[test]
fn switcher_opens_conversations_and_starts_dms_with_people() {
    let mut app = app();
    app.update(Msg::Net(NetEvent::People(vec![Person {
        id: UserId(9),
        username: "genevieve".into(),
        display_name: None,
    }])));
    key(&mut app, KeyCode::Char('k'), KeyModifiers::CONTROL);
    type_text(&mut app, "genev");
    let cmds = key(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    assert_eq!(app.current, Some(Conversation::Dm { user_id: UserId(9) }));
    assert!(app.overlay.is_none());
    assert!(cmds.contains(&Cmd::LoadHistory {
        conversation: Conversation::Dm { user_id: UserId(9) },
        before: None
    }));
    assert_eq!(
        app.sidebar
            .get(&Conversation::Dm { user_id: UserId(9) })
            .unwrap()
            .name,
        "genevieve"
    );
}

#[test]
fn removal_from_a_space_or_group_drops_it_from_the_sidebar() {
    use socmel_client::types::events::{MembershipChange, MembershipScope};
    use socmel_client::types::frames::MembershipUpdate;
    let mut app = app();
    let group = Conversation::Group {
        group_id: GroupId(3),
    };
    app.update(Msg::Net(NetEvent::Inbox(vec![
        inbox(room(), "lounge / general", 0, None),
        inbox(group, "weekend", 0, None),
    ])));
    let mut cmds = Vec::new();
    app.open(room(), &mut cmds);
    frame(
        &mut app,
        ServerFrame::Membership(MembershipUpdate {
            scope: MembershipScope::Space,
            id: 1,
            user_id: ME,
            user: Default::default(),
            change: MembershipChange::Banned,
        }),
    );
    assert_eq!(app.current, None);
    assert!(app.sidebar.get(&room()).is_none());
    frame(
        &mut app,
        ServerFrame::Membership(MembershipUpdate {
            scope: MembershipScope::Group,
            id: 3,
            user_id: ME,
            user: Default::default(),
            change: MembershipChange::Removed,
        }),
    );
    assert!(app.sidebar.get(&group).is_none());
}

#[test]
fn a_revoked_session_returns_to_sign_in_saying_why() {
    let mut app = app();
    app.update(Msg::Net(NetEvent::Revoked("signed out or expired".into())));
    match &app.screen {
        Screen::SignIn(form) => {
            assert_eq!(form.username, "ada");
            assert!(
                form.error
                    .as_ref()
                    .unwrap()
                    .contains("signed out or expired")
            );
        }
        Screen::Chat => panic!("still in the chat"),
    }
    assert!(app.sidebar.rows().is_empty());
}

#[test]
fn slash_commands() {
    let mut app = app();
    type_text(&mut app, "/dm bob");
    let cmds = key(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    // bob is known from the inbox: the DM opens at once.
    assert_eq!(app.current, Some(bob_dm()), "{cmds:?}");
    type_text(&mut app, "/dm zed");
    let cmds = key(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    assert_eq!(cmds, [Cmd::FindPeople("zed".into())]);
    app.update(Msg::Net(NetEvent::Found(vec![])));
    assert!(
        app.notice
            .as_ref()
            .unwrap()
            .text
            .contains("no user named zed")
    );
    type_text(&mut app, "//not a command");
    let cmds = key(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    assert!(
        matches!(&cmds[..], [Cmd::Frame(ClientFrame::Dm(d))] if d.draft.message == "/not a command")
    );
}

#[test]
fn scrolling_to_the_top_asks_for_the_older_page_once() {
    let mut app = app();
    let mut cmds = Vec::new();
    app.open(room(), &mut cmds);
    app.update(history(
        room(),
        (51..=100).map(|i| room_message(i, BOB, "m")).collect(),
        false,
    ));
    app.hits.page = 10;
    // At the bottom nothing more is needed even if the top shows.
    assert!(app.after_draw(true).is_empty());
    key(&mut app, KeyCode::PageUp, KeyModifiers::NONE);
    assert_eq!(app.timelines[&room()].scroll, 10);
    assert_eq!(
        app.after_draw(true),
        [Cmd::LoadHistory {
            conversation: room(),
            before: Some(MessageId(51))
        }]
    );
    // Already on its way: not asked twice.
    assert!(app.after_draw(true).is_empty());
    // Back at the bottom, what is shown is marked read.
    key(&mut app, KeyCode::PageDown, KeyModifiers::NONE);
    assert_eq!(app.timelines[&room()].scroll, 0);
}

#[test]
fn the_mouse_scrolls_the_conversation_and_clicks_open_sidebar_rows() {
    use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    use ratatui::layout::Rect;
    let mut app = app();
    app.hits.sidebar = Rect::new(0, 1, 28, 20);
    app.hits.messages = Rect::new(28, 1, 60, 20);
    app.hits.sidebar_rows = vec![(2, bob_dm()), (5, room())];
    let mouse = |kind, column, row| {
        Msg::Term(Event::Mouse(MouseEvent {
            kind,
            column,
            row,
            modifiers: KeyModifiers::NONE,
        }))
    };
    let cmds = app.update(mouse(MouseEventKind::Down(MouseButton::Left), 4, 5));
    assert_eq!(app.current, Some(room()));
    assert!(!cmds.is_empty());
    app.update(history(
        room(),
        (1..=80).map(|i| room_message(i, BOB, "m")).collect(),
        false,
    ));
    app.update(mouse(MouseEventKind::ScrollUp, 40, 10));
    assert_eq!(app.timelines[&room()].scroll, 3);
    app.update(mouse(MouseEventKind::ScrollDown, 40, 10));
    assert_eq!(app.timelines[&room()].scroll, 0);
    // A wheel over the sidebar does not scroll the conversation.
    app.update(mouse(MouseEventKind::ScrollUp, 4, 10));
    assert_eq!(app.timelines[&room()].scroll, 0);
}

#[test]
fn a_bracketed_paste_is_one_message_with_its_newlines() {
    let mut app = app();
    let mut cmds = Vec::new();
    app.open(room(), &mut cmds);
    app.update(Msg::Term(Event::Paste(
        "line one\nline two\nline three".into(),
    )));
    let cmds = key(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    assert!(
        matches!(&cmds[..], [Cmd::Frame(ClientFrame::Space(s))] if s.draft.message == "line one\nline two\nline three"),
        "{cmds:?}"
    );
    // Alt+Enter adds a line instead of sending.
    type_text(&mut app, "a");
    assert!(key(&mut app, KeyCode::Enter, KeyModifiers::ALT).is_empty());
    type_text(&mut app, "b");
    assert_eq!(app.composer.text(), "a\nb");
}

#[test]
fn names_come_with_the_payloads_and_only_nameless_ids_are_looked_up() {
    let mut app = app();
    let carol = UserId(3);
    // A message names its sender: shown at once, nothing to look up.
    let cmds = frame(&mut app, room_frame(10, carol, "hi"));
    assert!(!cmds.iter().any(|c| matches!(c, Cmd::LoadPeople(_))));
    assert_eq!(app.people.name(carol), "user3");
    // A later payload with a new display name renames them everywhere, DM included.
    let mut renamed = summary(BOB);
    renamed.display_name = Some("Bob the Builder".into());
    frame(
        &mut app,
        ServerFrame::Typing(Typing {
            conversation: bob_dm(),
            typer_id: BOB,
            typer: renamed,
        }),
    );
    assert_eq!(app.people.name(BOB), "Bob the Builder");
    assert_eq!(app.sidebar.get(&bob_dm()).unwrap().name, "Bob the Builder");
    // Read receipts and membership changes name people too.
    let mut erin = summary(UserId(5));
    erin.display_name = Some("Erin".into());
    frame(
        &mut app,
        ServerFrame::Membership(socmel_client::types::frames::MembershipUpdate {
            scope: socmel_client::types::events::MembershipScope::Space,
            id: 1,
            user_id: erin.id,
            user: erin.clone(),
            change: socmel_client::types::events::MembershipChange::Joined,
        }),
    );
    assert_eq!(app.people.name(erin.id), "Erin");
    renamed = summary(BOB);
    renamed.display_name = Some("Robert".into());
    frame(
        &mut app,
        ServerFrame::Read(ReadReceipt {
            conversation: bob_dm(),
            reader_id: BOB,
            reader: renamed,
            message_id: MessageId(1),
        }),
    );
    assert_eq!(app.people.name(BOB), "Robert");
    // A server that sends only ids: the sender is looked up, once.
    let dave = UserId(4);
    let mut nameless = room_message(11, dave, "hello");
    if let Message::Room(m) = &mut nameless {
        m.sender = Default::default();
    }
    let cmds = frame(&mut app, ServerFrame::Space(room_of(nameless.clone())));
    assert!(cmds.contains(&Cmd::LoadPeople(vec![dave])));
    let cmds = frame(&mut app, ServerFrame::Space(room_of(nameless)));
    assert!(!cmds.iter().any(|c| matches!(c, Cmd::LoadPeople(_))));
}

fn room_of(message: Message) -> RoomMessage {
    match message {
        Message::Room(m) => m,
        _ => unreachable!("a room message"),
    }
}

#[test]
fn the_reconnection_countdown_wakes_once_a_second_and_stops_when_connected() {
    let mut app = app();
    assert_eq!(
        app.next_deadline(),
        None,
        "connected and idle: nothing is due"
    );
    app.update(Msg::Net(NetEvent::Link(Link::Reconnecting {
        attempt: 2,
        retry_in: std::time::Duration::from_millis(2500),
        reason: "closed".into(),
    })));
    // "3 s" until 2 s are left, then once a second, then the attempt itself.
    assert_eq!(
        app.next_deadline(),
        Some(at(0) + chrono::TimeDelta::milliseconds(500))
    );
    app.now = at(0) + chrono::TimeDelta::milliseconds(500);
    app.dirty = false;
    app.update(Msg::Tick);
    assert!(app.dirty, "the countdown is redrawn");
    assert_eq!(
        app.next_deadline(),
        Some(at(1) + chrono::TimeDelta::milliseconds(500))
    );
    app.now = at(2) + chrono::TimeDelta::milliseconds(500);
    assert_eq!(app.next_deadline(), None, "the attempt is under way");
    app.update(Msg::Net(NetEvent::Link(Link::Connected)));
    assert_eq!(app.retry_at, None);
}

#[test]
fn f5_cuts_the_reconnection_wait_short_only_while_waiting() {
    let mut app = app();
    let cmds = key(&mut app, KeyCode::F(5), KeyModifiers::NONE);
    assert!(
        !cmds.contains(&Cmd::Reconnect),
        "connected: nothing to cut short"
    );
    app.update(Msg::Net(NetEvent::Link(Link::Reconnecting {
        attempt: 4,
        retry_in: std::time::Duration::from_secs(8),
        reason: "closed".into(),
    })));
    let cmds = key(&mut app, KeyCode::F(5), KeyModifiers::NONE);
    assert_eq!(cmds, [Cmd::Reconnect]);
}

fn alerts(cmds: &[Cmd]) -> Vec<crate::alert::Alert> {
    cmds.iter()
        .filter_map(|c| match c {
            Cmd::Alert(alert) => Some(alert.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn dms_and_mentions_ask_for_attention_once_per_burst_unless_watched() {
    let mut app = app();
    let mut cmds = Vec::new();
    app.open(room(), &mut cmds);
    // A DM elsewhere: an alert naming the sender; its echo on replay is not news.
    let got = alerts(&frame(&mut app, dm(20, BOB, ME, "psst")));
    assert_eq!(got.len(), 1);
    assert_eq!(
        (got[0].title.as_str(), got[0].body.as_str()),
        ("bob", "psst")
    );
    assert!(alerts(&frame(&mut app, dm(20, BOB, ME, "psst"))).is_empty());
    // A burst is one alert; after the quiet time, the next one rings again.
    assert!(alerts(&frame(&mut app, dm(21, BOB, ME, "are you there?"))).is_empty());
    app.now = at(11);
    assert_eq!(alerts(&frame(&mut app, dm(22, BOB, ME, "hello?"))).len(), 1);
    // In a room only a mention does, and not in the room one is looking at.
    app.open(bob_dm(), &mut cmds);
    assert!(alerts(&frame(&mut app, room_frame(30, BOB, "lunch?"))).is_empty());
    let got = alerts(&frame(&mut app, room_frame(31, BOB, "@ada lunch?")));
    assert_eq!(got[0].title, "bob in # lounge / general");
    app.now = at(30);
    assert!(alerts(&frame(&mut app, dm(23, BOB, ME, "I see you"))).is_empty());
    // …unless the terminal lost focus: nobody is looking.
    app.update(Msg::Term(Event::FocusLost));
    assert_eq!(alerts(&frame(&mut app, dm(24, BOB, ME, "ping"))).len(), 1);
    // One's own messages never ask.
    app.now = at(60);
    assert!(alerts(&frame(&mut app, dm(25, ME, BOB, "pong"))).is_empty());
}

#[test]
fn ctrl_e_hands_the_draft_to_the_editor_and_takes_back_what_it_saved() {
    let mut app = app();
    key(&mut app, KeyCode::Char('e'), KeyModifiers::CONTROL);
    assert_eq!(app.editor, None, "no conversation open: nothing to write");
    let mut cmds = Vec::new();
    app.open(room(), &mut cmds);
    type_text(&mut app, "first thoughts");
    key(&mut app, KeyCode::Char('e'), KeyModifiers::CONTROL);
    assert_eq!(app.editor.take().as_deref(), Some("first thoughts"));
    app.edited(Ok("second thoughts\nover two lines".into()));
    assert_eq!(app.composer.text(), "second thoughts\nover two lines");
    app.edited(Err(
        "vi failed (exit status: 1); the draft is unchanged".into()
    ));
    assert_eq!(app.composer.text(), "second thoughts\nover two lines");
    assert!(
        app.notice
            .as_ref()
            .is_some_and(|n| n.text.contains("vi failed"))
    );
}
