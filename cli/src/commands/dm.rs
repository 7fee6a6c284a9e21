//! `socmel dm …`: direct messages (the `--user` case of `msg`).

use std::path::PathBuf;

use clap::Subcommand;
use socmel_client::types::messages::Conversation;

use crate::{
    commands::msg::{self, HistoryArgs},
    context::Ctx,
    error::CliResult,
    people::UserRef,
};

#[derive(Debug, Subcommand)]
pub enum DmCmd {
    /// Send a direct message (text as an argument, or on stdin); prints its id
    Send {
        /// Who: `bob`, `@bob`, `#7` or `7` (a bare number is an id; `@123` is a username)
        user: UserRef,
        /// The text; `-` or nothing reads stdin, @FILE reads a file
        #[arg(allow_hyphen_values = true)]
        message: Option<String>,
        /// Reply to this message id
        #[arg(long, value_name = "MESSAGE_ID")]
        reply_to: Option<i64>,
        /// Images to attach (PNG, JPEG, GIF or WebP), checked before any is uploaded
        #[arg(long, num_args = 1.., value_name = "FILE")]
        attach: Vec<PathBuf>,
    },
    /// Read back a direct conversation, oldest first
    History {
        /// Who: `bob`, `@bob`, `#7` or `7`
        user: UserRef,
        #[command(flatten)]
        page: HistoryArgs,
    },
}

pub async fn run(ctx: &mut Ctx, cmd: DmCmd) -> CliResult {
    match cmd {
        DmCmd::Send {
            user,
            message,
            reply_to,
            attach,
        } => {
            let to = Conversation::Dm {
                user_id: user.resolve(ctx).await?,
            };
            msg::send(ctx, to, message, reply_to, &attach).await
        }
        DmCmd::History { user, page } => {
            let to = Conversation::Dm {
                user_id: user.resolve(ctx).await?,
            };
            msg::history(ctx, to, &page).await
        }
    }
}
