//! `/security/…`

use reqwest::Method;
use socmel_api_types::{
    Detail,
    security::{ChangeEmail, ChangePassword, CodeRequest, ResetPassword},
};

use crate::{Client, ClientResult};

impl Client {
    /// `POST /security/request_verification_code/`
    pub async fn request_verification_code(&self, body: &CodeRequest) -> ClientResult<Detail> {
        self.send(
            self.request(Method::POST, "/security/request_verification_code/")
                .json(body),
        )
        .await
    }

    /// `POST /security/change_email/`
    pub async fn change_email(&self, body: &ChangeEmail) -> ClientResult<Detail> {
        self.send(
            self.request(Method::POST, "/security/change_email/")
                .json(body),
        )
        .await
    }

    /// `POST /security/change_password/`
    pub async fn change_password(&self, body: &ChangePassword) -> ClientResult<Detail> {
        self.send(
            self.request(Method::POST, "/security/change_password/")
                .json(body),
        )
        .await
    }

    /// `POST /security/reset_password/`
    pub async fn reset_password(&self, body: &ResetPassword) -> ClientResult<Detail> {
        self.send(
            self.request(Method::POST, "/security/reset_password/")
                .json(body),
        )
        .await
    }
}
