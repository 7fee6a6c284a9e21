//! `socmel user …`: profiles.

use clap::Subcommand;
use socmel_client::types::{
    UserId,
    users::{UserDisplay, UserUpdate},
};

use crate::{
    context::Ctx,
    error::{CliError, CliResult},
    output::{Output, Table, opt},
};

#[derive(Debug, Subcommand)]
pub enum UserCmd {
    /// Show a user by id
    Show { user_id: i64 },
    /// Show yourself (with your email)
    Me,
    /// Change your username
    Edit {
        #[arg(long, short)]
        username: Option<String>,
    },
}

pub async fn run(ctx: &mut Ctx, cmd: UserCmd) -> CliResult {
    let user = match cmd {
        UserCmd::Show { user_id } => {
            let id = UserId(user_id);
            ctx.call(|c| async move { c.view_user(id).await }).await?
        }
        UserCmd::Me => ctx.call(|c| async move { c.get_me().await }).await?,
        UserCmd::Edit { username } => {
            if username.is_none() {
                return Err(CliError::Usage("nothing to change: pass --username".into()));
            }
            let update = &UserUpdate {
                username,
                email: None,
            };
            ctx.call(|c| async move { c.update_me(update).await })
                .await?
        }
    };
    ctx.out.show(&user, |out| show_user(out, &user))
}

pub fn show_user(out: &Output, user: &UserDisplay) {
    Table::fields(&[
        ("id", user.id.to_string()),
        ("username", user.username.clone()),
        ("email", opt(user.email.as_deref())),
        ("level", format!("{} ({} xp)", user.level, user.xp)),
        ("active", user.is_active.to_string()),
        ("picture", opt(user.pfp.as_deref())),
        ("joined", out.time(user.created_at)),
    ])
    .print(out);
}

/// Users as rows, for member listings.
pub fn users_table(out: &Output, users: &[UserDisplay]) -> Table {
    let mut table = Table::new(&["ID", "USERNAME", "LEVEL", "JOINED"]);
    for user in users {
        table.row(vec![
            user.id.to_string(),
            user.username.clone(),
            user.level.to_string(),
            out.time(user.created_at),
        ]);
    }
    table
}
