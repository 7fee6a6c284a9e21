//! `cargo bench -p socmel-tui --bench tui`: what a person feels of the terminal app,
//! as one JSON document on stdout (BENCHMARKS.md, "The terminal app").
//!
//! - `first_frame_ms`: from starting `socmel-tui` (a stored session) until its first
//!   frame is on the pseudo-terminal.
//! - `render_us`: drawing a room with 10,000 loaded messages at 200×60, scrolling a line
//!   per frame so every frame changes (p50/p99/max over 500 frames).
//! - `rss_kib`: the app's resident memory, idle and connected, after its open room has
//!   10,000 messages (pushed live by a second user).
//! - `idle`: CPU time and wake-ups (context switches of all its threads) of the
//!   connected app over 31 s with nothing happening: one ping each way is due then.
//!
//! The server runs in this process (the same harness as the end-to-end tests), the app
//! as its own process in a pseudo-terminal, both built with the bench profile.

#[path = "../tests/support/mod.rs"]
mod support;

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use ratatui::{Terminal, backend::TestBackend};
use socmel_client::types::{
    MessageId, RoomId, SpaceId, Timestamp, UserId,
    conversations::Conversation,
    messages::{Message, RoomMessage, SendMessage},
};
use socmel_tui::{
    app::App,
    keymap::Keymap,
    msg::{Link, Msg, NetEvent},
    people::Person,
    ui,
};
use support::{Server, Term, Tui, users};

const MESSAGES: i64 = 10_000;

/// Long enough to hold a ping of each side (both ping every 30 s).
const IDLE_WINDOW: Duration = Duration::from_secs(31);

fn main() {
    let render = render_times();
    let server = Server::start();
    let config = tempfile::tempdir().expect("config dir");
    let (users, room) = users(&server, config.path());
    let tui = Tui::spawn(
        config.path(),
        Term {
            rows: 60,
            cols: 200,
            no_color: false,
            notify: "bell",
        },
    );
    tui.wait_within(Duration::from_secs(60), "the first frame", |text| {
        text.contains("SocMel")
    });
    let first_frame = tui.started.elapsed();
    tui.wait_for("connected");
    tui.wait_for("Welcome, ada");
    // Let the start-up loads settle before counting what idling costs.
    std::thread::sleep(Duration::from_secs(2));
    let pid = tui.pid();
    let idle = idle_costs(pid, IDLE_WINDOW);
    let rss_idle = rss_kib(pid);
    // Open the room, then 10,000 messages arrive live (in order, a few at a time).
    tui.jump_to("general", "# lounge / general");
    users.runtime.block_on(async {
        for i in 0..MESSAGES {
            users
                .bob
                .send_message(&SendMessage::text(room, format!("message number {i}")))
                .await
                .expect("send");
        }
    });
    let last = format!("message number {}", MESSAGES - 1);
    tui.wait_within(Duration::from_secs(600), &last, |text| text.contains(&last));
    let rss_loaded = rss_kib(pid);
    let report = serde_json::json!({
        "first_frame_ms": first_frame.as_secs_f64() * 1000.0,
        "render_us": render,
        "rss_kib": { "idle_connected": rss_idle, "with_10000_messages": rss_loaded },
        "idle": idle,
    });
    println!("{}", serde_json::to_string_pretty(&report).expect("json"));
    drop(tui);
    drop(users);
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
