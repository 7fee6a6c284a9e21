//! `/posts/…`: posts, likes, images and the feed.

use poem::web::Data;
use poem_openapi::{
    ApiResponse, Multipart, OpenApi,
    param::{Path, Query},
    types::multipart::Upload,
};
use socmel_api_types::{
    AttachmentId, Detail, Page, PostId, SpaceId, UserId,
    posts::{LikeResult, PostDisplay, PostUpdate},
};

use super::{
    ApiTags,
    auth::{BearerAuth, MaybeAuth},
    errors::ApiResult,
    json::Json,
    media::{guard_images, incoming},
};
use crate::service::{self, Services, pagination::Paging};

/// A listing in upstream's shape: a bare JSON array, with the cursor of the next page in
/// a header.
#[derive(ApiResponse)]
pub enum Listed<T: poem_openapi::types::ToJSON + serde::Serialize + Send + Sync> {
    /// This page. Pass `X-Next-Cursor` back as `cursor` for the next one; it is absent
    /// on the last page.
    #[oai(status = 200)]
    Ok(
        Json<Vec<T>>,
        #[oai(header = "X-Next-Cursor")] Option<String>,
    ),
}

impl<T: poem_openapi::types::ToJSON + serde::Serialize + Send + Sync> From<Page<T>> for Listed<T>
where
    T: socmel_api_types::page::PageItem,
{
    fn from(page: Page<T>) -> Self {
        Self::Ok(Json(page.items), page.next_cursor)
    }
}

/// `images`: one or more image files.
#[derive(Multipart)]
struct ImagesForm {
    /// PNG, JPEG, GIF or WebP; repeat the field for several.
    images: Vec<Upload>,
}

pub struct PostsApi;

#[OpenApi(tag = "ApiTags::Posts")]
impl PostsApi {
    /// Write a profile post
    ///
    /// `title` (1–200 characters) and `content` (1–20,000) are required; `tags` (up to
    /// 10 of 1–30 characters) may be absent or null; `visibility` is `public` (the
    /// default) or `followers`.
    #[oai(path = "/posts/create/", method = "post", operation_id = "create_post")]
    async fn create_post(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        body: Json<PostUpdate>,
    ) -> ApiResult<Json<PostDisplay>> {
        Ok(Json(service::posts::create(svc.0, &auth.0, body.0).await?))
    }

