//! `/note/…`

use reqwest::Method;
use socmel_api_types::{
    UserId,
    notes::{NoteDisplay, NoteMessage, NoteSaved},
};

use crate::{Client, ClientResult};

impl Client {
    /// `GET /note/{user_id}`
    pub async fn get_note(&self, user_id: UserId) -> ClientResult<NoteDisplay> {
        self.send(self.request(Method::GET, &format!("/note/{user_id}")))
            .await
    }

    /// `POST /note/?new_note=…`
    pub async fn set_note(&self, note: &str) -> ClientResult<NoteSaved> {
        self.send(
            self.request(Method::POST, "/note/")
                .query(&[("new_note", note)]),
        )
        .await
    }

    /// `DELETE /note/`
    pub async fn delete_note(&self) -> ClientResult<NoteMessage> {
        self.send(self.request(Method::DELETE, "/note/")).await
    }
}
