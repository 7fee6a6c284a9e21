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
mod comments;
mod error;
mod follows;
mod health;
mod media;
mod notes;
mod posts;
mod users;

use std::sync::{Arc, RwLock};

use reqwest::{Method, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use socmel_api_types::{ErrorBody, Page};

pub use error::ClientError;
pub use follows::CursorQuery;
pub use media::{MediaFile, UploadFile};
pub use posts::PageQuery;
pub use socmel_api_types as types;

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

    /// Sends a request for an upstream-style listing: a bare JSON array, with the next
    /// page's cursor in the `X-Next-Cursor` header.
    pub(crate) async fn send_listed<T: DeserializeOwned + socmel_api_types::page::PageItem>(
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

async fn check(response: Response) -> ClientResult<Response> {
    let status = response.status();
    if status.is_success() {
        return Ok(response);
    }
    let text = response.text().await.map_err(ClientError::Http)?;
    let body = serde_json::from_str::<ErrorBody>(&text).unwrap_or_else(|_| {
        ErrorBody::new(
            socmel_api_types::ErrorCode::from_status(status.as_u16()),
            text,
        )
    });
    Err(ClientError::Api {
        status: status.as_u16(),
        body,
    })
}
