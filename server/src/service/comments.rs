//! Comments, replies and reactions. Whoever may see a post may read its comments;
//! writing needs a token, and membership for space posts.

use std::collections::{BTreeMap, HashMap};

use socmel_api_types::{
    CommentId, Detail, Page, PostId, Timestamp, UserId,
    comments::{CommentDisplay, ReactionResult},
    notifications::NotificationKind,
    users::UserSummary,
};

use super::{
    Bad, Missing, Refusal, ServiceError, ServiceResult, Services,
    auth::AuthUser,
    notifications::{self, About},
    now,
    pagination::Paging,
    posts::{self, store_window},
    validation::Validation,
};
use crate::store::{
    self, Db,
    comments::{CommentRow, NewComment},
};

const COMMENT_RULE: &str = "1-2000 characters";
const REACTION_RULE: &str = "1-20 characters";
/// Replies nest at most this deep, so a thread always fits a client's JSON parser.
pub const MAX_DEPTH: i64 = 32;

fn comment_not_found() -> ServiceError {
    ServiceError::NotFound(Missing::Comment)
}

/// 1–2,000 characters, not only spaces; `field` names the parameter in a 422.
fn checked_text(text: Option<String>, field: &str) -> ServiceResult<String> {
    let text = text.unwrap_or_default();
    let text = text.trim();
    Validation::default()
        .check(
            !text.is_empty() && text.chars().count() <= 2000,
            field,
            COMMENT_RULE,
        )
        .finish()?;
    Ok(text.to_owned())
}

/// The comment `id` if it is on `post_id`.
async fn comment_on(
    db: store::Conn<'_>,
    post_id: PostId,
    id: CommentId,
) -> ServiceResult<Option<CommentRow>> {
    Ok(store::comments::by_id(db, id.0)
        .await?
        .filter(|row| row.post_id == post_id.0))
}

/// A top-level comment on the post.
pub async fn add(
    svc: &Services,
    me: &AuthUser,
    post_id: PostId,
    text: Option<String>,
) -> ServiceResult<CommentDisplay> {
    let content = checked_text(text, "comment")?;
    let mut tx = svc.store().begin().await?;
    let post = posts::access(tx.conn(), post_id, Some(me.id())).await?;
    post.require_participation()?;
    let new = NewComment {
        post_id: post_id.0,
        user_id: me.id().0,
        parent_id: None,
        root_id: None,
        depth: 0,
        content: &content,
        now: now(),
    };
    let id = store::comments::insert(tx.conn(), new)
        .await
        .map_err(|err| gone(err, Missing::Post))?;
    tx.commit().await?;
    let about = About {
        post_id: Some(post_id),
        comment_id: Some(CommentId(id)),
        ..About::default()
    };
    notifications::notify(svc, post.author, NotificationKind::Comment, me.id(), about).await;
    notify_mentions(svc, me, &content, about).await;
    one(svc, me, CommentId(id)).await
}

/// Notifies the people `@mentioned` in a comment (who can see the post: the listing
/// checks visibility when they open it).
async fn notify_mentions(svc: &Services, me: &AuthUser, content: &str, about: About) {
    match notifications::mentioned(svc, content).await {
        Ok(users) => {
            for user in users {
                notifications::notify(svc, user, NotificationKind::Mention, me.id(), about).await;
            }
        }
        Err(err) => tracing::warn!(error = %err, "looking up mentions"),
    }
}

/// A reply to a comment of the same post (404 for a comment of another post).
pub async fn reply(
    svc: &Services,
    me: &AuthUser,
    post_id: PostId,
    parent_id: CommentId,
    text: Option<String>,
) -> ServiceResult<CommentDisplay> {
    let content = checked_text(text, "reply")?;
    let mut tx = svc.store().begin().await?;
    let post = posts::access(tx.conn(), post_id, Some(me.id())).await?;
    post.require_participation()?;
    let parent = comment_on(tx.conn(), post_id, parent_id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Missing::Parent))?;
    if parent.depth + 1 > MAX_DEPTH {
        return Err(ServiceError::BadRequest(Bad::ReplyTooDeep));
    }
    let new = NewComment {
        post_id: post_id.0,
        user_id: me.id().0,
        parent_id: Some(parent.id),
        root_id: Some(parent.root_id.unwrap_or(parent.id)),
        depth: parent.depth + 1,
        content: &content,
        now: now(),
    };
    let id = store::comments::insert(tx.conn(), new)
        .await
        .map_err(|err| gone(err, Missing::Parent))?;
    tx.commit().await?;
    let about = About {
        post_id: Some(post_id),
        comment_id: Some(CommentId(id)),
        ..About::default()
    };
    notifications::notify(
        svc,
        UserId(parent.user_id),
        NotificationKind::Reply,
        me.id(),
        about,
    )
    .await;
    if post.author.0 != parent.user_id {
        notifications::notify(svc, post.author, NotificationKind::Comment, me.id(), about).await;
    }
    notify_mentions(svc, me, &content, about).await;
    one(svc, me, CommentId(id)).await
}

