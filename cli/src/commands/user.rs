//! `socmel user …`: profiles.

use std::path::PathBuf;

use clap::Subcommand;
use socmel_client::types::{
    UserId,
    users::{UserDisplay, UserUpdate},
};

use crate::{
    context::Ctx,
    error::{CliError, CliResult},
    output::{Output, Table, opt},
    progress::{UploadBar, files},
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
    /// Your profile picture
    #[command(subcommand)]
    Avatar(AvatarCmd),
}

#[derive(Debug, Subcommand)]
pub enum AvatarCmd {
    /// Upload a profile picture (streamed, with a progress bar on a terminal)
    Set {
        /// A PNG, JPEG, GIF or WebP image
        file: PathBuf,
    },
    /// Remove your profile picture
    Rm,
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
                ..UserUpdate::default()
            };
            ctx.call(|c| async move { c.update_me(update).await })
                .await?
        }
        UserCmd::Avatar(AvatarCmd::Set { file }) => {
            let (mut uploads, total) = files(std::slice::from_ref(&file)).await?;
            let upload = &uploads.remove(0);
            let bar = UploadBar::new(total, "uploading");
            let bar_ref = &bar;
            let user = ctx
                .call(|c| async move {
                    bar_ref.reset();
                    c.upload_pfp_with_progress(upload.clone(), bar_ref.progress())
                        .await
                })
                .await;
            bar.finish();
            user?
        }
        UserCmd::Avatar(AvatarCmd::Rm) => ctx.call(|c| async move { c.delete_pfp().await }).await?,
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
