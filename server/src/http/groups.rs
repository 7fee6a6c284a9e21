//! `/groups/…`: group chats and their members.

use poem::web::Data;
use poem_openapi::{
    ApiResponse, OpenApi,
    param::{Path, Query},
};
use socmel_api_types::{
    Detail, GroupId, Page, UserId,
    groups::{GroupChatCreate, GroupChatDisplay, GroupSummary, GroupUpdate},
    users::UserDisplay,
};

use super::{ApiTags, auth::BearerAuth, errors::ApiResult, json::Json};
use crate::service::{self, Services, pagination::Paging};

#[derive(ApiResponse)]
enum MemberList {
    /// One page of members; `X-Next-Cursor` is set when there are more.
    #[oai(status = 200)]
    Ok(
        Json<Vec<UserDisplay>>,
        /// Pass as `cursor` for the next page.
        #[oai(header = "X-Next-Cursor")]
        Option<String>,
    ),
}

pub struct GroupsApi;

#[OpenApi(tag = "ApiTags::Groups")]
impl GroupsApi {
    /// Create a group chat
    ///
    /// The caller becomes owner and member. `members` (user ids) may be absent or
    /// null; unknown ids are refused with 404 naming them. At most 100 members.
    #[oai(
        path = "/groups/create/",
        method = "post",
        operation_id = "create_group"
    )]
    async fn create_group(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        body: Json<GroupChatCreate>,
    ) -> ApiResult<Json<GroupChatDisplay>> {
        Ok(Json(service::groups::create(svc.0, &auth.0, body.0).await?))
    }

    /// My group chats
    ///
    /// The groups the caller belongs to, by id, with member counts. `limit` is 1–100
    /// (default 50); pass `next_cursor` back as `cursor` for the next page.
    #[oai(path = "/groups/mine/", method = "get", operation_id = "my_groups")]
    async fn my_groups(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        cursor: Query<Option<String>>,
        limit: Query<Option<i64>>,
    ) -> ApiResult<Json<Page<GroupSummary>>> {
        Ok(Json(
            service::groups::mine(svc.0, &auth.0, Paging::keyset(cursor.0, limit.0)).await?,
        ))
    }

    /// A group chat
    ///
    /// Members only (403). Answers the group with its members.
    #[oai(
        path = "/groups/:group_id/",
        method = "get",
        operation_id = "view_group"
    )]
    async fn view_group(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        group_id: Path<GroupId>,
    ) -> ApiResult<Json<GroupChatDisplay>> {
        Ok(Json(
            service::groups::view(svc.0, &auth.0, group_id.0).await?,
        ))
    }

    /// Rename a group chat
    ///
    /// Owner only. Names are 1–50 characters. Answers the group.
    #[oai(
        path = "/groups/:group_id/",
        method = "put",
        operation_id = "rename_group"
    )]
    async fn rename_group(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        group_id: Path<GroupId>,
        body: Json<GroupUpdate>,
    ) -> ApiResult<Json<GroupChatDisplay>> {
        Ok(Json(
            service::groups::rename(svc.0, &auth.0, group_id.0, body.0).await?,
        ))
    }

    /// Delete a group chat
    ///
    /// Owner only. Its memberships and messages go with it; members are told.
    #[oai(
        path = "/groups/:group_id/",
        method = "delete",
        operation_id = "delete_group"
    )]
    async fn delete_group(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        group_id: Path<GroupId>,
    ) -> ApiResult<Json<Detail>> {
        Ok(Json(
            service::groups::delete(svc.0, &auth.0, group_id.0).await?,
        ))
    }

    /// Members of a group chat
    ///
    /// Members only. Upstream's bare array of users (email only for the caller), by
    /// id. Paged with the optional `cursor` and `limit` (1–100, default 50); the next
    /// cursor comes in the `X-Next-Cursor` header.
    #[oai(
        path = "/groups/:group_id/members/",
        method = "get",
        operation_id = "group_members"
    )]
    async fn group_members(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        group_id: Path<GroupId>,
        cursor: Query<Option<String>>,
        limit: Query<Option<i64>>,
    ) -> ApiResult<MemberList> {
        let page = service::groups::members(
            svc.0,
            &auth.0,
            group_id.0,
            Paging::keyset(cursor.0, limit.0),
        )
        .await?;
        Ok(MemberList::Ok(Json(page.items), page.next_cursor))
    }

    /// Add a member to a group chat
    ///
    /// Owner only; adding a member twice changes nothing. Answers the members.
    #[oai(
        path = "/groups/:group_id/add_member/:user_id/",
        method = "post",
        operation_id = "add_group_member"
    )]
    async fn add_group_member(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        group_id: Path<GroupId>,
        user_id: Path<UserId>,
    ) -> ApiResult<Json<Vec<UserDisplay>>> {
        Ok(Json(
            service::groups::add_member(svc.0, &auth.0, group_id.0, user_id.0).await?,
        ))
    }

    /// Remove a member from a group chat
    ///
    /// Owner only, and not themself. Answers the remaining members.
    #[oai(
        path = "/groups/:group_id/remove_member/:user_id/",
        method = "delete",
        operation_id = "remove_group_member"
    )]
    async fn remove_group_member(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        group_id: Path<GroupId>,
        user_id: Path<UserId>,
    ) -> ApiResult<Json<Vec<UserDisplay>>> {
        Ok(Json(
            service::groups::remove_member(svc.0, &auth.0, group_id.0, user_id.0).await?,
        ))
    }

    /// Leave a group chat
    ///
    /// Members only; the owner hands the group over or deletes it instead. Answers
    /// the remaining members.
    #[oai(
        path = "/groups/:group_id/leave/",
        method = "delete",
        operation_id = "leave_group"
    )]
    async fn leave_group(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        group_id: Path<GroupId>,
    ) -> ApiResult<Json<Vec<UserDisplay>>> {
        Ok(Json(
            service::groups::leave(svc.0, &auth.0, group_id.0).await?,
        ))
    }

    /// Hand a group chat to another member
    ///
    /// Owner only; the new owner must be a member (400). Answers the new owner.
    #[oai(
        path = "/groups/:group_id/pass_ownership/:user_id/",
        method = "put",
        operation_id = "pass_group_ownership"
    )]
    async fn pass_group_ownership(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        group_id: Path<GroupId>,
        user_id: Path<UserId>,
    ) -> ApiResult<Json<UserDisplay>> {
        Ok(Json(
            service::groups::pass_ownership(svc.0, &auth.0, group_id.0, user_id.0).await?,
        ))
    }
}
