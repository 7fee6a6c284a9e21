//! `/messages/…` over REST.

use reqwest::Method;
use socmel_api_types::{
    Detail, GroupId, MessageId, Page, RoomId, SpaceId, UserId,
    messages::{
        ConversationKind, DmMessage, EditMessage, GroupMessage, InboxEntry, MarkRead, Message,
        MessageAttachment, RoomMessage, SendMessage,
    },
};

use crate::{Client, ClientResult, UploadFile};

/// Scroll-back position: `before` a message id, `limit` messages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HistoryPage {
    /// Only messages older than this one (the latest without it).
    pub before: Option<MessageId>,
    /// How many (the server's default when absent).
    pub limit: Option<i64>,
}

impl HistoryPage {
    fn query(self) -> Vec<(&'static str, i64)> {
        let mut query = Vec::new();
        if let Some(before) = self.before {
            query.push(("before", before.0));
        }
        if let Some(limit) = self.limit {
            query.push(("limit", limit));
        }
        query
    }
}

fn kind_path(kind: ConversationKind) -> &'static str {
    match kind {
        ConversationKind::Dm => "dm",
        ConversationKind::Group => "group",
        ConversationKind::Room => "room",
    }
}

impl Client {
    /// `GET /messages/history/dm/{receiver_id}/`
    pub async fn dm_history(
        &self,
        receiver_id: UserId,
        page: HistoryPage,
    ) -> ClientResult<Vec<DmMessage>> {
        let path = format!("/messages/history/dm/{receiver_id}/");
        self.send(self.request(Method::GET, &path).query(&page.query()))
            .await
    }

    /// `GET /messages/history/group/{group_id}/`
    pub async fn group_history(
        &self,
        group_id: GroupId,
        page: HistoryPage,
    ) -> ClientResult<Vec<GroupMessage>> {
        let path = format!("/messages/history/group/{group_id}/");
        self.send(self.request(Method::GET, &path).query(&page.query()))
            .await
    }

    /// `GET /messages/history/space/{space_id}/room/{room_id}/`
    pub async fn room_history(
        &self,
        space_id: SpaceId,
        room_id: RoomId,
        page: HistoryPage,
    ) -> ClientResult<Vec<RoomMessage>> {
        let path = format!("/messages/history/space/{space_id}/room/{room_id}/");
        self.send(self.request(Method::GET, &path).query(&page.query()))
            .await
    }

    /// `GET /messages/conversations/`
    pub async fn conversations(&self) -> ClientResult<Page<InboxEntry>> {
        self.send(self.request(Method::GET, "/messages/conversations/"))
            .await
    }

    /// `POST /messages/send/`
    pub async fn send_message(&self, body: &SendMessage) -> ClientResult<Message> {
        self.send(self.request(Method::POST, "/messages/send/").json(body))
            .await
    }

    /// `POST /messages/attachments/`: uploads an image for a message to carry.
    pub async fn upload_message_attachment(
        &self,
        file: UploadFile,
    ) -> ClientResult<MessageAttachment> {
        let form = reqwest::multipart::Form::new().part("file", file.into_part().await?);
        self.send(
            self.request(Method::POST, "/messages/attachments/")
                .multipart(form),
        )
        .await
    }

    /// `POST /messages/read/`
    pub async fn mark_read(&self, body: &MarkRead) -> ClientResult<Detail> {
        self.send(self.request(Method::POST, "/messages/read/").json(body))
            .await
    }

    /// `PUT /messages/{kind}/{message_id}/`
    pub async fn edit_message(
        &self,
        kind: ConversationKind,
        id: MessageId,
        content: &str,
    ) -> ClientResult<Message> {
        let path = format!("/messages/{}/{id}/", kind_path(kind));
        let body = EditMessage {
            content: content.to_owned(),
        };
        self.send(self.request(Method::PUT, &path).json(&body))
            .await
    }

    /// `DELETE /messages/{kind}/{message_id}/`
    pub async fn delete_message(
        &self,
        kind: ConversationKind,
        id: MessageId,
    ) -> ClientResult<Detail> {
        let path = format!("/messages/{}/{id}/", kind_path(kind));
        self.send(self.request(Method::DELETE, &path)).await
    }
}
