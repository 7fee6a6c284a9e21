//! `/groups/…`

use reqwest::Method;
use socmel_api_types::{
    Detail, GroupId, Page, UserId,
    groups::{GroupChatCreate, GroupChatDisplay, GroupSummary, GroupUpdate},
    users::UserDisplay,
};

use crate::{Client, ClientResult, page_query};

impl Client {
    /// `POST /groups/create/`
    pub async fn create_group(&self, body: &GroupChatCreate) -> ClientResult<GroupChatDisplay> {
        self.send(self.request(Method::POST, "/groups/create/").json(body))
            .await
    }

    /// `GET /groups/mine/`
    pub async fn my_groups(
        &self,
        cursor: Option<&str>,
        limit: Option<i64>,
    ) -> ClientResult<Page<GroupSummary>> {
        let query = page_query(cursor, limit);
        self.send(self.request(Method::GET, "/groups/mine/").query(&query))
            .await
    }

    /// `GET /groups/{group_id}/`
    pub async fn view_group(&self, group_id: GroupId) -> ClientResult<GroupChatDisplay> {
        let path = format!("/groups/{group_id}/");
        self.send(self.request(Method::GET, &path)).await
    }

    /// `PUT /groups/{group_id}/`
    pub async fn rename_group(
        &self,
        group_id: GroupId,
        name: &str,
    ) -> ClientResult<GroupChatDisplay> {
        let path = format!("/groups/{group_id}/");
        let body = GroupUpdate {
            name: name.to_owned(),
        };
        self.send(self.request(Method::PUT, &path).json(&body))
            .await
    }

    /// `DELETE /groups/{group_id}/`
    pub async fn delete_group(&self, group_id: GroupId) -> ClientResult<Detail> {
        let path = format!("/groups/{group_id}/");
        self.send(self.request(Method::DELETE, &path)).await
    }

    /// `GET /groups/{group_id}/members/`: one page (the server's `X-Next-Cursor`
    /// header becomes `next_cursor`).
    pub async fn group_members(
        &self,
        group_id: GroupId,
        cursor: Option<&str>,
        limit: Option<i64>,
    ) -> ClientResult<Page<UserDisplay>> {
        let path = format!("/groups/{group_id}/members/");
        let query = page_query(cursor, limit);
        self.send_listing(self.request(Method::GET, &path).query(&query))
            .await
    }

    /// `POST /groups/{group_id}/add_member/{user_id}/`; answers the members.
    pub async fn add_group_member(
        &self,
        group_id: GroupId,
        user_id: UserId,
    ) -> ClientResult<Vec<UserDisplay>> {
        let path = format!("/groups/{group_id}/add_member/{user_id}/");
        self.send(self.request(Method::POST, &path)).await
    }

    /// `DELETE /groups/{group_id}/remove_member/{user_id}/`; answers the members.
    pub async fn remove_group_member(
        &self,
        group_id: GroupId,
        user_id: UserId,
    ) -> ClientResult<Vec<UserDisplay>> {
        let path = format!("/groups/{group_id}/remove_member/{user_id}/");
        self.send(self.request(Method::DELETE, &path)).await
    }

    /// `DELETE /groups/{group_id}/leave/`; answers the remaining members.
    pub async fn leave_group(&self, group_id: GroupId) -> ClientResult<Vec<UserDisplay>> {
        let path = format!("/groups/{group_id}/leave/");
        self.send(self.request(Method::DELETE, &path)).await
    }

    /// `PUT /groups/{group_id}/pass_ownership/{user_id}/`; answers the new owner.
    pub async fn pass_group_ownership(
        &self,
        group_id: GroupId,
        user_id: UserId,
    ) -> ClientResult<UserDisplay> {
        let path = format!("/groups/{group_id}/pass_ownership/{user_id}/");
        self.send(self.request(Method::PUT, &path)).await
    }
}
