//! `/posts/{post_id}/comment/…`: comments, replies and reactions.
//!
//! As upstream, the text comes in the query string (`comment`, `reply`, `new_comment`);
//! a JSON body `{"content": "…"}` works too. A reaction is a bare JSON string.

use poem::web::Data;
use poem_openapi::{
    OpenApi,
    param::{Path, Query},
};
use socmel_api_types::{
    CommentId, Detail, PostId,
    comments::{CommentDisplay, ContentBody, ReactionResult},
};

use super::{
    ApiTags,
    auth::{BearerAuth, MaybeAuth},
    errors::ApiResult,
    json::Json,
    posts::Listed,
    text::{OptionalJson, query_or_body},
};
use crate::service::{self, Services, pagination::Paging};

pub struct CommentsApi;

#[OpenApi(tag = "ApiTags::Posts")]
impl CommentsApi {
    /// Comment on a post
    ///
    /// 1–2,000 characters, in the `comment` query parameter or a JSON body
    /// `{"content"}`. Anyone who may see the post may comment; space posts: members.
    #[oai(
        path = "/posts/:post_id/comment/add/",
        method = "post",
        operation_id = "add_comment"
    )]
    async fn add_comment(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        post_id: Path<PostId>,
        /// The comment's text (or send it as the body's `content`).
        comment: Query<Option<String>>,
        body: OptionalJson<ContentBody>,
    ) -> ApiResult<Json<CommentDisplay>> {
        let text = query_or_body(comment.0, body);
        Ok(Json(
            service::comments::add(svc.0, &auth.0, post_id.0, text).await?,
        ))
    }

    /// Reply to a comment
    ///
    /// The comment must be on this post (404 otherwise). Text in `reply` or the body's
    /// `content`. Replies nest up to 32 deep.
    #[oai(
        path = "/posts/:post_id/comment/add_reply/:comment_id/",
        method = "post",
        operation_id = "add_reply"
    )]
    async fn add_reply(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        post_id: Path<PostId>,
        comment_id: Path<CommentId>,
        /// The reply's text (or send it as the body's `content`).
        reply: Query<Option<String>>,
        body: OptionalJson<ContentBody>,
    ) -> ApiResult<Json<CommentDisplay>> {
        let text = query_or_body(reply.0, body);
        Ok(Json(
            service::comments::reply(svc.0, &auth.0, post_id.0, comment_id.0, text).await?,
        ))
    }

    /// Edit a comment
    ///
    /// Its author only (403). New text in `new_comment` or the body's `content`.
    #[oai(
        path = "/posts/:post_id/comment/:comment_id/edit/",
        method = "put",
        operation_id = "edit_comment"
    )]
    async fn edit_comment(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        post_id: Path<PostId>,
        comment_id: Path<CommentId>,
        /// The new text (or send it as the body's `content`).
        new_comment: Query<Option<String>>,
        body: OptionalJson<ContentBody>,
    ) -> ApiResult<Json<CommentDisplay>> {
        let text = query_or_body(new_comment.0, body);
        Ok(Json(
            service::comments::edit(svc.0, &auth.0, post_id.0, comment_id.0, text).await?,
        ))
    }

    /// Delete a comment
    ///
    /// Its author, the post's author, or a moderator of the post's space (403
    /// otherwise). Its replies go with it.
    #[oai(
        path = "/posts/:post_id/comment/:comment_id/delete/",
        method = "delete",
        operation_id = "delete_comment"
    )]
    async fn delete_comment(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        post_id: Path<PostId>,
        comment_id: Path<CommentId>,
    ) -> ApiResult<Json<Detail>> {
        Ok(Json(
            service::comments::delete(svc.0, &auth.0, post_id.0, comment_id.0).await?,
        ))
    }

    /// A post's comments
    ///
    /// For anyone who may see the post. Top-level comments newest first, each with its
    /// `sub_comments` tree (oldest first) and reaction counts; `my_reactions` when
    /// signed in. `page`/`page_size` (1–100, default 10) or `cursor`. The token is
    /// optional, but an invalid one is 401.
    #[oai(
        path = "/posts/:post_id/comment/all",
        method = "get",
        operation_id = "list_comments"
    )]
    async fn list_comments(
        &self,
        svc: Data<&Services>,
        auth: MaybeAuth,
        post_id: Path<PostId>,
        /// Page number, from 1.
        page: Query<Option<i64>>,
        /// Top-level comments per page, 1–100 (default 10).
        page_size: Query<Option<i64>>,
        /// `X-Next-Cursor` of the previous page; takes precedence over `page`.
        cursor: Query<Option<String>>,
    ) -> ApiResult<Listed<CommentDisplay>> {
        let query = Paging::numbered(page.0, page_size.0, cursor.0);
        Ok(
            service::comments::list(svc.0, auth.user(), post_id.0, query)
                .await?
                .into(),
        )
    }

    /// React to a comment
    ///
    /// The body is a bare JSON string such as `"like"` (1–20 characters). A toggle per
    /// reaction: sending it again takes it back; the comment always stays.
    #[oai(
        path = "/posts/:post_id/comment/:comment_id/react/",
        method = "post",
        operation_id = "react_to_comment"
    )]
    async fn react_to_comment(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        post_id: Path<PostId>,
        comment_id: Path<CommentId>,
        reaction: Json<String>,
    ) -> ApiResult<Json<ReactionResult>> {
        Ok(Json(
            service::comments::react(svc.0, &auth.0, post_id.0, comment_id.0, reaction.0).await?,
        ))
    }
}
