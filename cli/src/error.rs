//! What can go wrong, and the exit code each failure maps to.

use std::{fmt, sync::OnceLock};

use socmel_client::{ClientError, types::ErrorBody};

/// The command being run ("auth login", "post attach"), so a hint fits what failed.
static COMMAND: OnceLock<String> = OnceLock::new();

/// Remembers which command runs (its subcommand names, space-separated).
pub fn set_command(matches: &clap::ArgMatches) {
    let mut names = Vec::new();
    let mut current = matches;
    while let Some((name, sub)) = current.subcommand() {
        names.push(name);
        current = sub;
    }
    let _ = COMMAND.set(names.join(" "));
}

fn command() -> &'static str {
    COMMAND.get().map_or("", String::as_str)
}

/// Exit codes, as `socmel --help` documents them.
pub mod exit {
    pub const OK: i32 = 0;
    pub const ERROR: i32 = 1;
    pub const USAGE: i32 = 2;
    pub const AUTH: i32 = 4;
}

#[derive(Debug)]
pub enum CliError {
    /// The command line cannot be carried out as given (exit 2).
    Usage(String),
    /// No usable credentials (exit 4).
    Auth(String),
    /// The server (or the connection to it) failed the request; 401 exits 4, others 1.
    Client(ClientError),
    /// Anything else local: files, bad input (exit 1).
    Other(String),
    /// A failure about one file (an upload): the file's name, then the failure.
    InFile(String, Box<CliError>),
}

impl CliError {
    /// `err`, said about the file at `path` (with its size, when it can be read).
    pub fn in_file(path: &std::path::Path, err: impl Into<CliError>) -> Self {
        let size = std::fs::metadata(path)
            .map(|meta| format!(" ({})", crate::output::human_size(meta.len())))
            .unwrap_or_default();
        Self::InFile(format!("{}{size}", path.display()), Box::new(err.into()))
    }

    pub fn exit_code(&self) -> i32 {
        match self {
            Self::InFile(_, inner) => inner.exit_code(),
            Self::Usage(_) => exit::USAGE,
            Self::Auth(_) => exit::AUTH,
            Self::Client(err) if err.status() == Some(401) => exit::AUTH,
            Self::Client(ClientError::SessionRevoked) => exit::AUTH,
            Self::Client(_) | Self::Other(_) => exit::ERROR,
        }
    }

    /// A stable machine-readable code: the server's own, or one of ours.
    pub fn code(&self) -> String {
        match self {
            Self::InFile(_, inner) => inner.code(),
            Self::Usage(_) => "usage".into(),
            Self::Auth(_) => "auth_required".into(),
            Self::Client(ClientError::Api { body, .. }) => serde_json::to_value(body.code)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_else(|| "error".into()),
            Self::Client(ClientError::Http(_)) => "connection".into(),
            Self::Client(ClientError::Decode(_) | ClientError::Json(_)) => {
                "unexpected_answer".into()
            }
            Self::Client(ClientError::WebSocket(_)) => "websocket".into(),
            Self::Client(ClientError::SessionRevoked) => "session_revoked".into(),
            Self::Client(ClientError::Io { .. }) => "file".into(),
            Self::Other(_) => "error".into(),
        }
    }

    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Client(err) => err.status(),
            Self::InFile(_, inner) => inner.status(),
            _ => None,
        }
    }

    pub fn body(&self) -> Option<&ErrorBody> {
        match self {
            Self::Client(err) => err.body(),
            Self::InFile(_, inner) => inner.body(),
            _ => None,
        }
    }

    /// What a person should try next, if anything obvious, for the command that failed.
    pub fn hint(&self) -> Option<String> {
        let command = command();
        if let Self::Client(ClientError::Http(_)) = self {
            return Some(
                "is the server running? Name it with --server URL or SOCMEL_SERVER".into(),
            );
        }
        if let Some(wait) = self.retry_after() {
            return Some(format!(
                "too many requests: try again in {wait} s (after {})",
                (chrono::Utc::now() + chrono::Duration::seconds(wait as i64))
                    .format("%H:%M:%S UTC")
            ));
        }
        match self.status() {
            // A refused login is a wrong name or password, not a missing login.
            Some(401) if command == "auth login" => {
                return Some("check the username (or email) and the password".into());
            }
            Some(413)
                if matches!(
                    command,
                    "post attach" | "user avatar set" | "msg send" | "dm send"
                ) =>
            {
                return Some("the server takes images of at most MEDIA_MAX_BYTES (8 MiB unless set otherwise)".into());
            }
            Some(415) => {
                return Some("images must be PNG, JPEG, GIF or WebP".into());
            }
            _ => {}
        }
        if matches!(self, Self::Client(ClientError::SessionRevoked))
            || self.to_string().contains("expired or was revoked")
        {
            return Some(
                "the session ended: log in again with `socmel auth login USERNAME`".into(),
            );
        }
        if let Self::Other(message) = self {
            if message.starts_with("no user named") {
                return Some("find people with `socmel user search PREFIX`".into());
            }
            if message.starts_with("no space named") {
                return Some("find spaces with `socmel space list --search NAME`".into());
            }
            if message.starts_with("no room named") {
                return Some("list a space's rooms with `socmel room list SPACE`".into());
            }
            if message.starts_with("no group of yours named") {
                return Some("list your groups with `socmel group mine`".into());
            }
        }
        (self.exit_code() == exit::AUTH).then(|| {
            "log in with `socmel auth login USERNAME`, or pass --token / SOCMEL_TOKEN".into()
        })
    }

    /// Seconds to wait before trying again, when the server said (a 429).
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            Self::Client(err) => err.retry_after(),
            Self::InFile(_, inner) => inner.retry_after(),
            _ => None,
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Usage(msg) | Self::Auth(msg) | Self::Other(msg) => f.write_str(msg),
            Self::InFile(file, inner) => write!(f, "{file}: {inner}"),
            Self::Client(ClientError::Api { body, .. }) => {
                f.write_str(&humanise_bytes(&body.detail))
            }
            Self::Client(ClientError::Http(err)) => {
                // reqwest's own message hides the cause ("error sending request").
                let mut text = err.to_string();
                let mut source = std::error::Error::source(err);
                while let Some(cause) = source {
                    text.push_str(": ");
                    text.push_str(&cause.to_string());
                    source = cause.source();
                }
                write!(f, "could not reach the server: {text}")
            }
            Self::Client(other) => write!(f, "{other}"),
        }
    }
}

