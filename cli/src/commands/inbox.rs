//! `socmel inbox`: conversations with their last message and unread count.

use clap::Args;
use socmel_client::types::messages::{Conversation, InboxEntry};

use crate::{
    context::Ctx,
    error::CliResult,
    output::{Output, Table, opt},
};

#[derive(Debug, Args)]
pub struct InboxArgs {}

pub async fn run(ctx: &mut Ctx, _args: InboxArgs) -> CliResult {
    let page = ctx.call(|c| async move { c.conversations().await }).await?;
    ctx.out.page(&page, inbox_table(&ctx.out, &page.items))
}

fn inbox_table(out: &Output, entries: &[InboxEntry]) -> Table {
    let mut table = Table::new(&["KIND", "WITH", "NAME", "UNREAD", "LAST MESSAGE", "WHEN"]);
    for entry in entries {
        let (kind, with) = match entry.conversation {
            Conversation::Dm { user_id } => match &entry.other {
                Some(other) => ("dm", format!("--user {}", other.username)),
                None => ("dm", format!("--user {user_id}")),
            },
            Conversation::Group { group_id } => ("group", format!("--group {group_id}")),
            Conversation::Room { space_id, room_id } => {
                ("room", format!("--room {space_id}/{room_id}"))
            }
        };
        table.row(vec![
            kind.to_owned(),
            with,
            entry.name.clone(),
            entry.unread_count.to_string(),
            opt(entry.last_message.as_ref().map(|m| m.content().to_owned())),
            out.time(entry.last_activity),
        ]);
    }
    table
}
