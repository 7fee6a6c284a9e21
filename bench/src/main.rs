//! `socmel-bench`: drives a SocMel server through the client crate, prints one JSON
//! report on stdout and a readable summary on stderr. See BENCHMARKS.md.

mod cli;
mod context;
mod machine;
mod ops;
mod pacing;
mod pool;
mod profile;
mod progress;
mod report;
mod roundtrip;
mod rss;
mod scenarios;
mod seed;
mod server;
mod sockets;
mod stats;
mod summary;
mod throughput;

use std::process::{Command, ExitCode};

use anyhow::Context;
use clap::Parser;
use socmel_client::Client;

use crate::{
    cli::Cli,
    context::Bench,
    machine::Machine,
    report::{Report, ScenarioReport, ServerInfo},
    server::{ServerOptions, ServerProcess},
};

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    // The socket scenarios hold thousands of connections, each a file descriptor.
    if let Err(err) = rlimit::increase_nofile_limit(u64::MAX) {
        eprintln!("socmel-bench: could not raise the open-file limit: {err}");
    }
    // Dropping `run` on a signal drops the server it started, which kills it.
    tokio::select! {
        result = run(cli) => match result {
            Ok(true) => ExitCode::SUCCESS,
            Ok(false) => ExitCode::FAILURE,
            Err(err) => {
                eprintln!("socmel-bench: {err:#}");
                ExitCode::FAILURE
            }
        },
        () = interrupted() => {
            eprintln!("socmel-bench: interrupted");
            ExitCode::from(130)
        }
    }
}

/// Runs the selected scenarios and prints the report; `false` if any scenario failed.
async fn run(cli: Cli) -> anyhow::Result<bool> {
    let started_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let profile = cli.profile();
    let server = match &cli.url {
        Some(_) => None,
        None => {
            let options = ServerOptions {
                binary: match &cli.server_bin {
                    Some(path) => path.clone(),
                    None => server::sibling_binary()?,
                },
                bind: cli.bind,
                log_filter: cli.server_log.clone(),
            };
            let server = ServerProcess::start(&options).await?;
            eprintln!("server {} started at {}", server.pid(), server.url());
            Some(server)
        }
    };
    let (url, pid) = match &server {
        Some(server) => (server.url().to_owned(), Some(server.pid())),
        None => (cli.url.clone().unwrap_or_default(), cli.server_pid),
    };
    let health = Client::new(&url)?
        .health()
        .await
        .with_context(|| format!("GET {url}/health"))?;

    let bench = Bench::new(url.clone(), pid, profile);
    let mut scenarios = Vec::new();
    for scenario in scenarios::select(&cli.scenario) {
        eprintln!("== {}: {}", scenario.name, scenario.about);
        let report = (scenario.run)(&bench)
            .await
            .unwrap_or_else(|err| ScenarioReport::failed(scenario.name, &err));
        if let Some(error) = &report.error {
            eprintln!("{} failed: {error}", scenario.name);
        }
        scenarios.push(report);
    }
    let rss_at_end = bench.server_rss().unwrap_or(None);
    if let Some(server) = server {
        server.stop().await?;
    }

    let report = Report {
        tool: "socmel-bench",
        version: env!("CARGO_PKG_VERSION"),
        started_at,
        mode: bench.profile.mode,
        machine: Machine::describe(),
        server: ServerInfo {
            url,
            started_by_bench: cli.url.is_none(),
            pid,
            database: Some(health.database),
            version: Some(health.version),
            git_revision: git_revision(),
            rss_at_end,
        },
        seed: bench.seeded().map(|population| population.report.clone()),
        scenarios,
    };
    summary::print(&report);
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(report.scenarios.iter().all(|s| s.error.is_none()))
}

/// The working copy's revision, `-dirty` when it has changes; `None` outside one.
fn git_revision() -> Option<String> {
    let output = Command::new("git")
        .args(["describe", "--always", "--dirty"])
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// Ctrl-C or SIGTERM.
async fn interrupted() {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = terminate => {}
    }
}
