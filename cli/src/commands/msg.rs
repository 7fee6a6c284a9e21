//! `socmel msg …`: messages in any conversation, and the live WebSocket stream.

use std::{future::Future, path::PathBuf};

use clap::{Args, Subcommand, ValueEnum};
use serde::Serialize;
use socmel_client::{
    Client, ClientResult, HistoryPage, Session,
    types::{
        MessageId, Page, Timestamp,
        events::{MembershipChange, MembershipScope},
        frames::{Envelope, MembershipUpdate, Presence, ReadReceipt, ServerFrame, Typing},
        messages::{
            Conversation, ConversationKind, DmMessage, GroupMessage, MarkRead, Message,
            RoomMessage, SendMessage,
        },
        page::PageItem,
    },
};

use crate::{
    context::Ctx,
    error::{CliError, CliResult},
    names::{GroupRef, RoomRef, SpaceRef},
    output::{Output, Table, opt, println_stdout},
    people::UserRef,
    progress::{UploadBar, files},
    text,
};

#[derive(Debug, Subcommand)]
#[command(
    after_help = "A conversation is --user bob, --group team, or --room lounge/general.\n\
    Examples:\n  \
    socmel msg send --room lounge/general \"hello\"\n  \
    socmel msg send --user bob --attach photo.png \"look\"\n  \
    socmel msg history --group team --limit 20 --json --jq '.items[].content'"
)]
pub enum MsgCmd {
    /// Send a message (text as an argument, `-`/nothing for stdin, or @FILE); prints its id
    Send {
        #[command(flatten)]
        to: Target,
        /// The text; `-` or nothing reads stdin, @FILE reads a file
        #[arg(allow_hyphen_values = true)]
        message: Option<String>,
        /// Reply to this message id
        #[arg(long, value_name = "MESSAGE_ID")]
        reply_to: Option<i64>,
        /// Images to attach (PNG, JPEG, GIF or WebP; repeat or list several). All are
        /// checked before any is uploaded
        #[arg(long, num_args = 1.., value_name = "FILE")]
        attach: Vec<PathBuf>,
    },
    /// Read back a conversation, oldest first
    History {
        #[command(flatten)]
        to: Target,
        #[command(flatten)]
        page: HistoryArgs,
    },
    /// Stream live messages and events from the WebSocket as JSON lines
    Tail {
        /// Resume after this seq (from a previous run's last line)
        #[arg(long)]
        since: Option<u64>,
        /// Stop after this many frames
        #[arg(long)]
        count: Option<u64>,
    },
    /// Mark a conversation read up to a message
    Read {
        #[command(flatten)]
        to: Target,
        /// The newest message read
        message_id: i64,
    },
    /// Edit one of your messages: `msg edit --room lounge/general 12 "new text"`
    Edit {
        #[command(flatten)]
        to: Target,
        /// The message's id, then the new text (`-` or nothing reads stdin, @FILE reads
        /// a file); older spelling: `dm|group|room ID TEXT`
        #[arg(
            required = true,
            num_args = 1..=3,
            allow_hyphen_values = true,
            value_names = ["MESSAGE_ID", "TEXT"]
        )]
        words: Vec<String>,
    },
    /// Delete one of your messages: `msg delete --user bob 12`
    Delete {
        #[command(flatten)]
        to: Target,
        /// The message's id (older spelling: `dm|group|room ID`)
        #[arg(required = true, num_args = 1..=2, value_name = "MESSAGE_ID")]
        words: Vec<String>,
    },
}

/// Which conversation: `--user bob` (a DM), `--group team`, or `--room lounge/general`.
#[derive(Debug, Clone, Args)]
pub struct Target {
    /// A direct conversation with this user: bob, @bob, #7 or 7
    #[arg(long, short)]
    pub user: Option<UserRef>,
    /// A group chat: its name (among yours) or id
    #[arg(long, short)]
    pub group: Option<GroupRef>,
    /// A room: SPACE/ROOM, each by name or id (lounge/general, 3/12)
    #[arg(long, short)]
    pub room: Option<RoomRef>,
    /// The space of a bare --room (older spelling of --room SPACE/ROOM)
    #[arg(long, short, hide = true)]
    pub space: Option<SpaceRef>,
}

