//! What the end-to-end tests and the benchmark share: a real server on 127.0.0.1 that
//! can crash and come back, the real `socmel-tui` binary in a pseudo-terminal
//! (portable-pty, its screen read back through vt100), and two people to chat.
//!
//! Each user of this module needs part of it (the benchmark never crashes a server,
//! the tests never read memory figures), hence the allowance below.
#![allow(dead_code)]

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
        Timestamp, auth::UserCreate, conversations::Conversation, invitations::InvitationCreate,
        rooms::RoomCreate, spaces::SpaceCreate,
    },
};
use socmel_server::config::{Config, Secret};

const SECRET: &str = "test-secret-key-test-secret-key-0123456789";
pub const PASSWORD: &str = "correct horse battery";

/// A server that can be crashed and started again on the same address and database.
/// It runs in this process on a runtime of its own, so a crash is that runtime dropped
/// at once (every socket cut, nothing flushed by a goodbye).
pub struct Server {
    data_dir: tempfile::TempDir,
    database_url: String,
    addr: SocketAddr,
    runtime: Option<tokio::runtime::Runtime>,
}

impl Server {
    /// On SQLite, or on a fresh database of `TEST_DATABASE_URL`'s PostgreSQL when set.
    pub fn start() -> Self {
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

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn boot(&mut self) {
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
                Err(_) if Instant::now() < deadline => {
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
    pub fn crash(&mut self) {
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

/// SQLite in `dir`, or a fresh database on `TEST_DATABASE_URL` (the shared harness).
fn database_url(dir: &std::path::Path) -> String {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(socmel_test_support::database_url(dir))
}

/// The TUI in a pseudo-terminal, its screen kept current by a reader thread that also
/// answers the queries a real terminal answers.
pub struct Tui {
    screen: Arc<Mutex<vt100::Parser<Seen>>>,
    writer: Arc<Mutex<Box<dyn Write + Send>>>,
    pub child: Box<dyn portable_pty::Child + Send + Sync>,
    /// When the process was started.
    pub started: Instant,
}

/// How the terminal looks to the app.
pub struct Term {
    pub rows: u16,
    pub cols: u16,
    /// `NO_COLOR` set: the screen text is the same, the escape sequences fewer.
    pub no_color: bool,
    /// `SOCMEL_NOTIFY`: how the app asks for attention.
    pub notify: &'static str,
}

/// What the terminal was asked that leaves no trace on the screen.
#[derive(Debug, Default)]
pub struct Seen {
    pub bells: usize,
    /// Desktop notifications (OSC 9 or 777), as `title: body`.
    pub notifications: Vec<String>,
}

impl vt100::Callbacks for Seen {
    fn audible_bell(&mut self, _: &mut vt100::Screen) {
        self.bells += 1;
    }

    fn unhandled_osc(&mut self, _: &mut vt100::Screen, params: &[&[u8]]) {
        let text = |parts: &[&[u8]], separator: &str| {
            parts
                .iter()
                .map(|part| String::from_utf8_lossy(part).into_owned())
                .collect::<Vec<_>>()
                .join(separator)
        };
        match params {
            [b"9", rest @ ..] => self.notifications.push(text(rest, ";")),
            [b"777", b"notify", rest @ ..] => self.notifications.push(text(rest, ": ")),
            _ => {}
        }
    }
}

impl Tui {
    pub fn spawn(config_dir: &std::path::Path, term: Term) -> Self {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: term.rows,
                cols: term.cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("pty");
        let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_socmel-tui"));
        command.env("SOCMEL_CONFIG_DIR", config_dir);
        command.env("TERM", "xterm-256color");
        if term.no_color {
            command.env("NO_COLOR", "1");
        } else {
            command.env_remove("NO_COLOR");
        }
        command.env("SOCMEL_NOTIFY", term.notify);
        // An "editor" that changes the draft without a terminal: `draft` → `bob`.
        command.env("VISUAL", "sed -i s/draft/bob/");
        // Whichever terminal runs the tests, the app talks to this one.
        command.env_remove("TERM_PROGRAM");
        command.env_remove("KITTY_WINDOW_ID");
        command.env_remove("SOCMEL_SERVER");
        command.env_remove("SOCMEL_PROFILE");
        let started = Instant::now();
        let child = pty.slave.spawn_command(command).expect("spawn socmel-tui");
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().expect("reader");
        let writer = Arc::new(Mutex::new(pty.master.take_writer().expect("writer")));
        let screen = Arc::new(Mutex::new(vt100::Parser::new_with_callbacks(
            term.rows.try_into().expect("rows"),
            term.cols.try_into().expect("cols"),
            0,
            Seen::default(),
        )));
        let (screen_in, answer) = (screen.clone(), writer.clone());
        std::thread::spawn(move || {
            // Keep the master open while the child runs.
            let _master = pty.master;
            let mut buf = [0u8; 65536];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        let bytes = &buf[..n];
                        // Device attributes: no keyboard-protocol support.
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
            started,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("pid")
    }

    pub fn text(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    /// Bells rung and desktop notifications asked for so far.
    pub fn seen(&self) -> (usize, Vec<String>) {
        let screen = self.screen.lock().unwrap();
        let seen = screen.callbacks();
        (seen.bells, seen.notifications.clone())
    }

    pub fn alternate_screen(&self) -> bool {
        self.screen.lock().unwrap().screen().alternate_screen()
    }

    /// Waits until `check` holds for the screen, or fails showing the screen.
    pub fn wait_within(&self, limit: Duration, what: &str, check: impl Fn(&str) -> bool) {
        let deadline = Instant::now() + limit;
        loop {
            let text = self.text();
            if check(&text) {
                return;
            }
            if Instant::now() > deadline {
                panic!("timed out waiting for {what}; the screen:\n{text}");
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Waits (20 s at most) until `check` holds for the screen.
    pub fn wait(&self, what: &str, check: impl Fn(&str) -> bool) {
        self.wait_within(Duration::from_secs(20), what, check);
    }

    pub fn wait_for(&self, needle: &str) {
        self.wait(needle, |text| text.contains(needle));
    }

    pub fn send(&self, bytes: &[u8]) {
        let mut writer = self.writer.lock().unwrap();
        writer.write_all(bytes).expect("write to the pty");
        writer.flush().expect("flush the pty");
    }

    /// Text as typed, key by key.
    pub fn type_text(&self, text: &str) {
        for c in text.chars() {
            self.send(c.to_string().as_bytes());
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Ctrl+K, the name, Enter: opens a conversation through the switcher.
    pub fn jump_to(&self, name: &str, title: &str) {
        self.send(b"\x0b");
        self.wait_for("Jump to");
        self.type_text(name);
        self.send(b"\r");
        self.wait_for(title);
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

/// ada and bob, signed in through the client, and the runtime their calls run on.
pub struct Users {
    pub runtime: tokio::runtime::Runtime,
    pub ada: Client,
    pub bob: Client,
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
pub fn users(server: &Server, config_dir: &std::path::Path) -> (Users, Conversation) {
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
