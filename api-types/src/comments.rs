//! Comments, replies and reactions on posts.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{CommentId, PostId, Timestamp, UserId, users::UserSummary};

/// A comment with its replies (upstream `CommentDisplay`), plus `created_at`,
/// `reactions`, `my_reactions` and `author`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct CommentDisplay {
    /// The comment's id.
    pub id: CommentId,
    /// The text, 1–2,000 characters.
    pub content: String,
    /// The commenter's id.
    pub user_id: UserId,
    /// The post commented on.
    pub post_id: PostId,
    /// How many people like the comment.
    pub likes_nbr: i64,
    /// The comment this one replies to; `null` for a top-level comment.
    pub parent_id: Option<CommentId>,
    /// Replies, oldest first, each with its own replies.
    #[serde(default)]
    pub sub_comments: Vec<CommentDisplay>,
    /// When the comment was written (the Unix epoch in upstream's bodies, which lack it).
    #[serde(default = "epoch")]
    pub created_at: Timestamp,
    /// How many of each reaction the comment has, e.g. `{"like": 2}`.
    #[serde(default)]
    pub reactions: BTreeMap<String, i64>,
    /// The caller's own reactions; absent when anonymous.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub my_reactions: Option<Vec<String>>,
    /// The commenter's username.
    #[serde(default)]
    pub author: String,
    /// The commenter, as every payload names a person.
    // Absent from upstream's bodies, which still parse: it is then nobody.
    #[serde(default)]
    pub user: UserSummary,
}

fn epoch() -> Timestamp {
    Timestamp::from_millis(0)
}

/// Text sent as a JSON body, where upstream reads it from the query string
/// (`comment`, `reply`, `new_comment`, `new_note`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ContentBody {
    /// The text.
    pub content: String,
}

/// What a reaction toggle answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ReactionResult {
    /// `Reaction added` or `Reaction removed`.
    pub message: String,
    /// Whether the caller holds the reaction now.
    pub reacted: bool,
    /// The reaction toggled.
    #[serde(default)]
    pub reaction: String,
    /// How many people hold this reaction on the comment now.
    #[serde(default)]
    pub count: i64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roundtrip::assert_roundtrip;

    fn comment(id: i64, parent: Option<i64>) -> CommentDisplay {
        CommentDisplay {
            id: CommentId(id),
            content: "hi".into(),
            user_id: UserId(1),
            post_id: PostId(1),
            likes_nbr: 0,
            parent_id: parent.map(CommentId),
            sub_comments: vec![],
            created_at: Timestamp::from_millis(1_700_000_000_000),
            reactions: BTreeMap::from([("like".into(), 2)]),
            my_reactions: Some(vec!["like".into()]),
            author: "ada".into(),
            user: crate::roundtrip::person(1, "ada"),
        }
    }

    #[test]
    fn comment_dtos_roundtrip() {
        let mut top = comment(1, None);
        top.sub_comments.push(comment(2, Some(1)));
        top.my_reactions = None;
        assert_roundtrip(&top);
        assert!(
            serde_json::to_value(&top)
                .unwrap()
                .get("my_reactions")
                .is_none()
        );
        assert_roundtrip(&ContentBody {
            content: "hello".into(),
        });
        assert_roundtrip(&ReactionResult {
            message: "Reaction added".into(),
            reacted: true,
            reaction: "like".into(),
            count: 1,
        });
    }

    #[test]
    fn upstream_comments_still_parse() {
        let upstream = r#"{"id":1,"content":"c","user_id":1,"post_id":1,"likes_nbr":0,
            "parent_id":null,"sub_comments":[]}"#;
        let parsed: CommentDisplay = serde_json::from_str(upstream).unwrap();
        assert!(parsed.reactions.is_empty());
    }
}
