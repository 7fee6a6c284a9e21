//! `/spaces/{space_id}/rooms/…`: rooms inside a space.

use poem::web::Data;
use poem_openapi::{
    OpenApi,
    param::{Path, Query},
};
use socmel_api_types::{
    Notice, Page, RoomId, SpaceId,
    rooms::{RoomCreate, RoomDisplay, RoomUpdate},
};

use super::{ApiTags, auth::BearerAuth, errors::ApiResult, json::Json};
use crate::service::{self, Services, pagination::Paging};

pub struct RoomsApi;

#[OpenApi(tag = "ApiTags::Spaces")]
impl RoomsApi {
    /// Rooms of a space
    ///
    /// Members only. Oldest first, so `main` leads; `limit` is 1–100 (default 50);
    /// pass `next_cursor` back as `cursor` for the next page.
    #[oai(
        path = "/spaces/:space_id/rooms/",
        method = "get",
        operation_id = "space_rooms"
    )]
    async fn space_rooms(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        space_id: Path<SpaceId>,
        cursor: Query<Option<String>>,
        limit: Query<Option<i64>>,
    ) -> ApiResult<Json<Page<RoomDisplay>>> {
        Ok(Json(
            service::rooms::list(
                svc.0,
                &auth.0,
                space_id.0,
                Paging::keyset(cursor.0, limit.0),
            )
            .await?,
        ))
    }

    /// Add a room
    ///
    /// Owner and moderators. Names are 1–50 characters, unique case-insensitively
    /// within the space (400 "Room name already taken"). Answers the room.
    #[oai(
        path = "/spaces/:space_id/rooms/add/",
        method = "post",
        operation_id = "add_room"
    )]
    async fn add_room(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        space_id: Path<SpaceId>,
        body: Json<RoomCreate>,
    ) -> ApiResult<Json<RoomDisplay>> {
        Ok(Json(
            service::rooms::add(svc.0, &auth.0, space_id.0, body.0).await?,
        ))
    }

    /// Rename a room
    ///
    /// Owner and moderators. Only the keys present change. 404 when the room is not
    /// in this space.
    #[oai(
        path = "/spaces/:space_id/rooms/:room_id/edit/",
        method = "put",
        operation_id = "edit_room"
    )]
    async fn edit_room(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        space_id: Path<SpaceId>,
        room_id: Path<RoomId>,
        body: Json<RoomUpdate>,
    ) -> ApiResult<Json<RoomDisplay>> {
        Ok(Json(
            service::rooms::edit(svc.0, &auth.0, space_id.0, room_id.0, body.0).await?,
        ))
    }

    /// Delete a room
    ///
    /// Owner and moderators. Its messages go with it.
    #[oai(
        path = "/spaces/:space_id/rooms/:room_id/delete/",
        method = "delete",
        operation_id = "delete_room"
    )]
    async fn delete_room(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        space_id: Path<SpaceId>,
        room_id: Path<RoomId>,
    ) -> ApiResult<Json<Notice>> {
        Ok(Json(
            service::rooms::delete(svc.0, &auth.0, space_id.0, room_id.0).await?,
        ))
    }

    /// A room of a space
    ///
    /// Members only (upstream showed it to anyone). 404 when the room is not in this
    /// space.
    #[oai(
        path = "/spaces/:space_id/rooms/:room_id/view/",
        method = "get",
        operation_id = "view_room"
    )]
    async fn view_room(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        space_id: Path<SpaceId>,
        room_id: Path<RoomId>,
    ) -> ApiResult<Json<RoomDisplay>> {
        Ok(Json(
            service::rooms::view(svc.0, &auth.0, space_id.0, room_id.0).await?,
        ))
    }
}