    /// Write a post in a space
    ///
    /// Members only (403; 404 for an unknown space). Space posts are visible to the
    /// space's members only.
    #[oai(
        path = "/posts/space/:space_id/create/",
        method = "post",
        operation_id = "create_space_post"
    )]
    async fn create_space_post(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        space_id: Path<SpaceId>,
        body: Json<PostUpdate>,
    ) -> ApiResult<Json<PostDisplay>> {
        Ok(Json(
            service::posts::create_in_space(svc.0, &auth.0, space_id.0, body.0).await?,
        ))
    }

    /// A post
    ///
    /// Anyone may read a public profile post; followers-only posts need an accepted
    /// follow, space posts membership. A post the caller may not see is 404, as if it
    /// did not exist. The token is optional, but an invalid one is 401.
    #[oai(
        path = "/posts/:post_id/view/",
        method = "get",
        operation_id = "view_post"
    )]
    async fn view_post(
        &self,
        svc: Data<&Services>,
        auth: MaybeAuth,
        post_id: Path<PostId>,
    ) -> ApiResult<Json<PostDisplay>> {
        Ok(Json(
            service::posts::view(svc.0, auth.user(), post_id.0).await?,
        ))
    }

    /// Edit a post
    ///
    /// The author only (403). Only the keys present change; a list of `tags` replaces
    /// the tags (`[]` removes them).
    #[oai(
        path = "/posts/:post_id/edit/",
        method = "put",
        operation_id = "edit_post"
    )]
    async fn edit_post(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        post_id: Path<PostId>,
        body: Json<PostUpdate>,
    ) -> ApiResult<Json<PostDisplay>> {
        Ok(Json(
            service::posts::edit(svc.0, &auth.0, post_id.0, body.0).await?,
        ))
    }

    /// Delete a post
    ///
    /// The author, or a moderator of the post's space (403 otherwise). Its likes,
    /// comments, reactions and images go with it.
    #[oai(
        path = "/posts/:post_id/delete/",
        method = "delete",
        operation_id = "delete_post"
    )]
    async fn delete_post(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        post_id: Path<PostId>,
    ) -> ApiResult<Json<Detail>> {
        Ok(Json(
            service::posts::delete(svc.0, &auth.0, post_id.0).await?,
        ))
    }

    /// Like or unlike a post
    ///
    /// A toggle: likes the post, or takes the like back. Space posts: members only.
    #[oai(
        path = "/posts/:post_id/like/",
        method = "post",
        operation_id = "like_post"
    )]
    async fn like_post(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        post_id: Path<PostId>,
    ) -> ApiResult<Json<LikeResult>> {
        Ok(Json(service::posts::like(svc.0, &auth.0, post_id.0).await?))
    }

    /// A user's profile posts
    ///
    /// Newest first, the ones the caller may see. `page` ≥ 1, `page_size` 1–100
    /// (default 10), or keyset paging with `cursor`. The token is optional.
    #[oai(
        path = "/posts/user/:user_id/all/",
        method = "get",
        operation_id = "user_posts"
    )]
    async fn user_posts(
        &self,
        svc: Data<&Services>,
        auth: MaybeAuth,
        user_id: Path<UserId>,
        /// Page number, from 1.
        page: Query<Option<i64>>,
        /// Posts per page, 1–100 (default 10).
        page_size: Query<Option<i64>>,
        /// `X-Next-Cursor` of the previous page; takes precedence over `page`.
        cursor: Query<Option<String>>,
    ) -> ApiResult<Listed<PostDisplay>> {
        let query = Paging::numbered(page.0, page_size.0, cursor.0);
        Ok(
            service::posts::of_user(svc.0, auth.user(), user_id.0, query)
                .await?
                .into(),
        )
    }

    /// A space's posts
    ///
    /// Members only (403; 404 for an unknown space). Newest first, paged like the feed.
    #[oai(
        path = "/posts/space/:space_id/all/",
        method = "get",
        operation_id = "space_posts"
    )]
    async fn space_posts(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        space_id: Path<SpaceId>,
        /// Page number, from 1.
        page: Query<Option<i64>>,
        /// Posts per page, 1–100 (default 10).
        page_size: Query<Option<i64>>,
        /// `X-Next-Cursor` of the previous page; takes precedence over `page`.
        cursor: Query<Option<String>>,
    ) -> ApiResult<Listed<PostDisplay>> {
        let query = Paging::numbered(page.0, page_size.0, cursor.0);
        Ok(
            service::posts::of_space(svc.0, &auth.0, space_id.0, None, query)
                .await?
                .into(),
        )
    }

    /// A user's posts in a space
    ///
    /// Members only (403; 404 for an unknown space or user). Newest first.
    #[oai(
        path = "/posts/space/:space_id/user/:user_id/all/",
        method = "get",
        operation_id = "space_user_posts"
    )]
    // Every parameter is its own documented path or query parameter.
    #[allow(clippy::too_many_arguments)]
    async fn space_user_posts(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        space_id: Path<SpaceId>,
        user_id: Path<UserId>,
        /// Page number, from 1.
        page: Query<Option<i64>>,
        /// Posts per page, 1–100 (default 10).
        page_size: Query<Option<i64>>,
        /// `X-Next-Cursor` of the previous page; takes precedence over `page`.
        cursor: Query<Option<String>>,
    ) -> ApiResult<Listed<PostDisplay>> {
        let query = Paging::numbered(page.0, page_size.0, cursor.0);
        Ok(
            service::posts::of_space(svc.0, &auth.0, space_id.0, Some(user_id.0), query)
                .await?
                .into(),
        )
    }

    /// Attach images to a post
    ///
    /// The author only (403). Multipart field `images`, repeated for several files.
    /// Each must be a PNG, JPEG, GIF or WebP (by content: 415 otherwise) of at most
    /// `MEDIA_MAX_BYTES` (413); at most 10 per post (400). Answers the post.
    #[oai(
        path = "/posts/:post_id/img/",
        method = "post",
        operation_id = "upload_post_images",
        transform = "guard_images"
    )]
    async fn upload_post_images(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        post_id: Path<PostId>,
        form: ImagesForm,
    ) -> ApiResult<Json<PostDisplay>> {
        let files = form.images.into_iter().map(incoming).collect();
        Ok(Json(
            service::attachments::attach_images(svc.0, &auth.0, post_id.0, files).await?,
        ))
    }

    /// Remove an image from a post
    ///
    /// The author only (403); the stored file is deleted too.
    #[oai(
        path = "/posts/:post_id/img/:attachment_id/",
        method = "delete",
        operation_id = "delete_post_image"
    )]
    async fn delete_post_image(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        post_id: Path<PostId>,
        attachment_id: Path<AttachmentId>,
    ) -> ApiResult<Json<Detail>> {
        Ok(Json(
            service::attachments::delete_image(svc.0, &auth.0, post_id.0, attachment_id.0).await?,
        ))
    }

    /// The feed
    ///
    /// Signed in: your posts, the profile posts of the people you follow (accepted
    /// follows) and the posts of your spaces. Anonymous: public profile posts. Newest
    /// first, ties by id. `page` ≥ 1 and `page_size` 1–100 (default 10), or keyset
    /// paging: pass `X-Next-Cursor` back as `cursor`. The token is optional, but an
    /// invalid one is 401.
    #[oai(path = "/posts/feed/", method = "get", operation_id = "feed")]
    async fn feed(
        &self,
        svc: Data<&Services>,
        auth: MaybeAuth,
        /// Page number, from 1.
        page: Query<Option<i64>>,
        /// Posts per page, 1–100 (default 10).
        page_size: Query<Option<i64>>,
        /// `X-Next-Cursor` of the previous page; takes precedence over `page`.
        cursor: Query<Option<String>>,
    ) -> ApiResult<Listed<PostDisplay>> {
        let query = Paging::numbered(page.0, page_size.0, cursor.0);
        Ok(service::feed::feed(svc.0, auth.user(), query).await?.into())
    }
}
