//! `socmel follow …`: follow requests, followers and following. Every command takes the
//! other person as `bob`, `@bob`, `#7` or `7`.

use clap::{Subcommand, ValueEnum};
use socmel_client::{
    CursorQuery,
    types::follows::{FollowRelation, FollowState, FollowUser},
};

use crate::{
    cli::Paging,
    context::Ctx,
    error::{CliError, CliResult},
    output::{Output, Table},
    people::UserRef,
};

#[derive(Debug, Subcommand)]
pub enum FollowCmd {
    /// Ask to follow a user; prints the request's follow id
    Request {
        /// Who: bob, @bob, #7 or 7
        user: UserRef,
    },
    /// Accept a user's request to follow you
    Accept {
        /// Who: bob, @bob, #7 or 7
        user: UserRef,
    },
    /// Turn down a user's request to follow you
    Reject {
        /// Who: bob, @bob, #7 or 7
        user: UserRef,
    },
    /// Take back your pending request to follow a user
    Cancel {
        /// Who: bob, @bob, #7 or 7
        user: UserRef,
    },
    /// Your (or, with --user, a user's) followers, following, or requests to you
    List {
        /// Which list
        #[arg(value_enum, default_value = "followers")]
        which: Which,
        /// Another user's followers or following
        #[arg(long, value_name = "USER")]
        user: Option<UserRef>,
        #[command(flatten)]
        paging: Paging,
    },
    /// Stop following a user
    Unfollow {
        /// Who: bob, @bob, #7 or 7
        user: UserRef,
    },
    /// Remove a user from your followers
    Remove {
        /// Who: bob, @bob, #7 or 7
        user: UserRef,
    },
    /// Whether you follow a user (or asked to), and whether they follow you
    Status {
        /// Who: bob, @bob, #7 or 7
        user: UserRef,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Which {
    /// People who follow you (or --user)
    Followers,
    /// People you (or --user) follow
    Following,
    /// Pending requests to follow you
    Requests,
}

pub async fn run(ctx: &mut Ctx, cmd: FollowCmd) -> CliResult {
    match cmd {
        FollowCmd::Request { user } => {
            let user = user.resolve(ctx).await?;
            let ack = ctx
                .call(|c| async move { c.request_follow(user).await })
                .await?;
            let sentence = format!("{} (follow id {}).", ack.detail, ack.follow_id);
            ctx.out.created(&ack, ack.follow_id, &sentence)
        }
        FollowCmd::Accept { user } => {
            let user = user.resolve(ctx).await?;
            let ack = ctx
                .call(|c| async move { c.accept_follow_request_from(user).await })
                .await?;
            ctx.out.ack(&ack, &ack.detail)
        }
        FollowCmd::Reject { user } => {
            let user = user.resolve(ctx).await?;
            let ack = ctx
                .call(|c| async move { c.reject_follow_request_from(user).await })
                .await?;
            ctx.out.ack(&ack, &ack.detail)
        }
        FollowCmd::Cancel { user } => {
            let user = user.resolve(ctx).await?;
            let status = ctx
                .call(|c| async move { c.follow_status(user).await })
                .await?;
            let follow_id = match (status.status, status.follow_id) {
                (FollowRelation::Pending, Some(id)) => id,
                _ => {
                    return Err(CliError::Other(format!(
                        "no pending request to follow {user}"
                    )));
                }
            };
            let ack = ctx
                .call(|c| async move { c.cancel_follow_request(follow_id).await })
                .await?;
            ctx.out.ack(&ack, &ack.detail)
        }
        FollowCmd::List {
            which,
            user,
            paging,
        } => {
            let query = |cursor: Option<String>, limit: Option<i64>| CursorQuery { limit, cursor };
            let user = match (which, user) {
                (Which::Requests, Some(_)) => {
                    return Err(CliError::Usage(
                        "only your own follow requests can be listed: drop --user".into(),
                    ));
                }
                (_, Some(user)) => Some(user.resolve(ctx).await?),
                (_, None) => None,
            };
            let page = ctx
                .listing(&paging, |c, cursor, limit| async move {
                    let query = &query(cursor, limit);
                    match (which, user) {
                        (Which::Requests, _) => c.follow_requests(query).await,
                        (Which::Followers, None) => c.my_followers(query).await,
                        (Which::Following, None) => c.my_following(query).await,
                        (Which::Followers, Some(user)) => c.user_followers(user, query).await,
                        (Which::Following, Some(user)) => c.user_following(user, query).await,
                    }
                })
                .await?;
            ctx.out.page(&page, follows_table(&ctx.out, &page.items))
        }
        FollowCmd::Unfollow { user } => {
            let user = user.resolve(ctx).await?;
            let ack = ctx.call(|c| async move { c.unfollow(user).await }).await?;
            ctx.out.ack(&ack, &ack.detail)
        }
        FollowCmd::Remove { user } => {
            let user = user.resolve(ctx).await?;
            let ack = ctx
                .call(|c| async move { c.remove_follower(user).await })
                .await?;
            ctx.out.ack(&ack, &ack.detail)
        }
        FollowCmd::Status { user } => {
            let user = user.resolve(ctx).await?;
            let status = ctx
                .call(|c| async move { c.follow_status(user).await })
                .await?;
            ctx.out.show(&status, |out| {
                let relation = match status.status {
                    FollowRelation::None => "no",
                    FollowRelation::Pending => "requested",
                    FollowRelation::Following => "yes",
                };
                Table::fields(&[
                    ("you follow them", relation.to_owned()),
                    (
                        "they follow you",
                        if status.follows_me { "yes" } else { "no" }.into(),
                    ),
                    (
                        "follow id",
                        status
                            .follow_id
                            .map(|id| id.to_string())
                            .unwrap_or_else(|| "-".into()),
                    ),
                ])
                .print(out);
            })
        }
    }
}

fn follows_table(out: &Output, follows: &[FollowUser]) -> Table {
    let mut table = Table::new(&["USER_ID", "USERNAME", "STATUS", "FOLLOW_ID", "SINCE"]);
    for follow in follows {
        table.row(vec![
            follow.user.id.to_string(),
            follow.user.username.clone(),
            match follow.follow_status {
                FollowState::Pending => "pending",
                FollowState::Accepted => "accepted",
            }
            .to_owned(),
            follow.follow_id.to_string(),
            out.time(follow.follow_created_at),
        ]);
    }
    table
}
