//! Images attached to posts: at most ten per post, each checked and stored by
//! `service::media`, recorded here, and deleted with its row.

use socmel_api_types::{AttachmentId, Detail, PostId, posts::PostDisplay};

use super::{
    Bad, Missing, Refusal, ServiceError, ServiceResult, Services,
    auth::AuthUser,
    media::{self, IncomingFile},
    now,
    posts::{access, gone_post, not_found, view},
    validation::Validation,
};
use crate::store::{self, attachments::NewAttachment};

/// Images one post may carry.
pub const MAX_ATTACHMENTS: i64 = 10;

fn too_many_images() -> ServiceError {
    ServiceError::BadRequest(Bad::TooManyAttachments)
}

/// Attaches images to the caller's post: each sniffed and size-checked, stored under a
/// fresh key, and recorded; at most ten per post, counted under the post's row lock.
pub async fn attach_images(
    svc: &Services,
    me: &AuthUser,
    post_id: PostId,
    files: Vec<IncomingFile>,
) -> ServiceResult<PostDisplay> {
    Validation::default()
        .check(!files.is_empty(), "images", "at least one image")
        .finish()?;
    {
        let mut db = svc.store().reader().await?;
        let post = access(db.conn(), post_id, Some(me.id())).await?;
        if post.author != me.id() {
            return Err(ServiceError::Forbidden(Refusal::UploadToOthersPost));
        }
        let existing = store::attachments::count(db.conn(), post_id.0).await?;
        if existing + files.len() as i64 > MAX_ATTACHMENTS {
            return Err(too_many_images());
        }
    }
    let mut images = Vec::with_capacity(files.len());
    for file in files {
        images.push(media::read_image(svc, file).await?);
    }
    let stored = media::store_all(svc, &images).await?;
    if let Err(err) = record_images(svc, post_id, &images, &stored).await {
        media::delete_objects(svc, &media::keys_of(&stored)).await;
        return Err(err);
    }
    view(svc, Some(me), post_id).await
}

async fn record_images(
    svc: &Services,
    post_id: PostId,
    images: &[media::Image],
    stored: &[crate::media::Stored],
) -> ServiceResult<()> {
    let mut tx = svc.store().begin().await?;
    if !store::posts::lock(tx.conn(), post_id.0).await? {
        return Err(not_found());
    }
    let existing = store::attachments::count(tx.conn(), post_id.0).await?;
    if existing + stored.len() as i64 > MAX_ATTACHMENTS {
        return Err(too_many_images());
    }
    let at = now();
    for (image, object) in images.iter().zip(stored) {
        let new = NewAttachment {
            post_id: post_id.0,
            file: &object.url,
            key: &object.key,
            content_type: image.kind.content_type(),
            size_bytes: image.bytes.len() as i64,
            now: at,
        };
        store::attachments::insert(tx.conn(), new)
            .await
            .map_err(gone_post)?;
    }
    tx.commit().await?;
    Ok(())
}

/// Removes one image of the caller's post, and its stored object.
pub async fn delete_image(
    svc: &Services,
    me: &AuthUser,
    post_id: PostId,
    attachment_id: AttachmentId,
) -> ServiceResult<Detail> {
    let mut tx = svc.store().begin().await?;
    let post = access(tx.conn(), post_id, Some(me.id())).await?;
    if post.author != me.id() {
        return Err(ServiceError::Forbidden(Refusal::DeleteOthersAttachment));
    }
    let attachment = store::attachments::get(tx.conn(), post_id.0, attachment_id.0)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Missing::Attachment))?;
    store::attachments::delete(tx.conn(), attachment.id).await?;
    tx.commit().await?;
    media::delete_objects(svc, &[attachment.file_public_id]).await;
    Ok(Detail::new("the attachment has been deleted successfully"))
}
