//! `socmel space …`: spaces, their members, roles and bans.

use clap::{Subcommand, ValueEnum};
use socmel_client::types::spaces::{
    BanDisplay, SpaceCreate, SpaceDisplay, SpaceMemberDisplay, SpaceRole, SpaceUpdate,
};

use crate::{
    cli::Paging,
    context::Ctx,
    error::{CliError, CliResult},
    names::SpaceRef,
    output::{Output, Table, opt},
    people::UserRef,
};

#[derive(Debug, Subcommand)]
pub enum SpaceCmd {
    /// Create a space (you become its owner); prints its id
    Create {
        /// The space's name (unique on the server)
        name: String,
    },
    /// Show a space
    Show {
        /// The space: its name (lounge) or id (7, #7)
        space: SpaceRef,
    },
    /// Rename a space
    Edit {
        /// The space: its name or id
        space: SpaceRef,
        /// The new name
        #[arg(long, short)]
        name: Option<String>,
    },
    /// Delete a space (owner only)
    Delete {
        /// The space: its name or id
        space: SpaceRef,
    },
    /// The space directory, optionally searched by name
    List {
        /// Only spaces whose name contains this
        #[arg(long, short)]
        search: Option<String>,
        #[command(flatten)]
        paging: Paging,
    },
    /// Search the directory by name (same as `list --search`)
    Search {
        /// Part of the name
        query: String,
        #[command(flatten)]
        paging: Paging,
    },
    /// Spaces you are a member of
    Mine {
        #[command(flatten)]
        paging: Paging,
    },
    /// Members of a space, with their roles
    Members {
        /// The space: its name or id
        space: SpaceRef,
        #[command(flatten)]
        paging: Paging,
    },
    /// Remove a member from a space
    Kick {
        /// The space: its name or id
        space: SpaceRef,
        /// The member: bob, @bob, #7 or 7
        user: UserRef,
    },
    /// Leave a space
    Leave {
        /// The space: its name or id
        space: SpaceRef,
    },
    /// Set a member's role
    Role {
        /// The space: its name or id
        space: SpaceRef,
        /// The member: bob, @bob, #7 or 7
        user: UserRef,
        /// The new role
        #[arg(value_enum)]
        role: Role,
    },
    /// Pass the ownership of a space to a member
    Transfer {
        /// The space: its name or id
        space: SpaceRef,
        /// The new owner: bob, @bob, #7 or 7
        user: UserRef,
    },
    /// Ban a user from a space (removes them if they are a member)
    Ban {
        /// The space: its name or id
        space: SpaceRef,
        /// Who: bob, @bob, #7 or 7
        user: UserRef,
    },
    /// Lift a ban
    Unban {
        /// The space: its name or id
        space: SpaceRef,
        /// Who: bob, @bob, #7 or 7
        user: UserRef,
    },
    /// Users banned from a space
    Bans {
        /// The space: its name or id
        space: SpaceRef,
        #[command(flatten)]
        paging: Paging,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Role {
    /// May manage rooms, members and bans
    Moderator,
    /// An ordinary member
    Member,
    /// The owner (passes the ownership, as `transfer` does)
    Owner,
}

impl From<Role> for SpaceRole {
    fn from(role: Role) -> Self {
        match role {
            Role::Moderator => Self::Moderator,
            Role::Member => Self::Member,
            Role::Owner => Self::Owner,
        }
    }
}

pub async fn run(ctx: &mut Ctx, cmd: SpaceCmd) -> CliResult {
    match cmd {
        SpaceCmd::Create { name } => {
            let body = &SpaceCreate { name };
            let space = ctx
                .call(|c| async move { c.create_space(body).await })
                .await?;
            let sentence = format!("Created space {} (id {}).", space.name, space.id);
            ctx.out.created(&space, space.id, &sentence)
        }
        SpaceCmd::Show { space } => {
            let id = space.resolve(ctx).await?;
            let space = ctx.call(|c| async move { c.view_space(id).await }).await?;
            ctx.out.show(&space, |out| show_space(out, &space))
        }
        SpaceCmd::Edit { space, name } => {
            if name.is_none() {
                return Err(CliError::Usage("nothing to change: pass --name".into()));
            }
            let (id, body) = (space.resolve(ctx).await?, &SpaceUpdate { name });
            let space = ctx
                .call(|c| async move { c.edit_space(id, body).await })
                .await?;
            ctx.out.show(&space, |out| show_space(out, &space))
        }
        SpaceCmd::Delete { space } => {
            let id = space.resolve(ctx).await?;
            let notice = ctx
                .call(|c| async move { c.delete_space(id).await })
                .await?;
            ctx.out.ack(&notice, &notice.message)
        }
        SpaceCmd::List { search, paging } => list(ctx, search, paging).await,
        SpaceCmd::Search { query, paging } => list(ctx, Some(query), paging).await,
        SpaceCmd::Mine { paging } => {
            let page = ctx
                .listing(&paging, |c, cursor, limit| async move {
                    c.my_spaces(cursor.as_deref(), limit).await
                })
                .await?;
            ctx.out.page(&page, spaces_table(&ctx.out, &page.items))
        }
        SpaceCmd::Members { space, paging } => {
            let id = space.resolve(ctx).await?;
            let page = ctx
                .listing(&paging, |c, cursor, limit| async move {
                    c.space_members(id, cursor.as_deref(), limit).await
                })
                .await?;
            ctx.out.page(&page, members_table(&ctx.out, &page.items))
        }
        SpaceCmd::Kick { space, user } => {
            let (id, user) = (space.resolve(ctx).await?, user.resolve(ctx).await?);
            let notice = ctx
                .call(|c| async move { c.remove_space_member(id, user).await })
                .await?;
            ctx.out.ack(&notice, &notice.message)
        }
        SpaceCmd::Leave { space } => {
            let id = space.resolve(ctx).await?;
            let detail = ctx.call(|c| async move { c.leave_space(id).await }).await?;
            ctx.out.ack(&detail, &detail.detail)
        }
        SpaceCmd::Role { space, user, role } => {
            let (id, user, role) = (
                space.resolve(ctx).await?,
                user.resolve(ctx).await?,
                role.into(),
            );
            let member = ctx
                .call(|c| async move { c.set_member_role(id, user, role).await })
                .await?;
            ctx.out.show(&member, |out| {
                members_table(out, std::slice::from_ref(&member)).print(out)
            })
        }
        SpaceCmd::Transfer { space, user } => {
            let (id, user) = (space.resolve(ctx).await?, user.resolve(ctx).await?);
            let space = ctx
                .call(|c| async move { c.pass_space_ownership(id, user).await })
                .await?;
            ctx.out.show(&space, |out| show_space(out, &space))
        }
        SpaceCmd::Ban { space, user } => {
            let (id, user) = (space.resolve(ctx).await?, user.resolve(ctx).await?);
            let ban = ctx
                .call(|c| async move { c.ban_member(id, user).await })
                .await?;
            ctx.out.show(&ban, |out| {
                bans_table(out, std::slice::from_ref(&ban)).print(out)
            })
        }
        SpaceCmd::Unban { space, user } => {
            let (id, user) = (space.resolve(ctx).await?, user.resolve(ctx).await?);
            let detail = ctx
                .call(|c| async move { c.unban_member(id, user).await })
                .await?;
            ctx.out.ack(&detail, &detail.detail)
        }
        SpaceCmd::Bans { space, paging } => {
            let id = space.resolve(ctx).await?;
            let page = ctx
                .listing(&paging, |c, cursor, limit| async move {
                    c.list_bans(id, cursor.as_deref(), limit).await
                })
                .await?;
            ctx.out.page(&page, bans_table(&ctx.out, &page.items))
        }
    }
}

async fn list(ctx: &mut Ctx, search: Option<String>, paging: Paging) -> CliResult {
    let q = search.as_deref();
    let page = ctx
        .listing(&paging, |c, cursor, limit| async move {
            c.list_spaces(q, cursor.as_deref(), limit).await
        })
        .await?;
    ctx.out.page(&page, spaces_table(&ctx.out, &page.items))
}

fn role_name(role: SpaceRole) -> &'static str {
    match role {
        SpaceRole::Owner => "owner",
        SpaceRole::Moderator => "moderator",
        SpaceRole::Member => "member",
    }
}

fn show_space(out: &Output, space: &SpaceDisplay) {
    Table::fields(&[
        ("id", space.id.to_string()),
        ("name", space.name.clone()),
        ("owner", space.owner.username.clone()),
        ("members", space.members_nbr.to_string()),
        ("founded", out.time(space.founded_on)),
        ("your role", opt(space.my_role.map(role_name))),
    ])
    .print(out);
}

fn spaces_table(out: &Output, spaces: &[SpaceDisplay]) -> Table {
    let mut table = Table::new(&["ID", "NAME", "MEMBERS", "OWNER", "FOUNDED"]);
    for space in spaces {
        table.row(vec![
            space.id.to_string(),
            space.name.clone(),
            space.members_nbr.to_string(),
            space.owner.username.clone(),
            out.time(space.founded_on),
        ]);
    }
    table
}

fn members_table(out: &Output, members: &[SpaceMemberDisplay]) -> Table {
    let mut table = Table::new(&["ID", "USERNAME", "ROLE", "JOINED"]);
    for member in members {
        table.row(vec![
            member.user.id.to_string(),
            member.user.username.clone(),
            role_name(member.role).to_owned(),
            out.time(member.joined_at),
        ]);
    }
    table
}

fn bans_table(out: &Output, bans: &[BanDisplay]) -> Table {
    let mut table = Table::new(&["USER", "USERNAME", "BANNED BY", "SINCE"]);
    for ban in bans {
        table.row(vec![
            ban.user.id.to_string(),
            ban.user.username.clone(),
            ban.banned_by_user
                .as_ref()
                .map(|by| by.username.clone())
                .unwrap_or_else(|| opt(ban.banned_by)),
            out.time(ban.created_at),
        ]);
    }
    table
}
