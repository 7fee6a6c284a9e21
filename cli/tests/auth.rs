//! `socmel auth …`, profiles, the credentials file and automatic refresh.

mod common;

use common::{Env, PASSWORD};
use serde_json::Value;

fn pw() -> Option<&'static str> {
    Some("correct horse battery\n")
}

#[test]
fn register_login_status_token_refresh_logout() {
    let env = Env::start();
    let registered = env.json_in(
        "default",
        &[
            "auth",
            "register",
            "--username",
            "ada",
            "--email",
            "ada@example.com",
            "--password-stdin",
        ],
        pw(),
    );
    assert_eq!(registered["username"], "ada");
    assert!(registered["id"].as_i64().is_some());
    assert!(
        !env.credentials_path().exists(),
        "register alone stores nothing"
    );

    let me = env.json_in(
        "default",
        &["auth", "login", "ada", "--password-stdin"],
        pw(),
    );
    assert_eq!(
        me, registered,
        "login prints the signed-in user, not tokens"
    );

    let status = env.json("default", &["auth", "status"]);
    assert_eq!(status["logged_in"], true);
    assert_eq!(status["user"]["username"], "ada");
    assert_eq!(status["token_source"], "file");
    assert_eq!(status["server"], env.server.url.as_str());
    assert_eq!(status["profile"], "default");
    assert_eq!(
        status["credentials_file"],
        env.credentials_path().display().to_string()
    );
    assert!(status["expires_at"].is_string());

    let creds = env.credentials();
    let stored = &creds["default"];
    assert_eq!(stored["username"], "ada");
    assert_eq!(stored["server"], env.server.url.as_str());
    assert!(stored["refresh_token"].is_string());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(env.credentials_path())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "the token file is private");
    }

    let token = env.json("default", &["auth", "token"]);
    assert_eq!(token["access_token"], stored["access_token"]);
    assert_eq!(token["token_type"], "bearer");

    // Without --json the token is the only thing on stdout (for `$(socmel auth token)`).
    let plain = env
        .cmd()
        .args(["auth", "token"])
        .output()
        .expect("run socmel");
    assert!(plain.status.success());
    assert_eq!(
        String::from_utf8_lossy(&plain.stdout).trim(),
        stored["access_token"].as_str().unwrap()
    );

    let refreshed = env.json("default", &["auth", "refresh"]);
    assert_eq!(refreshed["profile"], "default");
    let after = env.credentials();
    assert_ne!(
        after["default"]["refresh_token"], stored["refresh_token"],
        "refresh stores the new pair"
    );
    assert_eq!(env.json("default", &["user", "me"])["username"], "ada");

    let bye = env.json("default", &["auth", "logout"]);
    assert!(bye["detail"].is_string());
    assert!(env.credentials().get("default").is_none());

    // Logged out: status still describes the profile, and exits 4.
    let output = env.run("default", &["auth", "status"], None);
    assert_eq!(output.status.code(), Some(4));
    let status: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(status["logged_in"], false);
    assert_eq!(status["token_source"], "none");
    assert!(status["user"].is_null());
    let again = env.fails("default", &["auth", "logout"]);
    assert_eq!(again.code, 4);
}

#[test]
fn login_never_prompts_without_a_terminal() {
    let env = Env::start();
    env.user("ada");
    // No stdin (not a terminal), no --password-stdin, no SOCMEL_PASSWORD.
    let failure = env.fails("other", &["auth", "login", "ada"]);
    assert_eq!(failure.code, 2);
    assert_eq!(failure.error["code"], "usage");
    let message = failure.error["detail"].as_str().unwrap();
    assert!(message.contains("--password-stdin"), "{message}");
    assert!(message.contains("SOCMEL_PASSWORD"), "{message}");

    // Human mode says the same in a sentence, with the same exit code.
    let human = env
        .cmd()
        .args(["auth", "login", "ada"])
        .output()
        .expect("run socmel");
    assert_eq!(human.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&human.stderr).contains("error: a password is needed"));

    // --password-stdin with nothing on stdin is refused the same way.
    let empty = env.fails_in(
        "other",
        &["auth", "login", "ada", "--password-stdin"],
        Some(""),
    );
    assert_eq!(empty.code, 2);

    // SOCMEL_PASSWORD works for automation.
    let output = env
        .cmd()
        .env("SOCMEL_PASSWORD", PASSWORD)
        .args(["--profile", "other", "--json", "auth", "login", "ada"])
        .output()
        .expect("run socmel");
    assert!(output.status.success());
    let me: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(me["username"], "ada");
}

#[test]
fn wrong_password_and_missing_login_exit_4() {
    let env = Env::start();
    env.user("ada");
    let wrong = env.fails_in(
        "other",
        &["auth", "login", "ada", "--password-stdin"],
        Some("not the password\n"),
    );
    assert_eq!(wrong.code, 4);
    assert_eq!(wrong.error["code"], "unauthorized");
    assert_eq!(wrong.error["status"], 401);
    // The hint fits the command: a refused login is the password, not a missing login.
    let hint = wrong.error["hint"].as_str().unwrap();
    assert!(hint.contains("password"), "{hint}");
    assert!(!hint.contains("auth login"), "{hint}");
    let output = env
        .cmd()
        .args(["-P", "other", "auth", "login", "ada", "--password-stdin"])
        .write_stdin("not the password\n")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        stderr.lines().filter(|l| l.starts_with("error:")).count(),
        1,
        "{stderr}"
    );
    assert!(
        stderr.contains("hint: check the username (or email) and the password"),
        "{stderr}"
    );

    let anonymous = env.fails("nobody", &["user", "me"]);
    assert_eq!(anonymous.code, 4);
    assert_eq!(anonymous.error["code"], "auth_required");
    assert!(
        anonymous.error["hint"]
            .as_str()
            .unwrap()
            .contains("socmel auth login")
    );
}