/// A write that raced with a deletion hits a foreign key.
fn gone(err: store::StoreError, what: Missing) -> ServiceError {
    match err {
        store::StoreError::ForeignKey => ServiceError::NotFound(what),
        other => other.into(),
    }
}

/// Changes the text of the caller's own comment.
pub async fn edit(
    svc: &Services,
    me: &AuthUser,
    post_id: PostId,
    comment_id: CommentId,
    text: Option<String>,
) -> ServiceResult<CommentDisplay> {
    let content = checked_text(text, "new_comment")?;
    let mut tx = svc.store().begin().await?;
    posts::access(tx.conn(), post_id, Some(me.id())).await?;
    let comment = comment_on(tx.conn(), post_id, comment_id)
        .await?
        .ok_or_else(comment_not_found)?;
    if comment.user_id != me.id().0 {
        return Err(ServiceError::Forbidden(Refusal::EditOthersComment));
    }
    store::comments::set_content(tx.conn(), comment.id, &content, now()).await?;
    tx.commit().await?;
    one(svc, me, comment_id).await
}

/// Deletes a comment and its replies. Its author may; so may the post's author, and
/// the moderators of the post's space.
pub async fn delete(
    svc: &Services,
    me: &AuthUser,
    post_id: PostId,
    comment_id: CommentId,
) -> ServiceResult<Detail> {
    let mut tx = svc.store().begin().await?;
    let post = posts::access(tx.conn(), post_id, Some(me.id())).await?;
    let comment = comment_on(tx.conn(), post_id, comment_id)
        .await?
        .ok_or_else(comment_not_found)?;
    let allowed = comment.user_id == me.id().0 || post.author == me.id() || post.viewer_moderates();
    if !allowed {
        return Err(ServiceError::Forbidden(Refusal::DeleteOthersComment));
    }
    store::comments::delete(tx.conn(), comment.id).await?;
    tx.commit().await?;
    Ok(Detail::new("The comment has been deleted successfully"))
}

/// Toggles one reaction of the caller on a comment; other reactions, and the comment,
/// stay.
pub async fn react(
    svc: &Services,
    me: &AuthUser,
    post_id: PostId,
    comment_id: CommentId,
    reaction: String,
) -> ServiceResult<ReactionResult> {
    let reaction = reaction.trim().to_owned();
    Validation::default()
        .check(
            (1..=20).contains(&reaction.chars().count()) && !reaction.chars().any(char::is_control),
            "reaction",
            REACTION_RULE,
        )
        .finish()?;
    let mut tx = svc.store().begin().await?;
    let post = posts::access(tx.conn(), post_id, Some(me.id())).await?;
    post.require_participation()?;
    let comment = comment_on(tx.conn(), post_id, comment_id)
        .await?
        .ok_or_else(comment_not_found)?;
    let at = now();
    let added = store::comments::insert_reaction(tx.conn(), comment.id, me.id().0, &reaction, at)
        .await
        .map_err(|err| gone(err, Missing::Comment))?;
    if !added {
        store::comments::delete_reaction(tx.conn(), comment.id, me.id().0, &reaction).await?;
    }
    let count = store::comments::count_reaction(tx.conn(), comment.id, &reaction).await?;
    tx.commit().await?;
    Ok(ReactionResult {
        message: if added {
            "Reaction added"
        } else {
            "Reaction removed"
        }
        .into(),
        reacted: added,
        reaction,
        count,
    })
}

