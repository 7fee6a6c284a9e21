//! `socmel dm …`: direct messages (the `--user` case of `msg`).

use clap::Subcommand;
use socmel_client::types::{UserId, messages::Conversation};

use crate::{
    commands::msg::{self, HistoryArgs},
    context::Ctx,
    error::CliResult,
};

#[derive(Debug, Subcommand)]
pub enum DmCmd {
    /// Send a direct message (text as an argument, or on stdin); prints its id
    Send {
        user_id: i64,
        /// The text; `-` or nothing reads stdin
        #[arg(allow_hyphen_values = true)]
        message: Option<String>,
        /// Reply to this message id
        #[arg(long)]
        reply_to: Option<i64>,
    },
    /// Read back a direct conversation, oldest first
    History {
        user_id: i64,
        #[command(flatten)]
        page: HistoryArgs,
    },
}

pub async fn run(ctx: &mut Ctx, cmd: DmCmd) -> CliResult {
    match cmd {
        DmCmd::Send {
            user_id,
            message,
            reply_to,
        } => {
            let to = Conversation::Dm {
                user_id: UserId(user_id),
            };
            msg::send(ctx, to, message, reply_to).await
        }
        DmCmd::History { user_id, page } => {
            let to = Conversation::Dm {
                user_id: UserId(user_id),
            };
            msg::history(ctx, to, page.page()).await
        }
    }
}
