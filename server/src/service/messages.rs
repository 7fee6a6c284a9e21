//! Messages in DMs, group chats and rooms: the rules shared by the REST routes and the
//! WebSocket. Every send is checked the same way whichever way it arrives, stored, and
//! only then published.

use std::{collections::HashMap, sync::Arc};

use socmel_api_types::{
    AttachmentId, Detail, GroupId, MessageId, RoomId, SpaceId, Timestamp, UserId,
    messages::{
        Conversation, ConversationKind, DmMessage, GroupMessage, InboxEntry, Message,
        MessageAttachment, RoomMessage,
    },
    notifications::NotificationKind,
    users::UserSummary,
};

use super::{
    Bad, Missing, Refusal, ServiceError, ServiceResult, Services,
    auth::AuthUser,
    media::{self, IncomingFile},
    notifications::{self, About},
    now, pagination,
    permissions::Action,
    spaces::{self, require_member},
    users,
    validation::Validation,
};
use crate::{
    events::Event,
    ratelimit::Limit,
    store::{
        self, Db,
        message_attachments::{MessageAttachmentRow, NewMessageAttachment},
        messages::{MessageRow, NamedMessageRow, NewMessage},
    },
};

/// Most attachments one message carries.
pub const MAX_ATTACHMENTS: usize = 10;

/// Longest message, in characters.
pub const MAX_CONTENT_CHARS: usize = 4000;
const DEFAULT_HISTORY: i64 = 50;
pub const MAX_HISTORY: i64 = 200;

/// Where a message goes, as the sender names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Dm(UserId),
    Group(GroupId),
    Room(SpaceId, RoomId),
}

impl Target {
    /// The stored conversation key, the same from either side of a DM.
    pub(crate) fn key(self, me: UserId) -> String {
        match self {
            Self::Dm(other) => {
                let (low, high) = if me.0 <= other.0 {
                    (me.0, other.0)
                } else {
                    (other.0, me.0)
                };
                format!("dm:{low}:{high}")
            }
            Self::Group(group) => format!("group:{group}"),
            Self::Room(_, room) => format!("room:{room}"),
        }
    }

    fn kind(self) -> ConversationKind {
        match self {
            Self::Dm(_) => ConversationKind::Dm,
            Self::Group(_) => ConversationKind::Group,
            Self::Room(..) => ConversationKind::Room,
        }
    }
}

impl From<Conversation> for Target {
    fn from(conversation: Conversation) -> Self {
        match conversation {
            Conversation::Dm { user_id } => Self::Dm(user_id),
            Conversation::Group { group_id } => Self::Group(group_id),
            Conversation::Room { space_id, room_id } => Self::Room(space_id, room_id),
        }
    }
}

impl From<Target> for Conversation {
    fn from(target: Target) -> Self {
        match target {
            Target::Dm(user_id) => Self::Dm { user_id },
            Target::Group(group_id) => Self::Group { group_id },
            Target::Room(space_id, room_id) => Self::Room { space_id, room_id },
        }
    }
}

/// Checks that `user` may read and write `target`: the other person exists, or the
/// user is a member of the group or of the room's space (membership is checked before
/// the room, so non-members learn nothing about a space's rooms).
pub async fn require_access(svc: &Services, user: &AuthUser, target: Target) -> ServiceResult<()> {
    match target {
        Target::Dm(other) => {
            let mut db = svc.store().reader().await?;
            dm_people(db.conn(), user.id(), other).await?;
        }
        Target::Group(group) => {
            let mut db = svc.store().reader().await?;
            if !store::groups::is_member(db.conn(), group.0, user.id().0).await? {
                return Err(
                    if store::messages::group_exists(db.conn(), group.0).await? {
                        ServiceError::Forbidden(Refusal::NotAGroupMember)
                    } else {
                        ServiceError::NotFound(Missing::Group)
                    },
                );
            }
        }
        Target::Room(space, room) => {
            require_member(svc, space, user)
                .await?
                .require(Action::Participate)?;
            let mut db = svc.store().reader().await?;
            if !store::messages::room_in_space(db.conn(), space.0, room.0).await? {
                return Err(ServiceError::NotFound(Missing::Room));
            }
        }
    }
    Ok(())
}

