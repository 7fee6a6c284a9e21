//! `socmel space|room|invite …`

mod common;

use common::{Env, id};
use serde_json::Value;

#[test]
fn spaces_rooms_and_invitations_end_to_end() {
    let env = Env::start();
    let ada = env.user("ada");
    let bob = env.user("bob");
    let bob_id = id(&bob);

    let space = env.json("ada", &["space", "create", "lounge"]);
    assert_eq!(space["name"], "lounge");
    assert_eq!(space["owner_id"], ada["id"]);
    let s = id(&space);

    // Human mode prints only the id on stdout, so commands chain.
    let output = env
        .cmd()
        .args(["--profile", "ada", "space", "create", "attic"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let attic_id = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    assert!(attic_id.parse::<i64>().is_ok(), "{attic_id}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("Created space attic"));

    assert_eq!(env.json("ada", &["space", "show", &s])["name"], "lounge");
    let edited = env.json("ada", &["space", "edit", &s, "--name", "the lounge"]);
    assert_eq!(edited["name"], "the lounge");
    let listed = env.json("bob", &["space", "list", "--limit", "1"]);
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
    assert!(
        listed["next_cursor"].is_string(),
        "two spaces, one per page"
    );
    let searched = env.json("bob", &["space", "search", "lounge"]);
    assert_eq!(searched["items"][0]["id"], space["id"]);
    let searched = env.json("bob", &["space", "list", "--search", "attic"]);
    assert_eq!(searched["items"][0]["name"], "attic");

    // Rooms.
    let room = env.json("ada", &["room", "create", "--space", &s, "general"]);
    assert_eq!(room["name"], "general");
    let r = id(&room);
    let rooms = env.json("ada", &["room", "list", "--space", &s]);
    let names: Vec<_> = rooms["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|room| room["name"].as_str().unwrap().to_owned())
        .collect();
    assert!(names.contains(&"general".to_owned()), "{names:?}");
    assert_eq!(
        env.json("ada", &["room", "show", "--space", &s, &r])["id"],
        room["id"]
    );
    let renamed = env.json(
        "ada",
        &["room", "edit", "--space", &s, &r, "--name", "chat"],
    );
    assert_eq!(renamed["name"], "chat");

    // A non-member cannot see the rooms: a clean exit 1 with the server's code.
    let refused = env.fails("bob", &["room", "list", "--space", &s]);
    assert_eq!(refused.code, 1);
    assert!(refused.error["status"].as_u64().unwrap() >= 400);

    // Invitations: create, use, list, revoke.
    let invitation = env.json(
        "ada",
        &[
            "invite",
            "create",
            "--space",
            &s,
            "--max-uses",
            "2",
            "--expires-in",
            "1h",
        ],
    );
    assert_eq!(invitation["max_uses"], 2);
    let token = invitation["token"].as_str().unwrap().to_owned();
    let joined = env.json("bob", &["invite", "join", &s, &token]);
    assert_eq!(joined["space"]["id"], space["id"]);
    assert!(joined["message"].is_string());
    let invitations = env.json("ada", &["invite", "list", "--space", &s]);
    assert_eq!(invitations["items"][0]["current_uses"], 1);
    assert!(invitations["items"][0]["token"].is_null());
    let revoked = env.json(
        "ada",
        &["invite", "revoke", "--space", &s, &id(&invitation)],
    );
    assert!(revoked["detail"].is_string());

    // Human `invite create` prints the token on stdout.
    let output = env
        .cmd()
        .args(["--profile", "ada", "invite", "create", "--space", &s])
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(!String::from_utf8_lossy(&output.stdout).trim().is_empty());

    // Members, roles, ownership.
    let members = env.json("ada", &["space", "members", &s]);
    assert_eq!(members["items"].as_array().unwrap().len(), 2);
    let mine = env.json("bob", &["space", "mine"]);
    assert_eq!(mine["items"][0]["id"], space["id"]);
    let promoted = env.json("ada", &["space", "role", &s, &bob_id, "moderator"]);
    assert_eq!(promoted["role"], "moderator");
    assert_eq!(promoted["username"], "bob");
    let transferred = env.json("ada", &["space", "transfer", &s, &bob_id]);
    assert_eq!(transferred["owner_id"], bob["id"]);
    let back = env.json("bob", &["space", "transfer", &s, &id(&ada)]);
    assert_eq!(back["owner_id"], ada["id"]);

    // Kick, ban, unban, leave.
    let kicked = env.json("ada", &["space", "kick", &s, &bob_id]);
    assert!(kicked["message"].is_string());
    let ban = env.json("ada", &["space", "ban", &s, &bob_id]);
    assert_eq!(ban["user"]["id"], bob["id"]);
    let bans = env.json("ada", &["space", "bans", &s]);
    assert_eq!(bans["items"][0]["user"]["username"], "bob");
    let unbanned = env.json("ada", &["space", "unban", &s, &bob_id]);
    assert!(unbanned["detail"].is_string());
    let bans = env.json("ada", &["space", "bans", &s]);
    assert_eq!(bans["items"], Value::Array(vec![]));

    let again = env.json("ada", &["invite", "create", "--space", &s]);
    env.json(
        "bob",
        &["invite", "join", &s, again["token"].as_str().unwrap()],
    );
    let left = env.json("bob", &["space", "leave", &s]);
    assert!(left["detail"].is_string());

    // Deleting: room, then space; then it is gone (exit 1, not_found).
    let deleted = env.json("ada", &["room", "delete", "--space", &s, &r]);
    assert!(deleted["message"].is_string());
    let deleted = env.json("ada", &["space", "delete", &s]);
    assert!(deleted["message"].is_string());
    let gone = env.fails("ada", &["space", "show", &s]);
    assert_eq!(gone.code, 1);
    assert_eq!(gone.error["code"], "not_found");
    assert_eq!(gone.error["status"], 404);
}

#[test]
fn bad_input_is_a_usage_error_or_a_validation_error() {
    let env = Env::start();
    env.user("ada");
    // A malformed id is a usage error (exit 2, JSON error in --json mode); an unknown
    // name is "no space named …" (exit 1).
    let usage = env.fails("ada", &["space", "show", "#lounge"]);
    assert_eq!(usage.code, 2);
    assert_eq!(usage.error["code"], "usage");
    let unknown = env.fails("ada", &["space", "show", "lounge"]);
    assert_eq!(unknown.code, 1);
    assert_eq!(unknown.error["detail"], "no space named lounge");
    let usage = env.fails("ada", &["space", "edit", "1"]);
    assert_eq!(usage.code, 2);
    let usage = env.fails(
        "ada",
        &["invite", "create", "--space", "1", "--expires-in", "soon"],
    );
    assert_eq!(usage.code, 2);
    // The server's 422 keeps its field list.
    let invalid = env.fails("ada", &["space", "create", "   "]);
    assert_eq!(invalid.code, 1);
    assert_eq!(invalid.error["code"], "validation");
    assert_eq!(invalid.error["fields"][0]["field"], "name");
}

/// Spaces and rooms by name, positional where natural: `room list lounge`,
/// `room create lounge/random`, `invite create lounge`; one paging style everywhere.
#[test]
fn spaces_and_rooms_are_named_by_name_or_id() {
    let env = Env::start();
    env.user("ada");
    env.user("bob");
    let space = env.json("ada", &["space", "create", "lounge"]);
    let s = id(&space);
    env.json("ada", &["space", "create", "Lounge Two"]);

    assert_eq!(
        env.json("ada", &["space", "show", "lounge"])["id"],
        space["id"]
    );
    assert_eq!(
        env.json("ada", &["space", "show", "LOUNGE"])["id"],
        space["id"]
    );
    assert_eq!(
        env.json("ada", &["space", "show", &format!("#{s}")])["id"],
        space["id"]
    );

    let random = env.json("ada", &["room", "create", "lounge/random"]);
    assert_eq!(random["name"], "random");
    assert_eq!(random["space_id"], space["id"]);
    let rooms = env.json("ada", &["room", "list", "lounge"]);
    let names: Vec<&str> = rooms["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|room| room["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"random"), "{names:?}");
    assert!(rooms.get("next_cursor").is_some(), "{{items, next_cursor}}");
    let shown = env.json("ada", &["room", "show", "lounge/random"]);
    assert_eq!(shown["id"], random["id"]);
    let by_ids = env.json("ada", &["room", "show", &format!("{s}/{}", id(&random))]);
    assert_eq!(by_ids["id"], random["id"]);
    let renamed = env.json(
        "ada",
        &["room", "edit", "lounge/random", "--name", "off-topic"],
    );
    assert_eq!(renamed["name"], "off-topic");
    let missing = env.fails("ada", &["room", "show", "lounge/random"]);
    assert_eq!(missing.code, 1);
    assert_eq!(missing.error["detail"], "no room named random");
    assert_eq!(
        missing.error["hint"],
        "list a space's rooms with `socmel room list SPACE`"
    );
    let bare = env.fails("ada", &["room", "show", "general"]);
    assert_eq!(bare.code, 2, "a bare room names no space");

    // Human output, piped: tab-separated under a header line.
    let output = env
        .cmd()
        .args(["-P", "ada", "room", "list", "lounge"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(text.lines().next(), Some("ID\tNAME\tCREATED"), "{text}");

    // Invitations by space name.
    let token = env
        .cmd()
        .args(["-P", "ada", "invite", "create", "lounge", "--max-uses", "2"])
        .output()
        .unwrap();
    assert!(token.status.success());
    let token = String::from_utf8_lossy(&token.stdout).trim().to_owned();
    let joined = env.json("bob", &["invite", "join", "lounge", &token]);
    assert_eq!(joined["space"]["id"], space["id"]);
    let invitations = env.json("ada", &["invite", "list", "lounge"]);
    let invitation = id(&invitations["items"][0]);
    env.json("ada", &["invite", "revoke", "lounge", &invitation]);
    assert_eq!(
        env.json("ada", &["invite", "list", "lounge"])["items"]
            .as_array()
            .unwrap()
            .len(),
        0
    );

    // One paging style: --limit, --cursor, --all; the same shape every time.
    let first = env.json("ada", &["space", "members", "lounge", "--limit", "1"]);
    assert_eq!(first["items"].as_array().unwrap().len(), 1);
    let cursor = first["next_cursor"]
        .as_str()
        .expect("two members")
        .to_owned();
    let second = env.json(
        "ada",
        &[
            "space", "members", "lounge", "--limit", "1", "--cursor", &cursor,
        ],
    );
    assert_eq!(second["items"].as_array().unwrap().len(), 1);
    assert_ne!(first["items"][0], second["items"][0]);
    let all = env.json(
        "ada",
        &["space", "members", "lounge", "--limit", "1", "--all"],
    );
    assert_eq!(all["items"].as_array().unwrap().len(), 2);
    assert!(all["next_cursor"].is_null());
    let listed = env.json("bob", &["space", "list", "--all"]);
    assert_eq!(listed["items"].as_array().unwrap().len(), 2);

    // `room list` with neither SPACE nor --space is a usage error, not a crash.
    assert_eq!(env.fails("ada", &["room", "list"]).code, 2);
}
