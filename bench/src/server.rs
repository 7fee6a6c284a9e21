//! A server the bench starts itself: the `socmel-server` binary on a fresh SQLite
//! database in a temporary folder, a free loopback port, rate limits off and a random
//! signing key. It is killed when dropped, so an error or Ctrl-C never leaves it behind.

use std::{
    net::{SocketAddr, TcpListener},
    path::{Path, PathBuf},
    process::Stdio,
    time::Duration,
};

use anyhow::Context;
use socmel_client::Client;
use tempfile::TempDir;
use tokio::{
    process::{Child, Command},
    time::Instant,
};

const HEALTH_TIMEOUT: Duration = Duration::from_secs(60);
const LOG_FILE: &str = "server.log";
/// Lines of the server's log shown when it fails to start.
const LOG_TAIL: usize = 20;

pub struct ServerOptions {
    pub binary: PathBuf,
    /// `None`: a free port on 127.0.0.1.
    pub bind: Option<SocketAddr>,
    /// The server's `RUST_LOG`.
    pub log_filter: String,
}

pub struct ServerProcess {
    child: Child,
    url: String,
    pid: u32,
    // Deleted with the process's handle, after the kill.
    data_dir: TempDir,
}

/// `socmel-server` beside this executable, as `cargo build` lays them out.
pub fn sibling_binary() -> anyhow::Result<PathBuf> {
    let me = std::env::current_exe().context("locating the bench executable")?;
    Ok(me.with_file_name("socmel-server"))
}

impl ServerProcess {
    pub async fn start(options: &ServerOptions) -> anyhow::Result<Self> {
        anyhow::ensure!(
            options.binary.is_file(),
            "no server binary at {} (build it, or pass --server-bin)",
            options.binary.display()
        );
        let bind = match options.bind {
            Some(bind) => bind,
            None => free_port()?,
        };
        let data_dir = tempfile::Builder::new().prefix("socmel-bench-").tempdir()?;
        let log = std::fs::File::create(data_dir.path().join(LOG_FILE))?;
        let child = Command::new(&options.binary)
            // The server reads a `.env` from its working folder: an empty one has none.
            .current_dir(data_dir.path())
            .env("BIND", bind.to_string())
            .env("DATA_DIR", data_dir.path())
            .env_remove("DATABASE_URL")
            .env("RATE_LIMITS", "off")
            // Every bench client connects from 127.0.0.1; thousands of sockets at once.
            .env("MAX_CONNECTIONS_PER_ADDRESS", "0")
            .env("SECRET_KEY", hex::encode(rand::random::<[u8; 32]>()))
            .env("RUST_LOG", &options.log_filter)
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("starting {}", options.binary.display()))?;
        let pid = child.id().context("the server exited at once")?;
        let mut server = Self {
            child,
            url: format!("http://{bind}"),
            pid,
            data_dir,
        };
        server.wait_healthy().await?;
        Ok(server)
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn pid(&self) -> u32 {
        self.pid
    }

    pub async fn stop(mut self) -> anyhow::Result<()> {
        self.child.kill().await.context("stopping the server")
    }

    async fn wait_healthy(&mut self) -> anyhow::Result<()> {
        let client = Client::new(&self.url)?;
        let deadline = Instant::now() + HEALTH_TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait()? {
                anyhow::bail!("the server exited ({status}):\n{}", self.log_tail());
            }
            if client.health().await.is_ok() {
                return Ok(());
            }
            if Instant::now() >= deadline {
                anyhow::bail!(
                    "the server did not answer /health within {HEALTH_TIMEOUT:?}:\n{}",
                    self.log_tail()
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    fn log_tail(&self) -> String {
        tail(&self.data_dir.path().join(LOG_FILE))
    }
}

fn tail(path: &Path) -> String {
    let log = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = log.lines().collect();
    lines[lines.len().saturating_sub(LOG_TAIL)..].join("\n")
}

/// A port nobody listens on now. Another process could take it before the server
/// binds; on a bench machine that race is theoretical.
fn free_port() -> anyhow::Result<SocketAddr> {
    let listener = TcpListener::bind("127.0.0.1:0").context("finding a free port")?;
    Ok(listener.local_addr()?)
}
