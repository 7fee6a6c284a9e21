//! Posts, their likes and attachments, and the feed.

use serde::{Deserialize, Serialize};

use crate::{AttachmentId, PostId, SpaceId, Timestamp, UserId, users::UserSummary};

/// Who may read a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
pub enum Visibility {
    /// Anyone, signed in or not.
    #[default]
    Public,
    /// The author's accepted followers (and the author).
    Followers,
    /// The members of the post's space: every space post, and only space posts.
    Space,
}

/// A post as upstream shows it (`PostDisplay`), plus `visibility`, `comments_nbr`,
/// `liked_by_me` and `author`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct PostDisplay {
    /// 1–200 characters.
    pub title: String,
    /// 1–20,000 characters.
    pub content: String,
    /// Normalised tags (trimmed, lower-case, without `#`), in the order given.
    pub tags: Option<Vec<String>>,
    /// The post's id.
    pub id: PostId,
    /// When the post was published.
    pub created_at: Timestamp,
    /// How many people like the post.
    pub likes_nbr: i64,
    /// The author.
    pub user_id: UserId,
    /// Set for posts in a space.
    pub space_id: Option<SpaceId>,
    /// The attached images, oldest first.
    pub attachments: Option<Vec<AttachmentDisplay>>,
    /// Who may read the post (`public` in upstream's bodies, which lack it).
    #[serde(default)]
    pub visibility: Visibility,
    /// Comments and replies on the post.
    #[serde(default)]
    pub comments_nbr: i64,
    /// Whether the caller likes the post; `false` when anonymous.
    #[serde(default)]
    pub liked_by_me: bool,
    /// The author's username.
    #[serde(default)]
    pub author: String,
    /// The author, as every payload names a person.
    // Absent from upstream's bodies, which still parse: it is then nobody.
    #[serde(default)]
    pub user: UserSummary,
}

/// An image attached to a post (upstream `PostAttachmentDisplay`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct AttachmentDisplay {
    /// The attachment's id (for deleting it).
    pub id: AttachmentId,
    /// Where to fetch the image: `/media/{key}` on this server, or the media host's URL.
    pub file: String,
    /// The storage key of the image.
    pub file_public_id: String,
    /// The post the image is attached to.
    pub post_id: PostId,
}

/// Create or edit a post (upstream `PostUpdate`). On create, `title` (1–200 characters)
/// and `content` (1–20,000) are required; on edit only the keys present change (a
/// `null` counts as absent). `tags`: up to 10 of 1–30 characters; on edit a list
/// replaces the tags and `[]` removes them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct PostUpdate {
    /// 1–200 characters; required on create.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub title: Option<String>,
    /// 1–20,000 characters; required on create.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub content: Option<String>,
    /// Up to 10 tags of 1–30 characters; `[]` removes them on edit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub tags: Option<Vec<String>>,
    /// Profile posts: `public` (the default) or `followers`. Space posts are always
    /// `space`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub visibility: Option<Visibility>,
}

/// What a like toggle answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct LikeResult {
    /// Whether the caller likes the post now.
    pub liked: bool,
    /// The post's likes after the toggle.
    pub like_count: i64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roundtrip::assert_roundtrip;

    #[test]
    fn post_dtos_roundtrip() {
        let attachment = AttachmentDisplay {
            id: AttachmentId(3),
            file: "/media/0123.png".into(),
            file_public_id: "0123.png".into(),
            post_id: PostId(2),
        };
        assert_roundtrip(&attachment);
        assert_roundtrip(&PostDisplay {
            title: "t".into(),
            content: "c".into(),
            tags: Some(vec!["rust".into()]),
            id: PostId(2),
            created_at: Timestamp::from_millis(1_700_000_000_000),
            likes_nbr: 1,
            user_id: UserId(1),
            space_id: Some(SpaceId(4)),
            attachments: Some(vec![attachment]),
            visibility: Visibility::Space,
            comments_nbr: 5,
            liked_by_me: true,
            author: "ada".into(),
            user: crate::roundtrip::person(1, "ada"),
        });
        assert_roundtrip(&PostUpdate {
            title: Some("t".into()),
            content: None,
            tags: Some(vec![]),
            visibility: Some(Visibility::Followers),
        });
        assert_roundtrip(&LikeResult {
            liked: true,
            like_count: 1,
        });
    }

    #[test]
    fn upstream_post_bodies_still_parse() {
        // Upstream clients always send `tags`, possibly null; newer ones may omit it.
        let old: PostUpdate =
            serde_json::from_str(r#"{"title":"a","content":"b","tags":null}"#).unwrap();
        assert_eq!(old.tags, None);
        let bare: PostUpdate = serde_json::from_str(r#"{"title":"a","content":"b"}"#).unwrap();
        assert_eq!(bare.title.as_deref(), Some("a"));
        // And an upstream-shaped post (without the added fields) parses.
        let upstream = r#"{"title":"t","content":"c","tags":null,"id":1,
            "created_at":"2025-09-18T10:00:00","likes_nbr":0,"user_id":1,
            "space_id":null,"attachments":null}"#;
        let post: PostDisplay = serde_json::from_str(upstream).unwrap();
        assert_eq!(post.visibility, Visibility::Public);
    }
}
