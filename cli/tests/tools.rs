//! `socmel api`, `completion`, `man`, `seed`, `--help` and usage errors.

mod common;

use common::{Env, id};
use serde_json::Value;

#[test]
fn api_is_a_raw_escape_hatch_with_the_stored_token() {
    let env = Env::start();
    let ada = env.user("ada");
    let me = env.json("ada", &["api", "GET", "/users/me/"]);
    assert_eq!(me, ada);
    let created = env.json(
        "ada",
        &[
            "api",
            "post",
            "/spaces/create",
            "--data",
            r#"{"name":"raw"}"#,
        ],
    );
    assert_eq!(created["name"], "raw");
    let body = env.config.path().join("body.json");
    std::fs::write(&body, r#"{"name":"from file"}"#).unwrap();
    let edited = env.json(
        "ada",
        &[
            "api",
            "PUT",
            &format!("/spaces/{}/edit/", id(&created)),
            "--data",
            &format!("@{}", body.display()),
        ],
    );
    assert_eq!(edited["name"], "from file");
    let searched = env.json("ada", &["api", "GET", "/spaces/?q=file&limit=5"]);
    assert_eq!(searched["items"][0]["id"], created["id"]);
    let piped = env.json_in(
        "ada",
        &["api", "POST", "/spaces/create", "--data", "-"],
        Some(r#"{"name":"piped"}"#),
    );
    assert_eq!(piped["name"], "piped");

    let missing = env.fails("ada", &["api", "GET", "/spaces/999999/view/"]);
    assert_eq!(missing.code, 1);
    assert_eq!(missing.error["code"], "not_found");
    let anonymous = env.fails("nobody", &["api", "GET", "/users/me/"]);
    assert_eq!(anonymous.code, 4);
    assert_eq!(env.fails("ada", &["api", "GET", "users/me"]).code, 2);
    assert_eq!(
        env.fails("ada", &["api", "POST", "/spaces/create", "--data", "{nope"])
            .code,
        2
    );
}

#[test]
fn completions_and_man_pages_come_from_the_command_tree() {
    let env = Env::start();
    for (shell, marker) in [
        ("bash", "_socmel()"),
        ("zsh", "#compdef socmel"),
        ("fish", "complete -c socmel"),
    ] {
        let output = env.cmd().args(["completion", shell]).output().unwrap();
        assert!(output.status.success());
        let script = String::from_utf8_lossy(&output.stdout);
        assert!(script.contains(marker), "{shell}: {script:.200}");
        assert!(script.contains("logout-all"), "{shell} knows the verbs");
    }
    assert_eq!(
        env.cmd()
            .args(["completion", "tcsh"])
            .output()
            .unwrap()
            .status
            .code(),
        Some(2)
    );

    let output = env.cmd().arg("man").output().unwrap();
    assert!(output.status.success());
    let page = String::from_utf8_lossy(&output.stdout);
    assert!(
        page.starts_with(".ie") || page.contains(".TH socmel"),
        "{page:.200}"
    );
    assert!(page.contains("Exit codes"));

    let dir = env.config.path().join("man");
    let output = env
        .cmd()
        .args(["man", "--dir", dir.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(dir.join("socmel.1").is_file());
    assert!(dir.join("socmel-space-create.1").is_file());
    assert!(dir.join("socmel-auth-login.1").is_file());
}

#[test]
fn help_documents_exit_codes_and_usage_errors_exit_2() {
    let env = Env::start();
    let output = env.cmd().arg("--help").output().unwrap();
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    for needle in [
        "Exit codes",
        "4  authentication required",
        "SOCMEL_CONFIG_DIR",
        "--json",
    ] {
        assert!(help.contains(needle), "--help lacks {needle}");
    }

    assert_eq!(env.cmd().output().unwrap().status.code(), Some(2));
    assert_eq!(
        env.cmd().arg("frobnicate").output().unwrap().status.code(),
        Some(2)
    );
    let usage = env.fails("x", &["space", "frobnicate"]);
    assert_eq!(usage.code, 2);
    assert_eq!(usage.error["code"], "usage");

    // A server that is not there: exit 1, code "connection".
    let output = env
        .cmd()
        .args(["--server", "http://127.0.0.1:9", "--json", "space", "list"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let line = String::from_utf8_lossy(&output.stderr);
    let error: Value = serde_json::from_str(line.trim()).unwrap();
    assert_eq!(error["error"]["code"], "connection");
}

#[test]
fn seed_fills_a_server_and_logs_in_on_request() {
    let env = Env::start();
    let report = env.json("default", &["seed", "--login"]);
    let users = report["users"].as_array().unwrap();
    assert_eq!(users.len(), 3);
    assert_eq!(users[0]["username"], "alice");
    assert_eq!(report["space"]["members_nbr"], 3, "both others joined");
    assert!(report["rooms"].as_array().unwrap().len() >= 3);
    assert_eq!(report["invitation"]["current_uses"], 0, "as created");
    assert_eq!(report["group"]["members"].as_array().unwrap().len(), 3);
    let messages = report["messages"].as_array().unwrap();
    for kind in ["room", "dm", "group"] {
        assert!(
            messages.iter().any(|m| m["kind"] == kind),
            "a {kind} message"
        );
    }

    let posts = report["posts"].as_array().unwrap();
    assert_eq!(posts.len(), 3);
    assert_eq!(posts[0]["tags"], serde_json::json!(["welcome", "rust"]));
    assert_eq!(posts[0]["likes_nbr"], 1);
    assert_eq!(posts[0]["comments_nbr"], 1);
    assert!(posts.iter().any(|p| p["space_id"] == report["space"]["id"]));
    assert!(report["follow"]["follow_id"].is_i64());
    assert_eq!(report["comments"][0]["post_id"], posts[0]["id"]);

    // --login stored alice in the profile: her world is there.
    assert_eq!(env.json("default", &["user", "me"])["username"], "alice");
    let inbox = env.json("default", &["inbox"]);
    assert!(inbox["items"].as_array().unwrap().len() >= 3);
    let space = id(&report["space"]);
    let members = env.json("default", &["space", "members", &space]);
    assert_eq!(members["items"].as_array().unwrap().len(), 3);
    let followers = env.json("default", &["follow", "list", "followers"]);
    assert_eq!(followers["items"][0]["username"], "bob");
    let notifications = env.json("default", &["notifications"]);
    assert!(notifications["items"].as_array().unwrap().len() >= 3);

    // Seeding again clashes on the space name and says how to avoid it; a prefix works.
    let again = env.fails("other", &["seed"]);
    assert_eq!(again.code, 1);
    assert!(again.error["detail"].as_str().unwrap().contains("--prefix"));
    let second = env.json("other", &["seed", "--prefix", "b-"]);
    assert_eq!(second["users"][0]["username"], "b-alice");
}

/// `api -f/-F` fields (query of a GET, JSON body otherwise), `-i` headers, `--paginate`.
#[test]
fn api_takes_fields_shows_headers_and_follows_pages() {
    let env = Env::start();
    env.user("ada");
    let created = env.json(
        "ada",
        &["api", "POST", "/spaces/create", "-f", "name=attic"],
    );
    assert_eq!(created["name"], "attic");
    env.json(
        "ada",
        &["api", "POST", "/spaces/create", "-F", "name=cellar"],
    );
    for name in ["alpha", "beta", "gamma"] {
        env.json(
            "ada",
            &[
                "api",
                "POST",
                "/spaces/create",
                "--raw-field",
                &format!("name={name}"),
            ],
        );
    }
    let searched = env.json(
        "ada",
        &["api", "GET", "/spaces/", "-f", "q=att", "-F", "limit=5"],
    );
    assert_eq!(searched["items"][0]["name"], "attic");
    assert_eq!(searched["items"].as_array().unwrap().len(), 1);
    let typed = env.fails("ada", &["api", "GET", "/spaces/", "-F", "limit=true"]);
    assert_eq!(typed.code, 1, "a typed field reaches the server as typed");

    // --paginate: every page, items merged, next_cursor null.
    let all = env.json("ada", &["api", "GET", "/spaces/?limit=2", "--paginate"]);
    assert_eq!(all["items"].as_array().unwrap().len(), 5);
    assert!(all["next_cursor"].is_null());
    // An upstream bare array follows X-Next-Cursor.
    for n in 0..3 {
        env.json("ada", &["post", "create", &format!("post {n}"), "text"]);
    }
    let me = env.json("ada", &["user", "me"]);
    let path = format!("/posts/user/{}/all/?page_size=2", me["id"]);
    let posts = env.json("ada", &["api", "GET", &path, "--paginate"]);
    assert_eq!(posts.as_array().unwrap().len(), 3, "{posts}");

    // -i: the status line and headers, then the body.
    let output = env
        .cmd()
        .args(["-P", "ada", "api", "-i", "GET", "/users/me/"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("HTTP 200"));
    assert!(text.contains("content-type: application/json"), "{text}");
    assert!(text.trim_end().ends_with('}'), "{text}");
    // -i on a refusal: status, headers and body on stdout, the error on stderr, exit 1.
    let output = env
        .cmd()
        .args(["-P", "ada", "api", "-i", "GET", "/spaces/999999/view/"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.starts_with("HTTP 404\n"), "{text}");
    assert!(text.contains("\"code\":\"not_found\""), "{text}");
    assert!(String::from_utf8_lossy(&output.stderr).starts_with("error: "));
    // Bad fields are usage errors.
    assert_eq!(
        env.fails("ada", &["api", "GET", "/spaces/", "-f", "novalue"])
            .code,
        2
    );
}

/// A reader that goes away (`socmel … | head -1`) ends the command with exit 0 and no
/// panic, for generated output and for listings alike.
#[test]
fn a_closed_stdout_ends_quietly() {
    let env = Env::start();
    env.user("ada");
    env.json("ada", &["space", "create", "lounge"]);
    for args in [
        &["completion", "zsh"][..],
        &["man"],
        &["-P", "ada", "space", "list"],
        &["-P", "ada", "space", "list", "--json"],
        &[
            "-P",
            "ada",
            "room",
            "list",
            "lounge",
            "--jq",
            ".items[].name",
        ],
    ] {
        // The pipe's reading end is closed before the command writes anything.
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_socmel"))
            .env("SOCMEL_SERVER", &env.server.url)
            .env("SOCMEL_CONFIG_DIR", env.config.path())
            .env_remove("SOCMEL_TOKEN")
            .args(args)
            .stdout(writer)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
    // Notices go to stderr: a closed stderr ends as quietly (`… 2>&1 | head -1`).
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_socmel"))
        .env("SOCMEL_SERVER", &env.server.url)
        .env("SOCMEL_CONFIG_DIR", env.config.path())
        .env_remove("SOCMEL_TOKEN")
        .args(["-P", "ada", "space", "create", "attic"])
        .stderr(writer)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(!output.stdout.is_empty(), "the id was printed");
}

/// A 422 is told once: its detail names the fields, and they are not listed again.
#[test]
fn validation_errors_are_printed_once() {
    let env = Env::start();
    env.user("ada");
    let title = "t".repeat(300);
    let output = env
        .cmd()
        .args(["-P", "ada", "post", "create", &title, "body"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.matches("title").count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("error: invalid input (title:"),
        "{stderr}"
    );
}
