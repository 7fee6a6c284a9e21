//! Notes: one short status per user, shown for 24 hours.

use serde::{Deserialize, Serialize};

use crate::Timestamp;

/// `GET /note/{user_id}`: `note` is `""` when there is none (or it is older than 24 h).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct NoteDisplay {
    /// Whether the user has a note showing.
    pub exists: bool,
    /// The note's text (1–255 characters); `""` when there is none.
    pub note: String,
    /// When the note was written; absent when there is none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub created_at: Option<Timestamp>,
    /// When the note stops showing; absent when there is none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub expires_at: Option<Timestamp>,
}

/// `POST /note/`: the note as saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct NoteSaved {
    /// `the note has been added successfully`.
    pub message: String,
    /// The note's text as saved.
    pub note: String,
    /// When the note was written.
    pub created_at: Timestamp,
    /// When the note stops showing (24 hours after `created_at`).
    pub expires_at: Timestamp,
}

/// Upstream's `{"message": "..."}` acknowledgement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct NoteMessage {
    /// What happened, in upstream's words.
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roundtrip::assert_roundtrip;

    #[test]
    fn note_dtos_roundtrip() {
        let none = NoteDisplay {
            exists: false,
            note: String::new(),
            created_at: None,
            expires_at: None,
        };
        assert_roundtrip(&none);
        assert_eq!(
            serde_json::to_value(&none).unwrap(),
            serde_json::json!({"exists": false, "note": ""})
        );
        assert_roundtrip(&NoteDisplay {
            exists: true,
            note: "hi".into(),
            created_at: Some(Timestamp::from_millis(1)),
            expires_at: Some(Timestamp::from_millis(86_400_001)),
        });
        assert_roundtrip(&NoteSaved {
            message: "the note has been added successfully".into(),
            note: "hi".into(),
            created_at: Timestamp::from_millis(1),
            expires_at: Timestamp::from_millis(86_400_001),
        });
        assert_roundtrip(&NoteMessage {
            message: "ok".into(),
        });
    }
}
