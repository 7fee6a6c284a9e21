//! `socmel notifications [list] | read [IDS…]`: follows, likes, comments, replies,
//! mentions.

use clap::{Args, Subcommand};
use socmel_client::types::{
    NotificationId,
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
    pub paging: Paging,
}

#[derive(Debug, Subcommand)]
pub enum NotificationsCmd {
    /// Your notifications, newest first (the default)
    List {
        #[command(flatten)]
        paging: Paging,
    },
    /// Mark these notifications read, or all of them when no id is given
    Read { ids: Vec<i64> },
}

pub async fn run(ctx: &mut Ctx, args: NotificationsArgs) -> CliResult {
    match args.cmd {
        None => list(ctx, args.paging).await,
        Some(NotificationsCmd::List { paging }) => list(ctx, paging).await,
        Some(NotificationsCmd::Read { ids }) => {
            let ids = &(!ids.is_empty()).then(|| ids.into_iter().map(NotificationId).collect());
            let detail = ctx
                .call(|c| async move { c.mark_notifications_read(ids.clone()).await })
                .await?;
            ctx.out.ack(&detail, &detail.detail)
        }
    }
}

async fn list(ctx: &mut Ctx, paging: Paging) -> CliResult {
    let (cursor, limit) = (paging.cursor(), paging.limit);
    let page = ctx
        .call(|c| async move { c.list_notifications(cursor, limit).await })
        .await?;
    ctx.out
        .page(&page, notifications_table(&ctx.out, &page.items))
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
