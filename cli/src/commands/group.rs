//! `socmel group …`: group chats.

use clap::Subcommand;
use socmel_client::types::groups::{GroupChatCreate, GroupChatDisplay, GroupSummary};

use crate::{
    cli::Paging,
    commands::user::{show_user, users_table},
    context::Ctx,
    error::CliResult,
    names::GroupRef,
    output::{Output, Table},
    people::{self, UserRef},
};

#[derive(Debug, Subcommand)]
pub enum GroupCmd {
    /// Create a group chat (you are its owner); prints its id
    Create {
        /// The group's name
        name: String,
        /// A member to add: bob, @bob, #7 or 7 (repeat for several)
        #[arg(long = "member", short = 'm', value_name = "USER")]
        members: Vec<UserRef>,
    },
    /// Show a group and its members
    Show {
        /// The group: its name (among yours) or id
        group: GroupRef,
    },
    /// Groups you are in
    #[command(alias = "list")]
    Mine {
        #[command(flatten)]
        paging: Paging,
    },
    /// Rename a group
    Rename {
        /// The group: its name or id
        group: GroupRef,
        /// The new name
        name: String,
    },
    /// Delete a group (owner only)
    Delete {
        /// The group: its name or id
        group: GroupRef,
    },
    /// Members of a group
    Members {
        /// The group: its name or id
        group: GroupRef,
        #[command(flatten)]
        paging: Paging,
    },
    /// Add a user to a group
    Add {
        /// The group: its name or id
        group: GroupRef,
        /// Who: bob, @bob, #7 or 7
        user: UserRef,
    },
    /// Remove a member from a group
    Remove {
        /// The group: its name or id
        group: GroupRef,
        /// Who: bob, @bob, #7 or 7
        user: UserRef,
    },
    /// Leave a group
    Leave {
        /// The group: its name or id
        group: GroupRef,
    },
    /// Pass the ownership of a group to a member
    Transfer {
        /// The group: its name or id
        group: GroupRef,
        /// The new owner: bob, @bob, #7 or 7
        user: UserRef,
    },
}

pub async fn run(ctx: &mut Ctx, cmd: GroupCmd) -> CliResult {
    match cmd {
        GroupCmd::Create { name, members } => {
            let body = &GroupChatCreate {
                name,
                members: (!members.is_empty()).then_some(people::resolve_all(ctx, &members).await?),
            };
            let group = ctx
                .call(|c| async move { c.create_group(body).await })
                .await?;
            let sentence = format!("Created group {} (id {}).", group.name, group.id);
            ctx.out.created(&group, group.id, &sentence)
        }
        GroupCmd::Show { group } => {
            let id = group.resolve(ctx).await?;
            let group = ctx.call(|c| async move { c.view_group(id).await }).await?;
            ctx.out.show(&group, |out| show_group(out, &group))
        }
        GroupCmd::Mine { paging } => {
            let page = ctx
                .listing(&paging, |c, cursor, limit| async move {
                    c.my_groups(cursor.as_deref(), limit).await
                })
                .await?;
            ctx.out.page(&page, groups_table(&ctx.out, &page.items))
        }
        GroupCmd::Rename { group, name } => {
            let (id, name) = (group.resolve(ctx).await?, name.as_str());
            let group = ctx
                .call(|c| async move { c.rename_group(id, name).await })
                .await?;
            ctx.out.show(&group, |out| show_group(out, &group))
        }
        GroupCmd::Delete { group } => {
            let id = group.resolve(ctx).await?;
            let detail = ctx
                .call(|c| async move { c.delete_group(id).await })
                .await?;
            ctx.out.ack(&detail, &detail.detail)
        }
        GroupCmd::Members { group, paging } => {
            let id = group.resolve(ctx).await?;
            let page = ctx
                .listing(&paging, |c, cursor, limit| async move {
                    c.group_members(id, cursor.as_deref(), limit).await
                })
                .await?;
            ctx.out.page(&page, users_table(&ctx.out, &page.items))
        }
        GroupCmd::Add { group, user } => {
            let (id, user) = (group.resolve(ctx).await?, user.resolve(ctx).await?);
            let members = ctx
                .call(|c| async move { c.add_group_member(id, user).await })
                .await?;
            ctx.out
                .show(&members, |out| users_table(out, &members).print(out))
        }
        GroupCmd::Remove { group, user } => {
            let (id, user) = (group.resolve(ctx).await?, user.resolve(ctx).await?);
            let members = ctx
                .call(|c| async move { c.remove_group_member(id, user).await })
                .await?;
            ctx.out
                .show(&members, |out| users_table(out, &members).print(out))
        }
        GroupCmd::Leave { group } => {
            let id = group.resolve(ctx).await?;
            let members = ctx.call(|c| async move { c.leave_group(id).await }).await?;
            if !ctx.out.json {
                eprintln!("Left group {id}.");
            }
            ctx.out
                .show(&members, |out| users_table(out, &members).print(out))
        }
        GroupCmd::Transfer { group, user } => {
            let (id, user) = (group.resolve(ctx).await?, user.resolve(ctx).await?);
            let owner = ctx
                .call(|c| async move { c.pass_group_ownership(id, user).await })
                .await?;
            ctx.out.show(&owner, |out| show_user(out, &owner))
        }
    }
}

fn show_group(out: &Output, group: &GroupChatDisplay) {
    Table::fields(&[
        ("id", group.id.to_string()),
        ("name", group.name.clone()),
        (
            "owner",
            group
                .members
                .iter()
                .find(|member| member.id == group.owner_id)
                .map_or_else(
                    || group.owner_id.to_string(),
                    |owner| owner.username.clone(),
                ),
        ),
        ("created", out.time(group.created_at)),
        ("members", group.members.len().to_string()),
    ])
    .print(out);
    users_table(out, &group.members).print(out);
}

fn groups_table(out: &Output, groups: &[GroupSummary]) -> Table {
    let mut table = Table::new(&["ID", "NAME", "MEMBERS", "OWNER", "CREATED"]);
    for group in groups {
        table.row(vec![
            group.id.to_string(),
            group.name.clone(),
            group.members_nbr.to_string(),
            group.owner.username.clone(),
            out.time(group.created_at),
        ]);
    }
    table
}
