//! `socmel room …`: rooms inside a space.

use clap::Subcommand;
use socmel_client::types::{
    RoomId, SpaceId,
    rooms::{RoomCreate, RoomDisplay, RoomUpdate},
};

use crate::{
    cli::Paging,
    context::Ctx,
    error::{CliError, CliResult},
    output::{Output, Table},
};

#[derive(Debug, Subcommand)]
pub enum RoomCmd {
    /// Create a room in a space; prints its id
    Create {
        #[arg(long, short)]
        space: i64,
        name: String,
    },
    /// Rename a room
    Edit {
        #[arg(long, short)]
        space: i64,
        room_id: i64,
        #[arg(long, short)]
        name: Option<String>,
    },
    /// Delete a room and its messages
    Delete {
        #[arg(long, short)]
        space: i64,
        room_id: i64,
    },
    /// Rooms of a space
    List {
        #[arg(long, short)]
        space: i64,
        #[command(flatten)]
        paging: Paging,
    },
    /// Show a room
    Show {
        #[arg(long, short)]
        space: i64,
        room_id: i64,
    },
}

pub async fn run(ctx: &mut Ctx, cmd: RoomCmd) -> CliResult {
    match cmd {
        RoomCmd::Create { space, name } => {
            let (space, body) = (SpaceId(space), &RoomCreate { name });
            let room = ctx
                .call(|c| async move { c.add_room(space, body).await })
                .await?;
            let sentence = format!(
                "Created room {} (id {}) in space {}.",
                room.name, room.id, room.space_id
            );
            ctx.out.created(&room, room.id, &sentence)
        }
        RoomCmd::Edit {
            space,
            room_id,
            name,
        } => {
            if name.is_none() {
                return Err(CliError::Usage("nothing to change: pass --name".into()));
            }
            let (space, room, body) = (SpaceId(space), RoomId(room_id), &RoomUpdate { name });
            let room = ctx
                .call(|c| async move { c.edit_room(space, room, body).await })
                .await?;
            ctx.out.show(&room, |out| show_room(out, &room))
        }
        RoomCmd::Delete { space, room_id } => {
            let (space, room) = (SpaceId(space), RoomId(room_id));
            let notice = ctx
                .call(|c| async move { c.delete_room(space, room).await })
                .await?;
            ctx.out.ack(&notice, &notice.message)
        }
        RoomCmd::List { space, paging } => {
            let (space, cursor, limit) = (SpaceId(space), paging.cursor(), paging.limit);
            let page = ctx
                .call(|c| async move { c.space_rooms(space, cursor, limit).await })
                .await?;
            ctx.out.page(&page, rooms_table(&ctx.out, &page.items))
        }
        RoomCmd::Show { space, room_id } => {
            let (space, room) = (SpaceId(space), RoomId(room_id));
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
