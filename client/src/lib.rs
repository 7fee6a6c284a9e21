//! A typed async client for the SocMel API. Each method is named after the
//! operation id it calls in `openapi.json`; failures come back as [`ClientError`]
//! carrying the server's error `code`, so callers can match on it.
//!
//! ```no_run
//! # async fn demo() -> Result<(), socmel_client::ClientError> {
//! let client = socmel_client::Client::new("http://127.0.0.1:8000")?;
//! client.login("ada", "correct horse").await?;
//! let me = client.current_user().await?;
//! # Ok(()) }
//! ```

mod auth;
mod bans;
mod comments;
mod error;
mod follows;
mod groups;
mod health;
mod invitations;
mod media;
mod messages;
mod notes;
mod notifications;
mod posts;
pub mod profiles;
mod rooms;
mod security;
mod space_members;
mod spaces;
mod users;
mod ws;

use std::sync::{Arc, RwLock};

use reqwest::{RequestBuilder, Response};
use serde::de::DeserializeOwned;
use socmel_api_types::{ErrorBody, Page, page::PageItem};

pub use error::ClientError;
pub use follows::CursorQuery;
pub use media::{MediaFile, Progress, UploadFile};
pub use messages::HistoryPage;
pub use posts::PageQuery;
pub use reqwest::Method;
pub use socmel_api_types as types;
pub use ws::Session;

pub type ClientResult<T> = Result<T, ClientError>;

/// A connection to one SocMel server. Cheap to clone; clones share the signed-in token.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base_url: Arc<str>,
    token: Arc<RwLock<Option<String>>>,
}

