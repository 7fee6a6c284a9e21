//! Configuration: command-line flags, falling back to environment variables (a `.env`
//! file in the working directory is read first), falling back to defaults that give a
//! working single-node server with no set-up at all.

use std::{net::SocketAddr, path::PathBuf};

use clap::{Args, Parser, ValueEnum};

pub use crate::secret::Secret;
use crate::{ratelimit::RateLimitConfig, store::durable::Durability};

#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "BIND", default_value = "127.0.0.1:8000")]
    pub bind: SocketAddr,

    /// Folder for the SQLite database, the generated secret key and local media.
    #[arg(long, env = "DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,

    /// `sqlite://path` or `postgres://…`; default: `socmel.db` in the data folder.
    #[arg(long, env = "DATABASE_URL")]
    pub database_url: Option<Secret>,

    /// Largest number of pooled database connections. SQLite readers are capped at two
    /// per core: they are CPU-bound threads, and each keeps its own page cache.
    #[arg(long, env = "DATABASE_MAX_CONNECTIONS", default_value_t = 16)]
    pub database_max_connections: u32,

    /// Key that signs access tokens; default: generated once and kept in the data folder.
    #[arg(long, env = "SECRET_KEY", hide_env_values = true)]
    pub secret_key: Option<Secret>,

    /// JWT signing algorithm; only HS256 is supported.
    #[arg(long, env = "ALGORITHM", default_value = "HS256", value_parser = ["HS256"])]
    pub algorithm: String,

    /// Lifetime of an access token, in minutes.
    #[arg(long, env = "ACCESS_TOKEN_EXPIRES_MINUTES", default_value_t = 60,
          value_parser = clap::value_parser!(i64).range(1..=525_600))]
    pub access_token_expires_minutes: i64,

    /// Lifetime of a refresh token, in days.
    #[arg(long, env = "REFRESH_TOKEN_EXPIRES_DAYS", default_value_t = 30,
          value_parser = clap::value_parser!(i64).range(1..=3650))]
    pub refresh_token_expires_days: i64,

    /// Password hashes computed at once; more wait in line, so a login flood cannot
    /// starve the rest of the server. Default: the number of CPU cores.
    #[arg(long, env = "PASSWORD_HASH_CONCURRENCY")]
    pub password_hash_concurrency: Option<usize>,

    /// Mail relay: `smtps://user:pass@host:465`, or `smtp://user:pass@host:587?tls=required`
    /// for STARTTLS. Without it, mail is written to `<DATA_DIR>/outbox/` and logged.
    #[arg(long, env = "SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<Secret>,

    /// The sender of SocMel's mail.
    #[arg(
        long,
        env = "MAIL_FROM",
        default_value = "SocMel <no-reply@socmel.invalid>"
    )]
    pub mail_from: String,

    /// Rate limits: `off`, or overrides of the defaults such as `login=10/m,register=5/m`
    /// (names: login, login_account, register, codes, codes_email, password, post,
    /// comment, ws_connect, message, upload, demo).
    #[arg(long, env = "RATE_LIMITS", default_value = "")]
    pub rate_limits: RateLimitConfig,

    /// Key anonymous rate limits by the first `X-Forwarded-For` address; only behind a
    /// proxy that sets it, or clients could pick their own key.
    #[arg(long, env = "TRUST_FORWARDED_FOR", default_value_t = false)]
    pub trust_forwarded_for: bool,

    /// Origins allowed to call the API from a browser: `*`, or a comma-separated list
    /// such as `https://app.example.com`. Off by default.
    #[arg(long, env = "CORS_ORIGINS")]
    pub cors_origins: Option<String>,

    /// Largest JSON or form request body, in bytes.
    #[arg(long, env = "MAX_BODY_BYTES", default_value_t = 1 << 20)]
    pub max_body_bytes: u64,

    /// What an acknowledged write guarantees: `commit` (on disk before the answer: it
    /// survives a power cut) or `relaxed` (committed, synced within 100 ms on SQLite:
    /// it survives a crash of the server but not a power cut).
    #[arg(long, env = "DURABILITY", value_enum, default_value_t = Durability::Commit)]
    pub durability: Durability,

    /// Largest multipart (upload) request body, in bytes.
    #[arg(long, env = "MAX_UPLOAD_BYTES", default_value_t = 90 << 20)]
    pub max_upload_bytes: u64,

    /// Seconds a client has to send a request's headers, from its first byte (or
    /// from connecting); slower connections are closed.
    #[arg(long, env = "HEADER_READ_TIMEOUT_SECS", default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub header_read_timeout_secs: u64,

    /// Seconds a client has to send a request's body; slower bodies get 408 and the
    /// connection is closed.
    #[arg(long, env = "BODY_READ_TIMEOUT_SECS", default_value_t = 60,
          value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub body_read_timeout_secs: u64,

    /// Seconds an idle keep-alive connection is kept between requests.
    #[arg(long, env = "KEEP_ALIVE_TIMEOUT_SECS", default_value_t = 75,
          value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub keep_alive_timeout_secs: u64,

    /// Open connections (WebSockets included) one client address may hold; more are
    /// closed at once. 0: no cap. Not applied with `TRUST_FORWARDED_FOR`, where every
    /// connection comes from the proxy.
    #[arg(long, env = "MAX_CONNECTIONS_PER_ADDRESS", default_value_t = 256)]
    pub max_connections_per_address: usize,

    /// Log format.
    #[arg(long, env = "LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,

    /// Where uploaded images go: `s3://bucket[/prefix]` for S3-compatible storage
    /// (credentials and endpoint from the usual `AWS_*` variables), or a folder
    /// (`file:///path` or a plain path). Default: `media` in the data folder.
    #[arg(long, env = "MEDIA_URL")]
    pub media_url: Option<String>,

    /// Largest accepted image, in bytes.
    #[arg(long, env = "MEDIA_MAX_BYTES", default_value_t = 8 * 1024 * 1024,
          value_parser = clap::value_parser!(u64).range(1..=1024 * 1024 * 1024))]
    pub media_max_bytes: u64,

    /// Cloudinary cloud name; with `API_KEY` and `API_SECRET`, images go to Cloudinary.
    #[arg(long, env = "CLOUD_NAME")]
    pub cloud_name: Option<String>,

    /// Cloudinary API key.
    #[arg(long, env = "API_KEY")]
    pub api_key: Option<String>,

    /// Cloudinary API secret.
    #[arg(long, env = "API_SECRET", hide_env_values = true)]
    pub api_secret: Option<Secret>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

