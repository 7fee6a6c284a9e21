//! `socmel msg …`: messages in any conversation, and the live WebSocket stream.

use std::io::{IsTerminal, Read};

use clap::{Args, Subcommand, ValueEnum};
use serde::Serialize;
use socmel_client::{
    HistoryPage, Session,
    types::{
        GroupId, MessageId, RoomId, SpaceId, Timestamp,
        frames::{Envelope, Presence, ServerFrame, Typing},
        messages::{Conversation, ConversationKind, MarkRead, Message, SendMessage},
    },
};

use crate::{
    context::Ctx,
    error::{CliError, CliResult},
    output::{Output, Table, opt, println_stdout},
    people::UserRef,
};

#[derive(Debug, Subcommand)]
pub enum MsgCmd {
    /// Send a message (text as an argument, or on stdin); prints its id
    Send {
        #[command(flatten)]
        to: Target,
        /// The text; `-` or nothing reads stdin
        #[arg(allow_hyphen_values = true)]
        message: Option<String>,
        /// Reply to this message id
        #[arg(long)]
        reply_to: Option<i64>,
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
        message_id: i64,
    },
    /// Edit one of your messages
    Edit {
        #[arg(value_enum)]
        kind: Kind,
        message_id: i64,
        /// The new text; `-` or nothing reads stdin
        #[arg(allow_hyphen_values = true)]
        content: Option<String>,
    },
    /// Delete one of your messages
    Delete {
        #[arg(value_enum)]
        kind: Kind,
        message_id: i64,
    },
}

/// Which conversation: `--user ID` (a DM), `--group ID`, or `--space ID --room ID`.
#[derive(Debug, Clone, Args)]
pub struct Target {
    /// A direct conversation with this user: `bob`, `@bob`, `#7` or `7`
    #[arg(long, short)]
    pub user: Option<UserRef>,
    /// A group chat
    #[arg(long, short)]
    pub group: Option<i64>,
    /// The space of --room
    #[arg(long, short)]
    pub space: Option<i64>,
    /// A room (with --space)
    #[arg(long, short)]
    pub room: Option<i64>,
}

impl Target {
    /// The conversation named; a username is looked up.
    pub async fn conversation(&self, ctx: &mut Ctx) -> CliResult<Conversation> {
        match (&self.user, self.group, self.space, self.room) {
            (Some(user), None, None, None) => Ok(Conversation::Dm {
                user_id: user.resolve(ctx).await?,
            }),
            (None, Some(group), None, None) => Ok(Conversation::Group {
                group_id: GroupId(group),
            }),
            (None, None, Some(space), Some(room)) => Ok(Conversation::Room {
                space_id: SpaceId(space),
                room_id: RoomId(room),
            }),
            _ => Err(CliError::Usage(
                "name one conversation: --user USER, --group ID, or --space ID --room ID".into(),
            )),
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct HistoryArgs {
    /// Only messages older than this id (scroll back)
    #[arg(long)]
    pub before: Option<i64>,
    /// How many messages (1-100)
    #[arg(long)]
    pub limit: Option<i64>,
}

impl HistoryArgs {
    pub fn page(&self) -> HistoryPage {
        HistoryPage {
            before: self.before.map(MessageId),
            limit: self.limit,
        }
    }
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
        } => {
            let to = to.conversation(ctx).await?;
            send(ctx, to, message, reply_to).await
        }
        MsgCmd::History { to, page } => {
            let to = to.conversation(ctx).await?;
            history(ctx, to, page.page()).await
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
        MsgCmd::Edit {
            kind,
            message_id,
            content,
        } => {
            let content = text_or_stdin(content, "content")?;
            let (kind, id, content) = (kind.into(), MessageId(message_id), content.as_str());
            let message = ctx
                .call(|c| async move { c.edit_message(kind, id, content).await })
                .await?;
            ctx.out.show(&message, |out| {
                messages_table(out, &[MessageRow::of(&message)]).print(out)
            })
        }
        MsgCmd::Delete { kind, message_id } => {
            let (kind, id) = (kind.into(), MessageId(message_id));
            let detail = ctx
                .call(|c| async move { c.delete_message(kind, id).await })
                .await?;
            ctx.out.ack(&detail, &detail.detail)
        }
    }
}

/// Sends to any conversation; `dm send` is this with `--user`.
pub async fn send(
    ctx: &mut Ctx,
    to: Conversation,
    message: Option<String>,
    reply_to: Option<i64>,
) -> CliResult {
    let text = text_or_stdin(message, "message")?;
    let body = SendMessage {
        parent_id: reply_to.map(MessageId),
        ..SendMessage::text(to, text)
    };
    let body = &body;
    let message = ctx
        .call(|c| async move { c.send_message(body).await })
        .await?;
    let sentence = format!("Sent message {}.", message.id());
    ctx.out.created(&message, message.id(), &sentence)
}

/// Prints a conversation's history as the API returns it (the typed message list).
pub async fn history(ctx: &mut Ctx, to: Conversation, page: HistoryPage) -> CliResult {
    match to {
        Conversation::Dm { user_id } => {
            let list = ctx
                .call(|c| async move { c.dm_history(user_id, page).await })
                .await?;
            let rows: Vec<_> = list
                .iter()
                .map(|m| MessageRow::new(m.id, &m.sender.username, m.timestamp, &m.content))
                .collect();
            print_list(&ctx.out, &list, &rows)
        }
        Conversation::Group { group_id } => {
            let list = ctx
                .call(|c| async move { c.group_history(group_id, page).await })
                .await?;
            let rows: Vec<_> = list
                .iter()
                .map(|m| MessageRow::new(m.id, &m.sender.username, m.timestamp, &m.content))
                .collect();
            print_list(&ctx.out, &list, &rows)
        }
        Conversation::Room { space_id, room_id } => {
            let list = ctx
                .call(|c| async move { c.room_history(space_id, room_id, page).await })
                .await?;
            let rows: Vec<_> = list
                .iter()
                .map(|m| MessageRow::new(m.id, &m.sender.username, m.timestamp, &m.content))
                .collect();
            print_list(&ctx.out, &list, &rows)
        }
    }
}

fn print_list<T: Serialize>(out: &Output, list: &[T], rows: &[MessageRow<'_>]) -> CliResult {
    out.show(list, |out| messages_table(out, rows).print(out))
}

/// The text argument, or all of stdin when it is `-` or missing (and stdin is piped).
pub fn text_or_stdin(arg: Option<String>, what: &str) -> CliResult<String> {
    match arg {
        Some(text) if text != "-" => Ok(text),
        _ => {
            if arg.is_none() && std::io::stdin().is_terminal() {
                return Err(CliError::Usage(format!(
                    "no {what}: give it as an argument, or pipe it on stdin"
                )));
            }
            let mut text = String::new();
            std::io::stdin().read_to_string(&mut text)?;
            let text = text.trim_end_matches(['\n', '\r']).to_owned();
            if text.is_empty() {
                return Err(CliError::Usage(format!("the {what} on stdin is empty")));
            }
            Ok(text)
        }
    }
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
        if lines {
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
            m.recipient_id,
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
        other => format!(
            "{now} {}",
            serde_json::to_string(other).unwrap_or_else(|_| "(event)".into())
        ),
    }
}
