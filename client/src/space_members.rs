//! `/spaces/{space_id}/members/…` and ownership.

use reqwest::Method;
use socmel_api_types::{
    Notice, Page, SpaceId, UserId,
    spaces::{RoleUpdate, SpaceDisplay, SpaceMemberDisplay, SpaceRole},
};

use crate::{Client, ClientResult, page_query};

impl Client {
    /// `GET /spaces/{space_id}/members/all/`: one page (the server's `X-Next-Cursor`
    /// header becomes `next_cursor`).
    pub async fn space_members(
        &self,
        space_id: SpaceId,
        cursor: Option<&str>,
        limit: Option<i64>,
    ) -> ClientResult<Page<SpaceMemberDisplay>> {
        let path = format!("/spaces/{space_id}/members/all/");
        let query = page_query(cursor, limit);
        self.send_listing(self.request(Method::GET, &path).query(&query))
            .await
    }

    /// `DELETE /spaces/{space_id}/members/{user_id}/remove/`
    pub async fn remove_space_member(
        &self,
        space_id: SpaceId,
        user_id: UserId,
    ) -> ClientResult<Notice> {
        let path = format!("/spaces/{space_id}/members/{user_id}/remove/");
        self.send(self.request(Method::DELETE, &path)).await
    }

    /// `PUT /spaces/{space_id}/members/{user_id}/role/`
    pub async fn set_member_role(
        &self,
        space_id: SpaceId,
        user_id: UserId,
        role: SpaceRole,
    ) -> ClientResult<SpaceMemberDisplay> {
        let path = format!("/spaces/{space_id}/members/{user_id}/role/");
        self.send(self.request(Method::PUT, &path).json(&RoleUpdate { role }))
            .await
    }

    /// `PUT /spaces/{space_id}/pass_ownership/{user_id}/`
    pub async fn pass_space_ownership(
        &self,
        space_id: SpaceId,
        user_id: UserId,
    ) -> ClientResult<SpaceDisplay> {
        let path = format!("/spaces/{space_id}/pass_ownership/{user_id}/");
        self.send(self.request(Method::PUT, &path)).await
    }
}