/// The two people of a DM, read in one query; 404 when the other does not exist (the
/// DM rule of [`require_access`], which history applies through this too, so that a
/// page's names and its access check are one query).
async fn dm_people(
    conn: store::Conn<'_>,
    me: UserId,
    other: UserId,
) -> ServiceResult<HashMap<UserId, UserSummary>> {
    let people = users::summaries(conn, [me, other]).await?;
    if !people.contains_key(&other) {
        return Err(ServiceError::NotFound(Missing::User));
    }
    Ok(people)
}

fn check_content(content: &str) -> ServiceResult<()> {
    let chars = content.chars().count();
    Validation::default()
        .check(
            !content.trim().is_empty() && chars <= MAX_CONTENT_CHARS,
            "message",
            "1 to 4000 characters",
        )
        .finish()
}

/// Stores a message after every check, then publishes it. Each sender has one
/// allowance of messages ([`Limit::Message`]), spent by the socket and REST alike.
pub async fn send(
    svc: &Services,
    sender: &AuthUser,
    target: Target,
    content: &str,
    parent: Option<MessageId>,
    attachment_ids: &[AttachmentId],
) -> ServiceResult<Message> {
    svc.check_limit(Limit::Message, &format!("user:{}", sender.id()))?;
    check_content(content)?;
    Validation::default()
        .check(
            attachment_ids.len() <= MAX_ATTACHMENTS,
            "attachment_ids",
            "at most 10 attachments",
        )
        .finish()?;
    require_access(svc, sender, target).await?;
    let conversation = target.key(sender.id());
    let (recipient_id, group_id, space_id, room_id) = match target {
        Target::Dm(other) => (Some(other.0), None, None, None),
        Target::Group(group) => (None, Some(group.0), None, None),
        Target::Room(space, room) => (None, None, Some(space.0), Some(room.0)),
    };
    let mut tx = svc.store().begin().await?;
    if let Some(parent) = parent {
        let in_conversation = store::messages::by_id(tx.conn(), parent.0)
            .await?
            .is_some_and(|row| row.message.conversation == conversation);
        if !in_conversation {
            return Err(ServiceError::BadRequest(Bad::ParentElsewhere));
        }
    }
    let new = NewMessage {
        kind: kind_name(target.kind()),
        conversation: &conversation,
        sender_id: sender.id().0,
        recipient_id,
        group_id,
        space_id,
        room_id,
        content,
        parent_id: parent.map(|p| p.0),
        now: now(),
    };
    let row = store::messages::insert(tx.conn(), new).await?;
    for id in attachment_ids {
        if !store::message_attachments::claim(tx.conn(), id.0, sender.id().0, row.message.id)
            .await?
        {
            return Err(ServiceError::BadRequest(Bad::AttachmentNotPending(id.0)));
        }
    }
    let attachments = store::message_attachments::of_message(tx.conn(), row.message.id).await?;
    tx.commit().await?;
    let message = Arc::new(named_message(&row, false, &attachments));
    svc.committed(Event::MessageCreated(message.clone()));
    notify_mentions(svc, sender, target, &message).await;
    Ok(Arc::unwrap_or_clone(message))
}

/// Notifies the people `@mentioned` in a message who can read its conversation.
async fn notify_mentions(svc: &Services, sender: &AuthUser, target: Target, message: &Message) {
    let mentioned = match notifications::mentioned(svc, message.content()).await {
        Ok(users) => users,
        Err(err) => {
            tracing::warn!(error = %err, "looking up mentions");
            return;
        }
    };
    for user in mentioned {
        let can_read = match target {
            Target::Dm(other) => other == user,
            Target::Group(group) => is_group_member(svc, group, user).await,
            Target::Room(space, _) => is_space_member(svc, space, user).await,
        };
        if can_read {
            let about = About {
                message_id: Some(message.id()),
                space_id: match target {
                    Target::Room(space, _) => Some(space),
                    _ => None,
                },
                ..About::default()
            };
            notifications::notify(svc, user, NotificationKind::Mention, sender.id(), about).await;
        }
    }
}

async fn is_group_member(svc: &Services, group: GroupId, user: UserId) -> bool {
    match svc.store().reader().await {
        Ok(mut db) => store::groups::is_member(db.conn(), group.0, user.0)
            .await
            .unwrap_or(false),
        Err(_) => false,
    }
}

