//! `/spaces/{space_id}/members/…` and ownership: the member list, removal, roles.

use poem::web::Data;
use poem_openapi::{
    ApiResponse, OpenApi,
    param::{Path, Query},
};
use socmel_api_types::{
    Notice, SpaceId, UserId,
    spaces::{RoleUpdate, SpaceDisplay, SpaceMemberDisplay},
};

use super::{ApiTags, auth::BearerAuth, errors::ApiResult, json::Json};
use crate::service::{self, Services, pagination::Paging};

#[derive(ApiResponse)]
enum MemberList {
    /// One page of members; `X-Next-Cursor` is set when there are more.
    #[oai(status = 200)]
    Ok(
        Json<Vec<SpaceMemberDisplay>>,
        /// Pass as `cursor` for the next page.
        #[oai(header = "X-Next-Cursor")]
        Option<String>,
    ),
}

pub struct SpaceMembersApi;

#[OpenApi(tag = "ApiTags::Spaces")]
impl SpaceMembersApi {
    /// A space's members
    ///
    /// Members only. Upstream's bare array of users (email only for the caller), each
    /// with its `role` and `joined_at`, in the order they joined. Paged with the
    /// optional `cursor` and `limit` (1–100, default 50); the next cursor comes in the
    /// `X-Next-Cursor` header.
    #[oai(
        path = "/spaces/:space_id/members/all/",
        method = "get",
        operation_id = "space_members"
    )]
    async fn space_members(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        space_id: Path<SpaceId>,
        cursor: Query<Option<String>>,
        limit: Query<Option<i64>>,
    ) -> ApiResult<MemberList> {
        let page = service::space_members::list(
            svc.0,
            &auth.0,
            space_id.0,
            Paging::keyset(cursor.0, limit.0),
        )
        .await?;
        Ok(MemberList::Ok(Json(page.items), page.next_cursor))
    }

    /// Remove a member
    ///
    /// Owner and moderators. Moderators remove plain members only; the owner can
    /// never be removed (404 "Member not found" when the user is not a member).
    #[oai(
        path = "/spaces/:space_id/members/:user_id/remove/",
        method = "delete",
        operation_id = "remove_space_member"
    )]
    async fn remove_space_member(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        space_id: Path<SpaceId>,
        user_id: Path<UserId>,
    ) -> ApiResult<Json<Notice>> {
        Ok(Json(
            service::space_members::remove(svc.0, &auth.0, space_id.0, user_id.0).await?,
        ))
    }

    /// Change a member's role
    ///
    /// Owner only: `{"role": "moderator"}` promotes, `{"role": "member"}` demotes.
    /// Ownership moves only with `pass_ownership`. Answers the member.
    #[oai(
        path = "/spaces/:space_id/members/:user_id/role/",
        method = "put",
        operation_id = "set_member_role"
    )]
    async fn set_member_role(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        space_id: Path<SpaceId>,
        user_id: Path<UserId>,
        body: Json<RoleUpdate>,
    ) -> ApiResult<Json<SpaceMemberDisplay>> {
        Ok(Json(
            service::space_members::set_role(svc.0, &auth.0, space_id.0, user_id.0, body.0).await?,
        ))
    }

    /// Hand a space to another member
    ///
    /// Owner only. The new owner must be a member (400 otherwise); the previous
    /// owner stays on as a moderator. Answers the space.
    #[oai(
        path = "/spaces/:space_id/pass_ownership/:user_id/",
        method = "put",
        operation_id = "pass_space_ownership"
    )]
    async fn pass_space_ownership(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        space_id: Path<SpaceId>,
        user_id: Path<UserId>,
    ) -> ApiResult<Json<SpaceDisplay>> {
        Ok(Json(
            service::space_members::pass_ownership(svc.0, &auth.0, space_id.0, user_id.0).await?,
        ))
    }
}