impl Target {
    fn is_empty(&self) -> bool {
        self.user.is_none() && self.group.is_none() && self.room.is_none() && self.space.is_none()
    }

    /// The kind of conversation named, without looking anything up.
    fn kind(&self) -> CliResult<ConversationKind> {
        match (&self.user, &self.group, &self.room) {
            (Some(_), None, None) => Ok(ConversationKind::Dm),
            (None, Some(_), None) => Ok(ConversationKind::Group),
            (None, None, Some(_)) => Ok(ConversationKind::Room),
            _ => Err(CliError::Usage(
                "name the conversation: --user bob, --group team, or --room lounge/general".into(),
            )),
        }
    }

    /// The conversation named; names are looked up.
    pub async fn conversation(&self, ctx: &mut Ctx) -> CliResult<Conversation> {
        match (&self.user, &self.group, &self.room) {
            (Some(user), None, None) if self.space.is_none() => Ok(Conversation::Dm {
                user_id: user.resolve(ctx).await?,
            }),
            (None, Some(group), None) if self.space.is_none() => Ok(Conversation::Group {
                group_id: group.resolve(ctx).await?,
            }),
            (None, None, Some(room)) => {
                let (space_id, room_id) = room.resolve(ctx, self.space.as_ref()).await?;
                Ok(Conversation::Room { space_id, room_id })
            }
            _ => Err(CliError::Usage(
                "name one conversation: --user bob, --group team, or --room lounge/general".into(),
            )),
        }
    }
}

/// Scroll-back, in the paging words of every listing: the cursor is the id of the
/// oldest message seen (older ones come next).
#[derive(Debug, Clone, Args)]
pub struct HistoryArgs {
    /// How many messages (1-100) [default: 50]
    #[arg(long, value_name = "N")]
    pub limit: Option<i64>,
    /// Only messages older than this one: the previous page's next_cursor
    #[arg(long, alias = "before", value_name = "CURSOR")]
    pub cursor: Option<String>,
    /// Follow every page back to the first message
    #[arg(long, conflicts_with = "cursor")]
    pub all: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Kind {
    Dm,
    Group,
    Room,
}

impl From<Kind> for ConversationKind {
    fn from(kind: Kind) -> Self {
        match kind {
            Kind::Dm => Self::Dm,
            Kind::Group => Self::Group,
            Kind::Room => Self::Room,
        }
    }
}

pub async fn run(ctx: &mut Ctx, cmd: MsgCmd) -> CliResult {
    match cmd {
        MsgCmd::Send {
            to,
            message,
            reply_to,
            attach,
        } => {
            let to = to.conversation(ctx).await?;
            send(ctx, to, message, reply_to, &attach).await
        }
        MsgCmd::History { to, page } => {
            let to = to.conversation(ctx).await?;
            history(ctx, to, &page).await
        }
        MsgCmd::Tail { since, count } => tail(ctx, since, count).await,
        MsgCmd::Read { to, message_id } => {
            let body = &MarkRead {
                conversation: to.conversation(ctx).await?,
                message_id: MessageId(message_id),
            };
            let detail = ctx.call(|c| async move { c.mark_read(body).await }).await?;
            ctx.out.ack(&detail, &detail.detail)
        }
        MsgCmd::Edit { to, words } => {
            let (kind, message_id, rest) = message_words(&to, &words, 1)?;
            let content = text::expand_or_stdin(rest.first().cloned(), "content")?;
            let (id, content) = (MessageId(message_id), content.as_str());
            let message = ctx
                .call(|c| async move { c.edit_message(kind, id, content).await })
                .await?;
            ctx.out.show(&message, |out| {
                messages_table(out, &[MessageRow::of(&message)]).print(out)
            })
        }
        MsgCmd::Delete { to, words } => {
            let (kind, message_id, _) = message_words(&to, &words, 0)?;
            let id = MessageId(message_id);
            let detail = ctx
                .call(|c| async move { c.delete_message(kind, id).await })
                .await?;
            ctx.out.ack(&detail, &detail.detail)
        }
    }
}

/// The kind of conversation and the message id of `msg edit|delete`: from the
/// conversation flags (`--room lounge/general 12`), or the older `room 12`; what
/// follows (at most `extra` words) is handed back.
fn message_words<'a>(
    to: &Target,
    words: &'a [String],
    extra: usize,
) -> CliResult<(ConversationKind, i64, &'a [String])> {
    let legacy = words
        .first()
        .and_then(|word| Kind::from_str(word, true).ok());
    let (kind, rest) = match legacy {
        Some(kind) if to.is_empty() => (ConversationKind::from(kind), &words[1..]),
        _ => (to.kind()?, words),
    };
    let Some((id, rest)) = rest.split_first() else {
        return Err(CliError::Usage("which message? Give its id".into()));
    };
    if rest.len() > extra {
        return Err(CliError::Usage(format!(
            "unexpected argument '{}'",
            rest[extra]
        )));
    }
    let id = id
        .trim_start_matches('#')
        .parse()
        .map_err(|_| CliError::Usage(format!("'{id}' is not a message id")))?;
    Ok((kind, id, rest))
}

