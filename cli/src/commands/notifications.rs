//! `socmel notifications [list] | read [IDS…]`: follows, likes, comments, replies,
//! mentions.

use clap::{Args, Subcommand};
use socmel_client::types::{
    NotificationId, Page,
    notifications::{Notification, NotificationKind},
};

use crate::{
    cli::Paging,
    context::Ctx,
    error::CliResult,
    output::{Output, Table, opt},
};

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct NotificationsArgs {
    #[command(subcommand)]
    pub cmd: Option<NotificationsCmd>,
    #[command(flatten)]
    pub filter: ListArgs,
}

#[derive(Debug, Clone, Args)]
pub struct ListArgs {
    /// Only the ones not read yet
    #[arg(long)]
    pub unread: bool,
    #[command(flatten)]
    pub paging: Paging,
}

#[derive(Debug, Subcommand)]
pub enum NotificationsCmd {
    /// Your notifications, newest first (the default)
    List(ListArgs),
    /// Mark these notifications read, or all of them when no id is given
    Read {
        /// Notification ids (none: every notification)
        ids: Vec<i64>,
    },
}

pub async fn run(ctx: &mut Ctx, args: NotificationsArgs) -> CliResult {
    match args.cmd {
        None => list(ctx, args.filter).await,
        Some(NotificationsCmd::List(filter)) => list(ctx, filter).await,
        Some(NotificationsCmd::Read { ids }) => {
            let ids = &(!ids.is_empty()).then(|| ids.into_iter().map(NotificationId).collect());
            let detail = ctx
                .call(|c| async move { c.mark_notifications_read(ids.clone()).await })
                .await?;
            ctx.out.ack(&detail, &detail.detail)
        }
    }
}

async fn list(ctx: &mut Ctx, args: ListArgs) -> CliResult {
    let page = if args.unread {
        unread(ctx, &args.paging).await?
    } else {
        ctx.listing(&args.paging, |c, cursor, limit| async move {
            c.list_notifications(cursor.as_deref(), limit).await
        })
        .await?
    };
    ctx.out
        .page(&page, notifications_table(&ctx.out, &page.items))
}

/// Unread notifications only. The server lists them all, so pages are read (and the
/// read ones dropped) until at least `--limit` unread ones are found or the list ends.
async fn unread(ctx: &mut Ctx, paging: &Paging) -> CliResult<Page<Notification>> {
    let wanted = paging.limit.unwrap_or(50).max(1) as usize;
    let mut cursor = paging.cursor.clone();
    let mut items = Vec::new();
    loop {
        let after = cursor.clone();
        let page = ctx
            .call(|c| {
                let after = after.clone();
                async move { c.list_notifications(after.as_deref(), Some(100)).await }
            })
            .await?;
        items.extend(page.items.into_iter().filter(|n| !n.read));
        match page.next_cursor {
            Some(next) if paging.all || items.len() < wanted => cursor = Some(next),
            // Every unread one of the pages read is kept (perhaps more than --limit):
            // the next cursor continues after them, so none is skipped.
            next => return Ok(Page::new(items, next)),
        }
    }
}

fn notifications_table(out: &Output, items: &[Notification]) -> Table {
    let mut table = Table::new(&["ID", "KIND", "FROM", "POST", "COMMENT", "READ", "WHEN"]);
    for item in items {
        table.row(vec![
            item.id.to_string(),
            NotificationKind::as_str(item.kind).to_owned(),
            item.actor.username.clone(),
            opt(item.post_id),
            opt(item.comment_id),
            if item.read { "yes" } else { "no" }.to_owned(),
            out.time(item.created_at),
        ]);
    }
    table
}