#[test]
fn a_rate_limited_request_says_when_to_try_again() {
    let server = common::TestServer::start_with(|config| {
        config.rate_limits = "login=1/m".parse().expect("rate limits");
    });
    let env = Env::with_server(server);
    env.user("ada"); // the one login of the minute
    let refused = env.fails_in("again", &["auth", "login", "ada", "--password-stdin"], pw());
    assert_eq!(refused.code, 1);
    assert_eq!(refused.error["status"], 429);
    let wait = refused.error["retry_after"].as_u64().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    let output = env
        .cmd()
        .args(["-P", "again", "auth", "login", "ada", "--password-stdin"])
        .write_stdin(format!("{PASSWORD}\n"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("hint: too many requests: try again in"),
        "{stderr}"
    );
}

#[test]
fn profiles_keep_accounts_apart_and_tokens_can_come_from_the_environment() {
    let env = Env::start();
    env.user("ada");
    env.user("bob");
    assert_eq!(env.json("ada", &["user", "me"])["username"], "ada");
    assert_eq!(env.json("bob", &["user", "me"])["username"], "bob");
    let creds = env.credentials();
    assert_eq!(creds["ada"]["username"], "ada");
    assert_eq!(creds["bob"]["username"], "bob");

    // SOCMEL_PROFILE picks the profile like --profile.
    let output = env
        .cmd()
        .env("SOCMEL_PROFILE", "bob")
        .args(["--json", "user", "me"])
        .output()
        .expect("run socmel");
    let me: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(me["username"], "bob");

    // SOCMEL_TOKEN overrides the stored token, and status says where it came from.
    let bob_token = creds["bob"]["access_token"].as_str().unwrap().to_owned();
    let output = env
        .cmd()
        .env("SOCMEL_TOKEN", &bob_token)
        .args(["--profile", "ada", "--json", "auth", "status"])
        .output()
        .expect("run socmel");
    assert!(output.status.success());
    let status: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(status["token_source"], "env");
    assert_eq!(status["user"]["username"], "bob");

    // A refused --token is never "refreshed" with the profile's session.
    let output = env.run("ada", &["--token", "garbage", "auth", "status"], None);
    assert_eq!(output.status.code(), Some(4));
    let status: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(status["token_source"], "flag");
    assert_eq!(status["logged_in"], false);
    assert_eq!(
        env.credentials()["ada"],
        creds["ada"],
        "the profile is untouched"
    );
}

#[test]
fn expired_or_refused_tokens_are_refreshed_automatically() {
    let env = Env::start();
    env.user("ada");
    let path = env.credentials_path();

    // An access token past its expiry is refreshed before the request.
    let mut creds = env.credentials();
    let first_refresh = creds["ada"]["refresh_token"].clone();
    creds["ada"]["expires_at"] = Value::from("2000-01-01T00:00:00.000Z");
    std::fs::write(&path, creds.to_string()).unwrap();
    assert_eq!(env.json("ada", &["user", "me"])["username"], "ada");
    let creds = env.credentials();
    assert_ne!(creds["ada"]["refresh_token"], first_refresh);
    assert_ne!(creds["ada"]["expires_at"], "2000-01-01T00:00:00.000Z");

    // A token the server refuses (401) is refreshed once and the request retried.
    let mut creds = creds;
    creds["ada"]["access_token"] = Value::from("not-a-token");
    std::fs::write(&path, creds.to_string()).unwrap();
    assert_eq!(
        env.json("ada", &["space", "mine"])["items"],
        Value::Array(vec![])
    );
    assert_ne!(env.credentials()["ada"]["access_token"], "not-a-token");

    // With a dead refresh token too, the command ends with "auth required".
    let mut creds = env.credentials();
    creds["ada"]["access_token"] = Value::from("not-a-token");
    creds["ada"]["refresh_token"] = Value::from("not-a-refresh-token");
    std::fs::write(&path, creds.to_string()).unwrap();
    let failure = env.fails("ada", &["user", "me"]);
    assert_eq!(failure.code, 4);
    assert_eq!(failure.error["code"], "auth_required");
}

#[test]
fn logout_all_ends_every_session() {
    let env = Env::start();
    env.user("ada");
    env.json_in(
        "laptop",
        &["auth", "login", "ada", "--password-stdin"],
        pw(),
    );
    let done = env.json("ada", &["auth", "logout-all"]);
    assert!(done["detail"].is_string());
    assert!(env.credentials().get("ada").is_none());
    let failure = env.fails("laptop", &["user", "me"]);
    assert_eq!(failure.code, 4, "the other device is logged out as well");
}
