//! `socmel post|feed|comment …`

mod common;

use common::{Env, id};
use serde_json::Value;

/// A PNG file of 100 KiB.
fn png(dir: &std::path::Path, name: &str) -> String {
    let bytes = common::png_bytes(100 * 1024);
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.display().to_string()
}

fn ids(page: &Value) -> Vec<i64> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["id"].as_i64().unwrap())
        .collect()
}

#[test]
fn posts_images_feed_and_comments_end_to_end() {
    let env = Env::start();
    let ada = env.user("ada");
    let bob = env.user("bob");

    // Create: tags repeat, visibility is checked by clap.
    let post = env.json(
        "ada",
        &[
            "post",
            "create",
            "Hello",
            "-first post",
            "--tag",
            "rust",
            "--tag",
            "cli",
        ],
    );
    assert_eq!(post["title"], "Hello");
    assert_eq!(post["content"], "-first post");
    assert_eq!(post["tags"], serde_json::json!(["rust", "cli"]));
    assert_eq!(post["visibility"], "public");
    assert_eq!(post["user_id"], ada["id"]);
    let p = id(&post);

    // Human mode prints only the id on stdout.
    let output = env
        .cmd()
        .args(["--profile", "ada", "post", "create", "Second", "more text"])
        .args(["--visibility", "followers"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let second = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    assert!(second.parse::<i64>().is_ok(), "{second}");
    let usage = env.fails(
        "ada",
        &["post", "create", "t", "c", "--visibility", "space"],
    );
    assert_eq!(usage.code, 2);

    // Show, edit, like.
    assert_eq!(env.json("bob", &["post", "show", &p])["author"], "ada");
    let edited = env.json(
        "ada",
        &["post", "edit", &p, "--title", "Hi", "--clear-tags"],
    );
    assert_eq!(edited["title"], "Hi");
    assert!(edited["tags"].is_null() || edited["tags"] == serde_json::json!([]));
    assert_eq!(env.fails("ada", &["post", "edit", &p]).code, 2);
    let liked = env.json("bob", &["post", "like", &p]);
    assert_eq!(liked, serde_json::json!({"liked": true, "like_count": 1}));
    let unliked = env.json("bob", &["post", "like", &p]);
    assert_eq!(unliked["liked"], false);
    env.json("bob", &["post", "like", &p]);

    // Listing: yours by default, a user's, paged.
    let mine = env.json("ada", &["post", "list"]);
    assert_eq!(mine["items"].as_array().unwrap().len(), 2);
    let page = env.json(
        "bob",
        &["post", "list", "--user", &id(&ada), "--page-size", "1"],
    );
    assert_eq!(ids(&page), vec![post["id"].as_i64().unwrap()]);

    // Piped human output: tab-separated rows, id first.
    let output = env
        .cmd()
        .args(["--profile", "ada", "post", "list"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let rows = String::from_utf8_lossy(&output.stdout).to_string();
    assert_eq!(rows.lines().count(), 2, "{rows}");
    assert!(
        rows.lines()
            .any(|row| row.starts_with(&format!("{p}\tada\tHi\t"))),
        "{rows}"
    );

    // Space posts.
    let space = env.json("ada", &["space", "create", "lounge"]);
    let s = id(&space);
    let in_space = env.json(
        "ada",
        &["post", "create", "News", "in the space", "--space", &s],
    );
    assert_eq!(in_space["space_id"], space["id"]);
    let listed = env.json("ada", &["post", "list", "--space", &s]);
    assert_eq!(ids(&listed), vec![in_space["id"].as_i64().unwrap()]);
    let listed = env.json("ada", &["post", "list", "--space", &s, "--user", &id(&ada)]);
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);

    // Images: streamed from disk; no progress bar when stderr is not a terminal.
    let dir = tempfile::tempdir().unwrap();
    let (one, two) = (png(dir.path(), "one.png"), png(dir.path(), "two.png"));
    let output = env.run("ada", &["post", "attach", &p, &one, &two], None);
    assert!(output.status.success(), "{output:?}");
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let attached: Value = serde_json::from_slice(&output.stdout).unwrap();
    let attachments = attached["attachments"].as_array().unwrap();
    assert_eq!(attachments.len(), 2);
    let attachment = attachments[0]["id"].to_string();
    let detached = env.json("ada", &["post", "detach", &p, &attachment]);
    assert!(detached["detail"].is_string());
    let shown = env.json("ada", &["post", "show", &p]);
    assert_eq!(shown["attachments"].as_array().unwrap().len(), 1);
    let missing = env.fails("ada", &["post", "attach", &p, "/nonexistent.png"]);
    assert_eq!(missing.code, 1);
    let refused = env.fails("bob", &["post", "attach", &p, &one]);
    assert_eq!(refused.code, 1);

    // Comments, replies, reactions.
    let comment = env.json("bob", &["comment", "add", &p, "nice @ada"]);
    assert_eq!(comment["content"], "nice @ada");
    let c = id(&comment);
    let reply = env.json("ada", &["comment", "reply", &p, &c, "-thanks"]);
    assert_eq!(reply["parent_id"], comment["id"]);
    let edited = env.json("bob", &["comment", "edit", &p, &c, "very nice"]);
    assert_eq!(edited["content"], "very nice");
    let reacted = env.json("ada", &["comment", "react", &p, &c, "like"]);
    assert_eq!(reacted["reacted"], true);
    assert_eq!(reacted["count"], 1);
    let comments = env.json("ada", &["comment", "list", &p]);
    assert_eq!(comments["items"][0]["id"], comment["id"]);
    assert_eq!(comments["items"][0]["sub_comments"][0]["id"], reply["id"]);
    assert_eq!(comments["items"][0]["reactions"]["like"], 1);
    let output = env
        .cmd()
        .args(["--profile", "ada", "comment", "list", &p])
        .output()
        .unwrap();
    let rows = String::from_utf8_lossy(&output.stdout).to_string();
    assert_eq!(
        rows.lines().count(),
        2,
        "a reply is a row under its comment: {rows}"
    );
    assert!(
        rows.lines().nth(1).unwrap().starts_with(&id(&reply)),
        "{rows}"
    );
    let deleted = env.json("ada", &["comment", "delete", &p, &id(&reply)]);
    assert!(deleted["detail"].is_string());

    // Feed: bob follows ada, then sees her posts, paged.
    env.json("bob", &["follow", "request", &id(&ada)]);
    env.json("ada", &["follow", "accept", &id(&bob)]);
    let feed = env.json("bob", &["feed", "--page-size", "1"]);
    assert_eq!(feed["items"].as_array().unwrap().len(), 1);
    let cursor = feed["next_cursor"].as_str().expect("more than one post");
    let next = env.json("bob", &["feed", "--page-size", "1", "--cursor", cursor]);
    assert_eq!(next["items"].as_array().unwrap().len(), 1);
    assert_ne!(next["items"][0]["id"], feed["items"][0]["id"]);

    // Delete: then it is gone.
    let deleted = env.json("ada", &["post", "delete", &p]);
    assert!(deleted["detail"].is_string());
    let gone = env.fails("ada", &["post", "show", &p]);
    assert_eq!(gone.code, 1);
    assert_eq!(gone.error["code"], "not_found");
    // Signed out: exit 4.
    let output = env
        .cmd()
        .args(["--profile", "nobody", "--json", "post", "create", "t", "c"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(4));
}