/// Sends to any conversation (`dm send` is this with a user): the attachments are
/// checked, uploaded with a progress bar, then the message carries them.
pub async fn send(
    ctx: &mut Ctx,
    to: Conversation,
    message: Option<String>,
    reply_to: Option<i64>,
    attach: &[PathBuf],
) -> CliResult {
    let text = text::expand_or_stdin(message, "message")?;
    let (uploads, total) = files(attach).await?;
    let mut attachment_ids = Vec::new();
    if !uploads.is_empty() {
        let bar = UploadBar::new(total, "uploading");
        for (path, upload) in attach.iter().zip(&uploads) {
            let (bar_ref, upload) = (&bar, upload);
            let uploaded = ctx
                .call(|c| async move {
                    c.upload_message_attachment_with_progress(upload.clone(), bar_ref.progress())
                        .await
                })
                .await;
            match uploaded {
                Ok(attachment) => attachment_ids.push(attachment.id),
                Err(err) => {
                    bar.finish();
                    return Err(CliError::in_file(path, err));
                }
            }
        }
        bar.finish();
    }
    let body = SendMessage {
        parent_id: reply_to.map(MessageId),
        attachment_ids,
        ..SendMessage::text(to, text)
    };
    let body = &body;
    let message = ctx
        .call(|c| async move { c.send_message(body).await })
        .await?;
    let sentence = format!("Sent message {}.", message.id());
    ctx.out.created(&message, message.id(), &sentence)
}

/// Prints a conversation's history, `{items, next_cursor}` like every listing.
pub async fn history(ctx: &mut Ctx, to: Conversation, args: &HistoryArgs) -> CliResult {
    match to {
        Conversation::Dm { user_id } => {
            let page = history_pages(
                ctx,
                args,
                |m: &DmMessage| m.id,
                |c, page| async move { c.dm_history(user_id, page).await },
            )
            .await?;
            let rows: Vec<_> = page
                .items
                .iter()
                .map(|m| MessageRow::new(m.id, &m.sender.username, m.timestamp, &m.content))
                .collect();
            print_page(&ctx.out, &page, &rows)
        }
        Conversation::Group { group_id } => {
            let page = history_pages(
                ctx,
                args,
                |m: &GroupMessage| m.id,
                |c, page| async move { c.group_history(group_id, page).await },
            )
            .await?;
            let rows: Vec<_> = page
                .items
                .iter()
                .map(|m| MessageRow::new(m.id, &m.sender.username, m.timestamp, &m.content))
                .collect();
            print_page(&ctx.out, &page, &rows)
        }
        Conversation::Room { space_id, room_id } => {
            let page = history_pages(
                ctx,
                args,
                |m: &RoomMessage| m.id,
                |c, page| async move { c.room_history(space_id, room_id, page).await },
            )
            .await?;
            let rows: Vec<_> = page
                .items
                .iter()
                .map(|m| MessageRow::new(m.id, &m.sender.username, m.timestamp, &m.content))
                .collect();
            print_page(&ctx.out, &page, &rows)
        }
    }
}

