//! `/spaces/…`: spaces themselves.

use reqwest::Method;
use socmel_api_types::{
    Detail, Notice, Page, SpaceId,
    spaces::{SpaceCreate, SpaceDisplay, SpaceUpdate},
};

use crate::{Client, ClientResult, page_query};

impl Client {
    /// `POST /spaces/create`
    pub async fn create_space(&self, body: &SpaceCreate) -> ClientResult<SpaceDisplay> {
        self.send(self.request(Method::POST, "/spaces/create").json(body))
            .await
    }

    /// `PUT /spaces/{space_id}/edit/`
    pub async fn edit_space(
        &self,
        space_id: SpaceId,
        body: &SpaceUpdate,
    ) -> ClientResult<SpaceDisplay> {
        let path = format!("/spaces/{space_id}/edit/");
        self.send(self.request(Method::PUT, &path).json(body)).await
    }

    /// `DELETE /spaces/{space_id}/delete/`
    pub async fn delete_space(&self, space_id: SpaceId) -> ClientResult<Notice> {
        let path = format!("/spaces/{space_id}/delete/");
        self.send(self.request(Method::DELETE, &path)).await
    }

    /// `GET /spaces/{space_id}/view/`
    pub async fn view_space(&self, space_id: SpaceId) -> ClientResult<SpaceDisplay> {
        let path = format!("/spaces/{space_id}/view/");
        self.send(self.request(Method::GET, &path)).await
    }

    /// `GET /spaces/?q=&cursor=&limit=`: the directory, optionally searched by name.
    pub async fn list_spaces(
        &self,
        q: Option<&str>,
        cursor: Option<&str>,
        limit: Option<i64>,
    ) -> ClientResult<Page<SpaceDisplay>> {
        let mut query = page_query(cursor, limit);
        if let Some(q) = q {
            query.push(("q", q.to_owned()));
        }
        self.send(self.request(Method::GET, "/spaces/").query(&query))
            .await
    }

    /// `GET /spaces/mine/`
    pub async fn my_spaces(
        &self,
        cursor: Option<&str>,
        limit: Option<i64>,
    ) -> ClientResult<Page<SpaceDisplay>> {
        let query = page_query(cursor, limit);
        self.send(self.request(Method::GET, "/spaces/mine/").query(&query))
            .await
    }

    /// `DELETE /spaces/{space_id}/leave/`
    pub async fn leave_space(&self, space_id: SpaceId) -> ClientResult<Detail> {
        let path = format!("/spaces/{space_id}/leave/");
        self.send(self.request(Method::DELETE, &path)).await
    }
}
