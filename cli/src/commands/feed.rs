//! `socmel feed`: the posts of the people you follow and your spaces, newest first.

use clap::Args;

use crate::{
    commands::post::{PostPaging, posts_table},
    context::Ctx,
    error::CliResult,
};

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    socmel feed --limit 5\n  \
    socmel feed --limit 5 --json --jq '.items[].title'")]
pub struct FeedArgs {
    #[command(flatten)]
    pub paging: PostPaging,
}

pub async fn run(ctx: &mut Ctx, args: FeedArgs) -> CliResult {
    let paging = &args.paging;
    let page = ctx
        .listing(&paging.paging, |c, cursor, limit| async move {
            c.feed(&paging.query(cursor, limit)).await
        })
        .await?;
    ctx.out.page(&page, posts_table(&ctx.out, &page.items))
}
