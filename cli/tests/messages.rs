//! `socmel dm|msg|inbox …`, including the live `msg tail`.

mod common;

use std::{
    io::{BufRead, BufReader},
    process::{Command, Stdio},
};

use common::{Env, id};
use serde_json::Value;

#[test]
fn direct_messages_send_history_inbox_read() {
    let env = Env::start();
    let ada = env.user("ada");
    let bob = env.user("bob");
    let (ada_id, bob_id) = (id(&ada), id(&bob));

    let sent = env.json("ada", &["dm", "send", &bob_id, "hello bob"]);
    assert_eq!(sent["kind"], "dm");
    assert_eq!(sent["content"], "hello bob");
    assert_eq!(sent["recipient_id"], bob["id"]);

    // The text may come on stdin, for scripts.
    let piped = env.json_in(
        "bob",
        &["dm", "send", &ada_id],
        Some("hi ada\nsecond line\n"),
    );
    assert_eq!(piped["content"], "hi ada\nsecond line");
    let reply = env.json(
        "ada",
        &[
            "dm",
            "send",
            &bob_id,
            "how are you?",
            "--reply-to",
            &id(&piped),
        ],
    );
    assert_eq!(reply["parent_message_id"], piped["id"]);

    let history = env.json("bob", &["dm", "history", &ada_id]);
    assert!(history["next_cursor"].is_null(), "one page: {history}");
    let contents: Vec<_> = history["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["content"].as_str().unwrap())
        .collect();
    assert_eq!(
        contents,
        ["hello bob", "hi ada\nsecond line", "how are you?"]
    );
    let older = env.json(
        "bob",
        &[
            "dm",
            "history",
            &ada_id,
            "--before",
            &id(&reply),
            "--limit",
            "1",
        ],
    );
    assert_eq!(older["items"][0]["id"], piped["id"]);
    // `msg history --user` is the same conversation.
    assert_eq!(
        env.json("bob", &["msg", "history", "--user", &ada_id]),
        history
    );

    let inbox = env.json("bob", &["inbox"]);
    let entry = &inbox["items"][0];
    assert_eq!(entry["kind"], "dm");
    assert_eq!(entry["user_id"], ada["id"]);
    assert_eq!(entry["unread_count"], 2);

    let read = env.json("bob", &["msg", "read", "--user", &ada_id, &id(&reply)]);
    assert!(read["detail"].is_string());
    let inbox = env.json("bob", &["inbox"]);
    assert_eq!(inbox["items"][0]["unread_count"], 0);

    let edited = env.json("ada", &["msg", "edit", "dm", &id(&sent), "hello, Bob"]);
    assert_eq!(edited["content"], "hello, Bob");
    assert!(edited["edited_at"].is_string());
    let deleted = env.json("ada", &["msg", "delete", "dm", &id(&reply)]);
    assert!(deleted["detail"].is_string());
    let history = env.json("ada", &["dm", "history", &bob_id]);
    assert_eq!(history["items"].as_array().unwrap().len(), 2);

    // Not your message: refused with exit 1.
    let refused = env.fails("bob", &["msg", "delete", "dm", &id(&sent)]);
    assert_eq!(refused.code, 1);
    // Naming no conversation (or two) is a usage error.
    let usage = env.fails("ada", &["msg", "send", "hi"]);
    assert_eq!(usage.code, 2);
    let usage = env.fails("ada", &["msg", "send", "--user", "1", "--group", "2", "hi"]);
    assert_eq!(usage.code, 2);
    // No text and no piped stdin: also a usage error, not a hang.
    let usage = env.fails_in("ada", &["dm", "send", &bob_id], Some(""));
    assert_eq!(usage.code, 2);
}

#[test]
fn group_and_room_messages() {
    let env = Env::start();
    env.user("ada");
    let bob = env.user("bob");
    let group = env.json("ada", &["group", "create", "pals", "--member", &id(&bob)]);
    let g = id(&group);
    let sent = env.json("bob", &["msg", "send", "--group", &g, "hi pals"]);
    assert_eq!(sent["kind"], "group");
    assert_eq!(sent["group_chat_id"], group["id"]);
    let history = env.json("ada", &["msg", "history", "--group", &g]);
    assert_eq!(history["items"][0]["content"], "hi pals");
    env.json("ada", &["msg", "read", "--group", &g, &id(&sent)]);
    let edited = env.json("bob", &["msg", "edit", "group", &id(&sent), "hi friends"]);
    assert_eq!(edited["content"], "hi friends");

    let space = env.json("ada", &["space", "create", "lounge"]);
    let s = id(&space);
    let rooms = env.json("ada", &["room", "list", "--space", &s]);
    let r = id(&rooms["items"][0]);
    let sent = env.json(
        "ada",
        &["msg", "send", "--space", &s, "--room", &r, "welcome"],
    );
    assert_eq!(sent["kind"], "room");
    assert_eq!(sent["room_id"], rooms["items"][0]["id"]);
    let history = env.json("ada", &["msg", "history", "--space", &s, "--room", &r]);
    assert_eq!(history["items"][0]["content"], "welcome");
    let deleted = env.json("ada", &["msg", "delete", "room", &id(&sent)]);
    assert!(deleted["detail"].is_string());
    // --room without --space names no conversation.
    assert_eq!(env.fails("ada", &["msg", "history", "--room", &r]).code, 2);

    let refused = env.fails("bob", &["msg", "send", "--space", &s, "--room", &r, "hi"]);
    assert_eq!(refused.code, 1, "bob is not a member");
}

#[test]
fn msg_tail_streams_live_messages_as_json_lines() {
    let env = Env::start();
    let ada = env.user("ada");
    let bob = env.user("bob");

    let mut tail = Command::new(env!("CARGO_BIN_EXE_socmel"))
        .env("SOCMEL_SERVER", &env.server.url)
        .env("SOCMEL_CONFIG_DIR", env.config.path())
        .env_remove("SOCMEL_TOKEN")
        .args(["--profile", "bob", "msg", "tail", "--count", "2"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn tail");
    // The tail says on stderr when it is connected; only then is anything sent.
    let mut stderr = BufReader::new(tail.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    assert!(line.starts_with("Connected"), "{line}");

    let first = env.json("ada", &["dm", "send", &id(&bob), "one"]);
    let second = env.json("ada", &["dm", "send", &id(&bob), "two"]);

    let output = tail.wait_with_output().expect("tail output");
    assert!(output.status.success());
    let frames: Vec<Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).expect("one JSON object per line"))
        .collect();
    assert_eq!(frames.len(), 2, "{frames:?}");
    assert_eq!(frames[0]["type"], "dm");
    assert_eq!(frames[0]["id"], first["id"]);
    assert_eq!(frames[0]["sender_id"], ada["id"]);
    assert_eq!(frames[1]["content"], second["content"]);
    let (seq0, seq1) = (
        frames[0]["seq"].as_u64().expect("durable frames carry seq"),
        frames[1]["seq"].as_u64().unwrap(),
    );
    assert!(seq1 > seq0);

    // Resuming with --since replays what came after that seq.
    let replay = env.run(
        "bob",
        &["msg", "tail", "--since", &seq0.to_string(), "--count", "1"],
        None,
    );
    assert!(replay.status.success());
    let frame: Value = serde_json::from_slice(&replay.stdout).unwrap();
    assert_eq!(frame["id"], second["id"]);
}

#[test]
fn msg_tail_stops_with_exit_4_when_the_session_is_revoked() {
    let env = Env::start();
    env.user("bob");
    let mut tail = Command::new(env!("CARGO_BIN_EXE_socmel"))
        .env("SOCMEL_SERVER", &env.server.url)
        .env("SOCMEL_CONFIG_DIR", env.config.path())
        .env_remove("SOCMEL_TOKEN")
        .args(["--profile", "bob", "msg", "tail"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn tail");
    let mut stderr = BufReader::new(tail.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    assert!(line.starts_with("Connected"), "{line}");

    // Another terminal signs out everywhere: the tail ends by itself.
    env.json("bob", &["auth", "logout-all"]);
    let status = tail.wait().expect("tail ends");
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    assert_eq!(status.code(), Some(4), "{rest}");
    assert!(rest.contains("session revoked"), "{rest}");
}

/// Conversations by name (`--room lounge/main`, `--group pals`, `dm send bob`), history
/// paged like every listing, texts from stdin and files, and attachments.
#[test]
fn conversations_by_name_history_paging_texts_and_attachments() {
    let env = Env::start();
    env.user("ada");
    env.user("bob");
    env.json("ada", &["space", "create", "lounge"]);
    env.json("ada", &["room", "create", "lounge/general"]);
    for n in 1..=5 {
        let text = format!("message {n}");
        env.json("ada", &["msg", "send", "--room", "lounge/general", &text]);
    }

    // History: --limit pages back, --cursor continues, --all reads everything.
    let newest = env.json(
        "ada",
        &["msg", "history", "--room", "lounge/general", "--limit", "2"],
    );
    let contents = |page: &Value| -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["content"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        contents(&newest),
        ["message 4", "message 5"],
        "oldest first"
    );
    let cursor = newest["next_cursor"]
        .as_str()
        .expect("a full page has more");
    let older = env.json(
        "ada",
        &[
            "msg",
            "history",
            "--room",
            "lounge/general",
            "--limit",
            "2",
            "--cursor",
            cursor,
        ],
    );
    assert_eq!(contents(&older), ["message 2", "message 3"]);
    let all = env.json(
        "ada",
        &[
            "msg",
            "history",
            "--room",
            "lounge/general",
            "--limit",
            "2",
            "--all",
        ],
    );
    assert_eq!(all["items"].as_array().unwrap().len(), 5);
    assert_eq!(contents(&all)[0], "message 1");
    assert!(all["next_cursor"].is_null());
    // The older spelling --before still pages.
    let before = env.json(
        "ada",
        &[
            "msg",
            "history",
            "--room",
            "lounge/general",
            "--limit",
            "2",
            "--before",
            cursor,
        ],
    );
    assert_eq!(contents(&before), ["message 2", "message 3"]);

    // `dm send bob hi`; edit and delete name the conversation the same way.
    let sent = env.json("ada", &["dm", "send", "bob", "hi"]);
    assert_eq!(sent["content"], "hi");
    let edited = env.json(
        "ada",
        &["msg", "edit", "--user", "bob", &id(&sent), "hi there"],
    );
    assert_eq!(edited["content"], "hi there");
    let last = &newest["items"][1];
    let edited = env.json_in(
        "ada",
        &["msg", "edit", "--room", "lounge/general", &id(last)],
        Some("five, edited\n"),
    );
    assert_eq!(edited["content"], "five, edited");
    assert_eq!(
        env.fails("ada", &["msg", "edit", &id(last), "no kind"])
            .code,
        2
    );
    let deleted = env.json("ada", &["msg", "delete", "--user", "bob", &id(&sent)]);
    assert!(deleted["detail"].is_string());
    // It was the DM's only message: deleting it again finds nothing.
    assert_eq!(
        env.fails("ada", &["msg", "delete", "--user", "bob", &id(&sent)])
            .code,
        1
    );
    env.json("ada", &["group", "create", "pals", "--member", "bob"]);
    let in_group = env.json("bob", &["msg", "send", "--group", "pals", "hello pals"]);
    assert_eq!(in_group["kind"], "group");
    assert_eq!(
        env.json("ada", &["group", "show", "pals"])["members"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    env.json("ada", &["group", "create", "Pals"]);
    let ambiguous = env.fails("ada", &["group", "show", "PALS"]);
    assert_eq!(ambiguous.code, 2);
    assert!(
        ambiguous.error["detail"]
            .as_str()
            .unwrap()
            .contains("use an id")
    );
    let unknown = env.fails("ada", &["msg", "send", "--group", "nobody's", "x"]);
    assert_eq!(unknown.code, 1);

    // Long texts: `-` reads stdin, @FILE a file (far past any argument limit), @@ is @.
    let dir = tempfile::tempdir().unwrap();
    let long = "a long line of text. ".repeat(180); // 3,780 characters
    let file = dir.path().join("long.txt");
    std::fs::write(&file, format!("{long}\n")).unwrap();
    let from_file = env.json(
        "ada",
        &["dm", "send", "bob", &format!("@{}", file.display())],
    );
    assert_eq!(from_file["content"], long.as_str());
    let from_stdin = env.json_in("ada", &["dm", "send", "bob", "-"], Some("from stdin\n"));
    assert_eq!(from_stdin["content"], "from stdin");
    let escaped = env.json("ada", &["dm", "send", "bob", "@@bob look"]);
    assert_eq!(escaped["content"], "@bob look");
    let missing = env.fails("ada", &["dm", "send", "bob", "@no-such-file.txt"]);
    assert_eq!(missing.code, 2);
    assert!(
        missing.error["detail"]
            .as_str()
            .unwrap()
            .contains("write @@")
    );

    // Attachments: every file is checked before any upload; then they go with the text.
    let png = dir.path().join("dot.png");
    std::fs::write(&png, common::png_bytes(2048)).unwrap();
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "not an image").unwrap();
    let refused = env.fails(
        "ada",
        &[
            "msg",
            "send",
            "--room",
            "lounge/general",
            "look",
            "--attach",
            &png.display().to_string(),
            &text.display().to_string(),
            &dir.path().join("gone.png").display().to_string(),
        ],
    );
    assert_eq!(refused.code, 2);
    let detail = refused.error["detail"].as_str().unwrap();
    assert!(
        detail.contains("notes.txt: not a PNG, JPEG, GIF or WebP image"),
        "{detail}"
    );
    assert!(detail.contains("gone.png: no such file"), "{detail}");
    assert!(detail.contains("none was"), "{detail}");
    let history = env.json(
        "ada",
        &["msg", "history", "--room", "lounge/general", "--limit", "1"],
    );
    assert_eq!(
        history["items"][0]["content"], "five, edited",
        "nothing was sent"
    );
    let with_image = env.json(
        "ada",
        &[
            "msg",
            "send",
            "--room",
            "lounge/general",
            "look",
            "--attach",
            &png.display().to_string(),
        ],
    );
    let attachments = with_image["attachments"].as_array().expect("attachments");
    assert_eq!(attachments.len(), 1, "{with_image}");
}
