//! End to end: the real `socmel-tui` binary in a pseudo-terminal (portable-pty, the screen
//! read back through vt100) against a real server on 127.0.0.1, while a second user
//! acts through `socmel-client`. Checks what a person would see: the message, the
//! typing notice, the unread count; then the server crashes and comes back, and what
//! was said meanwhile shows exactly once.
//!
//! The server runs in this process (see `support`), so a crash is its runtime dropped
//! at once and the restart a new server on the same address and data.

mod support;

use std::time::{Duration, Instant};

use socmel_client::types::{
    conversations::Conversation,
    frames::{ClientFrame, StartTyping},
    messages::SendMessage,
};
use support::{Server, Term, Tui, users};

/// An ordinary terminal, without colours so the screen is plain text.
fn terminal() -> Term {
    Term {
        rows: 40,
        cols: 120,
        no_color: true,
        notify: "both",
    }
}

#[test]
fn chat_live_in_a_terminal_and_nothing_lost_or_doubled_across_a_server_crash() {
    let mut server = Server::start();
    let config = tempfile::tempdir().expect("config dir");
    let (users, room) = users(&server, config.path());
    let tui = Tui::spawn(config.path(), terminal());
    tui.wait_for("connected");
    tui.wait_for("Welcome, ada");

    tui.jump_to("general", "# lounge / general");
    tui.wait_for("No messages yet");

    // bob writes and types; ada sees both.
    users.runtime.block_on(async {
        users
            .bob
            .send_message(&SendMessage::text(room, "hello ada, are you there?"))
            .await
            .expect("send");
    });
    tui.wait_for("hello ada, are you there?");
    let mut bob_socket = users
        .runtime
        .block_on(users.bob.connect_ws(None))
        .expect("bob's socket");
    users.runtime.block_on(async {
        bob_socket
            .send(&ClientFrame::Typing(StartTyping { conversation: room }))
            .await
            .expect("typing");
    });
    tui.wait_for("bob is typing…");

    // A DM elsewhere shows as unread in the sidebar.
    let ada_id = users
        .runtime
        .block_on(users.ada.current_user())
        .expect("me")
        .id;
    users.runtime.block_on(async {
        users
            .bob
            .send_message(&SendMessage::text(
                Conversation::Dm { user_id: ada_id },
                "psst",
            ))
            .await
            .expect("dm");
    });
    tui.wait("bob's DM counted as unread", |text| {
        text.lines().any(|line| {
            let sidebar: String = line.chars().take_while(|c| *c != '│').collect();
            sidebar.contains(" bob ") && sidebar.trim_end().ends_with(" 1")
        })
    });
    tui.wait_for("1 unread");
    // ada is in the room, not the DM: the DM rang and asked for a notification.
    tui.wait("the DM's bell", |_| tui.seen().0 == 1);
    assert_eq!(tui.seen().1, ["bob: psst"]);

    // ada drafts an answer, finishes it in her editor (Ctrl+E; the harness's editor
    // turns "draft" into "bob"), and sends it; the server has it once.
    tui.type_text("hi draft!");
    tui.send(b"\x05");
    tui.wait_for("hi bob!");
    assert!(tui.alternate_screen(), "the app took the terminal back");
    tui.send(b"\r");
    tui.wait("the message acknowledged (composer empty again)", |text| {
        text.contains("hi bob!")
            && text.contains("Message # lounge / general")
            && !text.contains("sending…")
    });

    // The server crashes; bob writes as soon as it is back, before the TUI reconnects.
    server.crash();
    tui.wait_for("reconnecting");
    tui.type_text("sent while offline");
    tui.send(b"\r");
    tui.wait_for("waiting for the connection");
    // An acknowledged message survived the crash; the queued one is not sent yet.
    server.boot();
    users.runtime.block_on(async {
        users
            .bob
            .send_message(&SendMessage::text(room, "said while you were away"))
            .await
            .expect("send after restart");
    });
    tui.wait_for("said while you were away");
    tui.wait("the queued message to go out", |text| {
        text.contains("sent while offline") && !text.contains("waiting for the connection")
    });
    let screen = tui.text();
    for line in [
        "said while you were away",
        "hello ada, are you there?",
        "hi bob!",
        "sent while offline",
    ] {
        assert_eq!(
            screen.matches(line).count(),
            1,
            "{line:?} once on screen:\n{screen}"
        );
    }
    let history = users
        .runtime
        .block_on(users.ada.room_history(
            match room {
                Conversation::Room { space_id, .. } => space_id,
                _ => unreachable!(),
            },
            match room {
                Conversation::Room { room_id, .. } => room_id,
                _ => unreachable!(),
            },
            socmel_client::HistoryPage::default(),
        ))
        .expect("history");
    let texts: Vec<&str> = history.iter().map(|m| m.content.as_str()).collect();
    assert_eq!(
        texts,
        [
            "hello ada, are you there?",
            "hi bob!",
            "said while you were away",
            "sent while offline"
        ]
    );

    // Ctrl+C quits and gives the terminal back.
    tui.send(b"\x03");
    let mut tui = tui;
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = tui.child.try_wait().expect("exit status") {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "Ctrl+C did not quit:\n{}",
            tui.text()
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status:?}");
    // The exit can be seen before the reader thread has read the app's last bytes.
    tui.wait("the alternate screen to be left", |_| {
        !tui.alternate_screen()
    });
    drop(users);
}

#[test]
fn a_server_that_is_down_at_start_and_a_revoked_session() {
    let mut server = Server::start();
    let config = tempfile::tempdir().expect("config dir");
    let (users, _room) = users(&server, config.path());
    server.crash();
    let tui = Tui::spawn(config.path(), terminal());
    tui.wait_for("reconnecting");
    server.boot();
    tui.wait_for("connected");
    tui.wait_for("Welcome, ada");
    // Every session of ada ends elsewhere: the TUI goes back to sign-in and says why.
    users
        .runtime
        .block_on(users.ada.logout_all())
        .expect("logout all");
    server.crash();
    server.boot();
    tui.wait_for("Sign in to SocMel");
    tui.wait_for("Your session ended");
}