/// "larger than 8388608 bytes" reads "larger than 8.0 MiB (8388608 bytes)".
fn humanise_bytes(text: &str) -> String {
    let words: Vec<&str> = text.split(' ').collect();
    let mut out = Vec::with_capacity(words.len());
    for (i, word) in words.iter().enumerate() {
        let next_is_bytes = words
            .get(i + 1)
            .is_some_and(|next| next.trim_end_matches(['.', ',', ')']) == "bytes");
        match word.parse::<u64>() {
            Ok(n) if next_is_bytes && n >= 1024 => {
                out.push(format!("{} ({n}", crate::output::human_size(n)));
            }
            _ if i > 0
                && word.trim_end_matches(['.', ',', ')']) == "bytes"
                && words[i - 1].parse::<u64>().is_ok_and(|n| n >= 1024) =>
            {
                let rest = &word["bytes".len()..];
                out.push(format!("bytes){rest}"));
            }
            _ => out.push((*word).to_owned()),
        }
    }
    out.join(" ")
}

impl From<ClientError> for CliError {
    fn from(err: ClientError) -> Self {
        Self::Client(err)
    }
}

impl From<std::io::Error> for CliError {
    fn from(err: std::io::Error) -> Self {
        Self::Other(err.to_string())
    }
}

pub type CliResult<T = ()> = Result<T, CliError>;

#[cfg(test)]
mod tests {
    use socmel_client::types::ErrorCode;

    use super::*;

    fn api(status: u16, code: ErrorCode) -> CliError {
        CliError::Client(ClientError::Api {
            status,
            body: ErrorBody::new(code, "nope"),
            retry_after: None,
        })
    }

    #[test]
    fn exit_codes_follow_the_documented_table() {
        assert_eq!(CliError::Usage("x".into()).exit_code(), 2);
        assert_eq!(CliError::Auth("x".into()).exit_code(), 4);
        assert_eq!(api(401, ErrorCode::Unauthorized).exit_code(), 4);
        let revoked = CliError::Client(ClientError::SessionRevoked);
        assert_eq!(
            (revoked.exit_code(), revoked.to_string()),
            (4, "session revoked".into())
        );
        assert_eq!(api(404, ErrorCode::NotFound).exit_code(), 1);
        assert_eq!(api(404, ErrorCode::NotFound).code(), "not_found");
        assert_eq!(CliError::Other("x".into()).exit_code(), 1);
    }

    #[test]
    fn byte_counts_are_made_readable() {
        assert_eq!(
            humanise_bytes("the file is larger than 8388608 bytes"),
            "the file is larger than 8.0 MiB (8388608 bytes)"
        );
        assert_eq!(humanise_bytes("at most 100 bytes."), "at most 100 bytes.");
    }
}
