//! `/follows/…`: follow requests, approval, followers and following.

use poem::web::Data;
use poem_openapi::{
    OpenApi,
    param::{Path, Query},
};
use socmel_api_types::{
    FollowId, Page, UserId,
    follows::{FollowAck, FollowStatus, FollowUser},
};

use super::{ApiTags, auth::BearerAuth, errors::ApiResult, json::Json, posts::Listed};
use crate::service::{self, Services, pagination::Paging};

pub struct FollowsApi;

#[OpenApi(tag = "ApiTags::Follows")]
impl FollowsApi {
    /// Ask to follow a user
    ///
    /// The follow is pending until the user accepts it. 404 for an unknown user; 400
    /// for yourself, or when a request is pending or you already follow. Answers the
    /// new follow's id.
    #[oai(
        path = "/follows/request/:user_id/",
        method = "post",
        operation_id = "request_follow"
    )]
    async fn request_follow(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        user_id: Path<UserId>,
    ) -> ApiResult<Json<FollowAck>> {
        Ok(Json(
            service::follows::request(svc.0, &auth.0, user_id.0).await?,
        ))
    }

    /// Requests waiting for my approval
    ///
    /// The requesting users, each with the `follow_id` to accept or reject; newest
    /// first, `limit` (1–100, default 50) per page, `X-Next-Cursor` for more.
    #[oai(
        path = "/follows/requests/",
        method = "get",
        operation_id = "follow_requests"
    )]
    async fn follow_requests(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        /// Users per page, 1–100 (default 50).
        limit: Query<Option<i64>>,
        /// `X-Next-Cursor` of the previous page.
        cursor: Query<Option<String>>,
    ) -> ApiResult<Listed<FollowUser>> {
        let query = Paging::keyset(cursor.0, limit.0);
        Ok(service::follows::requests(svc.0, &auth.0, query)
            .await?
            .into())
    }

    /// My followers
    ///
    /// Accepted follows only, each with its `follow_id`; newest first, `limit` per page.
    #[oai(
        path = "/follows/followers/",
        method = "get",
        operation_id = "my_followers"
    )]
    async fn my_followers(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        /// Users per page, 1–100 (default 50).
        limit: Query<Option<i64>>,
        /// `X-Next-Cursor` of the previous page.
        cursor: Query<Option<String>>,
    ) -> ApiResult<Listed<FollowUser>> {
        let me = auth.0.id();
        let query = Paging::keyset(cursor.0, limit.0);
        Ok(service::follows::followers(svc.0, &auth.0, me, query)
            .await?
            .into())
    }

    /// Whom I follow
    ///
    /// Accepted follows only, each with its `follow_id`; newest first, `limit` per page.
    #[oai(
        path = "/follows/following/",
        method = "get",
        operation_id = "my_following"
    )]
    async fn my_following(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        /// Users per page, 1–100 (default 50).
        limit: Query<Option<i64>>,
        /// `X-Next-Cursor` of the previous page.
        cursor: Query<Option<String>>,
    ) -> ApiResult<Listed<FollowUser>> {
        let me = auth.0.id();
        let query = Paging::keyset(cursor.0, limit.0);
        Ok(service::follows::following(svc.0, &auth.0, me, query)
            .await?
            .into())
    }

    /// Withdraw my follow request
    ///
    /// My pending request, by its `follow_id` (404 otherwise).
    #[oai(
        path = "/follows/request/:follow_id/cancel/",
        method = "delete",
        operation_id = "cancel_follow_request"
    )]
    async fn cancel_follow_request(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        follow_id: Path<FollowId>,
    ) -> ApiResult<Json<FollowAck>> {
        Ok(Json(
            service::follows::cancel(svc.0, &auth.0, follow_id.0).await?,
        ))
    }

    /// Accept a follow request
    ///
    /// A request addressed to me, by its `follow_id` (404 otherwise; 400 if already
    /// accepted).
    #[oai(
        path = "/follows/request/:follow_id/accept/",
        method = "put",
        operation_id = "accept_follow_request"
    )]
    async fn accept_follow_request(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        follow_id: Path<FollowId>,
    ) -> ApiResult<Json<FollowAck>> {
        Ok(Json(
            service::follows::accept(svc.0, &auth.0, follow_id.0).await?,
        ))
    }

    /// Reject a follow request
    ///
    /// A pending request addressed to me, by its `follow_id` (404 otherwise).
    #[oai(
        path = "/follows/request/:follow_id/reject/",
        method = "delete",
        operation_id = "reject_follow_request"
    )]
    async fn reject_follow_request(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        follow_id: Path<FollowId>,
    ) -> ApiResult<Json<FollowAck>> {
        Ok(Json(
            service::follows::reject(svc.0, &auth.0, follow_id.0).await?,
        ))
    }

    /// Accept a user's follow request
    ///
    /// The same as accepting by `follow_id`, naming the requesting user instead.
    #[oai(
        path = "/follows/requests/from/:user_id/accept/",
        method = "put",
        operation_id = "accept_follow_request_from"
    )]
    async fn accept_follow_request_from(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        user_id: Path<UserId>,
    ) -> ApiResult<Json<FollowAck>> {
        Ok(Json(
            service::follows::accept_from(svc.0, &auth.0, user_id.0).await?,
        ))
    }

    /// Reject a user's follow request
    ///
    /// The same as rejecting by `follow_id`, naming the requesting user instead.
    #[oai(
        path = "/follows/requests/from/:user_id/reject/",
        method = "delete",
        operation_id = "reject_follow_request_from"
    )]
    async fn reject_follow_request_from(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        user_id: Path<UserId>,
    ) -> ApiResult<Json<FollowAck>> {
        Ok(Json(
            service::follows::reject_from(svc.0, &auth.0, user_id.0).await?,
        ))
    }

    /// Unfollow a user
    ///
    /// My accepted follow of the user (404 otherwise; a pending one is cancelled with
    /// `cancel_follow_request`).
    #[oai(
        path = "/follows/unfollow/:user_id/",
        method = "delete",
        operation_id = "unfollow"
    )]
    async fn unfollow(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        user_id: Path<UserId>,
    ) -> ApiResult<Json<FollowAck>> {
        Ok(Json(
            service::follows::unfollow(svc.0, &auth.0, user_id.0).await?,
        ))
    }

    /// Remove a follower
    ///
    /// The user stops following me (404 if they do not).
    #[oai(
        path = "/follows/remove_follower/:user_id/",
        method = "delete",
        operation_id = "remove_follower"
    )]
    async fn remove_follower(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        user_id: Path<UserId>,
    ) -> ApiResult<Json<FollowAck>> {
        Ok(Json(
            service::follows::remove_follower(svc.0, &auth.0, user_id.0).await?,
        ))
    }

    /// Follow status between me and a user
    ///
    /// `status`: `none`, `pending` (my request waits) or `following`; `follow_id` of my
    /// follow, if any; `follows_me` when the user follows me. 404 for an unknown user.
    #[oai(
        path = "/follows/status/:user_id/",
        method = "get",
        operation_id = "follow_status"
    )]
    async fn follow_status(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        user_id: Path<UserId>,
    ) -> ApiResult<Json<FollowStatus>> {
        Ok(Json(
            service::follows::status(svc.0, &auth.0, user_id.0).await?,
        ))
    }

    /// A user's followers
    ///
    /// Accepted follows of the user, newest first, `limit` (1–100, default 50) per
    /// page. 404 for an unknown user.
    #[oai(
        path = "/follows/:user_id/followers/",
        method = "get",
        operation_id = "user_followers"
    )]
    async fn user_followers(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        user_id: Path<UserId>,
        /// Users per page, 1–100 (default 50).
        limit: Query<Option<i64>>,
        /// `next_cursor` of the previous page.
        cursor: Query<Option<String>>,
    ) -> ApiResult<Json<Page<FollowUser>>> {
        let query = Paging::keyset(cursor.0, limit.0);
        Ok(Json(
            service::follows::followers(svc.0, &auth.0, user_id.0, query).await?,
        ))
    }

    /// Whom a user follows
    ///
    /// Accepted follows by the user, newest first, `limit` (1–100, default 50) per
    /// page. 404 for an unknown user.
    #[oai(
        path = "/follows/:user_id/following/",
        method = "get",
        operation_id = "user_following"
    )]
    async fn user_following(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        user_id: Path<UserId>,
        /// Users per page, 1–100 (default 50).
        limit: Query<Option<i64>>,
        /// `next_cursor` of the previous page.
        cursor: Query<Option<String>>,
    ) -> ApiResult<Json<Page<FollowUser>>> {
        let query = Paging::keyset(cursor.0, limit.0);
        Ok(Json(
            service::follows::following(svc.0, &auth.0, user_id.0, query).await?,
        ))
    }
}
