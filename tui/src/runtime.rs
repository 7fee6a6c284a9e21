//! The app loop: one task owns the state; terminal input, what the network brings and
//! the app's own deadlines meet in one `select!`. It draws only when something visible
//! changed, after handling everything already waiting (so a burst of frames is one
//! draw), and sleeps when nothing is due: an idle app wakes for nothing.
//!
//! Generic over the ratatui backend and the event source, so tests drive it with a
//! `TestBackend` and synthetic events.

use std::io;

use chrono::{DateTime, Utc};
use crossterm::event::Event;
use futures_util::{Stream, StreamExt};
use ratatui::{Terminal, backend::Backend};
use tokio::sync::mpsc;

use crate::{app::App, msg::Msg, net::Net, ui};

/// Why the loop returned.
#[derive(Debug, PartialEq, Eq)]
pub enum Exit {
    Quit,
    /// Give the terminal to the external editor with this draft, then run again.
    Editor(String),
}

pub async fn run<B, E, C>(
    terminal: &mut Terminal<B>,
    mut events: E,
    app: &mut App,
    net: &mut Net,
    rx: &mut mpsc::UnboundedReceiver<Msg>,
    clock: C,
) -> io::Result<Exit>
where
    B: Backend,
    B::Error: std::fmt::Display,
    E: Stream<Item = io::Result<Event>> + Unpin,
    C: Fn() -> DateTime<Utc>,
{
    app.now = clock();
    for cmd in app.init() {
        net.execute(cmd);
    }
    loop {
        if app.dirty {
            app.now = clock();
            let mut drawn = ui::Drawn::default();
            terminal
                .draw(|frame| drawn = ui::draw(frame, app))
                .map_err(|err| io::Error::other(err.to_string()))?;
            app.dirty = false;
            for cmd in app.after_draw(drawn.top_reached) {
                net.execute(cmd);
            }
        }
        if app.quit {
            return Ok(Exit::Quit);
        }
        if let Some(draft) = app.editor.take() {
            return Ok(Exit::Editor(draft));
        }
        let deadline = app.next_deadline().map(|at| {
            let wait = (at - clock()).to_std().unwrap_or_default();
            tokio::time::Instant::now() + wait
        });
        let msg = tokio::select! {
            event = events.next() => match event {
                Some(Ok(event)) => Msg::Term(event),
                Some(Err(err)) => return Err(err),
                None => return Ok(Exit::Quit),
            },
            msg = rx.recv() => match msg {
                Some(msg) => msg,
                None => return Ok(Exit::Quit),
            },
            () = sleep_until(deadline), if deadline.is_some() => Msg::Tick,
        };
        handle(app, net, msg, &clock);
        while let Ok(msg) = rx.try_recv() {
            handle(app, net, msg, &clock);
        }
    }
}

async fn sleep_until(deadline: Option<tokio::time::Instant>) {
    if let Some(deadline) = deadline {
        tokio::time::sleep_until(deadline).await;
    }
}

fn handle<C: Fn() -> DateTime<Utc>>(app: &mut App, net: &mut Net, msg: Msg, clock: &C) {
    app.now = clock();
    for cmd in app.update(msg) {
        net.execute(cmd);
    }
}
