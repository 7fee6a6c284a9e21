//! `/posts/{post_id}/comment/…`: comments, replies and reactions. Text goes in the query
//! string, as upstream clients send it.

use reqwest::Method;
use socmel_api_types::{
    CommentId, Detail, Page, PostId,
    comments::{CommentDisplay, ReactionResult},
};

use crate::{Client, ClientResult, posts::PageQuery};

impl Client {
    /// `POST /posts/{post_id}/comment/add/?comment=…`
    pub async fn add_comment(
        &self,
        post_id: PostId,
        comment: &str,
    ) -> ClientResult<CommentDisplay> {
        let path = format!("/posts/{post_id}/comment/add/");
        self.send(
            self.request(Method::POST, &path)
                .query(&[("comment", comment)]),
        )
        .await
    }

    /// `POST /posts/{post_id}/comment/add_reply/{comment_id}/?reply=…`
    pub async fn add_reply(
        &self,
        post_id: PostId,
        comment_id: CommentId,
        reply: &str,
    ) -> ClientResult<CommentDisplay> {
        let path = format!("/posts/{post_id}/comment/add_reply/{comment_id}/");
        self.send(self.request(Method::POST, &path).query(&[("reply", reply)]))
            .await
    }

    /// `PUT /posts/{post_id}/comment/{comment_id}/edit/?new_comment=…`
    pub async fn edit_comment(
        &self,
        post_id: PostId,
        comment_id: CommentId,
        new_comment: &str,
    ) -> ClientResult<CommentDisplay> {
        let path = format!("/posts/{post_id}/comment/{comment_id}/edit/");
        self.send(
            self.request(Method::PUT, &path)
                .query(&[("new_comment", new_comment)]),
        )
        .await
    }

    /// `DELETE /posts/{post_id}/comment/{comment_id}/delete/`
    pub async fn delete_comment(
        &self,
        post_id: PostId,
        comment_id: CommentId,
    ) -> ClientResult<Detail> {
        let path = format!("/posts/{post_id}/comment/{comment_id}/delete/");
        self.send(self.request(Method::DELETE, &path)).await
    }

    /// `GET /posts/{post_id}/comment/all`: top-level comments with their reply trees.
    pub async fn list_comments(
        &self,
        post_id: PostId,
        query: &PageQuery,
    ) -> ClientResult<Page<CommentDisplay>> {
        let path = format!("/posts/{post_id}/comment/all");
        self.send_listing(self.request(Method::GET, &path).query(&query.pairs()))
            .await
    }

    /// `POST /posts/{post_id}/comment/{comment_id}/react/` with the reaction as a bare
    /// JSON string: adds it, or takes it back.
    pub async fn react_to_comment(
        &self,
        post_id: PostId,
        comment_id: CommentId,
        reaction: &str,
    ) -> ClientResult<ReactionResult> {
        let path = format!("/posts/{post_id}/comment/{comment_id}/react/");
        self.send(self.request(Method::POST, &path).json(reaction))
            .await
    }
}