/// The server's default page of history.
const HISTORY_DEFAULT: i64 = 50;

/// One page of history (or, with `--all`, every page back to the first), oldest first;
/// a full page has a next cursor: the id of its oldest message.
async fn history_pages<T, F, Fut>(
    ctx: &mut Ctx,
    args: &HistoryArgs,
    id_of: fn(&T) -> MessageId,
    fetch: F,
) -> CliResult<Page<T>>
where
    T: PageItem,
    F: Fn(Client, HistoryPage) -> Fut,
    Fut: Future<Output = ClientResult<Vec<T>>>,
{
    let mut before = match args.cursor.as_deref() {
        None => None,
        Some(cursor) => Some(MessageId(cursor.trim_start_matches('#').parse().map_err(
            |_| {
                CliError::Usage(format!(
                    "--cursor: '{cursor}' is not a history cursor (a message id)"
                ))
            },
        )?)),
    };
    let limit = args.limit.or(args.all.then_some(100));
    let full = limit.unwrap_or(HISTORY_DEFAULT);
    let mut items: Vec<T> = Vec::new();
    loop {
        let page = HistoryPage { before, limit };
        let older = ctx.call(|c| fetch(c, page)).await?;
        let next = (older.len() as i64 >= full)
            .then(|| older.iter().map(id_of).min())
            .flatten();
        // Older messages go in front: the listing stays oldest first.
        let mut merged = older;
        merged.append(&mut items);
        items = merged;
        match next {
            Some(oldest) if args.all => before = Some(oldest),
            next => return Ok(Page::new(items, next.map(|id| id.to_string()))),
        }
    }
}

fn print_page<T: Serialize + PageItem>(
    out: &Output,
    page: &Page<T>,
    rows: &[MessageRow<'_>],
) -> CliResult {
    out.page(page, messages_table(out, rows))
}

/// What a message table shows, whatever the conversation kind.
pub struct MessageRow<'a> {
    id: MessageId,
    sender: &'a str,
    at: Timestamp,
    text: &'a str,
}

impl<'a> MessageRow<'a> {
    pub fn new(id: MessageId, sender: &'a str, at: Timestamp, text: &'a str) -> Self {
        Self {
            id,
            sender,
            at,
            text,
        }
    }

    pub fn of(message: &'a Message) -> Self {
        Self::new(
            message.id(),
            &message.sender().username,
            message.timestamp(),
            message.content(),
        )
    }
}

