//! `socmel feed`: the posts of the people you follow and your spaces, newest first.

use clap::Args;

use crate::{commands::post::posts_table, context::Ctx, error::CliResult};

#[derive(Debug, Args)]
pub struct FeedArgs {
    /// Where to continue (the previous page's next_cursor)
    #[arg(long)]
    pub cursor: Option<String>,
    /// Posts per page (1-100)
    #[arg(long)]
    pub page_size: Option<i64>,
}

pub async fn run(ctx: &mut Ctx, args: FeedArgs) -> CliResult {
    let query = &socmel_client::PageQuery {
        page: None,
        page_size: args.page_size,
        cursor: args.cursor,
    };
    let page = ctx.call(|c| async move { c.feed(query).await }).await?;
    ctx.out.page(&page, posts_table(&ctx.out, &page.items))
}
