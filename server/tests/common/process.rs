//! The `socmel-server` binary as a process of its own, on a data folder the test keeps,
//! so a test can kill it with SIGKILL and start it again on the same files.

use std::{
    net::TcpListener,
    path::{Path, PathBuf},
    process::Stdio,
    time::Duration,
};

use socmel_client::Client;
use tokio::process::{Child, Command};

use super::TEST_SECRET;

pub struct ServerProcess {
    pub url: String,
    child: Child,
}

impl ServerProcess {
    /// Starts the server on `data_dir` (SQLite in `socmel.db`) with `env` set, and
    /// waits until it answers.
    pub async fn start(data_dir: &Path, env: &[(&str, &str)]) -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port")
            .port();
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(data_dir.join("server.log"))
            .expect("the server's log file");
        let mut command = Command::new(env!("CARGO_BIN_EXE_socmel-server"));
        command
            .current_dir(data_dir)
            .env("BIND", format!("127.0.0.1:{port}"))
            .env("DATA_DIR", data_dir)
            .env_remove("DATABASE_URL")
            .env("RATE_LIMITS", "off")
            .env("SECRET_KEY", TEST_SECRET)
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log"))
            .stderr(log)
            .kill_on_drop(true);
        for (name, value) in env {
            command.env(name, value);
        }
        let child = command.spawn().expect("starting socmel-server");
        let server = Self {
            url: format!("http://127.0.0.1:{port}"),
            child,
        };
        let client = server.client();
        for _ in 0..400 {
            if client.health().await.is_ok() {
                return server;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!(
            "the server did not answer:\n{}",
            std::fs::read_to_string(data_dir.join("server.log")).unwrap_or_default()
        );
    }

    pub fn client(&self) -> Client {
        Client::new(&self.url).expect("client")
    }

    /// SIGKILL: no shutdown, no flush, no closing of the database.
    pub async fn kill(mut self) {
        self.child.kill().await.expect("SIGKILL");
    }
}

/// The database file of a server started on `data_dir`.
pub fn database(data_dir: &Path) -> PathBuf {
    data_dir.join("socmel.db")
}

/// `-wal` beside `database`.
pub fn log_of(database: &Path) -> PathBuf {
    let mut log = database.as_os_str().to_owned();
    log.push("-wal");
    log.into()
}
