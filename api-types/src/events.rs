//! Vocabulary of live events that several resources share.

use serde::{Deserialize, Serialize};

/// What a membership event is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
pub enum MembershipScope {
    Space,
    Group,
}

/// How a membership changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
pub enum MembershipChange {
    Joined,
    Left,
    Removed,
    Banned,
    /// The space or group itself was deleted.
    Deleted,
}
