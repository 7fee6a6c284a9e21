//! `socmel-server`: configuration → logs → database → serve until SIGINT/SIGTERM.
#![cfg_attr(not(test), warn(clippy::unwrap_used))]

use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};
use socmel_server::Config;

#[derive(Debug, Parser)]
#[command(
    name = "socmel-server",
    version,
    about = "The SocMel social and chat server"
)]
struct Cli {
    #[command(flatten)]
    config: Config,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the API (the default).
    Serve,
    /// Run one background job now and print what it did (JSON).
    Jobs {
        #[command(subcommand)]
        action: JobsAction,
    },
    /// Print the OpenAPI document (JSON) and exit; `--output` writes it to a file.
    Openapi {
        #[arg(long)]
        output: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
enum JobsAction {
    /// Run a job once, against the configured database.
    Run { job: socmel_server::jobs::Job },
}

/// Many small, short-lived allocations per request (rows, DTOs, JSON): mimalloc serves
/// them from per-thread pages, where glibc's malloc spent a fifth of a feed read.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // One TLS provider for the whole process (PostgreSQL TLS, outbound HTTPS).
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    // A `.env` beside the server is optional; real environment variables win.
    let _ = dotenvy::dotenv();
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Openapi { output }) => {
            let spec = socmel_server::openapi_json();
            match output {
                Some(path) => std::fs::write(&path, spec)
                    .with_context(|| format!("writing {}", path.display()))?,
                None => print!("{spec}"),
            }
            Ok(())
        }
        Some(Command::Jobs {
            action: JobsAction::Run { job },
        }) => {
            socmel_server::init_tracing(cli.config.log_format);
            let services = socmel_server::build_services(&cli.config).await?;
            let report = socmel_server::jobs::run(&services, job).await?;
            println!("{}", serde_json::to_string_pretty(&report)?);
            services.store().close().await;
            Ok(())
        }
        Some(Command::Serve) | None => {
            socmel_server::init_tracing(cli.config.log_format);
            raise_open_file_limit();
            let listener = tokio::net::TcpListener::bind(cli.config.bind)
                .await
                .with_context(|| format!("binding {}", cli.config.bind))?;
            socmel_server::serve(cli.config, listener, shutdown_signal()).await
        }
    }
}

/// Every connection holds a file descriptor: lift the soft limit to the hard one so
/// that thousands of WebSockets fit without tuning the shell first.
fn raise_open_file_limit() {
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => tracing::info!(limit, "open-file limit"),
        Err(err) => tracing::warn!(error = %err, "could not raise the open-file limit"),
    }
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
