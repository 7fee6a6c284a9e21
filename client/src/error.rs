use socmel_api_types::{ErrorBody, ErrorCode};
use thiserror::Error;

#[derive(Debug, Error)]
pub enum ClientError {
    /// The server answered with an error body. `retry_after` is its `Retry-After`
    /// header in seconds (a 429 tells when the allowance is back).
    #[error("{} ({status}): {}", body.detail, code_name(body.code))]
    Api {
        status: u16,
        body: ErrorBody,
        retry_after: Option<u64>,
    },
    /// The server could not be reached, or the connection failed.
    #[error("request failed: {0}")]
    Http(#[source] reqwest::Error),
    /// The server answered something this client does not understand.
    #[error("unexpected answer: {0}")]
    Decode(#[source] reqwest::Error),
    /// The WebSocket failed.
    #[error("websocket: {0}")]
    WebSocket(#[source] Box<tokio_tungstenite::tungstenite::Error>),
    /// The server ended the socket's login session (logout, logout everywhere, a
    /// password or email change, a deactivated account): log in again.
    #[error("session revoked")]
    SessionRevoked,
    /// A frame was not valid JSON of the expected shape.
    #[error("unexpected frame: {0}")]
    Json(#[source] serde_json::Error),
    /// A local file to upload could not be read.
    #[error("reading {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

fn code_name(code: ErrorCode) -> String {
    serde_json::to_value(code)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

impl ClientError {
    /// The server's error code, when the server answered.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            Self::Api { body, .. } => Some(body.code),
            _ => None,
        }
    }

    /// Seconds the server asked to wait before trying again (`Retry-After`).
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            Self::Api { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Api { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The server's error body, when the server answered.
    pub fn body(&self) -> Option<&ErrorBody> {
        match self {
            Self::Api { body, .. } => Some(body),
            _ => None,
        }
    }
}