async fn is_space_member(svc: &Services, space: SpaceId, user: UserId) -> bool {
    match svc.store().reader().await {
        Ok(mut db) => store::spaces::member_role(db.conn(), space.0, user.0)
            .await
            .is_ok_and(|role| role.is_some()),
        Err(_) => false,
    }
}

/// A DM conversation's scroll-back ([`history`]).
pub async fn dm_history(
    svc: &Services,
    user: &AuthUser,
    other: UserId,
    before: Option<MessageId>,
    limit: Option<i64>,
) -> ServiceResult<Vec<DmMessage>> {
    let messages = history(svc, user, Target::Dm(other), before, limit).await?;
    Ok(messages
        .into_iter()
        .filter_map(|message| match message {
            Message::Dm(dm) => Some(dm),
            _ => None,
        })
        .collect())
}

/// A group chat's scroll-back ([`history`]).
pub async fn group_history(
    svc: &Services,
    user: &AuthUser,
    group_id: GroupId,
    before: Option<MessageId>,
    limit: Option<i64>,
) -> ServiceResult<Vec<GroupMessage>> {
    let messages = history(svc, user, Target::Group(group_id), before, limit).await?;
    Ok(messages
        .into_iter()
        .filter_map(|message| match message {
            Message::Group(group) => Some(group),
            _ => None,
        })
        .collect())
}

/// A room's scroll-back ([`history`]).
pub async fn room_history(
    svc: &Services,
    user: &AuthUser,
    space_id: SpaceId,
    room_id: RoomId,
    before: Option<MessageId>,
    limit: Option<i64>,
) -> ServiceResult<Vec<RoomMessage>> {
    let messages = history(svc, user, Target::Room(space_id, room_id), before, limit).await?;
    Ok(messages
        .into_iter()
        .filter_map(|message| match message {
            Message::Room(room) => Some(room),
            _ => None,
        })
        .collect())
}

/// Scroll-back: the `limit` messages just older than `before` (the latest without it),
/// oldest first. A conversation holds messages of its own kind only, so the typed
/// functions above keep every one.
async fn history(
    svc: &Services,
    user: &AuthUser,
    target: Target,
    before: Option<MessageId>,
    limit: Option<i64>,
) -> ServiceResult<Vec<Message>> {
    let limit = pagination::limit(limit, DEFAULT_HISTORY, MAX_HISTORY)?;
    let me = user.id();
    if !matches!(target, Target::Dm(_)) {
        require_access(svc, user, target).await?;
    }
    let mut db = svc.store().reader().await?;
    // A DM names its two people only, known before the page is read; a group or room
    // page names whoever wrote in it. Either way one query names a whole page.
    let dm = match target {
        Target::Dm(other) => Some((other, dm_people(db.conn(), me, other).await?)),
        _ => None,
    };
    let conversation = target.key(me);
    let mut rows =
        store::messages::history(db.conn(), &conversation, before.map(|b| b.0), limit).await?;
    rows.reverse();
    let attachments = match (rows.first(), rows.last()) {
        (Some(first), Some(last)) => {
            store::message_attachments::in_range(db.conn(), first.id, last.id).await?
        }
        _ => Vec::new(),
    };
    let (people, read_marks) = match dm {
        Some((other, people)) => {
            let marks =
                store::messages::read_marks(db.conn(), &conversation, me.0, other.0).await?;
            let mark_of = |user: UserId| {
                marks
                    .iter()
                    .find(|(id, _)| *id == user.0)
                    .map_or(0, |(_, mark)| *mark)
            };
            // A DM is read when its recipient's mark has passed it.
            (people, Some((mark_of(me), mark_of(other))))
        }
        None => {
            let senders = rows.iter().map(|row| UserId(row.sender_id));
            (users::summaries(db.conn(), senders).await?, None)
        }
    };
    Ok(rows
        .iter()
        .map(|row| {
            let is_read = read_marks.is_some_and(|(mine, theirs)| {
                let mark = if row.sender_id == me.0 { theirs } else { mine };
                mark >= row.id
            });
            let own: Vec<_> = attachments
                .iter()
                .filter(|a| a.message_id == Some(row.id))
                .cloned()
                .collect();
            to_message(row, &people, is_read, &own)
        })
        .collect())
}

