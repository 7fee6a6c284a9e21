//! Vocabulary of live events that several resources share.

use serde::{Deserialize, Serialize};

/// What a membership event is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
pub enum MembershipScope {
    /// A space's membership.
    Space,
    /// A group chat's membership.
    Group,
}

/// How a membership changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
pub enum MembershipChange {
    /// The user joined (by invitation, or was added to a group).
    Joined,
    /// The user left of their own accord.
    Left,
    /// The user was removed by a moderator, the owner, or the group's owner.
    Removed,
    /// The user was banned from the space (and so removed).
    Banned,
    /// The space or group itself was deleted.
    Deleted,
}
