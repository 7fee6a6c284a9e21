//! `socmel user …` and `socmel security …`

mod common;

use common::{Env, PASSWORD, id};

#[test]
fn show_me_and_edit() {
    let env = Env::start();
    let ada = env.user("ada");
    env.user("bob");
    let me = env.json("ada", &["user", "me"]);
    assert_eq!(me, ada);
    assert_eq!(me["email"], "ada@example.com", "you see your own email");
    let seen = env.json("bob", &["user", "show", &id(&ada)]);
    assert_eq!(seen["username"], "ada");
    assert!(seen["email"].is_null(), "others do not");
    let edited = env.json("ada", &["user", "edit", "--username", "ada2"]);
    assert_eq!(edited["username"], "ada2");
    let taken = env.fails("bob", &["user", "edit", "--username", "ada2"]);
    assert_eq!(taken.code, 1);
    assert_eq!(taken.error["code"], "conflict");
    let missing = env.fails("bob", &["user", "show", "999999"]);
    assert_eq!(missing.error["code"], "not_found");
    assert_eq!(env.fails("ada", &["user", "edit"]).code, 2);
}

#[test]
fn codes_change_password_reset_password_change_email() {
    let env = Env::start();
    env.user("ada");
    let email = "ada@example.com";

    let sent = env.json(
        "ada",
        &[
            "security",
            "code",
            "--email",
            email,
            "--purpose",
            "change-password",
        ],
    );
    assert!(sent["detail"].is_string());
    let code = env.server.next_code(email, 0);
    // Current and new password, one per line on stdin.
    let changed = env.json_in(
        "ada",
        &[
            "security",
            "change-password",
            "--email",
            email,
            "--code",
            &code,
            "--password-stdin",
        ],
        Some(&format!("{PASSWORD}\nnew password 1\n")),
    );
    assert!(changed["detail"].is_string());
    let login = env.json_in(
        "ada",
        &["auth", "login", "ada", "--password-stdin"],
        Some("new password 1\n"),
    );
    assert_eq!(login["username"], "ada");

    // Reset, with the new password from SOCMEL_NEW_PASSWORD.
    env.json(
        "ada",
        &[
            "security",
            "code",
            "--email",
            email,
            "--purpose",
            "reset-password",
        ],
    );
    let code = env.server.next_code(email, 1);
    let output = env
        .cmd()
        .env("SOCMEL_NEW_PASSWORD", "new password 2")
        .args(["--profile", "ada", "--json", "security", "reset-password"])
        .args(["--email", email, "--code", &code])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    env.json_in(
        "ada",
        &["auth", "login", "ada", "--password-stdin"],
        Some("new password 2\n"),
    );
    // Without any source for the new password and no terminal: exit 2.
    let usage = env.fails(
        "ada",
        &[
            "security",
            "reset-password",
            "--email",
            email,
            "--code",
            "X",
        ],
    );
    assert_eq!(usage.code, 2);

    // Change the email.
    env.json(
        "ada",
        &[
            "security",
            "code",
            "--email",
            email,
            "--purpose",
            "change-email",
        ],
    );
    let code = env.server.next_code(email, 2);
    let changed = env.json(
        "ada",
        &[
            "security",
            "change-email",
            "--old-email",
            email,
            "--new-email",
            "ada@example.org",
            "--code",
            &code,
        ],
    );
    assert!(changed["detail"].is_string());
    // Every session ended with the change, and the profile forgot its tokens.
    assert_eq!(env.fails("ada", &["user", "me"]).code, 4);
    env.json_in(
        "ada",
        &["auth", "login", "ada@example.org", "--password-stdin"],
        Some("new password 2\n"),
    );
    assert_eq!(env.json("ada", &["user", "me"])["email"], "ada@example.org");

    // A wrong code is refused by the server (exit 1 with its code).
    let wrong = env.fails(
        "ada",
        &[
            "security",
            "change-email",
            "--old-email",
            "ada@example.org",
            "--new-email",
            "x@example.org",
            "--code",
            "WRONG",
        ],
    );
    assert_eq!(wrong.code, 1);
}
