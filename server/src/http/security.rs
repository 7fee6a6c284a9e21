//! `/security/…`: verification codes, email change, password change and reset.

use poem::web::Data;
use poem_openapi::OpenApi;
use socmel_api_types::{
    Detail,
    security::{ChangeEmail, ChangePassword, CodeRequest, ResetPassword},
};

use super::{ApiTags, auth::BearerAuth, errors::ApiResult, json::Json};
use crate::service::{self, Services};

pub struct SecurityApi;

#[OpenApi(tag = "ApiTags::Security")]
impl SecurityApi {
    /// Request a verification code
    ///
    /// Emails an 8-character code, valid 10 minutes and for this purpose only. Answers
    /// the same whether or not the email has an account.
    #[oai(
        path = "/security/request_verification_code/",
        method = "post",
        operation_id = "request_verification_code"
    )]
    async fn request_verification_code(
        &self,
        svc: Data<&Services>,
        body: Json<CodeRequest>,
    ) -> ApiResult<Json<Detail>> {
        Ok(Json(service::security::request_code(svc.0, body.0).await?))
    }

    /// Change my email
    ///
    /// With a `CHANGE_EMAIL` code sent to the current address (`old_email`). The old
    /// address is told. A taken address is 409; a wrong code 404; an expired one 410.
    #[oai(
        path = "/security/change_email/",
        method = "post",
        operation_id = "change_email"
    )]
    async fn change_email(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        body: Json<ChangeEmail>,
    ) -> ApiResult<Json<Detail>> {
        Ok(Json(
            service::security::change_email(svc.0, &auth.0, body.0).await?,
        ))
    }

    /// Change my password
    ///
    /// Needs `old_password` and a `CHANGE_PASSWORD` code; signs out every session.
    #[oai(
        path = "/security/change_password/",
        method = "post",
        operation_id = "change_password"
    )]
    async fn change_password(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        body: Json<ChangePassword>,
    ) -> ApiResult<Json<Detail>> {
        Ok(Json(
            service::security::change_password(svc.0, &auth.0, body.0).await?,
        ))
    }

    /// Reset a forgotten password
    ///
    /// With a `RESET_PASSWORD` code; an `old_password` sent along is ignored. Signs out
    /// every session.
    #[oai(
        path = "/security/reset_password/",
        method = "post",
        operation_id = "reset_password"
    )]
    async fn reset_password(
        &self,
        svc: Data<&Services>,
        body: Json<ResetPassword>,
    ) -> ApiResult<Json<Detail>> {
        Ok(Json(
            service::security::reset_password(svc.0, body.0).await?,
        ))
    }
}
