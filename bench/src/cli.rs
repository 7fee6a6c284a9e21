//! The command line: which scenario, which server, and overrides of the run's profile.

use std::{net::SocketAddr, path::PathBuf, time::Duration};

use clap::{
    Parser,
    builder::{PossibleValue, PossibleValuesParser},
};

use crate::{profile::Profile, report::Mode, scenarios};

#[derive(Debug, Parser)]
#[command(
    name = "socmel-bench",
    version,
    about = "Load scenarios against a SocMel server: one JSON report on stdout, a summary on stderr",
    after_help = "Without --url the bench starts its own server (socmel-server beside this \
                  executable, or --server-bin) on a fresh SQLite database, and stops it at the end."
)]
pub struct Cli {
    /// `all`, or one scenario.
    #[arg(value_parser = scenario_names())]
    pub scenario: String,

    /// Shrink every size and duration: keeps the bench working, measures nothing.
    #[arg(long)]
    pub smoke: bool,

    /// Run against this server instead of starting one.
    // Not in conflict with --bind: BIND may be set in the environment for a server.
    #[arg(long, conflicts_with = "server_bin")]
    pub url: Option<String>,

    /// The pid of the server at --url, for memory figures (null without it).
    #[arg(long, requires = "url")]
    pub server_pid: Option<u32>,

    /// The server binary to start (default: socmel-server beside this executable).
    #[arg(long)]
    pub server_bin: Option<PathBuf>,

    /// Where the started server listens (default: a free port on 127.0.0.1); ignored
    /// with --url.
    #[arg(long, env = "BIND")]
    pub bind: Option<SocketAddr>,

    /// `RUST_LOG` of the started server; per-request logs cost throughput.
    #[arg(long, default_value = "warn")]
    pub server_log: String,

    /// Seconds each phase is measured.
    #[arg(long, value_parser = seconds)]
    pub duration: Option<Duration>,

    /// Seconds of load before each phase that are not measured.
    #[arg(long, value_parser = seconds)]
    pub warmup: Option<Duration>,

    /// Concurrent workers (and connections) of the closed loops.
    #[arg(long)]
    pub concurrency: Option<usize>,

    /// Seeded users.
    #[arg(long)]
    pub users: Option<usize>,

    /// Users each seeded user follows.
    #[arg(long)]
    pub follows: Option<usize>,

    /// Seeded spaces (every user joins one).
    #[arg(long)]
    pub spaces: Option<usize>,

    /// Seeded posts.
    #[arg(long)]
    pub posts: Option<usize>,

    /// Instead of seeding, sign in as the users an earlier run against the same server
    /// seeded (its report's `seed.tag`); give that run's sizes too.
    #[arg(long, value_name = "TAG")]
    pub reuse_seed: Option<String>,

    /// Feed and history reads fetch each page whole but do not parse it: the server's
    /// cost alone, without this process parsing JSON on the same cores. It also lets
    /// one bench binary measure servers of different versions (an A/B).
    #[arg(long)]
    pub raw_reads: bool,
}

impl Cli {
    pub fn profile(&self) -> Profile {
        let mut profile = Profile::new(if self.smoke { Mode::Smoke } else { Mode::Full });
        if let Some(duration) = self.duration {
            profile.window.measure = duration;
        }
        if let Some(warmup) = self.warmup {
            profile.window.warmup = warmup;
        }
        profile.reuse_seed = self.reuse_seed.clone();
        profile.raw_reads = self.raw_reads;
        let sizes = &mut profile.sizes;
        let overrides = [
            (&mut profile.concurrency, self.concurrency),
            (&mut sizes.users, self.users),
            (&mut sizes.follows_per_user, self.follows),
            (&mut sizes.spaces, self.spaces),
            (&mut sizes.posts, self.posts),
        ];
        for (field, value) in overrides {
            if let Some(value) = value {
                *field = value;
            }
        }
        profile
    }
}

fn scenario_names() -> PossibleValuesParser {
    let all = PossibleValue::new("all").help("every scenario, in order");
    PossibleValuesParser::new(
        std::iter::once(all).chain(
            scenarios::ALL
                .iter()
                .map(|scenario| PossibleValue::new(scenario.name).help(scenario.about)),
        ),
    )
}

fn seconds(text: &str) -> Result<Duration, String> {
    let seconds: f64 = text
        .parse()
        .map_err(|_| format!("{text:?} is not a number"))?;
    Duration::try_from_secs_f64(seconds)
        .map_err(|_| format!("{text:?} is not a duration in seconds"))
}
