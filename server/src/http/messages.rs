//! `/messages/…`: history, the inbox, read marks, sending, editing and deleting.
//! The WebSocket (`/messages/ws`) lives in `ws/`.

use poem::web::Data;
use poem_openapi::{
    Multipart, OpenApi,
    param::{Path, Query},
    types::multipart::Upload,
};
use socmel_api_types::{
    Detail, GroupId, MessageId, Page, RoomId, SpaceId, UserId,
    messages::{
        ConversationKind, DmMessage, EditMessage, GroupMessage, InboxEntry, MarkRead, Message,
        MessageAttachment, RoomMessage, SendMessage,
    },
};

use super::{
    ApiTags,
    auth::BearerAuth,
    errors::ApiResult,
    json::Json,
    media::{guard_image, incoming},
};
use crate::service::{self, Services, messages::Target};

/// `file`: an image for a message to carry.
#[derive(Multipart)]
struct AttachmentForm {
    /// PNG, JPEG, GIF or WebP.
    file: Upload,
}

pub struct MessagesApi;

#[OpenApi(tag = "ApiTags::Messages")]
impl MessagesApi {
    /// DM history with a user
    ///
    /// Chat scroll-back: without `before`, the latest `limit` messages (default 50, at
    /// most 200); with it, the `limit` messages just older than that id. Oldest first.
    #[oai(
        path = "/messages/history/dm/:receiver_id/",
        method = "get",
        operation_id = "dm_history"
    )]
    async fn dm_history(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        receiver_id: Path<UserId>,
        before: Query<Option<MessageId>>,
        limit: Query<Option<i64>>,
    ) -> ApiResult<Json<Vec<DmMessage>>> {
        Ok(Json(
            service::messages::dm_history(svc.0, &auth.0, receiver_id.0, before.0, limit.0).await?,
        ))
    }

    /// Group chat history
    ///
    /// Members only (403). Paging as for DMs.
    #[oai(
        path = "/messages/history/group/:group_id/",
        method = "get",
        operation_id = "group_history"
    )]
    async fn group_history(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        group_id: Path<GroupId>,
        before: Query<Option<MessageId>>,
        limit: Query<Option<i64>>,
    ) -> ApiResult<Json<Vec<GroupMessage>>> {
        Ok(Json(
            service::messages::group_history(svc.0, &auth.0, group_id.0, before.0, limit.0).await?,
        ))
    }

    /// Room history
    ///
    /// Space members only (403, checked before the room exists or not). Paging as for DMs.
    #[oai(
        path = "/messages/history/space/:space_id/room/:room_id/",
        method = "get",
        operation_id = "room_history"
    )]
    async fn room_history(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        space_id: Path<SpaceId>,
        room_id: Path<RoomId>,
        before: Query<Option<MessageId>>,
        limit: Query<Option<i64>>,
    ) -> ApiResult<Json<Vec<RoomMessage>>> {
        Ok(Json(
            service::messages::room_history(
                svc.0, &auth.0, space_id.0, room_id.0, before.0, limit.0,
            )
            .await?,
        ))
    }

    /// My conversations
    ///
    /// Every DM, group and room of mine with its last message and unread count, newest
    /// activity first.
    #[oai(
        path = "/messages/conversations/",
        method = "get",
        operation_id = "conversations"
    )]
    async fn conversations(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
    ) -> ApiResult<Json<Page<InboxEntry>>> {
        let entries = service::messages::inbox(svc.0, &auth.0).await?;
        Ok(Json(Page::new(entries, None)))
    }

    /// Send a message
    ///
    /// The REST twin of the socket's `dm`, `group` and `space` frames, checked by the
    /// same rules and spending the same per-sender allowance (429 with `Retry-After`
    /// once it is spent); everyone concerned who is online receives it live.
    #[oai(
        path = "/messages/send/",
        method = "post",
        operation_id = "send_message"
    )]
    async fn send_message(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        body: Json<SendMessage>,
    ) -> ApiResult<Json<Message>> {
        let body = body.0;
        let target = Target::from(body.conversation);
        Ok(Json(
            service::messages::send(
                svc.0,
                &auth.0,
                target,
                &body.message,
                body.parent_id,
                &body.attachment_ids,
            )
            .await?,
        ))
    }

    /// Upload a message attachment
    ///
    /// Multipart field `file`: a PNG, JPEG, GIF or WebP (by content: 415 otherwise; 413
    /// over the size cap). Name the answered `id` in a send's `attachment_ids` (REST or
    /// socket); uploads no message carries are removed after a day.
    #[oai(
        path = "/messages/attachments/",
        method = "post",
        operation_id = "upload_message_attachment",
        transform = "guard_image"
    )]
    async fn upload_message_attachment(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        form: AttachmentForm,
    ) -> ApiResult<Json<MessageAttachment>> {
        let file = incoming(form.file);
        Ok(Json(
            service::messages::upload_attachment(svc.0, &auth.0, file).await?,
        ))
    }

    /// Mark a conversation read
    ///
    /// Up to `message_id`; my other connections (and, for a DM, the other person) are told.
    #[oai(path = "/messages/read/", method = "post", operation_id = "mark_read")]
    async fn mark_read(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        body: Json<MarkRead>,
    ) -> ApiResult<Json<Detail>> {
        let body = body.0;
        let target = Target::from(body.conversation);
        Ok(Json(
            service::messages::mark_read(svc.0, &auth.0, target, body.message_id, None).await?,
        ))
    }

    /// Edit a message
    ///
    /// The author only. Pushed live as `message_edited`.
    #[oai(
        path = "/messages/:kind/:message_id/",
        method = "put",
        operation_id = "edit_message"
    )]
    async fn edit_message(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        kind: Path<ConversationKind>,
        message_id: Path<MessageId>,
        body: Json<EditMessage>,
    ) -> ApiResult<Json<Message>> {
        Ok(Json(
            service::messages::edit(svc.0, &auth.0, kind.0, message_id.0, &body.content).await?,
        ))
    }

    /// Delete a message
    ///
    /// The author, or a moderator of the room's space. Gone from history; pushed live as
    /// `message_deleted`.
    #[oai(
        path = "/messages/:kind/:message_id/",
        method = "delete",
        operation_id = "delete_message"
    )]
    async fn delete_message(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        kind: Path<ConversationKind>,
        message_id: Path<MessageId>,
    ) -> ApiResult<Json<Detail>> {
        Ok(Json(
            service::messages::delete(svc.0, &auth.0, kind.0, message_id.0).await?,
        ))
    }
}