/// The configuration alone as a command line (the server's own, with its subcommands,
/// is in `main.rs`): where the defaults come from.
#[derive(Debug, Parser)]
#[command(name = "socmel-server")]
struct Flags {
    #[command(flatten)]
    config: Config,
}

impl Config {
    /// A configuration with every default, rooted at `data_dir`: what tests and tools start from.
    pub fn with_data_dir(data_dir: impl Into<PathBuf>) -> Self {
        let mut config = Flags::parse_from(["socmel-server"]).config;
        config.data_dir = data_dir.into();
        config
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted_in_debug_output() {
        let mut config = Config::with_data_dir("/tmp/x");
        config.secret_key = Some(Secret::new("hunter2-hunter2"));
        config.database_url = Some(Secret::new("postgres://u:pw@h/db"));
        let shown = format!("{config:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(!shown.contains("pw@"), "{shown}");
    }

    #[test]
    fn media_defaults_to_eight_mebibytes_and_keeps_the_secret_hidden() {
        let mut config = Config::with_data_dir("/tmp/x");
        assert_eq!(config.media_max_bytes, 8 * 1024 * 1024);
        assert!(config.media_url.is_none());
        config.api_secret = Some(Secret::new("cloudinary-secret"));
        assert!(!format!("{config:?}").contains("cloudinary-secret"));
        assert!(Flags::try_parse_from(["socmel-server", "--media-max-bytes", "0"]).is_err());
    }

    #[test]
    fn only_hs256_is_accepted() {
        assert!(Flags::try_parse_from(["socmel-server", "--algorithm", "RS256"]).is_err());
        assert!(Flags::try_parse_from(["socmel-server", "--algorithm", "HS256"]).is_ok());
    }

    #[test]
    fn token_lifetime_must_be_positive() {
        let parsed =
            Flags::try_parse_from(["socmel-server", "--access-token-expires-minutes", "0"]);
        assert!(parsed.is_err());
    }
}
