//! `/spaces/{space_id}/invitations/…`: making, listing, revoking and using invitations.

use poem::web::Data;
use poem_openapi::{
    OpenApi,
    param::{Path, Query},
};
use socmel_api_types::{
    Detail, InvitationId, Page, SpaceId,
    invitations::{InvitationCreate, InvitationDisplay},
    spaces::JoinedSpace,
};

use super::{ApiTags, auth::BearerAuth, errors::ApiResult, json::Json};
use crate::service::{self, Services, pagination::Paging};

pub struct InvitationsApi;

#[OpenApi(tag = "ApiTags::Spaces")]
impl InvitationsApi {
    /// Create an invitation
    ///
    /// Owner and moderators. `max_uses` ≥ 1 and `expires_at` in the future (422
    /// otherwise). The `token` appears in this answer only: only its hash is kept.
    #[oai(
        path = "/spaces/:space_id/invitations/create/",
        method = "post",
        operation_id = "create_invitation"
    )]
    async fn create_invitation(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        space_id: Path<SpaceId>,
        body: Json<InvitationCreate>,
    ) -> ApiResult<Json<InvitationDisplay>> {
        Ok(Json(
            service::invitations::create(svc.0, &auth.0, space_id.0, body.0).await?,
        ))
    }

    /// Invitations of a space
    ///
    /// Owner and moderators. Newest first, with their use counts and `token: null`;
    /// `limit` is 1–100 (default 50); pass `next_cursor` back as `cursor`.
    #[oai(
        path = "/spaces/:space_id/invitations/",
        method = "get",
        operation_id = "list_invitations"
    )]
    async fn list_invitations(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        space_id: Path<SpaceId>,
        cursor: Query<Option<String>>,
        limit: Query<Option<i64>>,
    ) -> ApiResult<Json<Page<InvitationDisplay>>> {
        Ok(Json(
            service::invitations::list(
                svc.0,
                &auth.0,
                space_id.0,
                Paging::keyset(cursor.0, limit.0),
            )
            .await?,
        ))
    }

    /// Revoke an invitation
    ///
    /// Owner and moderators. Its token stops working at once (404 "Invitation not
    /// found").
    #[oai(
        path = "/spaces/:space_id/invitations/:invitation_id/",
        method = "delete",
        operation_id = "revoke_invitation"
    )]
    async fn revoke_invitation(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        space_id: Path<SpaceId>,
        invitation_id: Path<InvitationId>,
    ) -> ApiResult<Json<Detail>> {
        Ok(Json(
            service::invitations::revoke(svc.0, &auth.0, space_id.0, invitation_id.0).await?,
        ))
    }

    /// Join a space with an invitation (upstream's GET)
    ///
    /// Kept for compatibility; prefer the POST, which does the same. 404 for an
    /// unknown or revoked token, 403 when banned, 400 when the invitation has expired
    /// or is used up, or the caller is already a member.
    #[oai(
        path = "/spaces/:space_id/invitations/join/:invitation_token/",
        method = "get",
        operation_id = "join_space"
    )]
    async fn join_space(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        space_id: Path<SpaceId>,
        invitation_token: Path<String>,
    ) -> ApiResult<Json<JoinedSpace>> {
        Ok(Json(
            service::invitations::join(svc.0, &auth.0, space_id.0, &invitation_token.0).await?,
        ))
    }

    /// Join a space with an invitation
    ///
    /// Uses are counted atomically: an invitation with `max_uses = k` admits exactly
    /// k people however many try at once. 404 for an unknown or revoked token, 403
    /// when banned, 400 when the invitation has expired or is used up, or the caller
    /// is already a member.
    #[oai(
        path = "/spaces/:space_id/invitations/join/:invitation_token/",
        method = "post",
        operation_id = "accept_invitation"
    )]
    async fn accept_invitation(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        space_id: Path<SpaceId>,
        invitation_token: Path<String>,
    ) -> ApiResult<Json<JoinedSpace>> {
        self.join_space(svc, auth, space_id, invitation_token).await
    }
}
