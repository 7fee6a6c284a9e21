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
    // Like and unlike are idempotent: the server's toggle is never flipped back.
    let liked = env.json("bob", &["post", "like", &p]);
    assert_eq!(liked, serde_json::json!({"liked": true, "like_count": 1}));
    let again = env.json("bob", &["post", "like", &p]);
    assert_eq!(again, serde_json::json!({"liked": true, "like_count": 1}));
    let unliked = env.json("bob", &["post", "unlike", &p]);
    assert_eq!(
        unliked,
        serde_json::json!({"liked": false, "like_count": 0})
    );
    let still = env.json("bob", &["post", "unlike", &p]);
    assert_eq!(still, serde_json::json!({"liked": false, "like_count": 0}));
    let output = env
        .cmd()
        .args(["-P", "bob", "post", "like", &p])
        .output()
        .unwrap();
    assert!(output.status.success());
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(
        said.contains("Liked post") && said.contains("(1 like)"),
        "{said}"
    );

    // Listing: yours by default, a user's, paged.
    let mine = env.json("ada", &["post", "list"]);
    assert_eq!(mine["items"].as_array().unwrap().len(), 2);
    let page = env.json(
        "bob",
        &["post", "list", "--user", &id(&ada), "--page-size", "1"],
    );
    assert_eq!(ids(&page), vec![post["id"].as_i64().unwrap()]);

    // Piped human output: tab-separated rows under a header line, id first.
    let output = env
        .cmd()
        .args(["--profile", "ada", "post", "list"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let rows = String::from_utf8_lossy(&output.stdout).to_string();
    assert_eq!(rows.lines().count(), 3, "{rows}");
    assert_eq!(
        rows.lines().next(),
        Some("ID\tAUTHOR\tTITLE\tLIKES\tCOMMENTS\tCREATED")
    );
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
    // A missing file is found before anything is sent, and named.
    let missing = env.fails("ada", &["post", "attach", &p, &one, "/nonexistent.png"]);
    assert_eq!(missing.code, 2);
    assert_eq!(
        missing.error["detail"],
        "/nonexistent.png: no such file; nothing was uploaded"
    );
    assert_eq!(
        env.json("ada", &["post", "show", &p])["attachments"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
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
        3,
        "a reply is a row under its comment: {rows}"
    );
    assert!(
        rows.lines().nth(2).unwrap().starts_with(&id(&reply)),
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

/// `post create T @FILE` and `-`, `feed --limit 5 --json --jq '.items[].title'`, and a
/// bad `--jq` refused before anything is sent.
#[test]
fn bodies_from_files_and_stdin_and_jq_filters() {
    let env = Env::start();
    env.user("ada");
    let dir = tempfile::tempdir().unwrap();
    let body = "word ".repeat(3_000); // 15,000 characters
    let file = dir.path().join("body.md");
    std::fs::write(&file, &body).unwrap();
    let from_file = env.json(
        "ada",
        &[
            "post",
            "create",
            "From a file",
            &format!("@{}", file.display()),
        ],
    );
    assert_eq!(from_file["content"], body.as_str());
    let from_stdin = env.json_in(
        "ada",
        &["post", "create", "From stdin", "-"],
        Some("piped body\n"),
    );
    assert_eq!(from_stdin["content"], "piped body");
    let edited = env.json_in(
        "ada",
        &["post", "edit", &id(&from_stdin), "--content", "-"],
        Some("edited from stdin\n"),
    );
    assert_eq!(edited["content"], "edited from stdin");
    let literal = env.json("ada", &["post", "create", "Dash", "-x"]);
    assert_eq!(literal["content"], "-x");

    // --jq: one line per result, strings raw.
    let output = env
        .cmd()
        .args([
            "-P",
            "ada",
            "feed",
            "--limit",
            "5",
            "--json",
            "--jq",
            ".items[].title",
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let titles = String::from_utf8_lossy(&output.stdout);
    assert_eq!(titles, "Dash\nFrom stdin\nFrom a file\n");
    let output = env
        .cmd()
        .args([
            "-P",
            "ada",
            "post",
            "list",
            "--jq",
            "[.items[].id] | length",
        ])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "3\n",
        "--jq implies --json"
    );
    let output = env
        .cmd()
        .args([
            "-P",
            "ada",
            "post",
            "list",
            "--limit",
            "1",
            "--all",
            "--jq",
            ".items | length",
        ])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "3\n",
        "--all follows every page"
    );

    // A bad filter is a usage error before the request: no post is created.
    let bad = env.fails(
        "ada",
        &["post", "create", "Never", "body", "--jq", ".items["],
    );
    assert_eq!(bad.code, 2);
    assert!(
        bad.error["detail"].as_str().unwrap().starts_with("--jq:"),
        "{}",
        bad.error
    );
    let count = env.json("ada", &["post", "list", "--all"]);
    assert_eq!(count["items"].as_array().unwrap().len(), 3);
}

/// A file the server refuses is named, with sizes people read.
#[test]
fn an_upload_the_server_refuses_names_the_file_and_readable_sizes() {
    let server = common::TestServer::start_with(|config| config.media_max_bytes = 64 * 1024);
    let env = Env::with_server(server);
    env.user("ada");
    let post = env.json("ada", &["post", "create", "Pictures", "soon"]);
    let dir = tempfile::tempdir().unwrap();
    let big = png(dir.path(), "big.png"); // 100 KiB
    let refused = env.fails("ada", &["post", "attach", &id(&post), &big]);
    assert_eq!(refused.code, 1);
    assert_eq!(refused.error["status"], 413);
    let detail = refused.error["detail"].as_str().unwrap();
    assert!(
        detail.starts_with(&format!("{big} (100.0 KiB): ")),
        "{detail}"
    );
    assert!(detail.contains("64.0 KiB (65536 bytes)"), "{detail}");
    let refused = env.fails("ada", &["dm", "send", "ada", "me", "--attach", &big]);
    assert!(
        refused.error["detail"]
            .as_str()
            .unwrap()
            .contains("big.png (100.0 KiB)"),
        "{}",
        refused.error
    );
}
