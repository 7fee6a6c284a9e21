//! `/users/…`

use reqwest::Method;
use socmel_api_types::{
    UserId,
    users::{UserDisplay, UserUpdate},
};

use crate::{Client, ClientResult, media::UploadFile};

impl Client {
    /// `GET /users/me/`
    pub async fn get_me(&self) -> ClientResult<UserDisplay> {
        self.send(self.request(Method::GET, "/users/me/")).await
    }

    /// `PUT /users/me/`
    pub async fn update_me(&self, update: &UserUpdate) -> ClientResult<UserDisplay> {
        self.send(self.request(Method::PUT, "/users/me/").json(update))
            .await
    }

    /// `GET /users/{user_id}/view/`
    pub async fn view_user(&self, user_id: UserId) -> ClientResult<UserDisplay> {
        self.send(self.request(Method::GET, &format!("/users/{user_id}/view/")))
            .await
    }

    /// `POST /users/pfp/` (multipart field `image`, streamed)
    pub async fn upload_pfp(&self, image: UploadFile) -> ClientResult<UserDisplay> {
        let form = reqwest::multipart::Form::new().part("image", image.into_part().await?);
        self.send(self.request(Method::POST, "/users/pfp/").multipart(form))
            .await
    }

    /// `DELETE /users/pfp/`
    pub async fn delete_pfp(&self) -> ClientResult<UserDisplay> {
        self.send(self.request(Method::DELETE, "/users/pfp/")).await
    }
}
