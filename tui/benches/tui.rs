//! `cargo bench -p socmel-tui --bench tui`: what a person feels of the terminal app,
//! as one JSON document on stdout (BENCHMARKS.md, "The terminal app").
//!
//! - `first_frame_ms`: from starting `socmel-tui` (a stored session) until its first
//!   frame is on the pseudo-terminal.
//! - `render_us`: drawing a room with 10,000 loaded messages at 200×60, scrolling a line
//!   per frame so every frame changes (p50/p99/max over 500 frames).
//! - `rss_kib`: the app's resident memory, idle and connected, after its open room has
//!   10,000 messages (pushed live by a second user).
//! - `idle`: CPU time and wake-ups of the connected app over 10 s with nothing happening.
//!
//! Debug builds of the server make the setup slow, not the figures: the app itself is
//! built with the bench profile.

use std::{
    io::Read,
    time::{Duration, Instant},
};

use chrono::{DateTime, Utc};
use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use ratatui::{Terminal, backend::TestBackend};
use socmel_client::{
    Client,
    profiles::{Credentials, Profile},
    types::{
        MessageId, RoomId, SpaceId, Timestamp, UserId,
        auth::UserCreate,
        conversations::Conversation,
        invitations::InvitationCreate,
        messages::{Message, RoomMessage, SendMessage},
        rooms::RoomCreate,
        spaces::SpaceCreate,
    },
};
use socmel_server::config::{Config, Secret};
use socmel_tui::{
    app::App,
    keymap::Keymap,
    msg::{Link, Msg, NetEvent},
    people::Person,
    ui,
};

const MESSAGES: i64 = 10_000;

fn main() {
    let render = render_times();
    let server = start_server();
    let url = server.1.clone();
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let config = tempfile::tempdir().expect("config dir");
    let (bob, room) = runtime.block_on(seed(&url, config.path()));
    let (first_frame, mut child, pid, screen) = spawn_tui(config.path());
    wait_screen(&screen, "connected");
    let idle = idle_costs(pid, Duration::from_secs(10));
    let rss_idle = rss_kib(pid);
    // Open the room, then 10,000 messages arrive live (in order, a few at a time).
    write_keys(&screen, b"\x0b");
    wait_screen(&screen, "Jump to");
    write_keys(&screen, b"general");
    std::thread::sleep(Duration::from_millis(300));
    write_keys(&screen, b"\r");
    wait_screen(&screen, "# lounge / general");
    runtime.block_on(async {
        for i in 0..MESSAGES {
            bob.send_message(&SendMessage::text(room, format!("message number {i}")))
                .await
                .expect("send");
        }
    });
    wait_screen(&screen, &format!("message number {}", MESSAGES - 1));
    let rss_loaded = rss_kib(pid);
    let _ = child.kill();
    let report = serde_json::json!({
        "first_frame_ms": first_frame.as_secs_f64() * 1000.0,
        "render_us": render,
        "rss_kib": { "idle_connected": rss_idle, "with_10000_messages": rss_loaded },
        "idle": idle,
    });
    println!("{}", serde_json::to_string_pretty(&report).expect("json"));
    drop(server);
}

fn at(minute: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_800_000_000 + minute * 60, 0).expect("time")
}

fn render_times() -> serde_json::Value {
    let mut app = App::new(
        Keymap::default(),
        "http://127.0.0.1:8000",
        Some(Person {
            id: UserId(1),
            username: "ada".into(),
            display_name: None,
        }),
    );
    app.now = at(MESSAGES);
    app.init();
    app.update(Msg::Net(NetEvent::Link(Link::Connected)));
    let room = Conversation::Room {
        space_id: SpaceId(1),
        room_id: RoomId(1),
    };
    let mut cmds = Vec::new();
    app.open(room, &mut cmds);
    let messages = (0..MESSAGES)
        .map(|i| {
            Message::Room(RoomMessage {
                id: MessageId(i + 1),
                content: format!(
                    "message number {i}, long enough to wrap now and then when the pane is narrow"
                ),
                sender_id: UserId(1 + i % 4),
                sender: socmel_client::types::users::UserSummary {
                    id: UserId(1 + i % 4),
                    username: format!("user{}", 1 + i % 4),
                    display_name: None,
                    pfp: None,
                },
                space_id: SpaceId(1),
                room_id: RoomId(1),
                timestamp: Timestamp(at(i / 3)),
                parent_message_id: None,
                edited_at: None,
                attachments: Vec::new(),
            })
        })
        .collect();
    app.update(Msg::Net(NetEvent::History {
        conversation: room,
        before: None,
        messages,
        complete: true,
    }));
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).expect("terminal");
    let mut times = Vec::new();
    for frame in 0..520 {
        if let Some(timeline) = app.timelines.get_mut(&room) {
            timeline.scroll = frame % 40;
        }
        let started = Instant::now();
        terminal
            .draw(|f| {
                ui::draw(f, &mut app);
            })
            .expect("draw");
        if frame >= 20 {
            times.push(started.elapsed().as_secs_f64() * 1e6);
        }
    }
    times.sort_by(f64::total_cmp);
    let pick = |q: f64| times[((times.len() - 1) as f64 * q) as usize];
    serde_json::json!({ "p50": pick(0.5), "p99": pick(0.99), "max": pick(1.0), "frames": times.len() })
}

