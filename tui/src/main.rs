//! `socmel-tui`: chat from the terminal. Reuses the CLI's stored sign-in (`socmel auth
//! login`), or signs in itself.

use std::process::ExitCode;

use clap::Parser;
use socmel_client::{
    Client,
    profiles::{Credentials, config_dir},
};
use socmel_tui::{
    alert::{Attention, Desktop, Notifier},
    app::App,
    editor,
    keymap::Keymap,
    net,
    people::Person,
    runtime, terminal,
};

const DEFAULT_SERVER: &str = "http://127.0.0.1:8000";

/// SocMel's terminal app: rooms, DMs and group chats, live.
#[derive(Debug, Parser)]
#[command(name = "socmel-tui", version, about)]
struct Args {
    /// The stored sign-in to use (shared with `socmel`).
    #[arg(short = 'P', long, env = "SOCMEL_PROFILE", default_value = "default")]
    profile: String,
    /// The server, e.g. http://127.0.0.1:8000 (default: the profile's, else that one).
    #[arg(long, env = "SOCMEL_SERVER")]
    server: Option<String>,
    /// Leave the mouse to the terminal (text selection) instead of scrolling and clicking.
    #[arg(long)]
    no_mouse: bool,
    /// How a DM, a group message or a mention gets your attention while you look
    /// elsewhere: the terminal bell (marks the tmux window), a desktop notification
    /// through the terminal (iTerm2, kitty, Ghostty, WezTerm, foot, VTE), both, or off.
    #[arg(long, env = "SOCMEL_NOTIFY", value_enum, default_value_t = Attention::Bell)]
    notify: Attention,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("socmel-tui: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("socmel-tui: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), String> {
    let creds = Credentials::load().map_err(|e| e.0)?;
    let stored = creds.get(&args.profile).cloned();
    let server = args
        .server
        .clone()
        .or_else(|| stored.as_ref().map(|p| p.server.clone()))
        .unwrap_or_else(|| DEFAULT_SERVER.to_owned());
    let server = server.trim_end_matches('/').to_owned();
    let client = Client::new(&server).map_err(|e| e.to_string())?;
    // A profile's token belongs to its own server: never send it elsewhere.
    let signed_in = stored
        .filter(|p| p.server.trim_end_matches('/') == server)
        .and_then(|p| {
            let token = p.access_token?;
            client.set_token(Some(token));
            Some(Person {
                id: socmel_client::types::UserId(0),
                username: p.username.unwrap_or_default(),
                display_name: None,
            })
        });
    let keymap_path = config_dir().map_err(|e| e.0)?.join("keymap.toml");
    let keymap = Keymap::load(&keymap_path)?;
    let mut app = App::new(keymap, &server, signed_in);
    app.color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    app.tz = *chrono::Local::now().offset();

    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let mut net = net::Net::new(client, net::Session::new(&args.profile), tx);
    net.notify = Notifier {
        attention: args.notify,
        desktop: Desktop::from_env(|name| std::env::var(name).ok()),
    };
    loop {
        let mut term = terminal::setup(!args.no_mouse).map_err(|e| e.to_string())?;
        // A new reader each time: while the editor runs, nothing of the app may read
        // the keys meant for it.
        let events = crossterm::event::EventStream::new();
        let result = runtime::run(
            &mut term,
            events,
            &mut app,
            &mut net,
            &mut rx,
            chrono::Utc::now,
        )
        .await;
        terminal::restore();
        match result.map_err(|e| e.to_string())? {
            runtime::Exit::Quit => return Ok(()),
            runtime::Exit::Editor(draft) => {
                // What arrives meanwhile waits in the channel and is shown on return.
                let edited = tokio::task::spawn_blocking(move || editor::edit(&draft))
                    .await
                    .map_err(|e| e.to_string())?;
                app.edited(edited);
            }
        }
    }
}
