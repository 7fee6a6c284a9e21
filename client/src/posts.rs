//! `/posts/…`: posts, likes, images and the feed.

use reqwest::Method;
use socmel_api_types::{
    AttachmentId, Detail, Page, PostId, SpaceId, UserId,
    posts::{LikeResult, PostDisplay, PostUpdate},
};

use crate::{Client, ClientResult, media::UploadFile};

/// Paging of upstream's listings: `page` (from 1) and `page_size` (1–100), or the
/// `cursor` a previous page gave (which wins over `page`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageQuery {
    /// Page number, from 1.
    pub page: Option<i64>,
    /// Page size (the server's default when absent).
    pub page_size: Option<i64>,
    /// Where the previous page ended (wins over `page`).
    pub cursor: Option<String>,
}

impl PageQuery {
    /// The page after the one that gave `cursor`.
    pub fn after(cursor: impl Into<String>) -> Self {
        Self {
            cursor: Some(cursor.into()),
            ..Self::default()
        }
    }

    /// Page `page` of `page_size` items.
    pub fn page(page: i64, page_size: i64) -> Self {
        Self {
            page: Some(page),
            page_size: Some(page_size),
            cursor: None,
        }
    }

    pub(crate) fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if let Some(page) = self.page {
            pairs.push(("page", page.to_string()));
        }
        if let Some(page_size) = self.page_size {
            pairs.push(("page_size", page_size.to_string()));
        }
        if let Some(cursor) = &self.cursor {
            pairs.push(("cursor", cursor.clone()));
        }
        pairs
    }
}

impl Client {
    /// `POST /posts/create/`
    pub async fn create_post(&self, post: &PostUpdate) -> ClientResult<PostDisplay> {
        self.send(self.request(Method::POST, "/posts/create/").json(post))
            .await
    }

    /// `POST /posts/space/{space_id}/create/`
    pub async fn create_space_post(
        &self,
        space_id: SpaceId,
        post: &PostUpdate,
    ) -> ClientResult<PostDisplay> {
        let path = format!("/posts/space/{space_id}/create/");
        self.send(self.request(Method::POST, &path).json(post))
            .await
    }

    /// `GET /posts/{post_id}/view/` (signed in or not)
    pub async fn view_post(&self, post_id: PostId) -> ClientResult<PostDisplay> {
        let path = format!("/posts/{post_id}/view/");
        self.send(self.request(Method::GET, &path)).await
    }

    /// `PUT /posts/{post_id}/edit/`
    pub async fn edit_post(
        &self,
        post_id: PostId,
        changes: &PostUpdate,
    ) -> ClientResult<PostDisplay> {
        let path = format!("/posts/{post_id}/edit/");
        self.send(self.request(Method::PUT, &path).json(changes))
            .await
    }

    /// `DELETE /posts/{post_id}/delete/`
    pub async fn delete_post(&self, post_id: PostId) -> ClientResult<Detail> {
        let path = format!("/posts/{post_id}/delete/");
        self.send(self.request(Method::DELETE, &path)).await
    }

    /// `POST /posts/{post_id}/like/`: likes, or takes the like back.
    pub async fn like_post(&self, post_id: PostId) -> ClientResult<LikeResult> {
        let path = format!("/posts/{post_id}/like/");
        self.send(self.request(Method::POST, &path)).await
    }

    /// `GET /posts/user/{user_id}/all/`
    pub async fn user_posts(
        &self,
        user_id: UserId,
        query: &PageQuery,
    ) -> ClientResult<Page<PostDisplay>> {
        let path = format!("/posts/user/{user_id}/all/");
        self.send_listing(self.request(Method::GET, &path).query(&query.pairs()))
            .await
    }

    /// `GET /posts/space/{space_id}/all/`
    pub async fn space_posts(
        &self,
        space_id: SpaceId,
        query: &PageQuery,
    ) -> ClientResult<Page<PostDisplay>> {
        let path = format!("/posts/space/{space_id}/all/");
        self.send_listing(self.request(Method::GET, &path).query(&query.pairs()))
            .await
    }

    /// `GET /posts/space/{space_id}/user/{user_id}/all/`
    pub async fn space_user_posts(
        &self,
        space_id: SpaceId,
        user_id: UserId,
        query: &PageQuery,
    ) -> ClientResult<Page<PostDisplay>> {
        let path = format!("/posts/space/{space_id}/user/{user_id}/all/");
        self.send_listing(self.request(Method::GET, &path).query(&query.pairs()))
            .await
    }

    /// `GET /posts/feed/`: the posts and the cursor of the next page.
    pub async fn feed(&self, query: &PageQuery) -> ClientResult<Page<PostDisplay>> {
        self.send_listing(
            self.request(Method::GET, "/posts/feed/")
                .query(&query.pairs()),
        )
        .await
    }

    /// `POST /posts/{post_id}/img/`: each file is streamed (from disk, or from memory).
    pub async fn upload_post_images(
        &self,
        post_id: PostId,
        images: Vec<UploadFile>,
    ) -> ClientResult<PostDisplay> {
        let mut form = reqwest::multipart::Form::new();
        for image in images {
            form = form.part("images", image.into_part().await?);
        }
        let path = format!("/posts/{post_id}/img/");
        self.send(self.request(Method::POST, &path).multipart(form))
            .await
    }

    /// `DELETE /posts/{post_id}/img/{attachment_id}/`
    pub async fn delete_post_image(
        &self,
        post_id: PostId,
        attachment_id: AttachmentId,
    ) -> ClientResult<Detail> {
        let path = format!("/posts/{post_id}/img/{attachment_id}/");
        self.send(self.request(Method::DELETE, &path)).await
    }
}
