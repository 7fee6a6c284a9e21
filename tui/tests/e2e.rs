//! End to end: the real `socmel-tui` binary in a pseudo-terminal (portable-pty, the screen
//! read back through vt100) against a real server on 127.0.0.1, while a second user
//! acts through `socmel-client`. Checks what a person would see: the message, the
//! typing notice, the unread count; then the server crashes and comes back, and what
//! was said meanwhile shows exactly once.
//!
//! The server runs in this process on a runtime of its own, so a crash is that runtime
//! dropped at once (every socket cut, nothing flushed by a goodbye) and the restart a
//! new server on the same address and data.

use std::{
    io::{Read, Write},
    net::SocketAddr,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use socmel_client::{
    Client,
    profiles::{Credentials, Profile},
    types::{
        Timestamp,
        auth::UserCreate,
        conversations::Conversation,
        frames::{ClientFrame, StartTyping},
        invitations::InvitationCreate,
        messages::SendMessage,
        rooms::RoomCreate,
        spaces::SpaceCreate,
    },
};
use socmel_server::config::{Config, Secret};

const SECRET: &str = "test-secret-key-test-secret-key-0123456789";
const PASSWORD: &str = "correct horse battery";
const ROWS: u16 = 40;
const COLS: u16 = 120;

/// A server that can be crashed and started again on the same address and database.
struct Server {
    data_dir: tempfile::TempDir,
    database_url: String,
    addr: SocketAddr,
    runtime: Option<tokio::runtime::Runtime>,
}

impl Server {
    fn start() -> Self {
        let data_dir = tempfile::tempdir().expect("temp dir");
        let database_url = database_url(data_dir.path());
        let mut server = Self {
            data_dir,
            database_url,
            addr: "127.0.0.1:0".parse().expect("address"),
            runtime: None,
        };
        server.boot();
        server
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn boot(&mut self) {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        // The crashed server's listener may take a moment to be released.
        let deadline = Instant::now() + Duration::from_secs(10);
        let listener = loop {
            match runtime.block_on(tokio::net::TcpListener::bind(self.addr)) {
                Ok(listener) => break listener,
                Err(err) if Instant::now() < deadline => {
                    let _ = err;
                    std::thread::sleep(Duration::from_millis(50));
                }
                Err(err) => panic!("bind {}: {err}", self.addr),
            }
        };
        self.addr = listener.local_addr().expect("address");
        let mut config = Config::with_data_dir(self.data_dir.path());
        config.secret_key = Some(Secret::new(SECRET));
        config.database_url = Some(Secret::new(self.database_url.clone()));
        config.database_max_connections = 4;
        config.rate_limits = "off".parse().expect("rate limits");
        runtime.spawn(async move {
            let _ = socmel_server::serve(config, listener, std::future::pending()).await;
        });
        self.runtime = Some(runtime);
    }

    /// Every task and socket of the server gone at once.
    fn crash(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_timeout(Duration::ZERO);
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.crash();
    }
}

fn database_url(dir: &std::path::Path) -> String {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(admin) if !admin.is_empty() => {
            let runtime = tokio::runtime::Runtime::new().expect("runtime");
            runtime.block_on(async {
                use sqlx::Connection;
                let name = format!("socmel_tui_test_{:016x}", rand_id());
                let mut conn = sqlx::PgConnection::connect(&admin).await.expect("postgres");
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .execute(&mut conn)
                    .await
                    .expect("create database");
                let (base, _) = admin.rsplit_once('/').expect("a database in the URL");
                format!("{base}/{name}")
            })
        }
        _ => format!("sqlite://{}", dir.join("socmel.db").display()),
    }
}

fn rand_id() -> u64 {
    use std::hash::{BuildHasher, RandomState};
    RandomState::new().hash_one(std::process::id())
}

/// The TUI in a pseudo-terminal, its screen kept current by a reader thread.
struct Tui {
    screen: Arc<Mutex<vt100::Parser>>,
    writer: Arc<Mutex<Box<dyn Write + Send>>>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
}

impl Tui {
    fn spawn(config_dir: &std::path::Path) -> Self {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("pty");
        let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_socmel-tui"));
        command.env("SOCMEL_CONFIG_DIR", config_dir);
        command.env("NO_COLOR", "1");
        command.env("TERM", "xterm-256color");
        command.env_remove("SOCMEL_SERVER");
        command.env_remove("SOCMEL_PROFILE");
        let child = pty.slave.spawn_command(command).expect("spawn socmel-tui");
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().expect("reader");
        let writer = Arc::new(Mutex::new(pty.master.take_writer().expect("writer")));
        let screen = Arc::new(Mutex::new(vt100::Parser::new(
            ROWS.try_into().expect("rows"),
            COLS.try_into().expect("cols"),
            0,
        )));
        let (screen_in, answer) = (screen.clone(), writer.clone());
        std::thread::spawn(move || {
            // Keep the master open while the child runs.
            let _master = pty.master;
            let mut buf = [0u8; 8192];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        let bytes = &buf[..n];
                        // Answer the terminal queries a real terminal would (device
                        // attributes; no keyboard-protocol support).
                        if bytes.windows(3).any(|w| w == b"\x1b[c") {
                            let _ = answer.lock().unwrap().write_all(b"\x1b[?1;2c");
                        }
                        let mut screen = screen_in.lock().unwrap();
                        screen.process(bytes);
                        if bytes.windows(4).any(|w| w == b"\x1b[6n") {
                            let (row, col) = screen.screen().cursor_position();
                            let reply = format!("\x1b[{};{}R", row + 1, col + 1);
                            let _ = answer.lock().unwrap().write_all(reply.as_bytes());
                        }
                    }
                }
            }
        });
        Self {
            screen,
            writer,
            child,
        }
    }

    fn text(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    fn alternate_screen(&self) -> bool {
        self.screen.lock().unwrap().screen().alternate_screen()
    }

    /// Waits until `check` holds for the screen (20 s), or fails showing the screen.
    fn wait(&self, what: &str, check: impl Fn(&str) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let text = self.text();
            if check(&text) {
                return;
            }
            if Instant::now() > deadline {
                panic!("timed out waiting for {what}; the screen:\n{text}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn wait_for(&self, needle: &str) {
        self.wait(needle, |text| text.contains(needle));
    }

    fn send(&self, bytes: &[u8]) {
        let mut writer = self.writer.lock().unwrap();
        writer.write_all(bytes).expect("write to the pty");
        writer.flush().expect("flush the pty");
    }

    /// Text as typed, key by key.
    fn type_text(&self, text: &str) {
        for c in text.chars() {
            self.send(c.to_string().as_bytes());
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

struct Users {
    runtime: tokio::runtime::Runtime,
    ada: Client,
    bob: Client,
}

async fn account(url: &str, name: &str) -> (Client, socmel_client::types::auth::TokenResponse) {
    let client = Client::new(url).expect("client");
    client
        .register(&UserCreate {
            username: name.into(),
            email: format!("{name}@example.com"),
            password: PASSWORD.into(),
        })
        .await
        .expect("register");
    let tokens = client.login(name, PASSWORD).await.expect("login");
    (client, tokens)
}

/// ada and bob, both in the space `lounge` with its room `general`; ada's sign-in is
/// stored where `socmel auth login` would put it.
fn users(server: &Server, config_dir: &std::path::Path) -> (Users, Conversation) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let url = server.url();
    let (ada, bob, room) = runtime.block_on(async {
        let (ada, ada_tokens) = account(&url, "ada").await;
        let (bob, _) = account(&url, "bob").await;
        let space = ada
            .create_space(&SpaceCreate {
                name: "lounge".into(),
            })
            .await
            .expect("space");
        let room = ada
            .add_room(
                space.id,
                &RoomCreate {
                    name: "general".into(),
                },
            )
            .await
            .expect("room");
        let invitation = ada
            .create_invitation(
                space.id,
                &InvitationCreate {
                    max_uses: 5,
                    expires_at: Timestamp(chrono::Utc::now() + chrono::Duration::hours(1)),
                },
            )
            .await
            .expect("invitation");
        let token = invitation.token.expect("the token, shown once");
        bob.join_space(space.id, &token).await.expect("join");
        let mut creds = Credentials::load_in(config_dir).expect("credentials");
        let mut profile = Profile {
            server: url.clone(),
            username: Some("ada".into()),
            ..Profile::default()
        };
        profile.set_tokens(&ada_tokens);
        creds.profiles.insert("default".into(), profile);
        creds.save().expect("save credentials");
        let room = Conversation::Room {
            space_id: space.id,
            room_id: room.id,
        };
        (ada, bob, room)
    });
    (Users { runtime, ada, bob }, room)
}

#[test]
fn chat_live_in_a_terminal_and_nothing_lost_or_doubled_across_a_server_crash() {
    let mut server = Server::start();
    let config = tempfile::tempdir().expect("config dir");
    let (users, room) = users(&server, config.path());
    let tui = Tui::spawn(config.path());
    tui.wait_for("connected");
    tui.wait_for("Welcome, ada");

    // Ctrl+K, "general", Enter.
    tui.send(b"\x0b");
    tui.wait_for("Jump to");
    tui.type_text("general");
    tui.send(b"\r");
    tui.wait_for("# lounge / general");
    tui.wait_for("No messages yet");

    // bob writes and types; ada sees both.
    users.runtime.block_on(async {
        users
            .bob
            .send_message(&SendMessage::text(room, "hello ada, are you there?"))
            .await
            .expect("send");
    });
    tui.wait_for("hello ada, are you there?");
    let mut bob_socket = users
        .runtime
        .block_on(users.bob.connect_ws(None))
        .expect("bob's socket");
    users.runtime.block_on(async {
        bob_socket
            .send(&ClientFrame::Typing(StartTyping { conversation: room }))
            .await
            .expect("typing");
    });
    tui.wait_for("bob is typing…");

    // A DM elsewhere shows as unread in the sidebar.
    let ada_id = users
        .runtime
        .block_on(users.ada.current_user())
        .expect("me")
        .id;
    users.runtime.block_on(async {
        users
            .bob
            .send_message(&SendMessage::text(
                Conversation::Dm { user_id: ada_id },
                "psst",
            ))
            .await
            .expect("dm");
    });
    tui.wait("bob's DM counted as unread", |text| {
        text.lines().any(|line| {
            let sidebar: String = line.chars().take_while(|c| *c != '│').collect();
            sidebar.contains(" bob ") && sidebar.trim_end().ends_with(" 1")
        })
    });
    tui.wait_for("1 unread");

    // ada answers from the composer; the server has it once.
    tui.type_text("hi bob!");
    tui.send(b"\r");
    tui.wait("the message acknowledged (composer empty again)", |text| {
        text.contains("hi bob!")
            && text.contains("Message # lounge / general")
            && !text.contains("sending…")
    });

    // The server crashes; bob writes as soon as it is back, before the TUI reconnects.
    server.crash();
    tui.wait_for("reconnecting");
    tui.type_text("sent while offline");
    tui.send(b"\r");
    tui.wait_for("waiting for the connection");
    // An acknowledged message survived the crash; the queued one is not sent yet.
    server.boot();
    users.runtime.block_on(async {
        users
            .bob
            .send_message(&SendMessage::text(room, "said while you were away"))
            .await
            .expect("send after restart");
    });
    tui.wait_for("said while you were away");
    tui.wait("the queued message to go out", |text| {
        text.contains("sent while offline") && !text.contains("waiting for the connection")
    });
    let screen = tui.text();
    for line in [
        "said while you were away",
        "hello ada, are you there?",
        "hi bob!",
        "sent while offline",
    ] {
        assert_eq!(
            screen.matches(line).count(),
            1,
            "{line:?} once on screen:\n{screen}"
        );
    }
    let history = users
        .runtime
        .block_on(users.ada.room_history(
            match room {
                Conversation::Room { space_id, .. } => space_id,
                _ => unreachable!(),
            },
            match room {
                Conversation::Room { room_id, .. } => room_id,
                _ => unreachable!(),
            },
            socmel_client::HistoryPage::default(),
        ))
        .expect("history");
    let texts: Vec<&str> = history.iter().map(|m| m.content.as_str()).collect();
    assert_eq!(
        texts,
        [
            "hello ada, are you there?",
            "hi bob!",
            "said while you were away",
            "sent while offline"
        ]
    );

    // Ctrl+C quits and gives the terminal back.
    tui.send(b"\x03");
    let mut tui = tui;
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = tui.child.try_wait().expect("exit status") {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "Ctrl+C did not quit:\n{}",
            tui.text()
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status:?}");
    assert!(!tui.alternate_screen(), "the alternate screen was left");
    drop(users);
}

#[test]
fn a_server_that_is_down_at_start_and_a_revoked_session() {
    let mut server = Server::start();
    let config = tempfile::tempdir().expect("config dir");
    let (users, _room) = users(&server, config.path());
    server.crash();
    let tui = Tui::spawn(config.path());
    tui.wait_for("reconnecting");
    server.boot();
    tui.wait_for("connected");
    tui.wait_for("Welcome, ada");
    // Every session of ada ends elsewhere: the TUI goes back to sign-in and says why.
    users
        .runtime
        .block_on(users.ada.logout_all())
        .expect("logout all");
    server.crash();
    server.boot();
    tui.wait_for("Sign in to SocMel");
    tui.wait_for("Your session ended");
}
