//! `/users/…`: profiles.

use poem::web::Data;
use poem_openapi::{
    Multipart, OpenApi,
    param::{Path, Query},
    types::multipart::Upload,
};
use socmel_api_types::{
    Page, UserId,
    users::{UserDisplay, UserSummary, UserUpdate},
};

use super::{
    ApiTags,
    auth::BearerAuth,
    errors::ApiResult,
    json::Json,
    media::{guard_image, incoming},
};
use crate::service::{self, Services, pagination::Paging};

/// `image`: the new profile picture.
#[derive(Multipart)]
struct PfpForm {
    /// PNG, JPEG, GIF or WebP.
    image: Upload,
}

pub struct UsersApi;

#[OpenApi(tag = "ApiTags::Users")]
impl UsersApi {
    /// My profile
    #[oai(path = "/users/me/", method = "get", operation_id = "get_me")]
    async fn get_me(&self, svc: Data<&Services>, auth: BearerAuth) -> ApiResult<Json<UserDisplay>> {
        Ok(Json(service::users::me(svc.0, &auth.0).await?))
    }

    /// Edit my profile
    ///
    /// Only the keys present change. A taken username is 409. `display_name` is 1–64
    /// characters of any script (trimmed; control and bidirectional override
    /// characters are refused with 422), `bio` at most 500; `""` clears either. The email changes only
    /// through `POST /security/change_email/`.
    #[oai(path = "/users/me/", method = "put", operation_id = "update_me")]
    async fn update_me(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        body: Json<UserUpdate>,
    ) -> ApiResult<Json<UserDisplay>> {
        Ok(Json(
            service::users::update_me(svc.0, &auth.0, body.0).await?,
        ))
    }

    /// A user's profile
    ///
    /// The email is shown only when it is the caller's own profile.
    #[oai(
        path = "/users/:user_id/view/",
        method = "get",
        operation_id = "view_user"
    )]
    async fn view_user(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        user_id: Path<UserId>,
    ) -> ApiResult<Json<UserDisplay>> {
        Ok(Json(service::users::view(svc.0, &auth.0, user_id.0).await?))
    }

    /// A user's profile by username
    ///
    /// Case-insensitive. 404 when nobody active has that username. Signed-in callers
    /// only, like every profile.
    #[oai(
        path = "/users/by_username/:username/",
        method = "get",
        operation_id = "user_by_username"
    )]
    async fn user_by_username(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        username: Path<String>,
    ) -> ApiResult<Json<UserDisplay>> {
        Ok(Json(
            service::users::by_username(svc.0, &auth.0, &username.0).await?,
        ))
    }

    /// Search people
    ///
    /// Active people whose username or display name starts with `q` (1–64
    /// characters; case-insensitive; a leading `@` is ignored), ordered by username,
    /// for autocomplete and starting a conversation. Signed-in callers only: the
    /// site's member list is not open to anonymous scraping. `limit` is 1–100
    /// (default 50); pass `next_cursor` back as `cursor` for the next page.
    #[oai(path = "/users/", method = "get", operation_id = "search_users")]
    async fn search_users(
        &self,
        svc: Data<&Services>,
        _auth: BearerAuth,
        q: Query<Option<String>>,
        cursor: Query<Option<String>>,
        limit: Query<Option<i64>>,
    ) -> ApiResult<Json<Page<UserSummary>>> {
        let q = q.0.unwrap_or_default();
        Ok(Json(
            service::users::search(svc.0, &q, Paging::keyset(cursor.0, limit.0)).await?,
        ))
    }

    /// Set my profile picture
    ///
    /// Multipart field `image`: a PNG, JPEG, GIF or WebP (by content: 415 otherwise)
    /// of at most `MEDIA_MAX_BYTES` (413). Replaces the previous picture, whose file
    /// is deleted; if the upload fails, the previous picture stays.
    #[oai(
        path = "/users/pfp/",
        method = "post",
        operation_id = "upload_pfp",
        transform = "guard_image"
    )]
    async fn upload_pfp(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        form: PfpForm,
    ) -> ApiResult<Json<UserDisplay>> {
        Ok(Json(
            service::users::set_pfp(svc.0, &auth.0, incoming(form.image)).await?,
        ))
    }

    /// Remove my profile picture
    ///
    /// Clears the picture and deletes its file. Nothing to remove is fine.
    #[oai(path = "/users/pfp/", method = "delete", operation_id = "delete_pfp")]
    async fn delete_pfp(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
    ) -> ApiResult<Json<UserDisplay>> {
        Ok(Json(service::users::remove_pfp(svc.0, &auth.0).await?))
    }
}
