//! `/note/…`: one short status per user, shown for 24 hours.

use poem::web::Data;
use poem_openapi::{
    OpenApi,
    param::{Path, Query},
};
use socmel_api_types::{
    UserId,
    comments::ContentBody,
    notes::{NoteDisplay, NoteMessage, NoteSaved},
};

use super::{
    ApiTags,
    auth::BearerAuth,
    errors::ApiResult,
    json::Json,
    text::{OptionalJson, query_or_body},
};
use crate::service::{self, Services};

pub struct NotesApi;

#[OpenApi(tag = "ApiTags::Notes")]
impl NotesApi {
    /// A user's note
    ///
    /// The note written in the last 24 hours, if any (`exists: false` and `note: ""`
    /// otherwise). Needs a valid token; 404 for an unknown user.
    #[oai(path = "/note/:user_id", method = "get", operation_id = "get_note")]
    async fn get_note(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        user_id: Path<UserId>,
    ) -> ApiResult<Json<NoteDisplay>> {
        Ok(Json(service::notes::get(svc.0, &auth.0, user_id.0).await?))
    }

    /// Write my note
    ///
    /// 1–255 characters in the `new_note` query parameter (or a JSON body
    /// `{"content"}`). Replaces my previous note; shown for the next 24 hours.
    #[oai(path = "/note/", method = "post", operation_id = "set_note")]
    async fn set_note(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        /// The note's text (or send it as the body's `content`).
        new_note: Query<Option<String>>,
        body: OptionalJson<ContentBody>,
    ) -> ApiResult<Json<NoteSaved>> {
        let text = query_or_body(new_note.0, body);
        Ok(Json(service::notes::set(svc.0, &auth.0, text).await?))
    }

    /// Delete my note
    #[oai(path = "/note/", method = "delete", operation_id = "delete_note")]
    async fn delete_note(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
    ) -> ApiResult<Json<NoteMessage>> {
        Ok(Json(service::notes::delete(svc.0, &auth.0).await?))
    }
}
