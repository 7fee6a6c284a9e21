//! Notifications: written after the action that caused them has committed, then pushed
//! to the user's connections. A failure to notify never fails the action itself.

use std::{collections::HashMap, sync::Arc};

use socmel_api_types::{
    CommentId, Detail, MessageId, NotificationId, Page, PostId, SpaceId, Timestamp, UserId,
    notifications::{Notification, NotificationKind},
    users::UserSummary,
};

use super::{
    ServiceError, ServiceResult, Services, auth::AuthUser, now, pagination::Paging, users,
};
use crate::{
    events::Event,
    store::{
        self,
        notifications::{NewNotification, NotificationRow},
    },
};

/// What a notification points at.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct About {
    pub post_id: Option<PostId>,
    pub comment_id: Option<CommentId>,
    pub space_id: Option<SpaceId>,
    pub message_id: Option<MessageId>,
}

/// Most mentions one text can notify.
const MAX_MENTIONS: usize = 10;

/// Tells `recipient` that `actor` did `kind`. Nobody is notified of their own doings.
pub async fn notify(
    svc: &Services,
    recipient: UserId,
    kind: NotificationKind,
    actor: UserId,
    about: About,
) {
    if recipient == actor {
        return;
    }
    if let Err(err) = store_and_publish(svc, recipient, kind, actor, about).await {
        tracing::warn!(error = %err, kind = kind.as_str(), "notification not delivered");
    }
}

async fn store_and_publish(
    svc: &Services,
    recipient: UserId,
    kind: NotificationKind,
    actor: UserId,
    about: About,
) -> ServiceResult<()> {
    let row = {
        let mut db = svc.store().writer().await?;
        let new = NewNotification {
            user_id: recipient.0,
            kind: kind.as_str(),
            actor_id: actor.0,
            post_id: about.post_id.map(|id| id.0),
            comment_id: about.comment_id.map(|id| id.0),
            space_id: about.space_id.map(|id| id.0),
            message_id: about.message_id.map(|id| id.0),
            now: now(),
        };
        store::notifications::insert(db.conn(), new).await?
    };
    let people = {
        let mut db = svc.store().reader().await?;
        users::summaries(db.conn(), [actor]).await?
    };
    let notification = to_notification(&row, &people).ok_or_else(|| {
        ServiceError::internal(anyhow::anyhow!("unknown notification kind {}", row.kind))
    })?;
    svc.committed(Event::Notification {
        user_id: recipient,
        notification: Arc::new(notification),
    });
    Ok(())
}

/// The users `@mentioned` in `text` (existing ones only), without duplicates.
pub async fn mentioned(svc: &Services, text: &str) -> ServiceResult<Vec<UserId>> {
    let mut found = Vec::new();
    let mut db = svc.store().reader().await?;
    for name in mention_names(text) {
        if let Some(id) = store::users::id_by_username(db.conn(), &name).await? {
            let id = UserId(id);
            if !found.contains(&id) {
                found.push(id);
            }
        }
    }
    Ok(found)
}

/// `@name` tokens (username characters after an `@` that starts a word).
fn mention_names(text: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let bytes = text.as_bytes();
    for (at, _) in text.match_indices('@') {
        let starts_word = at == 0 || !bytes[at - 1].is_ascii_alphanumeric();
        let name: String = text[at + 1..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
            .collect();
        let name = name.trim_end_matches(['.', '-']).to_owned();
        if starts_word && (3..=32).contains(&name.len()) && !names.contains(&name) {
            names.push(name);
        }
        if names.len() == MAX_MENTIONS {
            break;
        }
    }
    names
}

/// My notifications, newest first.
pub async fn list(
    svc: &Services,
    user: &AuthUser,
    paging: Paging,
) -> ServiceResult<Page<Notification>> {
    let pager = paging.pager([i64::MAX])?;
    let [before] = pager.after;
    let mut db = svc.store().reader().await?;
    let rows = store::notifications::page(db.conn(), user.id().0, before, pager.fetch()).await?;
    let (rows, next) = pager.page(rows, |row| [row.id]);
    let people = users::summaries(db.conn(), rows.iter().map(|row| UserId(row.actor_id))).await?;
    Ok(Page::new(
        rows.iter()
            .filter_map(|row| to_notification(row, &people))
            .collect(),
        next,
    ))
}

/// Marks the given notifications (or all of them) read.
pub async fn mark_read(
    svc: &Services,
    user: &AuthUser,
    ids: Option<Vec<NotificationId>>,
) -> ServiceResult<Detail> {
    let mut db = svc.store().writer().await?;
    let at = now();
    let changed = match ids {
        None => store::notifications::mark_all_read(db.conn(), user.id().0, at).await?,
        Some(ids) => {
            let mut changed = 0;
            for id in ids {
                changed +=
                    store::notifications::mark_read(db.conn(), user.id().0, id.0, at).await?;
            }
            changed
        }
    };
    Ok(Detail::new(format!(
        "{changed} notifications marked as read"
    )))
}

/// The notification of `row`, its actor taken from `people` (loaded once per page).
fn to_notification(
    row: &NotificationRow,
    people: &HashMap<UserId, UserSummary>,
) -> Option<Notification> {
    Some(Notification {
        id: NotificationId(row.id),
        kind: NotificationKind::parse(&row.kind)?,
        actor_id: UserId(row.actor_id),
        actor: users::summary_of(people, UserId(row.actor_id)),
        post_id: row.post_id.map(PostId),
        comment_id: row.comment_id.map(CommentId),
        space_id: row.space_id.map(SpaceId),
        message_id: row.message_id.map(MessageId),
        created_at: Timestamp::from_millis(row.created_at),
        read: row.read_at.is_some(),
    })
}

#[cfg(test)]
mod tests {
    use super::mention_names;

    #[test]
    fn mentions_are_words_starting_with_an_at() {
        assert_eq!(mention_names("hi @ada and @bob_2!"), ["ada", "bob_2"]);
        assert_eq!(mention_names("@ada @ada"), ["ada"]);
        assert_eq!(
            mention_names("mail me at ada@example.com"),
            Vec::<String>::new()
        );
        assert_eq!(
            mention_names("thanks @cy."),
            Vec::<String>::new(),
            "too short once the dot goes"
        );
        assert_eq!(mention_names("ping @dora."), ["dora"]);
    }
}
