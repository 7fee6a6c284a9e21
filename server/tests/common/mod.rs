//! Test harness: a real server on 127.0.0.1:0 with a fresh database per test —
//! a SQLite file in a temporary folder, or, when `TEST_DATABASE_URL` names a
//! PostgreSQL server, a new database created on it for this test alone.
#![allow(dead_code)]

pub mod contract;
pub mod process;
pub mod smtp;
pub mod spaces;
pub mod ws;

use std::fmt::Debug;

use socmel_client::{
    Client, ClientResult, PageQuery,
    types::{
        PostId, SpaceId, UserId,
        auth::{TokenResponse, UserCreate},
        comments::CommentDisplay,
        posts::{PostDisplay, PostUpdate, Visibility},
        users::UserDisplay,
    },
};
use socmel_server::config::{Config, Secret};
use tokio::{sync::oneshot, task::JoinHandle};

/// The signing key of every test server, so tests can forge tokens.
pub const TEST_SECRET: &str = "test-secret-key-test-secret-key-0123456789";
pub const PASSWORD: &str = "correct horse battery";

pub struct TestServer {
    pub url: String,
    pub config: Config,
    pub database_url: String,
    pub data_dir: tempfile::TempDir,
    /// Answers that broke the published document (see `contract`).
    pub violations: contract::Violations,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<anyhow::Result<()>>>,
}

/// A signed-in test user.
pub struct TestUser {
    pub client: Client,
    pub user: UserDisplay,
    pub tokens: TokenResponse,
}

impl TestUser {
    /// Publishes a public profile post titled `title` ([`new_post`]).
    pub async fn post(&self, title: &str) -> PostDisplay {
        self.client
            .create_post(&new_post(title))
            .await
            .expect("create post")
    }
}

impl TestServer {
    pub async fn start() -> Self {
        Self::start_with(|_| {}).await
    }

