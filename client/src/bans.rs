//! `/spaces/{space_id}/bans/…`

use reqwest::Method;
use socmel_api_types::{Detail, Page, SpaceId, UserId, spaces::BanDisplay};

use crate::{Client, ClientResult, page_query};

impl Client {
    /// `GET /spaces/{space_id}/bans/`
    pub async fn list_bans(
        &self,
        space_id: SpaceId,
        cursor: Option<&str>,
        limit: Option<i64>,
    ) -> ClientResult<Page<BanDisplay>> {
        let path = format!("/spaces/{space_id}/bans/");
        let query = page_query(cursor, limit);
        self.send(self.request(Method::GET, &path).query(&query))
            .await
    }

    /// `POST /spaces/{space_id}/bans/{user_id}/`
    pub async fn ban_member(&self, space_id: SpaceId, user_id: UserId) -> ClientResult<BanDisplay> {
        let path = format!("/spaces/{space_id}/bans/{user_id}/");
        self.send(self.request(Method::POST, &path)).await
    }

    /// `DELETE /spaces/{space_id}/bans/{user_id}/`
    pub async fn unban_member(&self, space_id: SpaceId, user_id: UserId) -> ClientResult<Detail> {
        let path = format!("/spaces/{space_id}/bans/{user_id}/");
        self.send(self.request(Method::DELETE, &path)).await
    }
}
