//! `socmel inbox`: conversations with their last message and unread count.

use clap::Args;
use socmel_client::types::messages::{ConversationKind, InboxEntry};

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
        let (kind, with) = match entry.kind {
            ConversationKind::Dm => ("dm", format!("--user {}", opt(entry.user_id))),
            ConversationKind::Group => ("group", format!("--group {}", opt(entry.group_id))),
            ConversationKind::Room => (
                "room",
                format!(
                    "--space {} --room {}",
                    opt(entry.space_id),
                    opt(entry.room_id)
                ),
            ),
        };
        table.row(vec![
            kind.to_owned(),
            with,
            entry.name.clone(),
            entry.unread_count.to_string(),
            opt(entry.last_message.as_ref().map(|m| m.content().to_owned())),
            out.opt_time(entry.last_activity),
        ]);
    }
    table
}
