//! Every screen drawn on a `TestBackend` at 80×24 and 120×40 and compared with its
//! snapshot (insta). Names, times and the clock are fixed; colours are off (`NO_COLOR`
//! rendering keeps the meaning in symbols, which is what the snapshots show).

use chrono::{DateTime, FixedOffset, Utc};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::{Terminal, backend::TestBackend};
use socmel_client::types::{
    GroupId, MessageId, RoomId, SpaceId, Timestamp, UserId,
    conversations::Conversation,
    frames::{PresenceStatus, ServerFrame, Typing},
    messages::{InboxEntry, Message, MessageAttachment, RoomMessage},
    spaces::SpaceDisplay,
};
use socmel_tui::{
    app::App,
    keymap::Keymap,
    msg::{Link, Msg, NetEvent},
    people::Person,
    ui,
};

const ADA: UserId = UserId(1);
const BOB: UserId = UserId(2);
const CLEO: UserId = UserId(3);

fn at(hour: u32, minute: u32, day: u32) -> DateTime<Utc> {
    chrono::NaiveDate::from_ymd_opt(2026, 12, day)
        .unwrap()
        .and_hms_opt(hour, minute, 0)
        .unwrap()
        .and_utc()
}

fn person(id: UserId, name: &str) -> Person {
    Person {
        id,
        username: name.into(),
        display_name: None,
    }
}

fn general() -> Conversation {
    Conversation::Room {
        space_id: SpaceId(1),
        room_id: RoomId(1),
    }
}

fn signed_in() -> App {
    let mut app = App::new(
        Keymap::default(),
        "http://127.0.0.1:8000",
        Some(person(ADA, "ada")),
    );
    app.color = false;
    app.tz = FixedOffset::east_opt(0).unwrap();
    app.now = at(9, 45, 6);
    app.init();
    let net = |app: &mut App, event| {
        app.update(Msg::Net(event));
    };
    net(&mut app, NetEvent::Link(Link::Connected));
    net(
        &mut app,
        NetEvent::People(vec![
            person(ADA, "ada"),
            person(BOB, "bob"),
            person(CLEO, "cleo"),
        ]),
    );
    app
}

/// The summary payloads carry for user `id`.
fn summary(id: UserId) -> socmel_client::types::users::UserSummary {
    let username = match id {
        ADA => "ada",
        BOB => "bob",
        CLEO => "cleo",
        _ => "someone",
    };
    socmel_client::types::users::UserSummary {
        id,
        username: username.into(),
        display_name: None,
        pfp: None,
    }
}

fn room_message(id: i64, sender: UserId, text: &str, when: DateTime<Utc>) -> Message {
    Message::Room(RoomMessage {
        id: MessageId(id),
        content: text.into(),
        sender_id: sender,
        sender: summary(sender),
        space_id: SpaceId(1),
        room_id: RoomId(1),
        timestamp: Timestamp(when),
        parent_message_id: None,
        edited_at: None,
        attachments: Vec::new(),
    })
}

fn inbox(conversation: Conversation, name: &str, unread: i64, when: DateTime<Utc>) -> InboxEntry {
    InboxEntry {
        conversation,
        name: name.into(),
        other: None,
        last_message: None,
        unread_count: unread,
        last_activity: Timestamp(when),
    }
}

