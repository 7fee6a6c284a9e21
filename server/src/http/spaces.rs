//! `/spaces/…`: spaces themselves — create, edit, delete, view, the directory, my
//! spaces, leaving.

use poem::web::Data;
use poem_openapi::{
    OpenApi,
    param::{Path, Query},
};
use socmel_api_types::{
    Detail, Notice, Page, SpaceId,
    spaces::{SpaceCreate, SpaceDisplay, SpaceUpdate},
};

use super::{ApiTags, auth::BearerAuth, errors::ApiResult, json::Json};
use crate::service::{self, Services, pagination::Paging};

pub struct SpacesApi;

#[OpenApi(tag = "ApiTags::Spaces")]
impl SpacesApi {
    /// Create a space
    ///
    /// The caller becomes its owner and first member; the space starts with a room
    /// named `main`. Names are 1–50 characters and unique case-insensitively (a taken
    /// name is 400 "Space name already taken").
    #[oai(
        path = "/spaces/create",
        method = "post",
        operation_id = "create_space"
    )]
    async fn create_space(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        body: Json<SpaceCreate>,
    ) -> ApiResult<Json<SpaceDisplay>> {
        Ok(Json(service::spaces::create(svc.0, &auth.0, body.0).await?))
    }

    /// Edit a space
    ///
    /// Owner only. Only the keys present change; keeping the space's own name is fine.
    /// Answers the space.
    #[oai(
        path = "/spaces/:space_id/edit/",
        method = "put",
        operation_id = "edit_space"
    )]
    async fn edit_space(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        space_id: Path<SpaceId>,
        body: Json<SpaceUpdate>,
    ) -> ApiResult<Json<SpaceDisplay>> {
        Ok(Json(
            service::spaces::edit(svc.0, &auth.0, space_id.0, body.0).await?,
        ))
    }

    /// Delete a space
    ///
    /// Owner only. Its rooms, posts, messages, invitations, bans and memberships go
    /// with it; connected members are told.
    #[oai(
        path = "/spaces/:space_id/delete/",
        method = "delete",
        operation_id = "delete_space"
    )]
    async fn delete_space(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        space_id: Path<SpaceId>,
    ) -> ApiResult<Json<Notice>> {
        Ok(Json(
            service::spaces::delete(svc.0, &auth.0, space_id.0).await?,
        ))
    }

    /// A space's public card
    ///
    /// Name, owner, member count and founding date are public, as in the directory.
    /// Everything inside (rooms, posts, members) is for members only.
    #[oai(
        path = "/spaces/:space_id/view/",
        method = "get",
        operation_id = "view_space"
    )]
    async fn view_space(
        &self,
        svc: Data<&Services>,
        space_id: Path<SpaceId>,
    ) -> ApiResult<Json<SpaceDisplay>> {
        Ok(Json(service::spaces::view(svc.0, space_id.0).await?))
    }

    /// The space directory
    ///
    /// Every space by id, or those whose name contains `q` (case-insensitively,
    /// at most 100 characters). Public. `limit` is 1–100 (default 50); pass
    /// `next_cursor` back as `cursor` for the next page.
    #[oai(path = "/spaces/", method = "get", operation_id = "list_spaces")]
    async fn list_spaces(
        &self,
        svc: Data<&Services>,
        q: Query<Option<String>>,
        cursor: Query<Option<String>>,
        limit: Query<Option<i64>>,
    ) -> ApiResult<Json<Page<SpaceDisplay>>> {
        Ok(Json(
            service::spaces::directory(svc.0, q.0.as_deref(), Paging::keyset(cursor.0, limit.0))
                .await?,
        ))
    }

    /// My spaces
    ///
    /// The spaces the caller belongs to, by id, each with `my_role`. `limit` is
    /// 1–100 (default 50); pass `next_cursor` back as `cursor` for the next page.
    #[oai(path = "/spaces/mine/", method = "get", operation_id = "my_spaces")]
    async fn my_spaces(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        cursor: Query<Option<String>>,
        limit: Query<Option<i64>>,
    ) -> ApiResult<Json<Page<SpaceDisplay>>> {
        Ok(Json(
            service::spaces::mine(svc.0, &auth.0, Paging::keyset(cursor.0, limit.0)).await?,
        ))
    }

    /// Leave a space
    ///
    /// 403 when the caller is not a member. The owner cannot leave: pass ownership
    /// to another member or delete the space first.
    #[oai(
        path = "/spaces/:space_id/leave/",
        method = "delete",
        operation_id = "leave_space"
    )]
    async fn leave_space(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        space_id: Path<SpaceId>,
    ) -> ApiResult<Json<Detail>> {
        Ok(Json(
            service::spaces::leave(svc.0, &auth.0, space_id.0).await?,
        ))
    }
}
