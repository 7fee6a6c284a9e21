//! `socmel room …`: rooms inside a space.

use clap::{Args, Subcommand};
use socmel_client::types::rooms::{RoomCreate, RoomDisplay, RoomUpdate};

use crate::{
    cli::Paging,
    context::Ctx,
    error::{CliError, CliResult},
    names::{Named, RoomRef, SpaceRef},
    output::{Output, Table},
};

#[derive(Debug, Subcommand)]
#[command(
    after_help = "A room is SPACE/ROOM, each by name or id: lounge/general, 3/12.\n\
    Examples:\n  \
    socmel room list lounge\n  \
    socmel room create lounge/random\n  \
    socmel room edit lounge/random --name off-topic"
)]
pub enum RoomCmd {
    /// Create a room in a space; prints its id
    Create {
        /// SPACE/NAME: the space (name or id) and the new room's name
        room: RoomRef,
        #[command(flatten)]
        space: SpaceFlag,
    },
    /// Rename a room
    Edit {
        /// The room: SPACE/ROOM (lounge/general)
        room: RoomRef,
        /// The new name
        #[arg(long, short)]
        name: Option<String>,
        #[command(flatten)]
        space: SpaceFlag,
    },
    /// Delete a room and its messages
    Delete {
        /// The room: SPACE/ROOM (lounge/general)
        room: RoomRef,
        #[command(flatten)]
        space: SpaceFlag,
    },
    /// Rooms of a space
    List {
        /// The space: its name (lounge) or id
        #[arg(required_unless_present = "space_flag")]
        space: Option<SpaceRef>,
        #[command(flatten)]
        flag: SpaceFlag,
        #[command(flatten)]
        paging: Paging,
    },
    /// Show a room
    Show {
        /// The room: SPACE/ROOM (lounge/general)
        room: RoomRef,
        #[command(flatten)]
        space: SpaceFlag,
    },
}

/// The older spelling `--space S` beside a bare room (`room show --space 1 3`), kept
/// for scripts; SPACE/ROOM is the documented one.
#[derive(Debug, Clone, Args)]
pub struct SpaceFlag {
    /// The space of a bare ROOM (older spelling of SPACE/ROOM)
    #[arg(
        long = "space",
        short = 's',
        id = "space_flag",
        hide = true,
        value_name = "SPACE"
    )]
    pub space: Option<SpaceRef>,
}

pub async fn run(ctx: &mut Ctx, cmd: RoomCmd) -> CliResult {
    match cmd {
        RoomCmd::Create { room, space } => {
            let Named::Name(name) = &room.room else {
                return Err(CliError::Usage(format!(
                    "a new room needs a name, not an id: {room}"
                )));
            };
            let space = room.space(space.space.as_ref())?.resolve(ctx).await?;
            let body = &RoomCreate { name: name.clone() };
            let room = ctx
                .call(|c| async move { c.add_room(space, body).await })
                .await?;
            let sentence = format!(
                "Created room {} (id {}) in space {}.",
                room.name, room.id, room.space_id
            );
            ctx.out.created(&room, room.id, &sentence)
        }
        RoomCmd::Edit { room, name, space } => {
            if name.is_none() {
                return Err(CliError::Usage("nothing to change: pass --name".into()));
            }
            let (space, room) = room.resolve(ctx, space.space.as_ref()).await?;
            let body = &RoomUpdate { name };
            let room = ctx
                .call(|c| async move { c.edit_room(space, room, body).await })
                .await?;
            ctx.out.show(&room, |out| show_room(out, &room))
        }
        RoomCmd::Delete { room, space } => {
            let (space, room) = room.resolve(ctx, space.space.as_ref()).await?;
            let notice = ctx
                .call(|c| async move { c.delete_room(space, room).await })
                .await?;
            ctx.out.ack(&notice, &notice.message)
        }
        RoomCmd::List {
            space,
            flag,
            paging,
        } => {
            let space = match (space, flag.space) {
                (Some(space), _) | (None, Some(space)) => space,
                (None, None) => {
                    return Err(CliError::Usage(
                        "which space? `socmel room list SPACE`".into(),
                    ));
                }
            };
            let space = space.resolve(ctx).await?;
            let page = ctx
                .listing(&paging, |c, cursor, limit| async move {
                    c.space_rooms(space, cursor.as_deref(), limit).await
                })
                .await?;
            ctx.out.page(&page, rooms_table(&ctx.out, &page.items))
        }
        RoomCmd::Show { room, space } => {
            let (space, room) = room.resolve(ctx, space.space.as_ref()).await?;
            let room = ctx
                .call(|c| async move { c.view_room(space, room).await })
                .await?;
            ctx.out.show(&room, |out| show_room(out, &room))
        }
    }
}

fn show_room(out: &Output, room: &RoomDisplay) {
    Table::fields(&[
        ("id", room.id.to_string()),
        ("name", room.name.clone()),
        ("space", room.space_id.to_string()),
        ("created", out.time(room.created_at)),
    ])
    .print(out);
}

fn rooms_table(out: &Output, rooms: &[RoomDisplay]) -> Table {
    let mut table = Table::new(&["ID", "NAME", "CREATED"]);
    for room in rooms {
        table.row(vec![
            room.id.to_string(),
            room.name.clone(),
            out.time(room.created_at),
        ]);
    }
    table
}