/// ada in a busy space: a DM with unread messages, a group with a mention, two spaces.
fn busy() -> App {
    let mut app = signed_in();
    let space = |id, name: &str| SpaceDisplay {
        name: name.into(),
        id: SpaceId(id),
        owner_id: ADA,
        members_nbr: 3,
        founded_on: Timestamp(at(8, 0, 1)),
        my_role: None,
        owner: summary(ADA),
    };
    app.update(Msg::Net(NetEvent::Spaces(vec![
        space(1, "lounge"),
        space(2, "rust-fr"),
    ])));
    let random = Conversation::Room {
        space_id: SpaceId(1),
        room_id: RoomId(2),
    };
    let rust_general = Conversation::Room {
        space_id: SpaceId(2),
        room_id: RoomId(3),
    };
    let mut weekend = inbox(
        Conversation::Group {
            group_id: GroupId(1),
        },
        "weekend plans",
        1,
        at(9, 30, 6),
    );
    weekend.last_message = Some(room_message(90, BOB, "@ada are you in?", at(9, 30, 6)));
    app.update(Msg::Net(NetEvent::Inbox(vec![
        inbox(Conversation::Dm { user_id: BOB }, "bob", 2, at(9, 40, 6)),
        inbox(Conversation::Dm { user_id: CLEO }, "cleo", 0, at(8, 0, 5)),
        weekend,
        inbox(general(), "lounge / general", 0, at(9, 41, 6)),
        inbox(random, "lounge / random", 0, at(7, 0, 4)),
        inbox(rust_general, "rust-fr / general", 140, at(9, 0, 6)),
    ])));
    for (user, status) in [
        (BOB, PresenceStatus::Online),
        (CLEO, PresenceStatus::Online),
    ] {
        app.update(Msg::Net(NetEvent::Frame(Box::new(ServerFrame::Presence(
            socmel_client::types::frames::Presence {
                user_id: user,
                status,
                user: summary(user),
            },
        )))));
    }
    let mut cmds = Vec::new();
    app.open(general(), &mut cmds);
    let mut reply = room_message(5, ADA, "yes! 8pm?", at(18, 3, 5));
    if let Message::Room(m) = &mut reply {
        m.parent_message_id = Some(MessageId(4));
    }
    let mut with_file = room_message(6, CLEO, "pushed the fix, see attachment", at(9, 12, 6));
    if let Message::Room(m) = &mut with_file {
        m.attachments.push(MessageAttachment {
            id: socmel_client::types::AttachmentId(1),
            file: "/media/ab/trace.png".into(),
        });
    }
    let mut edited = room_message(7, BOB, "@ada can you review?", at(9, 40, 6));
    if let Message::Room(m) = &mut edited {
        m.edited_at = Some(Timestamp(at(9, 42, 6)));
    }
    app.update(Msg::Net(NetEvent::History {
        conversation: general(),
        before: None,
        messages: vec![
            room_message(4, BOB, "anyone up for the release party?", at(18, 2, 5)),
            reply,
            with_file,
            edited,
            room_message(8, BOB, "it's the websocket one", at(9, 41, 6)),
            room_message(9, BOB, "a longer message that has to wrap over more than one line when the conversation pane is as narrow as it is at eighty columns", at(9, 41, 6)),
        ],
        complete: true,
    }));
    app.update(Msg::Net(NetEvent::Members {
        conversation: general(),
        members: vec![person(ADA, "ada"), person(BOB, "bob"), person(CLEO, "cleo")],
    }));
    app.update(Msg::Net(NetEvent::Frame(Box::new(ServerFrame::Typing(
        Typing {
            conversation: general(),
            typer_id: BOB,
            typer: summary(BOB),
        },
    )))));
    app.composer.paste("sure, looking now");
    app
}

