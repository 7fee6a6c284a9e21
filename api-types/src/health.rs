//! `GET /health`.

use serde::{Deserialize, Serialize};

/// `GET /health`: whether the server and its database answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct Health {
    /// `ok` when the server and its database answer.
    pub status: String,
    /// `sqlite` or `postgres`.
    pub database: String,
    /// The server's version.
    pub version: String,
}
