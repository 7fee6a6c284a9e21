//! Rooms inside a space.

use serde::{Deserialize, Serialize};

use crate::{RoomId, SpaceId, Timestamp};

/// Upstream `RoomDisplay`, plus when the room was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct RoomDisplay {
    /// 1–50 characters, unique (case-insensitively) within the space.
    pub name: String,
    /// The room's id.
    pub id: RoomId,
    /// The space the room belongs to.
    pub space_id: SpaceId,
    /// When the room was made.
    pub created_at: Timestamp,
}

/// `POST /spaces/{space_id}/rooms/add/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct RoomCreate {
    /// 1–50 characters, unique (case-insensitively) within the space.
    pub name: String,
}

/// `PUT /spaces/{space_id}/rooms/{room_id}/edit/`: only the keys present change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct RoomUpdate {
    /// 1–50 characters, unique (case-insensitively) within the space.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roundtrip::assert_roundtrip;

    #[test]
    fn room_dtos_roundtrip() {
        assert_roundtrip(&RoomDisplay {
            name: "main".into(),
            id: RoomId(1),
            space_id: SpaceId(2),
            created_at: Timestamp::from_millis(1_700_000_000_000),
        });
        assert_roundtrip(&RoomCreate {
            name: "general".into(),
        });
        assert_roundtrip(&RoomUpdate {
            name: Some("random".into()),
        });
    }
}
