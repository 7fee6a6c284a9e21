//! `/auth/…`

use reqwest::Method;
use socmel_api_types::{
    Detail,
    auth::{RefreshRequest, TokenResponse, UserCreate},
    users::UserDisplay,
};

use crate::{Client, ClientResult};

impl Client {
    /// `POST /auth/register/`
    pub async fn register(&self, body: &UserCreate) -> ClientResult<UserDisplay> {
        self.send(self.request(Method::POST, "/auth/register/").json(body))
            .await
    }

    /// `POST /auth/login/` with the email or username; on success the client is signed in.
    pub async fn login(&self, username: &str, password: &str) -> ClientResult<TokenResponse> {
        let form = [("username", username), ("password", password)];
        let tokens: TokenResponse = self
            .send(self.request(Method::POST, "/auth/login/").form(&form))
            .await?;
        self.set_token(Some(tokens.access_token.clone()));
        Ok(tokens)
    }

    /// `POST /auth/refresh/`; on success the client uses the new access token.
    pub async fn refresh(&self, refresh_token: &str) -> ClientResult<TokenResponse> {
        let body = RefreshRequest {
            refresh_token: refresh_token.to_owned(),
        };
        let tokens: TokenResponse = self
            .send(self.request(Method::POST, "/auth/refresh/").json(&body))
            .await?;
        self.set_token(Some(tokens.access_token.clone()));
        Ok(tokens)
    }

    /// `POST /auth/logout/`: ends the session of `refresh_token`.
    pub async fn logout(&self, refresh_token: &str) -> ClientResult<Detail> {
        let body = RefreshRequest {
            refresh_token: refresh_token.to_owned(),
        };
        self.send(self.request(Method::POST, "/auth/logout/").json(&body))
            .await
    }

    /// `POST /auth/logout_all/`: revokes every token of the signed-in user.
    pub async fn logout_all(&self) -> ClientResult<Detail> {
        self.send(self.request(Method::POST, "/auth/logout_all/"))
            .await
    }

    /// `GET /auth/current_user/`
    pub async fn current_user(&self) -> ClientResult<UserDisplay> {
        self.send(self.request(Method::GET, "/auth/current_user/"))
            .await
    }

    /// `GET /auth/currentuser/` (upstream's second spelling)
    pub async fn currentuser(&self) -> ClientResult<UserDisplay> {
        self.send(self.request(Method::GET, "/auth/currentuser/"))
            .await
    }
}
