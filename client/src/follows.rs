//! `/follows/…`

use reqwest::Method;
use socmel_api_types::{
    FollowId, Page, UserId,
    follows::{FollowAck, FollowStatus, FollowUser},
};

use crate::{Client, ClientResult};

/// Paging of follow listings: `limit` (1–100) and the `cursor` a previous page gave.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CursorQuery {
    /// Page size (the server's default when absent).
    pub limit: Option<i64>,
    /// Where the previous page ended.
    pub cursor: Option<String>,
}

impl CursorQuery {
    fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if let Some(limit) = self.limit {
            pairs.push(("limit", limit.to_string()));
        }
        if let Some(cursor) = &self.cursor {
            pairs.push(("cursor", cursor.clone()));
        }
        pairs
    }
}

impl Client {
    /// `POST /follows/request/{user_id}/`
    pub async fn request_follow(&self, user_id: UserId) -> ClientResult<FollowAck> {
        let path = format!("/follows/request/{user_id}/");
        self.send(self.request(Method::POST, &path)).await
    }

    /// `GET /follows/requests/`: who asks to follow me.
    pub async fn follow_requests(&self, query: &CursorQuery) -> ClientResult<Page<FollowUser>> {
        self.send_listing(
            self.request(Method::GET, "/follows/requests/")
                .query(&query.pairs()),
        )
        .await
    }

    /// `GET /follows/followers/`
    pub async fn my_followers(&self, query: &CursorQuery) -> ClientResult<Page<FollowUser>> {
        self.send_listing(
            self.request(Method::GET, "/follows/followers/")
                .query(&query.pairs()),
        )
        .await
    }

    /// `GET /follows/following/`
    pub async fn my_following(&self, query: &CursorQuery) -> ClientResult<Page<FollowUser>> {
        self.send_listing(
            self.request(Method::GET, "/follows/following/")
                .query(&query.pairs()),
        )
        .await
    }

    /// `DELETE /follows/request/{follow_id}/cancel/`
    pub async fn cancel_follow_request(&self, follow_id: FollowId) -> ClientResult<FollowAck> {
        let path = format!("/follows/request/{follow_id}/cancel/");
        self.send(self.request(Method::DELETE, &path)).await
    }

    /// `PUT /follows/request/{follow_id}/accept/`
    pub async fn accept_follow_request(&self, follow_id: FollowId) -> ClientResult<FollowAck> {
        let path = format!("/follows/request/{follow_id}/accept/");
        self.send(self.request(Method::PUT, &path)).await
    }

    /// `DELETE /follows/request/{follow_id}/reject/`
    pub async fn reject_follow_request(&self, follow_id: FollowId) -> ClientResult<FollowAck> {
        let path = format!("/follows/request/{follow_id}/reject/");
        self.send(self.request(Method::DELETE, &path)).await
    }

    /// `PUT /follows/requests/from/{user_id}/accept/`
    pub async fn accept_follow_request_from(&self, user_id: UserId) -> ClientResult<FollowAck> {
        let path = format!("/follows/requests/from/{user_id}/accept/");
        self.send(self.request(Method::PUT, &path)).await
    }

    /// `DELETE /follows/requests/from/{user_id}/reject/`
    pub async fn reject_follow_request_from(&self, user_id: UserId) -> ClientResult<FollowAck> {
        let path = format!("/follows/requests/from/{user_id}/reject/");
        self.send(self.request(Method::DELETE, &path)).await
    }

    /// `DELETE /follows/unfollow/{user_id}/`
    pub async fn unfollow(&self, user_id: UserId) -> ClientResult<FollowAck> {
        let path = format!("/follows/unfollow/{user_id}/");
        self.send(self.request(Method::DELETE, &path)).await
    }

    /// `DELETE /follows/remove_follower/{user_id}/`
    pub async fn remove_follower(&self, user_id: UserId) -> ClientResult<FollowAck> {
        let path = format!("/follows/remove_follower/{user_id}/");
        self.send(self.request(Method::DELETE, &path)).await
    }

    /// `GET /follows/status/{user_id}/`
    pub async fn follow_status(&self, user_id: UserId) -> ClientResult<FollowStatus> {
        let path = format!("/follows/status/{user_id}/");
        self.send(self.request(Method::GET, &path)).await
    }

    /// `GET /follows/{user_id}/followers/`
    pub async fn user_followers(
        &self,
        user_id: UserId,
        query: &CursorQuery,
    ) -> ClientResult<Page<FollowUser>> {
        let path = format!("/follows/{user_id}/followers/");
        self.send(self.request(Method::GET, &path).query(&query.pairs()))
            .await
    }

    /// `GET /follows/{user_id}/following/`
    pub async fn user_following(
        &self,
        user_id: UserId,
        query: &CursorQuery,
    ) -> ClientResult<Page<FollowUser>> {
        let path = format!("/follows/{user_id}/following/");
        self.send(self.request(Method::GET, &path).query(&query.pairs()))
            .await
    }
}
