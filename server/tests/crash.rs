//! The crash test: chat under load over sockets and REST, an outside `sqlite3` reading
//! and backing up the live database, then SIGKILL and a restart, three times. Every
//! acknowledged message must be in the history afterwards and the database intact.
//!
//! It takes about half a minute, so it is ignored by default; CI runs it explicitly:
//! `cargo test -p socmel-server --test crash -- --ignored`.

mod common;

use std::{
    collections::BTreeSet,
    path::Path,
    sync::{Arc, Mutex},
    time::Duration,
};

use common::{
    PASSWORD,
    process::{ServerProcess, database},
};
use socmel_client::{
    Client, HistoryPage,
    types::{
        MessageId, UserId,
        auth::UserCreate,
        frames::{Ack, ClientFrame, MessageDraft, SendDm, ServerFrame},
        messages::{Conversation, SendMessage},
    },
};

const ROUNDS: usize = 3;
/// How long each round's load runs before the kill.
const LOAD: Duration = Duration::from_secs(4);
const SOCKET_SENDERS: usize = 3;
const REST_SENDERS: usize = 3;

/// A sender, who it writes to, and the messages the server acknowledged to it.
struct Sender {
    token: String,
    id: UserId,
    to: UserId,
    acked: Arc<Mutex<BTreeSet<i64>>>,
}

async fn sign_up(server: &ServerProcess, name: &str) -> (String, UserId) {
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
    (tokens.access_token, user.id)
}

/// Sends DMs over a socket, one at a time, noting each acknowledged id, until the
/// server goes away.
async fn socket_load(client: Client, to: UserId, acked: Arc<Mutex<BTreeSet<i64>>>) {
    let Ok(mut session) = client.connect_ws(None).await else {
        return;
    };
    for n in 0.. {
        let client_id = format!("c-{n}");
        let frame = ClientFrame::Dm(SendDm {
            receiver_id: to,
            draft: MessageDraft {
                message: format!("socket message {n}"),
                parent_id: None,
                client_id: Some(client_id.clone()),
                attachment_ids: Vec::new(),
            },
        });
        if session.send(&frame).await.is_err() {
            return;
        }
        loop {
            match session.next().await {
                Some(Ok(envelope)) => match envelope.frame {
                    ServerFrame::Ack(Ack {
                        client_id: Some(acked_id),
                        id,
                        ..
                    }) if acked_id == client_id => {
                        acked.lock().unwrap().insert(id.0);
                        break;
                    }
                    ServerFrame::Error(error) => panic!("a refused message: {error:?}"),
                    _ => {}
                },
                _ => return,
            }
        }
    }
}

/// Sends DMs over REST, noting each acknowledged id, until the server goes away.
async fn rest_load(client: Client, to: UserId, acked: Arc<Mutex<BTreeSet<i64>>>) {
    for n in 0.. {
        let dm = SendMessage::text(
            Conversation::Dm { user_id: to },
            format!("rest message {n}"),
        );
        match client.send_message(&dm).await {
            Ok(message) => {
                acked.lock().unwrap().insert(message.id().0);
            }
            Err(_) => return,
        }
    }
}

/// What an administrator runs beside a live server: reads and online backups, each
/// in a `sqlite3` process of its own, until told to stop; every backup must be intact.
async fn outside_reader(database: &Path, backups: &Path, stop: Arc<Mutex<bool>>) -> usize {
    let mut taken = 0;
    while !*stop.lock().unwrap() {
        let count = sqlite3(database, "SELECT count(*) FROM messages").await;
        assert!(count.parse::<i64>().is_ok(), "a count, not {count:?}");
        let backup = backups.join(format!("backup-{taken}.db"));
        sqlite3(database, &format!(".backup '{}'", backup.display())).await;
        assert_eq!(sqlite3(&backup, "PRAGMA integrity_check").await, "ok");
        std::fs::remove_file(&backup).unwrap();
        taken += 1;
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    taken
}

async fn sqlite3(database: &Path, sql: &str) -> String {
    let out = tokio::process::Command::new("sqlite3")
        .arg(database)
        .arg(sql)
        .output()
        .await
        .expect("the sqlite3 shell (apt-get install sqlite3)");
    assert!(
        out.status.success(),
        "sqlite3 {sql}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

/// Every message id of the DM conversation between the token's owner and `with`.
async fn history(client: &Client, with: UserId) -> BTreeSet<i64> {
    let mut ids = BTreeSet::new();
    let mut before: Option<MessageId> = None;
    loop {
        let page = HistoryPage {
            before,
            limit: Some(100),
        };
        let messages = client.dm_history(with, page).await.expect("history");
        let Some(oldest) = messages.iter().map(|m| m.id).min() else {
            return ids;
        };
        ids.extend(messages.iter().map(|m| m.id.0));
        before = Some(oldest);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "about half a minute of load, kills and restarts: CI runs it explicitly"]
async fn acknowledged_messages_survive_sigkill_under_load_and_outside_backups() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path());
    let mut server = ServerProcess::start(dir.path(), &[]).await;
    let mut senders = Vec::new();
    for n in 0..SOCKET_SENDERS + REST_SENDERS {
        let (token, id) = sign_up(&server, &format!("sender{n}")).await;
        let (_, to) = sign_up(&server, &format!("receiver{n}")).await;
        senders.push(Sender {
            token,
            id,
            to,
            acked: Arc::default(),
        });
    }

    for round in 1..=ROUNDS {
        let stop = Arc::new(Mutex::new(false));
        let reader = {
            let (db, backups, stop) = (db.clone(), dir.path().to_owned(), stop.clone());
            tokio::spawn(async move { outside_reader(&db, &backups, stop).await })
        };
        let loads: Vec<_> = senders
            .iter()
            .enumerate()
            .map(|(n, sender)| {
                let client = server.client().with_token(sender.token.clone());
                let (to, acked) = (sender.to, sender.acked.clone());
                if n < SOCKET_SENDERS {
                    tokio::spawn(socket_load(client, to, acked))
                } else {
                    tokio::spawn(rest_load(client, to, acked))
                }
            })
            .collect();
        tokio::time::sleep(LOAD).await;
        server.kill().await;
        for load in loads {
            load.await.expect("a sender");
        }
        *stop.lock().unwrap() = true;
        let backups = reader.await.expect("the outside reader");
        assert!(
            backups > 0,
            "round {round}: the outside reader took backups"
        );

        server = ServerProcess::start(dir.path(), &[]).await;
        let mut acknowledged = 0;
        for sender in &senders {
            let client = server.client().with_token(sender.token.clone());
            let stored = history(&client, sender.to).await;
            let acked = sender.acked.lock().unwrap().clone();
            let lost: Vec<_> = acked.difference(&stored).collect();
            assert!(
                lost.is_empty(),
                "round {round}: sender {} lost {} of {} acknowledged messages: {lost:?}",
                sender.id,
                lost.len(),
                acked.len()
            );
            acknowledged += acked.len();
        }
        assert!(acknowledged > 0, "round {round}: the load was acknowledged");
        assert_eq!(sqlite3(&db, "PRAGMA integrity_check").await, "ok");
        eprintln!(
            "round {round}: {acknowledged} acknowledged messages, {backups} backups, none lost"
        );
    }
    server.kill().await;
}
