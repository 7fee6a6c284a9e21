//! `/spaces/{space_id}/bans/…`: banning, unbanning, the ban list.

use poem::web::Data;
use poem_openapi::{
    OpenApi,
    param::{Path, Query},
};
use socmel_api_types::{Detail, Page, SpaceId, UserId, spaces::BanDisplay};

use super::{ApiTags, auth::BearerAuth, errors::ApiResult, json::Json};
use crate::service::{self, Services, pagination::Paging};

pub struct BansApi;

#[OpenApi(tag = "ApiTags::Spaces")]
impl BansApi {
    /// Banned users of a space
    ///
    /// Owner and moderators. Newest first; `limit` is 1–100 (default 50); pass
    /// `next_cursor` back as `cursor` for the next page.
    #[oai(
        path = "/spaces/:space_id/bans/",
        method = "get",
        operation_id = "list_bans"
    )]
    async fn list_bans(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        space_id: Path<SpaceId>,
        cursor: Query<Option<String>>,
        limit: Query<Option<i64>>,
    ) -> ApiResult<Json<Page<BanDisplay>>> {
        Ok(Json(
            service::bans::list(
                svc.0,
                &auth.0,
                space_id.0,
                Paging::keyset(cursor.0, limit.0),
            )
            .await?,
        ))
    }

    /// Ban a user from a space
    ///
    /// Owner and moderators. A member is removed first; a banned user cannot join
    /// again (403) until unbanned. Moderators ban plain members only; the owner
    /// cannot be banned. Answers the ban.
    #[oai(
        path = "/spaces/:space_id/bans/:user_id/",
        method = "post",
        operation_id = "ban_member"
    )]
    async fn ban_member(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        space_id: Path<SpaceId>,
        user_id: Path<UserId>,
    ) -> ApiResult<Json<BanDisplay>> {
        Ok(Json(
            service::bans::ban(svc.0, &auth.0, space_id.0, user_id.0).await?,
        ))
    }

    /// Lift a ban
    ///
    /// Owner and moderators. The user may join again with an invitation.
    #[oai(
        path = "/spaces/:space_id/bans/:user_id/",
        method = "delete",
        operation_id = "unban_member"
    )]
    async fn unban_member(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        space_id: Path<SpaceId>,
        user_id: Path<UserId>,
    ) -> ApiResult<Json<Detail>> {
        Ok(Json(
            service::bans::unban(svc.0, &auth.0, space_id.0, user_id.0).await?,
        ))
    }
}
