//! `/spaces/{space_id}/rooms/…`

use reqwest::Method;
use socmel_api_types::{
    Notice, Page, RoomId, SpaceId,
    rooms::{RoomCreate, RoomDisplay, RoomUpdate},
};

use crate::{Client, ClientResult, page_query};

impl Client {
    /// `GET /spaces/{space_id}/rooms/`
    pub async fn space_rooms(
        &self,
        space_id: SpaceId,
        cursor: Option<&str>,
        limit: Option<i64>,
    ) -> ClientResult<Page<RoomDisplay>> {
        let path = format!("/spaces/{space_id}/rooms/");
        let query = page_query(cursor, limit);
        self.send(self.request(Method::GET, &path).query(&query))
            .await
    }

    /// `POST /spaces/{space_id}/rooms/add/`
    pub async fn add_room(
        &self,
        space_id: SpaceId,
        body: &RoomCreate,
    ) -> ClientResult<RoomDisplay> {
        let path = format!("/spaces/{space_id}/rooms/add/");
        self.send(self.request(Method::POST, &path).json(body))
            .await
    }

    /// `PUT /spaces/{space_id}/rooms/{room_id}/edit/`
    pub async fn edit_room(
        &self,
        space_id: SpaceId,
        room_id: RoomId,
        body: &RoomUpdate,
    ) -> ClientResult<RoomDisplay> {
        let path = format!("/spaces/{space_id}/rooms/{room_id}/edit/");
        self.send(self.request(Method::PUT, &path).json(body)).await
    }

    /// `DELETE /spaces/{space_id}/rooms/{room_id}/delete/`
    pub async fn delete_room(&self, space_id: SpaceId, room_id: RoomId) -> ClientResult<Notice> {
        let path = format!("/spaces/{space_id}/rooms/{room_id}/delete/");
        self.send(self.request(Method::DELETE, &path)).await
    }

    /// `GET /spaces/{space_id}/rooms/{room_id}/view/`
    pub async fn view_room(&self, space_id: SpaceId, room_id: RoomId) -> ClientResult<RoomDisplay> {
        let path = format!("/spaces/{space_id}/rooms/{room_id}/view/");
        self.send(self.request(Method::GET, &path)).await
    }
}