fn render(app: &mut App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| {
            ui::draw(frame, app);
        })
        .unwrap();
    let buffer = terminal.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..buffer.area.height {
        let mut line = String::new();
        for x in 0..buffer.area.width {
            line.push_str(buffer[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn key(app: &mut App, code: KeyCode, modifiers: KeyModifiers) {
    app.update(Msg::Term(Event::Key(KeyEvent::new(code, modifiers))));
}

macro_rules! both_sizes {
    ($name:literal, $app:expr) => {{
        let mut app = $app;
        insta::assert_snapshot!(concat!($name, "_80x24"), render(&mut app, 80, 24));
        let mut app = $app;
        insta::assert_snapshot!(concat!($name, "_120x40"), render(&mut app, 120, 40));
    }};
}

#[test]
fn sign_in() {
    both_sizes!("sign_in", {
        let mut app = App::new(Keymap::default(), "http://127.0.0.1:8000", None);
        app.color = false;
        for c in "ada".chars() {
            key(&mut app, KeyCode::Char(c), KeyModifiers::NONE);
        }
        key(&mut app, KeyCode::Tab, KeyModifiers::NONE);
        for c in "secret".chars() {
            key(&mut app, KeyCode::Char(c), KeyModifiers::NONE);
        }
        app
    });
}

#[test]
fn empty_state() {
    both_sizes!("empty", signed_in());
}

#[test]
fn busy_room() {
    both_sizes!("busy_room", busy());
}

#[test]
fn switcher() {
    both_sizes!("switcher", {
        let mut app = busy();
        key(&mut app, KeyCode::Char('k'), KeyModifiers::CONTROL);
        for c in "gen".chars() {
            key(&mut app, KeyCode::Char(c), KeyModifiers::NONE);
        }
        app
    });
}

#[test]
fn help() {
    both_sizes!("help", {
        let mut app = busy();
        key(&mut app, KeyCode::F(1), KeyModifiers::NONE);
        app
    });
}

#[test]
fn help_longer_than_the_screen_scrolls_to_its_end() {
    let mut app = busy();
    key(&mut app, KeyCode::F(1), KeyModifiers::NONE);
    for _ in 0..5 {
        key(&mut app, KeyCode::PageDown, KeyModifiers::NONE);
    }
    insta::assert_snapshot!("help_scrolled_80x24", render(&mut app, 80, 24));
    // Scrolling stopped at the end, so one step up shows the line above the first one.
    key(&mut app, KeyCode::Up, KeyModifiers::NONE);
    let up = render(&mut app, 80, 24);
    assert!(up.contains("delete the selected message"), "{up}");
    assert!(!up.contains("Keys can be changed"), "{up}");
    key(&mut app, KeyCode::Char('x'), KeyModifiers::NONE);
    assert!(app.overlay.is_none(), "any other key closes help");
}

#[test]
fn narrow_terminal_hides_the_sidebar() {
    let mut app = busy();
    insta::assert_snapshot!("narrow_60x20", render(&mut app, 60, 20));
}

#[test]
fn reconnecting_and_a_selected_message() {
    let mut app = busy();
    app.update(Msg::Net(NetEvent::Link(Link::Reconnecting {
        attempt: 3,
        retry_in: std::time::Duration::from_secs(4),
        reason: "the server cannot be reached".into(),
    })));
    key(&mut app, KeyCode::Tab, KeyModifiers::NONE);
    key(&mut app, KeyCode::Up, KeyModifiers::NONE);
    insta::assert_snapshot!("reconnecting_selected_120x40", render(&mut app, 120, 40));
}

#[test]
fn any_size_draws_without_panicking() {
    for (width, height) in [
        (1, 1),
        (1, 40),
        (200, 1),
        (2, 2),
        (10, 3),
        (79, 24),
        (300, 100),
    ] {
        let mut app = busy();
        render(&mut app, width, height);
        key(&mut app, KeyCode::Char('k'), KeyModifiers::CONTROL);
        render(&mut app, width, height);
        key(&mut app, KeyCode::Esc, KeyModifiers::NONE);
        key(&mut app, KeyCode::F(1), KeyModifiers::NONE);
        render(&mut app, width, height);
        let mut signin = App::new(Keymap::default(), "http://x", None);
        render(&mut signin, width, height);
    }
}

#[test]
fn ten_thousand_messages_render_only_what_shows() {
    let mut app = busy();
    let messages: Vec<Message> = (100..10_100)
        .map(|i| {
            room_message(
                i,
                if i % 3 == 0 { BOB } else { CLEO },
                &format!("message number {i}"),
                at(9, 0, 6),
            )
        })
        .collect();
    app.update(Msg::Net(NetEvent::History {
        conversation: general(),
        before: None,
        messages,
        complete: false,
    }));
    let screen = render(&mut app, 200, 60);
    assert!(screen.contains("message number 10099"), "{screen}");
    assert!(!screen.contains("message number 100\n"), "{screen}");
}
