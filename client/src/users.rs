//! `/users/…`

use reqwest::Method;
use socmel_api_types::{
    Page, UserId,
    users::{UserDisplay, UserSummary, UserUpdate},
};

use crate::{Client, ClientResult, media::UploadFile, page_query};

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

    /// `GET /users/by_username/{username}/` (case-insensitive; 404 for nobody)
    pub async fn user_by_username(&self, username: &str) -> ClientResult<UserDisplay> {
        let path = format!("/users/by_username/{}/", path_segment(username));
        self.send(self.request(Method::GET, &path)).await
    }

    /// `GET /users/?q=` people whose username or display name starts with `q`
    pub async fn search_users(
        &self,
        q: &str,
        cursor: Option<&str>,
        limit: Option<i64>,
    ) -> ClientResult<Page<UserSummary>> {
        let mut query = page_query(cursor, limit);
        query.push(("q", q.to_owned()));
        self.send(self.request(Method::GET, "/users/").query(&query))
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

/// `text` as one path segment: usernames' own characters as they are, every other
/// byte percent-encoded, so no input can reach another route.
fn path_segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'.' | b'-') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn path_segments_cannot_escape_their_route() {
        assert_eq!(super::path_segment("Ada_L.-1"), "Ada_L.-1");
        assert_eq!(super::path_segment("../me"), "..%2Fme");
        assert_eq!(super::path_segment("é?"), "%C3%A9%3F");
    }
}