pub fn messages_table(out: &Output, rows: &[MessageRow<'_>]) -> Table {
    let mut table = Table::new(&["ID", "FROM", "WHEN", "MESSAGE"]);
    for row in rows {
        table.row(vec![
            row.id.to_string(),
            row.sender.to_string(),
            out.time(row.at),
            row.text.to_owned(),
        ]);
    }
    table
}

async fn connect(ctx: &mut Ctx, since: Option<u64>) -> CliResult<Session> {
    ctx.call(|c| async move { c.connect_ws(since).await }).await
}

async fn tail(ctx: &mut Ctx, since: Option<u64>, count: Option<u64>) -> CliResult {
    let mut session = connect(ctx, since).await?;
    // Scripts (and tests) wait for this line before acting, so nothing is missed.
    eprintln!("Connected to {}; streaming (Ctrl-C to stop).", ctx.server);
    let lines = ctx.out.json || !ctx.out.tty;
    let mut seen = 0u64;
    while count.is_none_or(|count| seen < count) {
        let next = tokio::select! {
            next = session.next_resuming() => next,
            _ = tokio::signal::ctrl_c() => break,
        };
        let frame = match next {
            Ok(frame) => frame,
            // The access token expired during a long tail: refresh and resume.
            Err(err) if err.status() == Some(401) => {
                let resume = session.last_seq();
                session = connect(ctx, resume).await?;
                continue;
            }
            Err(err) => return Err(err.into()),
        };
        if matches!(frame, ServerFrame::Pong(_)) {
            continue;
        }
        let seq = frame.is_durable().then(|| session.last_seq()).flatten();
        let envelope = Envelope { seq, frame };
        if ctx.out.jq.is_some() {
            ctx.out.print_json(&envelope)?;
        } else if lines {
            let line = serde_json::to_string(&envelope)
                .map_err(|err| CliError::Other(format!("encoding JSON: {err}")))?;
            println_stdout(&line)?;
        } else {
            println_stdout(&describe(&ctx.out, &envelope))?;
        }
        seen += 1;
    }
    Ok(())
}

/// One human line per frame.
fn describe(out: &Output, envelope: &Envelope) -> String {
    let now = out.time(Timestamp::now());
    match &envelope.frame {
        ServerFrame::Dm(m) => format!(
            "{} dm #{} {} -> {}: {}",
            out.time(m.timestamp),
            m.id,
            m.sender.username,
            m.recipient.username,
            m.content
        ),
        ServerFrame::Group(m) => format!(
            "{} group {} #{} from {}: {}",
            out.time(m.timestamp),
            m.group_chat_id,
            m.id,
            m.sender.username,
            m.content
        ),
        ServerFrame::Space(m) => format!(
            "{} space {} room {} #{} from {}: {}",
            out.time(m.timestamp),
            m.space_id,
            m.room_id,
            m.id,
            m.sender.username,
            m.content
        ),
        ServerFrame::Typing(Typing { typer, .. }) => {
            format!("{now} {} is typing", typer.username)
        }
        ServerFrame::Presence(Presence { user, status, .. }) => {
            format!(
                "{now} {} is {}",
                user.username,
                opt(serde_json::to_value(status).ok())
            )
        }
        ServerFrame::Read(ReadReceipt {
            conversation,
            reader,
            message_id,
            ..
        }) => format!(
            "{now} {} read {} up to #{message_id}",
            reader.username,
            conversation_label(conversation)
        ),
        ServerFrame::Membership(update) => format!("{now} {}", membership_line(update)),
        other => format!(
            "{now} {}",
            serde_json::to_string(other).unwrap_or_else(|_| "(event)".into())
        ),
    }
}

/// A conversation as the frame lines name it (ids, as in the message lines).
fn conversation_label(conversation: &Conversation) -> String {
    match conversation {
        Conversation::Dm { user_id } => format!("dm {user_id}"),
        Conversation::Group { group_id } => format!("group {group_id}"),
        Conversation::Room { space_id, room_id } => format!("space {space_id} room {room_id}"),
    }
}

/// "bob left space 3", "space 3 was deleted".
fn membership_line(update: &MembershipUpdate) -> String {
    let place = match update.scope {
        MembershipScope::Space => format!("space {}", update.id),
        MembershipScope::Group => format!("group {}", update.id),
    };
    let who = &update.user.username;
    match update.change {
        MembershipChange::Joined => format!("{who} joined {place}"),
        MembershipChange::Left => format!("{who} left {place}"),
        MembershipChange::Removed => format!("{who} was removed from {place}"),
        MembershipChange::Banned => format!("{who} was banned from {place}"),
        MembershipChange::Deleted => format!("{place} was deleted"),
    }
}

#[cfg(test)]
mod tests {
    use socmel_client::types::{UserId, users::UserSummary};

    use super::*;

    #[test]
    fn membership_and_read_lines_name_the_person() {
        let bob = UserSummary {
            id: UserId(2),
            username: "bob".into(),
            display_name: None,
            pfp: None,
        };
        let update = |change| MembershipUpdate {
            scope: MembershipScope::Space,
            id: 3,
            user_id: bob.id,
            user: bob.clone(),
            change,
        };
        assert_eq!(
            membership_line(&update(MembershipChange::Left)),
            "bob left space 3"
        );
        assert_eq!(
            membership_line(&update(MembershipChange::Banned)),
            "bob was banned from space 3"
        );
        assert_eq!(
            membership_line(&update(MembershipChange::Deleted)),
            "space 3 was deleted"
        );
        assert_eq!(
            conversation_label(&Conversation::Room {
                space_id: socmel_client::types::SpaceId(3),
                room_id: socmel_client::types::RoomId(4)
            }),
            "space 3 room 4"
        );
    }
}
