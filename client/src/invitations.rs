//! `/spaces/{space_id}/invitations/…`

use reqwest::Method;
use socmel_api_types::{
    Detail, InvitationId, Page, SpaceId,
    invitations::{InvitationCreate, InvitationDisplay},
    spaces::JoinedSpace,
};

use crate::{Client, ClientResult, page_query};

impl Client {
    /// `POST /spaces/{space_id}/invitations/create/`; the answer holds the token.
    pub async fn create_invitation(
        &self,
        space_id: SpaceId,
        body: &InvitationCreate,
    ) -> ClientResult<InvitationDisplay> {
        let path = format!("/spaces/{space_id}/invitations/create/");
        self.send(self.request(Method::POST, &path).json(body))
            .await
    }

    /// `GET /spaces/{space_id}/invitations/`
    pub async fn list_invitations(
        &self,
        space_id: SpaceId,
        cursor: Option<&str>,
        limit: Option<i64>,
    ) -> ClientResult<Page<InvitationDisplay>> {
        let path = format!("/spaces/{space_id}/invitations/");
        let query = page_query(cursor, limit);
        self.send(self.request(Method::GET, &path).query(&query))
            .await
    }

    /// `DELETE /spaces/{space_id}/invitations/{invitation_id}/`
    pub async fn revoke_invitation(
        &self,
        space_id: SpaceId,
        invitation_id: InvitationId,
    ) -> ClientResult<Detail> {
        let path = format!("/spaces/{space_id}/invitations/{invitation_id}/");
        self.send(self.request(Method::DELETE, &path)).await
    }

    /// `GET /spaces/{space_id}/invitations/join/{invitation_token}/` (upstream's
    /// spelling; [`Client::accept_invitation`] does the same with POST).
    pub async fn join_space(&self, space_id: SpaceId, token: &str) -> ClientResult<JoinedSpace> {
        let path = format!("/spaces/{space_id}/invitations/join/{token}/");
        self.send(self.request(Method::GET, &path)).await
    }

    /// `POST /spaces/{space_id}/invitations/join/{invitation_token}/`
    pub async fn accept_invitation(
        &self,
        space_id: SpaceId,
        token: &str,
    ) -> ClientResult<JoinedSpace> {
        let path = format!("/spaces/{space_id}/invitations/join/{token}/");
        self.send(self.request(Method::POST, &path)).await
    }
}
