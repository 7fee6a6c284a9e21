//! `socmel follow|note|notifications|user avatar …`

mod common;

use common::{Env, id};
use serde_json::Value;

fn usernames(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["username"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn follows_notes_notifications_and_avatars() {
    let env = Env::start();
    let ada = env.user("ada");
    let bob = env.user("bob");
    let carol = env.user("carol");
    let (a, b, c) = (id(&ada), id(&bob), id(&carol));

    // Request, see it pending, accept.
    let request = env.json("bob", &["follow", "request", &a]);
    assert!(request["follow_id"].is_i64());
    let status = env.json("bob", &["follow", "status", &a]);
    assert_eq!(status["status"], "pending");
    assert_eq!(status["follow_id"], request["follow_id"]);
    let requests = env.json("ada", &["follow", "list", "requests"]);
    assert_eq!(usernames(&requests), ["bob"]);
    assert_eq!(
        env.fails("ada", &["follow", "list", "requests", "--user", &b])
            .code,
        2
    );
    let accepted = env.json("ada", &["follow", "accept", &b]);
    assert_eq!(accepted["follow_id"], request["follow_id"]);
    assert_eq!(
        env.json("bob", &["follow", "status", &a])["status"],
        "following"
    );
    assert_eq!(
        env.json("ada", &["follow", "status", &b])["follows_me"],
        true
    );
    assert_eq!(usernames(&env.json("ada", &["follow", "list"])), ["bob"]);
    assert_eq!(
        usernames(&env.json("bob", &["follow", "list", "following"])),
        ["ada"]
    );
    assert_eq!(
        usernames(&env.json("carol", &["follow", "list", "followers", "--user", &a])),
        ["bob"]
    );

    // Cancel, reject, unfollow, remove.
    env.json("carol", &["follow", "request", &a]);
    assert!(env.json("carol", &["follow", "cancel", &a])["detail"].is_string());
    assert_eq!(
        env.json("carol", &["follow", "status", &a])["status"],
        "none"
    );
    let nothing = env.fails("carol", &["follow", "cancel", &a]);
    assert_eq!(nothing.code, 1);
    env.json("carol", &["follow", "request", &a]);
    assert!(env.json("ada", &["follow", "reject", &c])["detail"].is_string());
    assert!(env.json("bob", &["follow", "unfollow", &a])["detail"].is_string());
    env.json("bob", &["follow", "request", &a]);
    env.json("ada", &["follow", "accept", &b]);
    assert!(env.json("ada", &["follow", "remove", &b])["detail"].is_string());
    assert_eq!(env.json("bob", &["follow", "status", &a])["status"], "none");

    // Notes.
    let saved = env.json("ada", &["note", "set", "-at the beach"]);
    assert_eq!(saved["note"], "-at the beach");
    let mine = env.json("ada", &["note", "show"]);
    assert_eq!(mine["exists"], true);
    assert_eq!(mine["note"], "-at the beach");
    assert_eq!(
        env.json("bob", &["note", "show", &a])["note"],
        "-at the beach"
    );
    assert!(env.json("ada", &["note", "clear"])["message"].is_string());
    assert_eq!(env.json("bob", &["note", "show", &a])["exists"], false);

    // Notifications: the follow requests ada got.
    let all = env.json("ada", &["notifications"]);
    let items = all["items"].as_array().unwrap();
    assert!(!items.is_empty());
    assert!(items.iter().any(|n| n["kind"] == "follow_request"));
    assert!(items.iter().all(|n| n["read"] == false));
    let paged = env.json("ada", &["notifications", "list", "--limit", "1"]);
    assert_eq!(paged["items"].as_array().unwrap().len(), 1);
    let first = items[0]["id"].to_string();
    assert!(env.json("ada", &["notifications", "read", &first])["detail"].is_string());
    let after = env.json("ada", &["notifications"]);
    assert_eq!(after["items"][0]["read"], true);
    assert_eq!(after["items"][1]["read"], false);
    // --unread leaves out the one read, on `notifications` and `notifications list`.
    let unread = env.json("ada", &["notifications", "--unread"]);
    let unread_items = unread["items"].as_array().unwrap();
    assert_eq!(unread_items.len(), items.len() - 1);
    assert!(unread_items.iter().all(|n| n["read"] == false));
    assert!(unread_items.iter().all(|n| n["id"] != items[0]["id"]));
    let one = env.json(
        "ada",
        &["notifications", "list", "--unread", "--limit", "1"],
    );
    assert!(
        one["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|n| n["read"] == false)
    );
    env.json("ada", &["notifications", "read"]);
    let none = env.json("ada", &["notifications", "--unread", "--all"]);
    assert_eq!(none["items"].as_array().unwrap().len(), 0);
    let after = env.json("ada", &["notifications", "list"]);
    assert!(
        after["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|n| n["read"] == true)
    );

    // Avatar: upload (streamed, no bar off a terminal), then remove.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("me.png");
    std::fs::write(&path, common::png_bytes(4096)).unwrap();
    let path = path.display().to_string();
    let output = env.run("ada", &["user", "avatar", "set", &path], None);
    assert!(output.status.success(), "{output:?}");
    assert!(output.stderr.is_empty());
    let user: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(user["pfp"].is_string(), "{user}");
    let removed = env.json("ada", &["user", "avatar", "rm"]);
    assert!(removed["pfp"].is_null(), "{removed}");
    let text = dir.path().join("note.txt");
    std::fs::write(&text, "not an image").unwrap();
    // Not an image: refused before anything is sent, naming the file.
    let refused = env.fails(
        "ada",
        &["user", "avatar", "set", &text.display().to_string()],
    );
    assert_eq!(refused.code, 2);
    let detail = refused.error["detail"].as_str().unwrap();
    assert!(
        detail.contains("note.txt") && detail.contains("not a PNG, JPEG, GIF or WebP"),
        "{detail}"
    );
}
