//! `socmel user …`: profiles.

use std::path::PathBuf;

use clap::Subcommand;
use socmel_client::types::users::{UserDisplay, UserSummary, UserUpdate};

use crate::{
    cli::Paging,
    context::Ctx,
    error::{CliError, CliResult},
    output::{Output, Table, opt},
    people::UserRef,
    progress::{UploadBar, files},
    text,
};

#[derive(Debug, Subcommand)]
pub enum UserCmd {
    /// Show a user
    Show {
        /// Who: bob, @bob, #7 or 7 (a bare number is an id; @123 is a username)
        user: UserRef,
    },
    /// Show yourself (with your email)
    Me,
    /// Change your username, display name or bio
    Edit {
        /// A new username (3-32 characters of A-Z a-z 0-9 _ . -)
        #[arg(long, short)]
        username: Option<String>,
        /// The name shown beside your username (any script, 1-64 characters; "" clears it)
        #[arg(long)]
        display_name: Option<String>,
        /// A few words about you (at most 500 characters; "" clears it; `-` reads stdin,
        /// @FILE a file)
        #[arg(long, allow_hyphen_values = true)]
        bio: Option<String>,
    },
    /// People whose username or display name starts with PREFIX
    Search {
        /// The start of a username or display name
        prefix: String,
        #[command(flatten)]
        paging: Paging,
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
        UserCmd::Show { user } => user.profile(ctx).await?,
        UserCmd::Search { prefix, paging } => {
            let prefix = prefix.as_str();
            let page = ctx
                .listing(&paging, |c, cursor, limit| async move {
                    c.search_users(prefix, cursor.as_deref(), limit).await
                })
                .await?;
            return ctx.out.page(&page, people_table(&page.items));
        }
        UserCmd::Me => ctx.call(|c| async move { c.get_me().await }).await?,
        UserCmd::Edit {
            username,
            display_name,
            bio,
        } => {
            if username.is_none() && display_name.is_none() && bio.is_none() {
                return Err(CliError::Usage(
                    "nothing to change: pass --username, --display-name or --bio".into(),
                ));
            }
            let bio = match bio {
                // "" clears the bio: it is not a file or stdin to read.
                Some(bio) if !bio.is_empty() => Some(text::expand(bio, "bio")?),
                other => other,
            };
            let update = &UserUpdate {
                username,
                display_name,
                bio,
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
            user.map_err(|err| CliError::in_file(&file, err))?
        }
        UserCmd::Avatar(AvatarCmd::Rm) => ctx.call(|c| async move { c.delete_pfp().await }).await?,
    };
    ctx.out.show(&user, |out| show_user(out, &user))
}

pub fn show_user(out: &Output, user: &UserDisplay) {
    Table::fields(&[
        ("id", user.id.to_string()),
        ("username", user.username.clone()),
        ("display name", opt(user.display_name.as_deref())),
        ("bio", opt(user.bio.as_deref())),
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

/// People as rows, for search results.
fn people_table(people: &[UserSummary]) -> Table {
    let mut table = Table::new(&["ID", "USERNAME", "DISPLAY NAME"]);
    for person in people {
        table.row(vec![
            person.id.to_string(),
            person.username.clone(),
            opt(person.display_name.as_deref()),
        ]);
    }
    table
}