/// Moves the user's read mark in a conversation up to `message_id` and tells the
/// user's other connections (and, for a DM, the other person). `from_connection` is
/// the socket connection it came from, which is not told again.
pub async fn mark_read(
    svc: &Services,
    user: &AuthUser,
    target: Target,
    message_id: MessageId,
    from_connection: Option<u64>,
) -> ServiceResult<Detail> {
    require_access(svc, user, target).await?;
    let conversation = target.key(user.id());
    let mut tx = svc.store().begin().await?;
    let row = store::messages::by_id(tx.conn(), message_id.0)
        .await?
        .filter(|row| row.message.conversation == conversation)
        .ok_or_else(|| ServiceError::NotFound(Missing::Message))?;
    store::messages::mark_read(tx.conn(), user.id().0, &conversation, row.message.id).await?;
    // The message names the reader when they sent it or are its DM's recipient;
    // anyone else reading a group or room is looked up.
    let mut people = people_of(&row);
    if !people.contains_key(&user.id()) {
        people.extend(users::summaries(tx.conn(), [user.id()]).await?);
    }
    tx.commit().await?;
    svc.committed(Event::Read {
        reader: users::summary_of(&people, user.id()),
        message: Arc::new(to_message(&row.message, &people, false, &[])),
        message_id,
        from_connection,
    });
    Ok(Detail::new("marked as read"))
}

/// Changes a message's text: its author only.
pub async fn edit(
    svc: &Services,
    user: &AuthUser,
    kind: ConversationKind,
    message_id: MessageId,
    content: &str,
) -> ServiceResult<Message> {
    check_content(content)?;
    let row = visible_message(svc, user, kind, message_id).await?;
    if row.message.sender_id != user.id().0 {
        return Err(ServiceError::Forbidden(Refusal::EditOthersMessage));
    }
    let mut db = svc.store().writer().await?;
    let row = store::messages::set_content(db.conn(), row.message.id, content, now())
        .await?
        .ok_or_else(|| ServiceError::NotFound(Missing::Message))?;
    let attachments = store::message_attachments::of_message(db.conn(), row.message.id).await?;
    drop(db);
    // On disk before anyone hears of it, as a transaction's commit is.
    svc.store().durable().await?;
    let message = Arc::new(named_message(&row, false, &attachments));
    svc.committed(Event::MessageEdited(message.clone()));
    Ok(Arc::unwrap_or_clone(message))
}

/// Deletes a message: its author, or a moderator of the room's space.
pub async fn delete(
    svc: &Services,
    user: &AuthUser,
    kind: ConversationKind,
    message_id: MessageId,
) -> ServiceResult<Detail> {
    let row = visible_message(svc, user, kind, message_id).await?;
    if row.message.sender_id != user.id().0 {
        let moderator = match (row.message.space_id, kind) {
            (Some(space), ConversationKind::Room) => {
                let me = require_member(svc, SpaceId(space), user).await?;
                let mut db = svc.store().reader().await?;
                me.require(Action::DeleteAnyMessage).is_ok()
                    && spaces::may_remove_content_of(
                        db.conn(),
                        SpaceId(space),
                        me.role(),
                        UserId(row.message.sender_id),
                    )
                    .await?
            }
            _ => false,
        };
        if !moderator {
            return Err(ServiceError::Forbidden(Refusal::DeleteOthersMessage));
        }
    }
    let mut db = svc.store().writer().await?;
    let attachments = store::message_attachments::of_message(db.conn(), row.message.id).await?;
    store::messages::delete(db.conn(), row.message.id).await?;
    drop(db);
    svc.store().durable().await?;
    let keys: Vec<String> = attachments.iter().map(|a| a.file_key.clone()).collect();
    media::delete_objects(svc, &keys).await;
    let message = named_message(&row, false, &attachments);
    svc.committed(Event::MessageDeleted(Arc::new(message)));
    Ok(Detail::new("the message has been deleted"))
}