    /// Starts a server after `adjust` has changed its configuration.
    pub async fn start_with(adjust: impl FnOnce(&mut Config)) -> Self {
        socmel_server::init_tracing(socmel_server::config::LogFormat::Text);
        let data_dir = tempfile::tempdir().expect("temp dir");
        let mut config = Config::with_data_dir(data_dir.path());
        config.secret_key = Some(Secret::new(TEST_SECRET));
        let database_url = database_url(&data_dir).await;
        config.database_url = Some(Secret::new(database_url.clone()));
        config.database_max_connections = 4;
        // Tests register and log in far faster than any person; the rate-limit tests
        // switch limits back on for themselves.
        config.rate_limits = "off".parse().expect("rate limit config");
        adjust(&mut config);

        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("address"));
        let (shutdown, stopped) = oneshot::channel::<()>();
        let violations = contract::Violations::default();
        let checker = violations.clone();
        let task = tokio::spawn(socmel_server::serve_with(
            config.clone(),
            listener,
            async {
                let _ = stopped.await;
            },
            move |app| contract::checked(app, checker),
        ));
        let server = Self {
            url,
            config,
            database_url,
            data_dir,
            violations,
            shutdown: Some(shutdown),
            task: Some(task),
        };
        server.wait_until_healthy().await;
        server
    }

    async fn wait_until_healthy(&self) {
        let client = self.client();
        for _ in 0..200 {
            if client.health().await.is_ok() {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        panic!("the test server did not become healthy at {}", self.url);
    }

    /// An anonymous client.
    pub fn client(&self) -> Client {
        Client::new(&self.url).expect("client")
    }

    /// A raw HTTP client, for what the typed client deliberately cannot send.
    pub fn raw(&self) -> reqwest::Client {
        reqwest::Client::new()
    }

    pub fn at(&self, path: &str) -> String {
        format!("{}{}", self.url, path)
    }

    /// Registers `username` (email `<username>@example.com`) and signs in.
    pub async fn user(&self, username: &str) -> TestUser {
        let client = self.client();
        let user = client
            .register(&UserCreate {
                username: username.into(),
                email: format!("{username}@example.com"),
                password: PASSWORD.into(),
            })
            .await
            .expect("register");
        let tokens = client.login(username, PASSWORD).await.expect("login");
        TestUser {
            client,
            user,
            tokens,
        }
    }

    /// A fresh server with a signed-in user for each name, made in order.
    pub async fn with_users<const N: usize>(names: [&str; N]) -> (Self, [TestUser; N]) {
        let server = Self::start().await;
        let mut users = Vec::with_capacity(N);
        for name in names {
            users.push(server.user(name).await);
        }
        let Ok(users) = users.try_into() else {
            unreachable!("one user per name")
        };
        (server, users)
    }

    /// Asserts that `user`'s login session is over: its access token and its refresh
    /// token are both refused (401).
    pub async fn assert_signed_out(&self, user: &TestUser) {
        let access = user.client.current_user().await.unwrap_err();
        assert_eq!(access.status(), Some(401), "the access token: {access}");
        self.assert_refresh_refused(user).await;
    }

    /// Asserts that `user`'s first refresh token is refused (401).
    pub async fn assert_refresh_refused(&self, user: &TestUser) {
        let refused = self.client().refresh(&user.tokens.refresh_token).await;
        let refused = refused.unwrap_err();
        assert_eq!(refused.status(), Some(401), "the refresh token: {refused}");
    }

    /// Reads one text value straight from the database, to check what is stored.
    pub async fn query_string(&self, sql: &'static str) -> String {
        self.scalar(sql).await
    }

    /// Reads one value with one `SELECT` straight on the database, whichever it is.
    async fn scalar<T>(&self, sql: impl Into<String>) -> T
    where
        T: Send
            + Unpin
            + sqlx::Type<sqlx::Postgres>
            + for<'r> sqlx::Decode<'r, sqlx::Postgres>
            + sqlx::Type<sqlx::Sqlite>
            + for<'r> sqlx::Decode<'r, sqlx::Sqlite>,
    {
        use sqlx::Connection;
        // Test code only: the statement text is trusted.
        let sql = sqlx::AssertSqlSafe(sql.into());
        if self.database_url.starts_with("postgres") {
            let mut conn = sqlx::PgConnection::connect(&self.database_url)
                .await
                .unwrap();
            sqlx::query_scalar(sql).fetch_one(&mut conn).await.unwrap()
        } else {
            let mut conn = sqlx::SqliteConnection::connect(&self.database_url)
                .await
                .unwrap();
            sqlx::query_scalar(sql).fetch_one(&mut conn).await.unwrap()
        }
    }

    /// The newest mail to `to` once more than `seen` have arrived in the outbox
    /// (SMTP_URL unset), waiting up to ten seconds for the mail worker.
    pub async fn next_mail(&self, to: &str, seen: usize) -> String {
        let outbox = self.data_dir.path().join("outbox");
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let mails = mails_to(&outbox, to);
            if mails.len() > seen {
                return mails.last().cloned().unwrap_or_default();
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "no new mail for {to} in {}",
                outbox.display()
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    /// The mails in the outbox addressed to `to`, oldest first.
    pub fn outbox_for(&self, to: &str) -> Vec<String> {
        mails_to(&self.data_dir.path().join("outbox"), to)
    }

    /// Runs a background job now, as `socmel-server jobs run` would, on this server's
    /// database.
    pub async fn run_job(&self, job: socmel_server::jobs::Job) -> socmel_server::jobs::Report {
        let services = socmel_server::build_services(&self.config)
            .await
            .expect("services");
        let report = socmel_server::jobs::run(&services, job).await.expect("job");
        services.store().close().await;
        report
    }

    /// Counts rows with one `SELECT COUNT(*) …` straight on the database.
    pub async fn count(&self, sql: &'static str) -> i64 {
        self.scalar(sql).await
    }

    /// Runs one statement straight on the database (to age rows, for example).
    pub async fn execute(&self, sql: impl Into<String>) {
        use sqlx::Connection;
        // Test code only: the statement text is trusted.
        let sql = sqlx::AssertSqlSafe(sql.into());
        if self.database_url.starts_with("postgres") {
            let mut conn = sqlx::PgConnection::connect(&self.database_url)
                .await
                .unwrap();
            sqlx::query(sql).execute(&mut conn).await.unwrap();
        } else {
            let mut conn = sqlx::SqliteConnection::connect(&self.database_url)
                .await
                .unwrap();
            sqlx::query(sql).execute(&mut conn).await.unwrap();
        }
    }

    /// Reads one number straight from the database.
    pub async fn query_i64(&self, sql: &str) -> i64 {
        self.scalar(sql).await
    }

    /// A space owned by `owner`, with `members` as plain members (made in the database:
    /// the spaces API belongs to another area).
    pub async fn space(&self, name: &str, owner: UserId, members: &[UserId]) -> SpaceId {
        self.execute(&format!(
            "INSERT INTO spaces (name, owner_id, members_nbr, founded_on) \
             VALUES ('{name}', {owner}, {}, 0)",
            members.len() + 1
        ))
        .await;
        let id = self
            .query_i64(&format!("SELECT id FROM spaces WHERE name = '{name}'"))
            .await;
        self.join_space(SpaceId(id), owner, "owner").await;
        for member in members {
            self.join_space(SpaceId(id), *member, "member").await;
        }
        SpaceId(id)
    }

    /// Adds `user` to a space with `role`.
    pub async fn join_space(&self, space: SpaceId, user: UserId, role: &str) {
        self.execute(&format!(
            "INSERT INTO space_members (space_id, user_id, role, joined_at) \
             VALUES ({space}, {user}, '{role}', 0)"
        ))
        .await;
    }

    /// Stops the server gracefully and waits for it.
    pub async fn stop(mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(task) = self.task.take() {
            task.await.expect("server task").expect("server result");
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        // A test that already failed keeps its own message.
        if !std::thread::panicking() {
            let violations = self
                .violations
                .lock()
                .map(|v| v.clone())
                .unwrap_or_default();
            assert!(
                violations.is_empty(),
                "answers that break openapi.json:\n{}",
                violations.join("\n")
            );
        }
    }
}

use socmel_test_support::mails_to;

/// Whether this run talks to PostgreSQL.
pub fn on_postgres() -> bool {
    socmel_test_support::on_postgres()
}

/// SQLite in the test's folder, or a fresh database on `TEST_DATABASE_URL`.
pub async fn database_url(data_dir: &tempfile::TempDir) -> String {
    socmel_test_support::database_url(data_dir.path()).await
}

/// Takes the code out of a verification mail's subject ("Your SocMel code: ABCD1234").
pub fn code_in(mail: &str) -> Option<String> {
    mail.lines()
        .find_map(|line| line.strip_prefix("Subject: Your SocMel code: "))
        .map(|code| code.trim().to_owned())
}

/// A real image of `format`, 2 × 2 pixels (the server decodes what it is sent).
fn tiny(format: image::ImageFormat) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::new_rgb8(2, 2)
        .write_to(&mut out, format)
        .expect("encoding a test image");
    out.into_inner()
}

/// A real PNG of exactly `size` bytes (at least the image's own ~70): filler after
/// the image's end makes up the size, which decoders stop before.
pub fn png(size: usize) -> Vec<u8> {
    let mut bytes = tiny(image::ImageFormat::Png);
    bytes.resize(size.max(bytes.len()), 7);
    bytes
}

pub fn jpeg() -> Vec<u8> {
    tiny(image::ImageFormat::Jpeg)
}

pub fn gif() -> Vec<u8> {
    tiny(image::ImageFormat::Gif)
}

pub fn webp() -> Vec<u8> {
    tiny(image::ImageFormat::WebP)
}

/// A post body with a title and some content.
pub fn new_post(title: &str) -> PostUpdate {
    PostUpdate {
        title: Some(title.into()),
        content: Some(format!("content of {title}")),
        tags: None,
        visibility: None,
    }
}

/// A followers-only post body.
pub fn followers_post(title: &str) -> PostUpdate {
    PostUpdate {
        visibility: Some(Visibility::Followers),
        ..new_post(title)
    }
}

/// `follower` asks to follow `followed`, who accepts.
pub async fn follow(follower: &TestUser, followed: &TestUser) {
    let ack = follower
        .client
        .request_follow(followed.user.id)
        .await
        .expect("follow request");
    followed
        .client
        .accept_follow_request(ack.follow_id)
        .await
        .expect("accept");
}

/// The first page of a post's comment threads, as `client` sees them.
pub async fn comments(client: &Client, post: PostId) -> Vec<CommentDisplay> {
    client
        .list_comments(post, &PageQuery::default())
        .await
        .expect("comments")
        .items
}

/// The status and detail of a refusal; panics on success.
pub fn refusal<T: Debug>(result: ClientResult<T>) -> (u16, String) {
    let err = result.expect_err("expected a refusal");
    let status = err.status().unwrap_or_else(|| panic!("no answer: {err}"));
    let detail = err.body().map(|b| b.detail.clone()).unwrap_or_default();
    (status, detail)
}

/// The status of a refusal; panics on success.
pub fn status<T: Debug>(result: ClientResult<T>) -> u16 {
    refusal(result).0
}
