//! `/notifications/…`

use reqwest::Method;
use socmel_api_types::{
    Detail, NotificationId, Page,
    notifications::{MarkNotificationsRead, Notification},
};

use crate::{Client, ClientResult};

impl Client {
    /// `GET /notifications/`
    pub async fn list_notifications(
        &self,
        cursor: Option<&str>,
        limit: Option<i64>,
    ) -> ClientResult<Page<Notification>> {
        let mut query: Vec<(&str, String)> = Vec::new();
        if let Some(cursor) = cursor {
            query.push(("cursor", cursor.to_owned()));
        }
        if let Some(limit) = limit {
            query.push(("limit", limit.to_string()));
        }
        self.send(self.request(Method::GET, "/notifications/").query(&query))
            .await
    }

    /// `POST /notifications/read/`: the given ids, or all when `None`.
    pub async fn mark_notifications_read(
        &self,
        ids: Option<Vec<NotificationId>>,
    ) -> ClientResult<Detail> {
        let body = MarkNotificationsRead { ids };
        self.send(
            self.request(Method::POST, "/notifications/read/")
                .json(&body),
        )
        .await
    }
}