/// The message `message_id` of `kind`, if `user` can see its conversation; 404 otherwise.
async fn visible_message(
    svc: &Services,
    user: &AuthUser,
    kind: ConversationKind,
    message_id: MessageId,
) -> ServiceResult<NamedMessageRow> {
    let not_found = || ServiceError::NotFound(Missing::Message);
    let named = {
        let mut db = svc.store().reader().await?;
        store::messages::by_id(db.conn(), message_id.0).await?
    }
    .filter(|named| named.message.kind == kind_name(kind))
    .ok_or_else(not_found)?;
    let row = &named.message;
    let target = match kind {
        ConversationKind::Dm => {
            let me = user.id().0;
            let other = if row.sender_id == me {
                row.recipient_id
            } else {
                Some(row.sender_id)
            };
            if row.sender_id != me && row.recipient_id != Some(me) {
                return Err(not_found());
            }
            Target::Dm(UserId(other.unwrap_or(me)))
        }
        ConversationKind::Group => Target::Group(GroupId(row.group_id.unwrap_or_default())),
        ConversationKind::Room => Target::Room(
            SpaceId(row.space_id.unwrap_or_default()),
            RoomId(row.room_id.unwrap_or_default()),
        ),
    };
    require_access(svc, user, target)
        .await
        .map_err(|_| not_found())?;
    Ok(named)
}

/// Every conversation of the user with its last message and unread count, newest
/// activity first.
pub async fn inbox(svc: &Services, user: &AuthUser) -> ServiceResult<Vec<InboxEntry>> {
    let me = user.id();
    let mut db = svc.store().reader().await?;
    let mut entries = Vec::new();
    let partners = store::messages::dm_partners(db.conn(), me.0).await?;
    let people = users::summaries(db.conn(), partners.iter().map(|&p| UserId(p))).await?;
    for partner in partners {
        let other = users::summary_of(&people, UserId(partner));
        let target = Target::Dm(UserId(partner));
        let name = other.username.clone();
        // A DM partner is known from a message, so the DM always has one.
        let mut entry = entry(&mut db, me, target, name, 0).await?;
        entry.other = Some(other);
        entries.push(entry);
    }
    for group in store::messages::groups_of(db.conn(), me.0).await? {
        let target = Target::Group(GroupId(group.group_id));
        entries.push(entry(&mut db, me, target, group.name, group.joined_at).await?);
    }
    for room in store::messages::rooms_of(db.conn(), me.0).await? {
        let target = Target::Room(SpaceId(room.space_id), RoomId(room.room_id));
        let name = format!("{} / {}", room.space_name, room.room_name);
        entries.push(entry(&mut db, me, target, name, room.joined_at).await?);
    }
    entries.sort_by_key(|entry| std::cmp::Reverse(entry.last_activity));
    Ok(entries)
}

/// One inbox line; `joined_at` stands for the last activity of a conversation without
/// messages.
async fn entry(
    db: &mut Db,
    me: UserId,
    target: Target,
    name: String,
    joined_at: i64,
) -> ServiceResult<InboxEntry> {
    let conversation = target.key(me);
    let last = store::messages::latest(db.conn(), &conversation).await?;
    let mark = store::messages::last_read(db.conn(), me.0, &conversation).await?;
    let unread_count = store::messages::unread_count(db.conn(), me.0, &conversation, mark).await?;
    Ok(InboxEntry {
        conversation: target.into(),
        name,
        other: None,
        last_activity: Timestamp::from_millis(
            last.as_ref()
                .map_or(joined_at, |row| row.message.created_at),
        ),
        last_message: last.as_ref().map(|row| named_message(row, false, &[])),
        unread_count,
    })
}

fn kind_name(kind: ConversationKind) -> &'static str {
    match kind {
        ConversationKind::Dm => "dm",
        ConversationKind::Group => "group",
        ConversationKind::Room => "room",
    }
}

/// The upstream-shaped message for a stored row.
/// Stores an uploaded image for a message to carry: checked like post images (by
/// content, 415; by size, 413).
pub async fn upload_attachment(
    svc: &Services,
    user: &AuthUser,
    file: IncomingFile,
) -> ServiceResult<MessageAttachment> {
    let image = media::read_image(svc, file).await?;
    let stored = media::store(svc, &image).await?;
    let new = NewMessageAttachment {
        uploader_id: user.id().0,
        file: &stored.url,
        file_key: &stored.key,
        content_type: image.kind.content_type(),
        size_bytes: i64::try_from(image.bytes.len()).unwrap_or(i64::MAX),
        now: now(),
    };
    let inserted = {
        let mut db = svc.store().writer().await?;
        store::message_attachments::insert(db.conn(), new).await
    };
    match inserted {
        Ok(row) => Ok(attachment(&row)),
        Err(err) => {
            media::delete_objects(svc, std::slice::from_ref(&stored.key)).await;
            Err(err.into())
        }
    }
}