fn start_server() -> (tokio::runtime::Runtime, String, tempfile::TempDir) {
    let data = tempfile::tempdir().expect("data dir");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    let mut config = Config::with_data_dir(data.path());
    config.secret_key = Some(Secret::new("bench-secret-key-bench-secret-key-0123456789"));
    config.rate_limits = "off".parse().expect("rate limits");
    runtime.spawn(async move {
        let _ = socmel_server::serve(config, listener, std::future::pending()).await;
    });
    (runtime, url, data)
}

async fn seed(url: &str, config_dir: &std::path::Path) -> (Client, Conversation) {
    let account = |name: &'static str| async move {
        let client = Client::new(url).expect("client");
        client
            .register(&UserCreate {
                username: name.into(),
                email: format!("{name}@example.com"),
                password: "correct horse battery".into(),
            })
            .await
            .expect("register");
        let tokens = client
            .login(name, "correct horse battery")
            .await
            .expect("login");
        client.set_token(Some(tokens.access_token.clone()));
        (client, tokens)
    };
    let (ada, tokens) = account("ada").await;
    let (bob, _) = account("bob").await;
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
                max_uses: 1,
                expires_at: Timestamp(Utc::now() + chrono::Duration::hours(1)),
            },
        )
        .await
        .expect("invitation");
    bob.join_space(space.id, &invitation.token.expect("token"))
        .await
        .expect("join");
    let mut creds = Credentials::load_in(config_dir).expect("credentials");
    let mut profile = Profile {
        server: url.to_owned(),
        username: Some("ada".into()),
        ..Profile::default()
    };
    profile.set_tokens(&tokens);
    creds.profiles.insert("default".into(), profile);
    creds.save().expect("save");
    (
        bob,
        Conversation::Room {
            space_id: space.id,
            room_id: room.id,
        },
    )
}

type Screen = std::sync::Arc<std::sync::Mutex<(vt100::Parser, Box<dyn std::io::Write + Send>)>>;

fn spawn_tui(
    config_dir: &std::path::Path,
) -> (
    Duration,
    Box<dyn portable_pty::Child + Send + Sync>,
    u32,
    Screen,
) {
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 60,
            cols: 200,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("pty");
    let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_socmel-tui"));
    command.env("SOCMEL_CONFIG_DIR", config_dir);
    command.env("TERM", "xterm-256color");
    let started = Instant::now();
    let child = pty.slave.spawn_command(command).expect("spawn");
    drop(pty.slave);
    let pid = child.process_id().expect("pid");
    let mut reader = pty.master.try_clone_reader().expect("reader");
    let writer = pty.master.take_writer().expect("writer");
    let screen: Screen = std::sync::Arc::new(std::sync::Mutex::new((
        vt100::Parser::new(
            60.try_into().expect("rows"),
            200.try_into().expect("cols"),
            0,
        ),
        writer,
    )));
    let feed = screen.clone();
    std::thread::spawn(move || {
        let _master = pty.master;
        let mut buf = [0u8; 65536];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            let mut guard = feed.lock().expect("screen");
            let (parser, writer) = &mut *guard;
            parser.process(&buf[..n]);
            if buf[..n].windows(3).any(|w| w == b"\x1b[c") {
                let _ = writer.write_all(b"\x1b[?1;2c");
            }
        }
    });
    wait_screen(&screen, "SocMel");
    (started.elapsed(), child, pid, screen)
}

fn wait_screen(screen: &Screen, text: &str) {
    let deadline = Instant::now() + Duration::from_secs(600);
    while !screen
        .lock()
        .expect("screen")
        .0
        .screen()
        .contents()
        .contains(text)
    {
        assert!(Instant::now() < deadline, "never showed {text}");
        std::thread::sleep(Duration::from_millis(2));
    }
}

fn write_keys(screen: &Screen, bytes: &[u8]) {
    let mut guard = screen.lock().expect("screen");
    guard.1.write_all(bytes).expect("keys");
    guard.1.flush().expect("flush");
}

fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// CPU ticks and context switches (wake-ups) of every thread of `pid` over `window`.
fn idle_costs(pid: u32, window: Duration) -> serde_json::Value {
    let sample = || {
        let mut cpu = 0u64;
        let mut switches = 0u64;
        if let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) {
            for task in tasks.flatten() {
                let path = task.path();
                if let Ok(stat) = std::fs::read_to_string(path.join("stat")) {
                    let fields: Vec<&str> = stat
                        .rsplit(')')
                        .next()
                        .unwrap_or("")
                        .split_whitespace()
                        .collect();
                    cpu += fields
                        .get(11)
                        .and_then(|v| v.parse::<u64>().ok())
                        .unwrap_or(0);
                    cpu += fields
                        .get(12)
                        .and_then(|v| v.parse::<u64>().ok())
                        .unwrap_or(0);
                }
                if let Ok(status) = std::fs::read_to_string(path.join("status")) {
                    for line in status.lines() {
                        if let Some(v) = line
                            .strip_prefix("voluntary_ctxt_switches:")
                            .or_else(|| line.strip_prefix("nonvoluntary_ctxt_switches:"))
                        {
                            switches += v.trim().parse::<u64>().unwrap_or(0);
                        }
                    }
                }
            }
        }
        (cpu, switches)
    };
    let (cpu0, sw0) = sample();
    std::thread::sleep(window);
    let (cpu1, sw1) = sample();
    serde_json::json!({
        "seconds": window.as_secs(),
        "cpu_ms": (cpu1 - cpu0) * 10,
        "wakeups": sw1 - sw0,
    })
}
