//! The SocMel wire contract, shared by the server and every client.
//!
//! Every type here is plain serde. With the `openapi` feature (enabled only by the
//! server) the same types also derive the poem-openapi schema traits, so the
//! published `openapi.json` and the Rust clients can never disagree.
//!
//! Changes are additive only: new optional fields carry `#[serde(default)]`.
#![cfg_attr(not(test), warn(clippy::unwrap_used))]
#![warn(missing_docs)]

pub mod auth;
pub mod comments;
pub mod conversations;
pub mod error;
pub mod events;
pub mod follows;
pub mod frames;
pub mod groups;
pub mod health;
pub mod ids;
pub mod invitations;
pub mod messages;
pub mod notes;
pub mod notifications;
pub mod page;
pub mod posts;
pub mod rooms;
pub mod security;
pub mod spaces;
pub mod time;
pub mod users;

pub use error::{ErrorBody, ErrorCode, FieldError};
pub use ids::*;
pub use page::Page;
pub use time::Timestamp;

/// A plain acknowledgement, upstream's `{"detail": "..."}` success shape.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct Detail {
    /// What happened, in upstream's words.
    pub detail: String,
}

impl Detail {
    /// An acknowledgement saying `detail`.
    pub fn new(detail: impl Into<String>) -> Self {
        Self {
            detail: detail.into(),
        }
    }
}

/// Upstream's other acknowledgement, `{"message": "..."}` (e.g. "Space deleted"), kept
/// where upstream answered with it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct Notice {
    /// What happened, in upstream's words.
    pub message: String,
}

impl Notice {
    /// An acknowledgement saying `message`.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

#[cfg(test)]
pub(crate) mod roundtrip {
    use serde::{Serialize, de::DeserializeOwned};

    /// Serialises, parses back and compares, so every DTO keeps a lossless wire form.
    pub fn assert_roundtrip<T>(value: &T)
    where
        T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug,
    {
        let json = serde_json::to_string(value).expect("serialise");
        let back: T = serde_json::from_str(&json).expect("parse back");
        assert_eq!(&back, value, "round trip changed the value: {json}");
    }

    /// A person named `username` with id `id`, for DTOs that name someone.
    pub fn person(id: i64, username: &str) -> crate::users::UserSummary {
        crate::users::UserSummary {
            id: crate::UserId(id),
            username: username.into(),
            display_name: Some(format!("{username} (display)")),
            pfp: None,
        }
    }

    #[test]
    fn acknowledgements_roundtrip() {
        assert_roundtrip(&crate::Detail::new("done"));
        let notice = crate::Notice::new("Space deleted");
        assert_roundtrip(&notice);
        assert_eq!(
            serde_json::to_value(&notice).unwrap(),
            serde_json::json!({"message": "Space deleted"})
        );
    }
}
