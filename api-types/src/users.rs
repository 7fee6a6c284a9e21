//! User profiles.

use serde::{Deserialize, Serialize};

use crate::{Timestamp, UserId};

/// A user as others (and the user) see it. `email` is set only for the user themself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct UserDisplay {
    /// The account's id.
    pub id: UserId,
    /// 3–32 characters of `A-Z a-z 0-9 _ . -`; unique (case-insensitively).
    pub username: String,
    /// Only ever shown to its owner; `null` for everyone else.
    pub email: Option<String>,
    /// `false` once the account is deactivated.
    pub is_active: bool,
    /// Experience points (upstream's field; 0 until something awards them).
    pub xp: i64,
    /// Level (upstream's field; 1 until something raises it).
    pub level: i64,
    /// URL of the profile picture, if any.
    pub pfp: Option<String>,
    /// When the account was created.
    pub created_at: Timestamp,
    /// The name the person chose to show (any script, at most 64 characters), if any.
    #[serde(default)]
    pub display_name: Option<String>,
    /// A few words about the person (at most 500 characters), if any.
    #[serde(default)]
    pub bio: Option<String>,
}

impl UserDisplay {
    /// The same person as every other payload shows them.
    pub fn summary(&self) -> UserSummary {
        UserSummary {
            id: self.id,
            username: self.username.clone(),
            display_name: self.display_name.clone(),
            pfp: self.pfp.clone(),
        }
    }
}

/// A person as every payload that names someone shows them: enough to print a name and
/// an avatar without another request. One type, used everywhere a person appears beside
/// their id (message senders, post and comment authors, members, notification actors…).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct UserSummary {
    /// The account's id.
    pub id: UserId,
    /// The unique login name; use it to `@mention` the person.
    pub username: String,
    /// The name the person chose to show, if any (any script, at most 64 characters).
    pub display_name: Option<String>,
    /// URL of the profile picture, if any.
    pub pfp: Option<String>,
}

/// Nobody: what an upstream body without a summary parses to (id 0, no name).
impl Default for UserSummary {
    fn default() -> Self {
        Self {
            id: UserId(0),
            username: String::new(),
            display_name: None,
            pfp: None,
        }
    }
}

impl UserSummary {
    /// What to call the person in a line of text: the display name when set, else the
    /// username.
    pub fn name(&self) -> &str {
        self.display_name.as_deref().unwrap_or(&self.username)
    }
}

/// `PUT /users/me/`: only the keys present change. The email changes only through
/// the verification-code flow (`/security/change_email/`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct UserUpdate {
    /// 3–32 characters of `A-Z a-z 0-9 _ . -`, not taken by another account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// Accepted for compatibility; a different address is refused with 400.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// 1–64 characters of any script once trimmed, without control or bidirectional
    /// override characters; `""` clears it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub display_name: Option<String>,
    /// At most 500 characters once trimmed (line breaks allowed); `""` clears it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub bio: Option<String>,
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
            display_name: Some("Ada L.".into()),
            bio: Some("hello\nworld".into()),
        });
        let summary = UserSummary {
            id: UserId(7),
            username: "bob".into(),
            display_name: Some("Bób 山田".into()),
            pfp: Some("/media/ab.png".into()),
        };
        assert_roundtrip(&summary);
        assert_eq!(summary.name(), "Bób 山田");
        assert_eq!(
            serde_json::to_value(&summary).unwrap(),
            serde_json::json!({"id": 7, "username": "bob", "display_name": "Bób 山田", "pfp": "/media/ab.png"})
        );
        assert_roundtrip(&UserSummary {
            display_name: None,
            pfp: None,
            ..summary
        });
        assert_roundtrip(&UserUpdate {
            username: Some("bob".into()),
            email: None,
            display_name: Some(String::new()),
            bio: None,
        });
    }
}
