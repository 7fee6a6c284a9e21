//! `/notifications/…`

use poem::web::Data;
use poem_openapi::{OpenApi, param::Query};
use socmel_api_types::{
    Detail, Page,
    notifications::{MarkNotificationsRead, Notification},
};

use super::{ApiTags, auth::BearerAuth, errors::ApiResult, json::Json};
use crate::service::{self, Services, pagination::Paging};

pub struct NotificationsApi;

#[OpenApi(tag = "ApiTags::Notifications")]
impl NotificationsApi {
    /// My notifications
    ///
    /// Newest first: follow requests and acceptances, likes, comments, replies, mentions,
    /// invitations used. Keyset paging with `cursor` and `limit` (1–100, default 50).
    #[oai(
        path = "/notifications/",
        method = "get",
        operation_id = "list_notifications"
    )]
    async fn list_notifications(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        cursor: Query<Option<String>>,
        limit: Query<Option<i64>>,
    ) -> ApiResult<Json<Page<Notification>>> {
        let page =
            service::notifications::list(svc.0, &auth.0, Paging::keyset(cursor.0, limit.0)).await?;
        Ok(Json(page))
    }

    /// Mark notifications read
    ///
    /// The given `ids`, or every notification when `ids` is absent.
    #[oai(
        path = "/notifications/read/",
        method = "post",
        operation_id = "mark_notifications_read"
    )]
    async fn mark_notifications_read(
        &self,
        svc: Data<&Services>,
        auth: BearerAuth,
        body: Json<MarkNotificationsRead>,
    ) -> ApiResult<Json<Detail>> {
        Ok(Json(
            service::notifications::mark_read(svc.0, &auth.0, body.0.ids).await?,
        ))
    }
}
