//! What an acknowledged write survives: the server killed with SIGKILL and restarted
//! on the same files, while another process reads the database and backs it up.

use crate::common;

use std::path::Path;

use common::{
    PASSWORD,
    process::{ServerProcess, database, log_of},
};
use socmel_client::{
    Client, HistoryPage,
    types::{
        UserId,
        auth::UserCreate,
        messages::{Conversation, SendMessage},
    },
};

async fn sign_up(server: &ServerProcess, name: &str) -> (Client, UserId) {
    let client = server.client();
    let user = client
        .register(&UserCreate {
            username: name.into(),
            email: format!("{name}@example.com"),
            password: PASSWORD.into(),
        })
        .await
        .expect("register");
    let tokens = client.login(name, PASSWORD).await.expect("login");
    (client.with_token(tokens.access_token), user.id)
}

async fn send_dms(from: &Client, to: UserId, range: std::ops::Range<usize>) {
    for n in range {
        let dm = SendMessage::text(Conversation::Dm { user_id: to }, format!("dm {n}"));
        from.send_message(&dm).await.expect("an acknowledged DM");
    }
}

async fn history_len(server: &ServerProcess, token: &str, with: UserId) -> usize {
    let client = server.client().with_token(token.to_owned());
    let page = HistoryPage {
        before: None,
        limit: Some(100),
    };
    client.dm_history(with, page).await.expect("history").len()
}

/// What an administrator does to a live database: an integrity check and an online
/// backup with the `sqlite3` shell, in processes of their own that then exit.
fn check_and_back_up(database: &Path, backup: &Path) {
    assert_eq!(sqlite3(database, "PRAGMA integrity_check"), "ok");
    sqlite3(database, &format!(".backup '{}'", backup.display()));
    assert_eq!(sqlite3(backup, "PRAGMA integrity_check"), "ok");
}

/// Runs `sql` in the `sqlite3` shell (CI installs it) and returns what it printed.
fn sqlite3(database: &Path, sql: &str) -> String {
    let out = std::process::Command::new("sqlite3")
        .arg(database)
        .arg(sql)
        .output()
        .expect("the sqlite3 shell (apt-get install sqlite3)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

/// Closing a descriptor of the database file drops every lock the process holds on
/// it; an outside connection that then believed itself the last one checkpointed and
/// deleted the log, and every commit after that went to a deleted file.
#[tokio::test]
async fn acknowledged_messages_survive_a_kill_after_an_outside_connection_closed() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path());
    let server = ServerProcess::start(dir.path(), &[]).await;
    let (ada, ada_id) = sign_up(&server, "ada").await;
    let (bob, bob_id) = sign_up(&server, "bob").await;
    let ada_token = ada.token().expect("signed in");
    send_dms(&ada, bob_id, 0..5).await;

    check_and_back_up(&db, &dir.path().join("backup.db"));
    let log_kept = log_of(&db).exists();

    send_dms(&ada, bob_id, 5..55).await;
    assert_eq!(history_len(&server, &ada_token, bob_id).await, 55);
    server.kill().await;

    let server = ServerProcess::start(dir.path(), &[]).await;
    let bob_token = bob.token().expect("signed in");
    assert_eq!(
        history_len(&server, &bob_token, ada_id).await,
        55,
        "every acknowledged DM is back after the restart"
    );
    assert!(
        log_kept,
        "the outside connection knew the server still had the database open"
    );
    server.kill().await;
    assert_eq!(sqlite3(&db, "PRAGMA integrity_check"), "ok");
}