/// The post's top-level comments, newest first, each with its whole reply tree.
pub async fn list(
    svc: &Services,
    viewer: Option<&AuthUser>,
    post_id: PostId,
    paging: Paging,
) -> ServiceResult<Page<CommentDisplay>> {
    let pager = posts::pager(&paging)?;
    let viewer = viewer.map(AuthUser::id);
    let mut db = svc.store().reader().await?;
    posts::access(db.conn(), post_id, viewer).await?;
    let rows = store::comments::top_level(db.conn(), post_id.0, store_window(&pager)).await?;
    let (roots, next) = pager.page(rows, |row| [row.created_at, row.id]);
    let threads = Threads::load(&mut db, &roots, viewer).await?;
    let items = roots.iter().map(|root| threads.display(root)).collect();
    Ok(Page::new(items, next))
}

/// One comment, with its replies, as the caller sees it.
async fn one(svc: &Services, me: &AuthUser, id: CommentId) -> ServiceResult<CommentDisplay> {
    let mut db = svc.store().reader().await?;
    let comment = store::comments::by_id(db.conn(), id.0)
        .await?
        .ok_or_else(comment_not_found)?;
    let root = match comment.root_id {
        Some(root_id) => store::comments::by_id(db.conn(), root_id)
            .await?
            .ok_or_else(comment_not_found)?,
        None => comment.clone(),
    };
    let threads = Threads::load(&mut db, std::slice::from_ref(&root), Some(me.id())).await?;
    Ok(threads.display(&comment))
}

/// Everything needed to show some threads: their replies and reactions.
struct Threads {
    children: HashMap<i64, Vec<CommentRow>>,
    counts: HashMap<i64, BTreeMap<String, i64>>,
    /// `None` when anonymous.
    mine: Option<HashMap<i64, Vec<String>>>,
}

impl Threads {
    async fn load(
        db: &mut Db,
        roots: &[CommentRow],
        viewer: Option<UserId>,
    ) -> ServiceResult<Self> {
        let root_ids: Vec<i64> = roots.iter().map(|root| root.id).collect();
        let mut children: HashMap<i64, Vec<CommentRow>> = HashMap::new();
        for reply in store::comments::replies_in(db.conn(), &root_ids).await? {
            if let Some(parent) = reply.parent_id {
                children.entry(parent).or_default().push(reply);
            }
        }
        let mut counts: HashMap<i64, BTreeMap<String, i64>> = HashMap::new();
        for row in store::comments::reaction_counts(db.conn(), &root_ids).await? {
            counts
                .entry(row.comment_id)
                .or_default()
                .insert(row.reaction, row.n);
        }
        let mine = match viewer {
            Some(viewer) => {
                let mut mine: HashMap<i64, Vec<String>> = HashMap::new();
                for row in store::comments::reactions_of(db.conn(), viewer.0, &root_ids).await? {
                    mine.entry(row.comment_id).or_default().push(row.reaction);
                }
                Some(mine)
            }
            None => None,
        };
        Ok(Self {
            children,
            counts,
            mine,
        })
    }

    /// `row` with its replies; depth is bounded by [`MAX_DEPTH`].
    fn display(&self, row: &CommentRow) -> CommentDisplay {
        let sub_comments = self
            .children
            .get(&row.id)
            .map(|replies| replies.iter().map(|reply| self.display(reply)).collect())
            .unwrap_or_default();
        CommentDisplay {
            id: CommentId(row.id),
            content: row.content.clone(),
            user_id: UserId(row.user_id),
            post_id: PostId(row.post_id),
            likes_nbr: row.likes_nbr,
            parent_id: row.parent_id.map(CommentId),
            sub_comments,
            created_at: Timestamp::from_millis(row.created_at),
            reactions: self.counts.get(&row.id).cloned().unwrap_or_default(),
            my_reactions: self
                .mine
                .as_ref()
                .map(|mine| mine.get(&row.id).cloned().unwrap_or_default()),
            user: UserSummary {
                id: UserId(row.user_id),
                username: row.author.clone(),
                display_name: row.author_display_name.clone(),
                pfp: row.author_pfp.clone(),
            },
            author: row.author.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comment_text_is_checked_and_trimmed() {
        assert_eq!(
            checked_text(Some("  hi  ".into()), "comment").unwrap(),
            "hi"
        );
        for bad in [
            None,
            Some(String::new()),
            Some("   ".into()),
            Some("x".repeat(2001)),
        ] {
            let Err(ServiceError::Validation(fields)) = checked_text(bad, "reply") else {
                panic!("expected 422")
            };
            assert_eq!(fields[0].field, "reply");
        }
        assert!(checked_text(Some("é".repeat(2000)), "comment").is_ok());
    }
}