fn attachment(row: &MessageAttachmentRow) -> MessageAttachment {
    MessageAttachment {
        id: AttachmentId(row.id),
        file: row.file.clone(),
    }
}

/// The people a single message names, from the joins that read it.
fn people_of(named: &NamedMessageRow) -> HashMap<UserId, UserSummary> {
    let row = &named.message;
    let mut people = HashMap::with_capacity(2);
    people.insert(
        UserId(row.sender_id),
        UserSummary {
            id: UserId(row.sender_id),
            username: named.sender_username.clone(),
            display_name: named.sender_display_name.clone(),
            pfp: named.sender_pfp.clone(),
        },
    );
    if let (Some(id), Some(username)) = (row.recipient_id, &named.recipient_username) {
        people.insert(
            UserId(id),
            UserSummary {
                id: UserId(id),
                username: username.clone(),
                display_name: named.recipient_display_name.clone(),
                pfp: named.recipient_pfp.clone(),
            },
        );
    }
    people
}

/// [`to_message`] for a message read with its people.
pub(crate) fn named_message(
    named: &NamedMessageRow,
    is_read: bool,
    attachments: &[MessageAttachmentRow],
) -> Message {
    to_message(&named.message, &people_of(named), is_read, attachments)
}

/// The message for a stored row, naming its people from `people` (an id missing there
/// is named by its number, see [`users::summary_of`]).
pub(crate) fn to_message(
    row: &MessageRow,
    people: &HashMap<UserId, UserSummary>,
    is_read: bool,
    attachments: &[MessageAttachmentRow],
) -> Message {
    let attachments: Vec<MessageAttachment> = attachments.iter().map(attachment).collect();
    let id = MessageId(row.id);
    let sender_id = UserId(row.sender_id);
    let sender = users::summary_of(people, sender_id);
    let timestamp = Timestamp::from_millis(row.created_at);
    let parent_message_id = row.parent_id.map(MessageId);
    let edited_at = row.edited_at.map(Timestamp::from_millis);
    let content = row.content.clone();
    match row.kind.as_str() {
        "group" => Message::Group(GroupMessage {
            id,
            content,
            sender_id,
            sender,
            group_chat_id: GroupId(row.group_id.unwrap_or_default()),
            timestamp,
            parent_message_id,
            edited_at,
            attachments,
        }),
        "room" => Message::Room(RoomMessage {
            id,
            content,
            sender_id,
            sender,
            space_id: SpaceId(row.space_id.unwrap_or_default()),
            room_id: RoomId(row.room_id.unwrap_or_default()),
            timestamp,
            parent_message_id,
            edited_at,
            attachments,
        }),
        _ => Message::Dm(DmMessage {
            id,
            content,
            sender_id,
            sender,
            recipient_id: UserId(row.recipient_id.unwrap_or_default()),
            recipient: users::summary_of(people, UserId(row.recipient_id.unwrap_or_default())),
            timestamp,
            is_read,
            parent_message_id,
            edited_at,
            attachments,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dm_has_one_key_from_either_side() {
        assert_eq!(Target::Dm(UserId(9)).key(UserId(3)), "dm:3:9");
        assert_eq!(Target::Dm(UserId(3)).key(UserId(9)), "dm:3:9");
        assert_eq!(Target::Group(GroupId(4)).key(UserId(1)), "group:4");
        assert_eq!(Target::Room(SpaceId(1), RoomId(7)).key(UserId(1)), "room:7");
    }

    #[test]
    fn content_is_1_to_4000_characters() {
        assert!(check_content("hi").is_ok());
        assert!(check_content(&"é".repeat(4000)).is_ok());
        assert!(check_content("").is_err());
        assert!(check_content("   ").is_err());
        assert!(check_content(&"x".repeat(4001)).is_err());
    }
}
