//! One module per noun. A new noun (posts, comments, follows…) is a new file here, one
//! variant in `cli::Command` and one arm below.

pub mod api;
pub mod auth;
pub mod comment;
pub mod completion;
pub mod dm;
pub mod feed;
pub mod follow;
pub mod group;
pub mod inbox;
pub mod invite;
pub mod man;
pub mod msg;
pub mod note;
pub mod notifications;
pub mod post;
pub mod room;
pub mod security;
pub mod seed;
pub mod space;
pub mod user;

use crate::{
    cli::{Cli, Command},
    context::Ctx,
    error::CliResult,
};

pub async fn run(cli: Cli, token_from_env: bool) -> CliResult {
    // These two only describe the command line: no credentials, no server.
    match cli.command {
        Command::Completion(args) => return completion::run(args),
        Command::Man(args) => return man::run(args),
        _ => {}
    }
    let mut ctx = Ctx::new(&cli.global, token_from_env)?;
    match cli.command {
        Command::Auth(cmd) => auth::run(&mut ctx, cmd).await,
        Command::User(cmd) => user::run(&mut ctx, cmd).await,
        Command::Security(cmd) => security::run(&mut ctx, cmd).await,
        Command::Space(cmd) => space::run(&mut ctx, cmd).await,
        Command::Room(cmd) => room::run(&mut ctx, cmd).await,
        Command::Invite(cmd) => invite::run(&mut ctx, cmd).await,
        Command::Group(cmd) => group::run(&mut ctx, cmd).await,
        Command::Dm(cmd) => dm::run(&mut ctx, cmd).await,
        Command::Msg(cmd) => msg::run(&mut ctx, cmd).await,
        Command::Inbox(args) => inbox::run(&mut ctx, args).await,
        Command::Post(cmd) => post::run(&mut ctx, cmd).await,
        Command::Feed(args) => feed::run(&mut ctx, args).await,
        Command::Comment(cmd) => comment::run(&mut ctx, cmd).await,
        Command::Follow(cmd) => follow::run(&mut ctx, cmd).await,
        Command::Note(cmd) => note::run(&mut ctx, cmd).await,
        Command::Notifications(args) => notifications::run(&mut ctx, args).await,
        Command::Api(args) => api::run(&mut ctx, args).await,
        Command::Seed(args) => seed::run(&mut ctx, args).await,
        Command::Completion(_) | Command::Man(_) => Ok(()),
    }
}