impl Client {
    /// A client for the server at `base_url` (e.g. `http://127.0.0.1:8000`).
    pub fn new(base_url: &str) -> ClientResult<Self> {
        let http = reqwest::Client::builder()
            .user_agent(concat!("socmel-client/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(ClientError::Http)?;
        Ok(Self {
            http,
            base_url: base_url.trim_end_matches('/').into(),
            token: Arc::new(RwLock::new(None)),
        })
    }

    /// The same server, signed in with `token`.
    pub fn with_token(self, token: impl Into<String>) -> Self {
        self.set_token(Some(token.into()));
        self
    }

    /// Another client for the same server and connection pool, signed in with its own
    /// `token` (unlike a clone, whose token is shared): one per user when acting for many.
    pub fn signed_in_as(&self, token: impl Into<String>) -> Self {
        Self {
            http: self.http.clone(),
            base_url: self.base_url.clone(),
            token: Arc::new(RwLock::new(Some(token.into()))),
        }
    }

    /// Replaces (or clears) the access token sent with every request.
    pub fn set_token(&self, token: Option<String>) {
        *self
            .token
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = token;
    }

    /// The access token in use, if signed in.
    pub fn token(&self) -> Option<String> {
        self.token
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// A request to `path` (as published, e.g. `/users/me/`), with the token if any.
    pub(crate) fn request(&self, method: Method, path: &str) -> RequestBuilder {
        let builder = self
            .http
            .request(method, format!("{}{}", self.base_url, path));
        match self.token() {
            Some(token) => builder.bearer_auth(token),
            None => builder,
        }
    }

    /// Sends and decodes a JSON answer, or turns an error answer into [`ClientError::Api`].
    pub(crate) async fn send<T: DeserializeOwned>(
        &self,
        request: RequestBuilder,
    ) -> ClientResult<T> {
        let response = request.send().await.map_err(ClientError::Http)?;
        let response = check(response).await?;
        response.json::<T>().await.map_err(ClientError::Decode)
    }

    /// For upstream listings that stay bare JSON arrays: the array, with the next
    /// page's cursor from the `X-Next-Cursor` header, as one [`Page`].
    pub(crate) async fn send_listing<T: DeserializeOwned + PageItem>(
        &self,
        request: RequestBuilder,
    ) -> ClientResult<Page<T>> {
        let response = request.send().await.map_err(ClientError::Http)?;
        let response = check(response).await?;
        let next_cursor = response
            .headers()
            .get("x-next-cursor")
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        let items = response
            .json::<Vec<T>>()
            .await
            .map_err(ClientError::Decode)?;
        Ok(Page::new(items, next_cursor))
    }
    /// Sends and hands back the raw answer, once it is known to be a success.
    pub(crate) async fn send_raw(&self, request: RequestBuilder) -> ClientResult<Response> {
        let response = request.send().await.map_err(ClientError::Http)?;
        check(response).await
    }
}

// ---------------------------------------------------------------------------------
// Raw requests: the escape hatch for tools (`socmel api METHOD PATH`), outside the
// typed, one-method-per-operation surface above.

/// An answer to [`Client::raw`] (a success) or [`Client::raw_any`] (any status), body
/// untouched.
#[derive(Debug, Clone)]
pub struct RawResponse {
    pub status: u16,
    pub content_type: Option<String>,
    /// Every header, in the order received (names lower-case).
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Client {
    /// Sends `method path` (path as published, query included) with an optional JSON
    /// body and the token if any. An error answer becomes [`ClientError::Api`] as with
    /// every typed method; a success comes back as bytes, whatever its type.
    pub async fn raw(
        &self,
        method: Method,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> ClientResult<RawResponse> {
        let response = self.raw_any(method, path, body).await?;
        match response.error() {
            Some(err) => Err(err),
            None => Ok(response),
        }
    }

    /// As [`Client::raw`], but an error answer comes back as it is too (for tools that
    /// show it, such as `socmel api -i`); [`RawResponse::error`] tells it apart.
    pub async fn raw_any(
        &self,
        method: Method,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> ClientResult<RawResponse> {
        let mut request = self.request(method, path);
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.map_err(ClientError::Http)?;
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        let headers = response
            .headers()
            .iter()
            .map(|(name, value)| {
                (
                    name.as_str().to_owned(),
                    String::from_utf8_lossy(value.as_bytes()).into_owned(),
                )
            })
            .collect();
        let body = response.bytes().await.map_err(ClientError::Http)?.to_vec();
        Ok(RawResponse {
            status,
            content_type,
            headers,
            body,
        })
    }
}

impl RawResponse {
    /// The error this answer stands for ([`ClientError::Api`], as a typed call gives
    /// it), or `None` for a success.
    pub fn error(&self) -> Option<ClientError> {
        if (200..300).contains(&self.status) {
            return None;
        }
        let retry_after = self
            .headers
            .iter()
            .find(|(name, _)| name == "retry-after")
            .and_then(|(_, value)| value.trim().parse().ok());
        Some(api_error(
            self.status,
            &String::from_utf8_lossy(&self.body),
            retry_after,
        ))
    }
}

/// An error answer as [`ClientError::Api`]: its JSON body, or its text as the detail.
fn api_error(status: u16, text: &str, retry_after: Option<u64>) -> ClientError {
    let body = serde_json::from_str::<ErrorBody>(text).unwrap_or_else(|_| {
        ErrorBody::new(
            socmel_api_types::ErrorCode::from_status(status),
            text.to_owned(),
        )
    });
    ClientError::Api {
        status,
        body,
        retry_after,
    }
}

/// The query of a paged listing: only what the caller set.
pub(crate) fn page_query(cursor: Option<&str>, limit: Option<i64>) -> Vec<(&'static str, String)> {
    let mut query = Vec::new();
    if let Some(cursor) = cursor {
        query.push(("cursor", cursor.to_owned()));
    }
    if let Some(limit) = limit {
        query.push(("limit", limit.to_string()));
    }
    query
}

async fn check(response: Response) -> ClientResult<Response> {
    let status = response.status();
    if status.is_success() {
        return Ok(response);
    }
    let retry_after = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse().ok());
    let text = response.text().await.map_err(ClientError::Http)?;
    Err(api_error(status.as_u16(), &text, retry_after))
}
