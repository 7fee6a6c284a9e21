//! Naming people: `bob`, `@bob`, `#7` or `7` wherever a user is expected; names in
//! human output; `user edit --display-name --bio`; `user search`.

mod common;

use common::{Env, id};

/// `socmel --profile <profile> <args>` in human form (not a terminal: plain lines).
fn human(env: &Env, profile: &str, args: &[&str]) -> String {
    let output = env
        .cmd()
        .args(["--profile", profile])
        .args(args)
        .output()
        .expect("run socmel");
    assert!(
        output.status.success(),
        "socmel {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn users_are_named_by_username_or_id() {
    let env = Env::start();
    let ada = env.user("ada");
    let bob = env.user("bob");
    let numeric = env.user("123");
    let bob_id = id(&bob);

    for who in ["bob", "@bob", "BOB", &format!("#{bob_id}"), &bob_id] {
        let shown = env.json("ada", &["user", "show", who]);
        assert_eq!(shown["id"], bob["id"], "{who}");
    }
    // `@123` is the user called "123"; a bare number is an id.
    assert_eq!(
        env.json("ada", &["user", "show", "@123"])["id"],
        numeric["id"]
    );
    let by_id = env.json("ada", &["user", "show", &id(&ada)]);
    assert_eq!(by_id["username"], "ada");

    let unknown = env.fails("ada", &["user", "show", "nobody"]);
    assert_eq!(unknown.code, 1);
    assert!(
        unknown.error["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("no user named nobody"),
        "{}",
        unknown.error
    );
    let unknown = env.fails("ada", &["dm", "send", "@nobody", "hi"]);
    assert_eq!(unknown.code, 1);
    assert_eq!(
        unknown.error["hint"],
        "find people with `socmel user search PREFIX`"
    );

    // `dm send bob hi`, and the history and inbox show names.
    let sent = env.json("ada", &["dm", "send", "bob", "hi bob"]);
    assert_eq!(sent["recipient_id"], bob["id"]);
    assert_eq!(sent["sender"]["username"], "ada");
    let history = human(&env, "bob", &["dm", "history", "@ada"]);
    assert!(history.contains("ada"), "{history}");
    assert!(history.contains("hi bob"), "{history}");
    let json = env.json("bob", &["msg", "history", "--user", "ada"]);
    assert_eq!(
        json["items"][0]["sender_id"], ada["id"],
        "ids stay in --json"
    );
    let inbox = human(&env, "bob", &["inbox"]);
    assert!(inbox.contains("--user ada"), "{inbox}");

    // Follow by name.
    env.json("ada", &["follow", "request", "@bob"]);
    let status = env.json("ada", &["follow", "status", "bob"]);
    assert_eq!(status["status"], "pending", "{status}");
}

#[test]
fn profiles_are_edited_and_people_searched() {
    let env = Env::start();
    env.user("ada");
    env.user("bobby");
    env.user("bob");
    let me = env.json(
        "ada",
        &[
            "user",
            "edit",
            "--display-name",
            "Ada Lovelace",
            "--bio",
            "Countess",
        ],
    );
    assert_eq!(me["display_name"], "Ada Lovelace");
    assert_eq!(me["bio"], "Countess");
    let shown = human(&env, "bob", &["user", "show", "ada"]);
    assert!(shown.contains("Ada Lovelace"), "{shown}");
    assert!(shown.contains("Countess"), "{shown}");

    let bad = env.fails(
        "ada",
        &["user", "edit", "--display-name", "evil\u{202E}txt"],
    );
    assert_eq!(bad.code, 1);

    let found = env.json("ada", &["user", "search", "BOB"]);
    let names: Vec<_> = found["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names, ["bob", "bobby"]);
    let page = env.json("ada", &["user", "search", "bo", "--limit", "1"]);
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    assert!(page["next_cursor"].is_string());
    let by_display = human(&env, "bob", &["user", "search", "ada lov"]);
    assert!(by_display.contains("ada"), "{by_display}");

    let cleared = env.json("ada", &["user", "edit", "--display-name", ""]);
    assert!(cleared["display_name"].is_null());
}

#[test]
fn space_listings_name_their_owner() {
    let env = Env::start();
    env.user("ada");
    env.user("bob");
    env.json("ada", &["space", "create", "lounge"]);
    let listing = human(&env, "bob", &["space", "list"]);
    let line = listing
        .lines()
        .find(|line| line.contains("lounge"))
        .unwrap_or_else(|| panic!("{listing}"));
    assert!(line.contains("ada"), "{line}");
}
