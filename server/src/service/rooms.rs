//! Rooms: owner and moderators manage them; only members see them.

use socmel_api_types::{
    Notice, Page, RoomId, SpaceId, Timestamp,
    rooms::{RoomCreate, RoomDisplay, RoomUpdate},
};

use super::{
    Missing, ServiceError, ServiceResult, Services, auth::AuthUser, now, pagination::Paging,
    permissions::Action, spaces::membership, validation::checked_name,
};
use crate::{
    events::Event,
    store::{self, rooms::RoomRow},
};

fn display(row: &RoomRow) -> RoomDisplay {
    RoomDisplay {
        name: row.name.clone(),
        id: RoomId(row.id),
        space_id: SpaceId(row.space_id),
        created_at: Timestamp::from_millis(row.created_at),
    }
}

fn not_found() -> ServiceError {
    ServiceError::NotFound(Missing::Room)
}

/// Adds a room (owner and moderators); its name is unique within the space.
pub async fn add(
    svc: &Services,
    user: &AuthUser,
    space_id: SpaceId,
    input: RoomCreate,
) -> ServiceResult<RoomDisplay> {
    let name = checked_name(&input.name)?;
    let mut tx = svc.store().begin().await?;
    membership(tx.conn(), space_id, user.id())
        .await?
        .require(Action::ManageRooms)?;
    let row = store::rooms::insert(tx.conn(), space_id.0, name, now()).await?;
    tx.commit().await?;
    Ok(display(&row))
}

/// Renames a room of the space (owner and moderators).
pub async fn edit(
    svc: &Services,
    user: &AuthUser,
    space_id: SpaceId,
    room_id: RoomId,
    update: RoomUpdate,
) -> ServiceResult<RoomDisplay> {
    let name = update.name.as_deref().map(checked_name).transpose()?;
    let mut tx = svc.store().begin().await?;
    membership(tx.conn(), space_id, user.id())
        .await?
        .require(Action::ManageRooms)?;
    let row = match name {
        Some(name) => store::rooms::rename(tx.conn(), space_id.0, room_id.0, name).await?,
        None => store::rooms::in_space(tx.conn(), space_id.0, room_id.0).await?,
    }
    .ok_or_else(not_found)?;
    tx.commit().await?;
    Ok(display(&row))
}

/// Deletes a room of the space and its messages (owner and moderators).
pub async fn delete(
    svc: &Services,
    user: &AuthUser,
    space_id: SpaceId,
    room_id: RoomId,
) -> ServiceResult<Notice> {
    let mut tx = svc.store().begin().await?;
    membership(tx.conn(), space_id, user.id())
        .await?
        .require(Action::ManageRooms)?;
    if !store::rooms::delete(tx.conn(), space_id.0, room_id.0).await? {
        return Err(not_found());
    }
    tx.commit().await?;
    svc.committed(Event::RoomDeleted { space_id, room_id });
    Ok(Notice::new("Room deleted"))
}

/// Members only: one room of the space.
pub async fn view(
    svc: &Services,
    user: &AuthUser,
    space_id: SpaceId,
    room_id: RoomId,
) -> ServiceResult<RoomDisplay> {
    let mut db = svc.store().reader().await?;
    membership(db.conn(), space_id, user.id())
        .await?
        .require(Action::View)?;
    let row = store::rooms::in_space(db.conn(), space_id.0, room_id.0)
        .await?
        .ok_or_else(not_found)?;
    Ok(display(&row))
}

/// Members only: the rooms of the space, oldest first (so `main` leads).
pub async fn list(
    svc: &Services,
    user: &AuthUser,
    space_id: SpaceId,
    paging: Paging,
) -> ServiceResult<Page<RoomDisplay>> {
    let pager = paging.pager([0])?;
    let [after] = pager.after;
    let mut db = svc.store().reader().await?;
    membership(db.conn(), space_id, user.id())
        .await?
        .require(Action::View)?;
    let rows = store::rooms::page(db.conn(), space_id.0, after, pager.fetch()).await?;
    let (rows, next) = pager.page(rows, |row| [row.id]);
    Ok(Page::new(rows.iter().map(display).collect(), next))
}
