//! User profiles.

use serde::{Deserialize, Serialize};

use crate::{Timestamp, UserId};

/// A user as others (and the user) see it. `email` is set only for the user themself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct UserDisplay {
    pub id: UserId,
    pub username: String,
    /// Only ever shown to its owner; `null` for everyone else.
    pub email: Option<String>,
    pub is_active: bool,
    pub xp: i64,
    pub level: i64,
    /// URL of the profile picture, if any.
    pub pfp: Option<String>,
    /// When the account was created.
    pub created_at: Timestamp,
}

/// `PUT /users/me/`: only the keys present change. The email changes only through
/// the verification-code flow (`/security/change_email/`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct UserUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// Accepted for compatibility; a different address is refused with 400.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roundtrip::assert_roundtrip;

    #[test]
    fn user_dtos_roundtrip() {
        assert_roundtrip(&UserDisplay {
            id: UserId(1),
            username: "ada".into(),
            email: None,
            is_active: true,
            xp: 0,
            level: 1,
            pfp: None,
            created_at: Timestamp::from_millis(1_700_000_000_123),
        });
        assert_roundtrip(&UserUpdate {
            username: Some("bob".into()),
            email: None,
        });
    }
}
