//! What can go wrong, and the exit code each failure maps to.

use std::fmt;

use socmel_client::{ClientError, types::ErrorBody};

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
}

impl CliError {
    pub fn exit_code(&self) -> i32 {
        match self {
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
            Self::Usage(_) => "usage".into(),
            Self::Auth(_) => "auth_required".into(),
            Self::Client(ClientError::Api { body, .. }) => body.code.as_str().into(),
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
            _ => None,
        }
    }

    pub fn body(&self) -> Option<&ErrorBody> {
        match self {
            Self::Client(err) => err.body(),
            _ => None,
        }
    }

    /// What a person should try next, if anything obvious.
    pub fn hint(&self) -> Option<&'static str> {
        (self.exit_code() == exit::AUTH)
            .then_some("log in with `socmel auth login`, or pass --token / SOCMEL_TOKEN")
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Usage(msg) | Self::Auth(msg) | Self::Other(msg) => f.write_str(msg),
            Self::Client(ClientError::Api { body, .. }) => f.write_str(&body.detail),
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
}
