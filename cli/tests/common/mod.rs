//! Test harness: a real server on 127.0.0.1:0 (its own thread and runtime, so tests stay
//! plain synchronous code driving the `socmel` binary), a fresh database per test
//! (SQLite in a temp folder, or a new database on `TEST_DATABASE_URL`), and a temporary
//! config folder so the real home is never touched.
#![allow(dead_code)]

use std::{path::PathBuf, process::Output, time::Duration};

use assert_cmd::Command;
use serde_json::Value;
use socmel_server::config::{Config, Secret};

pub const TEST_SECRET: &str = "test-secret-key-test-secret-key-0123456789";
pub const PASSWORD: &str = "correct horse battery";

pub struct TestServer {
    pub url: String,
    pub data_dir: tempfile::TempDir,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl TestServer {
    pub fn start() -> Self {
        Self::start_with(|_| {})
    }

    /// As [`TestServer::start`], with the configuration changed by `configure` last
    /// (e.g. rate limits back on).
    pub fn start_with(configure: impl FnOnce(&mut Config) + Send + 'static) -> Self {
        let data_dir = tempfile::tempdir().expect("temp dir");
        let dir = data_dir.path().to_owned();
        let (url_tx, url_rx) = std::sync::mpsc::channel();
        let (shutdown, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async move {
                let mut config = Config::with_data_dir(&dir);
                config.secret_key = Some(Secret::new(TEST_SECRET));
                config.database_url = Some(Secret::new(database_url(&dir).await));
                config.database_max_connections = 4;
                config.rate_limits = "off".parse().expect("rate limit config");
                configure(&mut config);
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                    .await
                    .expect("bind");
                let url = format!("http://{}", listener.local_addr().expect("address"));
                url_tx.send(url).expect("send url");
                socmel_server::serve(config, listener, async {
                    let _ = stopped.await;
                })
                .await
                .expect("server");
            });
        });
        let url = url_rx
            .recv_timeout(Duration::from_secs(60))
            .expect("the server did not start");
        Self {
            url,
            data_dir,
            shutdown: Some(shutdown),
            thread: Some(thread),
        }
    }

    /// The newest verification code mailed to `to` once more than `seen` codes arrived
    /// (other mail, such as "your password changed" notices, is skipped).
    pub fn next_code(&self, to: &str, seen: usize) -> String {
        let outbox = self.data_dir.path().join("outbox");
        for _ in 0..500 {
            let codes: Vec<String> = mails_to(&outbox, to)
                .iter()
                .filter_map(|mail| {
                    mail.lines()
                        .find_map(|line| line.strip_prefix("Subject: Your SocMel code: "))
                        .map(|code| code.trim().to_owned())
                })
                .collect();
            if codes.len() > seen {
                return codes.last().cloned().unwrap_or_default();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("no code for {to} in {}", outbox.display());
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn database_url(dir: &std::path::Path) -> String {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(admin_url) if !admin_url.is_empty() => fresh_postgres_database(&admin_url).await,
        _ => format!("sqlite://{}", dir.join("test.db").display()),
    }
}

async fn fresh_postgres_database(admin_url: &str) -> String {
    use sqlx::Connection;
    let name = format!("socmel_cli_test_{:016x}", rand::random::<u64>());
    let mut admin = sqlx::PgConnection::connect(admin_url)
        .await
        .expect("connect to TEST_DATABASE_URL");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut admin)
        .await
        .expect("create test database");
    let (base, _) = admin_url
        .rsplit_once('/')
        .expect("TEST_DATABASE_URL names a database");
    format!("{base}/{name}")
}

fn mails_to(outbox: &std::path::Path, to: &str) -> Vec<String> {
    let mut files: Vec<_> = std::fs::read_dir(outbox)
        .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    files
        .iter()
        .filter_map(|path| std::fs::read_to_string(path).ok())
        .filter(|mail| {
            mail.lines()
                .any(|line| line.eq_ignore_ascii_case(&format!("To: {to}")))
        })
        .collect()
}

/// A server plus a private config folder: the world one `socmel` user sees.
pub struct Env {
    pub server: TestServer,
    pub config: tempfile::TempDir,
}

/// What a failed command left: its exit code and the JSON error on stderr.
pub struct Failure {
    pub code: i32,
    pub error: Value,
}

impl Env {
    pub fn start() -> Self {
        Self::with_server(TestServer::start())
    }

    pub fn with_server(server: TestServer) -> Self {
        Self {
            server,
            config: tempfile::tempdir().expect("config dir"),
        }
    }

    pub fn credentials_path(&self) -> PathBuf {
        self.config.path().join("credentials.json")
    }

    pub fn credentials(&self) -> Value {
        let text = std::fs::read_to_string(self.credentials_path()).expect("credentials file");
        serde_json::from_str(&text).expect("credentials JSON")
    }

    /// `socmel` pointed at the test server and config folder, with nothing inherited
    /// that could change its behaviour.
    pub fn cmd(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_socmel"));
        cmd.env("SOCMEL_SERVER", &self.server.url)
            .env("SOCMEL_CONFIG_DIR", self.config.path())
            .env_remove("SOCMEL_TOKEN")
            .env_remove("SOCMEL_PROFILE")
            .env_remove("SOCMEL_PASSWORD")
            .env_remove("SOCMEL_NEW_PASSWORD")
            .timeout(Duration::from_secs(60));
        cmd
    }

    /// Runs `socmel --profile <profile> --json <args>`, feeding `stdin` if given.
    pub fn run(&self, profile: &str, args: &[&str], stdin: Option<&str>) -> Output {
        let mut cmd = self.cmd();
        cmd.args(["--profile", profile, "--json"]).args(args);
        if let Some(stdin) = stdin {
            cmd.write_stdin(stdin.to_owned());
        }
        cmd.output().expect("run socmel")
    }

    /// `socmel --profile <profile> --json <args>`: must succeed; stdout parsed as JSON.
    pub fn json(&self, profile: &str, args: &[&str]) -> Value {
        self.json_in(profile, args, None)
    }

    /// As [`Env::json`], with `stdin` fed to the command.
    pub fn json_in(&self, profile: &str, args: &[&str], stdin: Option<&str>) -> Value {
        let output = self.run(profile, args, stdin);
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success(),
            "socmel {args:?} failed ({:?})\nstdout: {stdout}\nstderr: {stderr}",
            output.status.code()
        );
        assert_eq!(
            stdout.lines().count(),
            1,
            "--json off a terminal prints one compact line: {stdout}"
        );
        serde_json::from_str(&stdout)
            .unwrap_or_else(|err| panic!("socmel {args:?}: stdout is not JSON ({err}): {stdout}"))
    }

    /// `socmel --profile <profile> --json <args>`: must fail; stderr parsed as the JSON
    /// error, stdout empty.
    pub fn fails(&self, profile: &str, args: &[&str]) -> Failure {
        self.fails_in(profile, args, None)
    }

    /// As [`Env::fails`], with `stdin` fed to the command.
    pub fn fails_in(&self, profile: &str, args: &[&str], stdin: Option<&str>) -> Failure {
        let output = self.run(profile, args, stdin);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            !output.status.success(),
            "socmel {args:?} should have failed; stdout: {}",
            String::from_utf8_lossy(&output.stdout)
        );
        assert!(
            output.stdout.is_empty(),
            "a failure prints nothing on stdout: {}",
            String::from_utf8_lossy(&output.stdout)
        );
        let line = stderr.lines().last().unwrap_or_default();
        let parsed: Value = serde_json::from_str(line)
            .unwrap_or_else(|err| panic!("stderr is not a JSON error ({err}): {stderr}"));
        Failure {
            code: output.status.code().expect("exit code"),
            error: parsed["error"].clone(),
        }
    }

    /// Registers `name` (email `<name>@example.com`) and logs in, in profile `name`.
    pub fn user(&self, name: &str) -> Value {
        let email = format!("{name}@example.com");
        let args = [
            "auth",
            "register",
            "--username",
            name,
            "--email",
            &email,
            "--password-stdin",
            "--login",
        ];
        self.json_in(name, &args, Some(&format!("{PASSWORD}\n")))
    }
}

pub fn id(value: &Value) -> String {
    value["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("no id in {value}"))
        .to_string()
}

/// A real 1 × 1 PNG (the server decodes uploads), padded with filler after its end to
/// `size` bytes.
pub fn png_bytes(size: usize) -> Vec<u8> {
    const PNG_1X1: [u8; 69] = [
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44,
        0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x90,
        0x77, 0x53, 0xde, 0x00, 0x00, 0x00, 0x0c, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8,
        0xcf, 0xc0, 0x00, 0x00, 0x03, 0x01, 0x01, 0x00, 0xc9, 0xfe, 0x92, 0xef, 0x00, 0x00, 0x00,
        0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
    ];
    let mut bytes = PNG_1X1.to_vec();
    bytes.resize(size.max(bytes.len()), 7);
    bytes
}
