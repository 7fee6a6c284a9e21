//! The rules of SocMel, shared by the HTTP routes and the WebSocket: validation,
//! permissions, and write-then-publish. Nothing here knows about poem or SQL text.

pub mod attachments;
pub mod auth;
pub mod bans;
pub mod comments;
pub mod feed;
mod feed_cache;
pub mod follows;
pub mod groups;
pub mod health;
pub mod images;
pub mod invitations;
pub mod media;
pub mod messages;
pub mod notes;
pub mod notifications;
pub mod pagination;
mod passwords;
pub mod permissions;
pub mod post_writer;
pub mod posts;
pub mod realtime;
pub mod rooms;
pub mod security;
pub mod space_members;
pub mod spaces;
mod token_checks;
mod tokens;
pub mod users;
pub(crate) mod validation;

use std::sync::Arc;

use socmel_api_types::{ErrorBody, ErrorCode, FieldError};
use thiserror::Error;

use crate::{
    events::EventBus,
    mail::Mailer,
    media::Media,
    ratelimit::{Limit, RateLimits, Refused},
    store::{Millis, Store, StoreError},
};

use feed_cache::FeedCache;
pub use passwords::Passwords;
use post_writer::PostWriter;
use token_checks::TokenChecks;
pub use tokens::{SessionId, TokenKeys, TokenSettings};

/// Everything the rules need, built once at start. Cheap to clone.
#[derive(Clone)]
pub struct Services(Arc<Inner>);

struct Inner {
    store: Store,
    tokens: TokenKeys,
    passwords: Passwords,
    events: EventBus,
    limits: RateLimits,
    mailer: Mailer,
    media: Media,
    token_checks: TokenChecks,
    feed_cache: Arc<FeedCache>,
    post_writer: PostWriter,
}

impl Services {
    pub fn new(
        store: Store,
        tokens: TokenKeys,
        passwords: Passwords,
        events: EventBus,
        limits: RateLimits,
        mailer: Mailer,
        media: Media,
    ) -> Self {
        // Only this process writes the embedded database, so it sees every change.
        let sole_writer = store.backend() == crate::store::Backend::Sqlite;
        let token_checks = TokenChecks::new(sole_writer);
        let feed_cache = Arc::new(FeedCache::new(sole_writer));
        let post_writer = PostWriter::start(&store, Arc::clone(&feed_cache));
        Self(Arc::new(Inner {
            token_checks,
            feed_cache,
            post_writer,
            store,
            tokens,
            passwords,
            events,
            limits,
            mailer,
            media,
        }))
    }

    pub fn post_writer(&self) -> &PostWriter {
        &self.0.post_writer
    }

    pub fn mailer(&self) -> &Mailer {
        &self.0.mailer
    }

    pub fn limits(&self) -> &RateLimits {
        &self.0.limits
    }

    /// Counts one request of `key` against `limit`; refuses with `RateLimited`.
    pub fn check_limit(&self, limit: Limit, key: &str) -> ServiceResult<()> {
        self.limits()
            .check(limit, key)
            .map(drop)
            .map_err(ServiceError::rate_limited)
    }

    /// Publish only after the transaction that made the change has committed.
    pub fn events(&self) -> &EventBus {
        &self.0.events
    }

    pub fn store(&self) -> &Store {
        &self.0.store
    }

    /// Uploaded files: the storage backend and the size cap.
    pub fn media(&self) -> &Media {
        &self.0.media
    }

    fn tokens(&self) -> &TokenKeys {
        &self.0.tokens
    }

    fn passwords(&self) -> &Passwords {
        &self.0.passwords
    }

    fn token_checks(&self) -> &TokenChecks {
        &self.0.token_checks
    }

    /// Tell it, once committed, of every change to what a feed is made of.
    fn feed_cache(&self) -> &FeedCache {
        &self.0.feed_cache
    }
}

pub type ServiceResult<T> = Result<T, ServiceError>;

/// A refusal in the domain's words; the HTTP and WebSocket layers each map it to
/// their own shape (status + body, or an error frame).
#[derive(Debug, Error)]
pub enum ServiceError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Gone(String),
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("{0}")]
    UnsupportedMedia(String),
    #[error("invalid input")]
    Validation(Vec<FieldError>),
    #[error("Rate limit exceeded: {limit} per {period}")]
    RateLimited {
        limit: u32,
        period: String,
        retry_after_secs: u64,
    },
    #[error("the database is unavailable")]
    Unavailable(#[source] StoreError),
    /// The media storage (folder, bucket or Cloudinary) failed.
    #[error("the media storage is unavailable")]
    MediaUnavailable(#[source] anyhow::Error),
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

impl ServiceError {
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::BadRequest(_) => ErrorCode::BadRequest,
            Self::Unauthorized(_) => ErrorCode::Unauthorized,
            Self::Forbidden(_) => ErrorCode::Forbidden,
            Self::NotFound(_) => ErrorCode::NotFound,
            Self::Conflict(_) => ErrorCode::Conflict,
            Self::Gone(_) => ErrorCode::Gone,
            Self::PayloadTooLarge(_) => ErrorCode::PayloadTooLarge,
            Self::UnsupportedMedia(_) => ErrorCode::UnsupportedMedia,
            Self::Validation(_) => ErrorCode::Validation,
            Self::RateLimited { .. } => ErrorCode::RateLimited,
            Self::Unavailable(_) | Self::MediaUnavailable(_) => ErrorCode::Unavailable,
            Self::Internal(_) => ErrorCode::Internal,
        }
    }

    /// What the client is shown, over HTTP (with the status of its code,
    /// [`ErrorCode::status`]) and on the socket (as an `error` frame) alike: one wording
    /// for both doors. Internal details go to the log only.
    pub fn to_body(&self) -> ErrorBody {
        let code = self.code();
        match self {
            Self::Validation(fields) => ErrorBody {
                detail: describe_fields(fields),
                code,
                fields: Some(fields.clone()),
            },
            Self::Internal(source) => {
                tracing::error!(error = ?source, "internal error");
                ErrorBody::new(code, "internal server error")
            }
            Self::Unavailable(source) => {
                tracing::error!(error = %source, "database unavailable");
                ErrorBody::new(code, self.to_string())
            }
            Self::MediaUnavailable(source) => {
                tracing::error!(error = ?source, "media storage failed");
                ErrorBody::new(code, self.to_string())
            }
            other => ErrorBody::new(code, other.to_string()),
        }
    }

    /// Seconds to wait before trying again, for a spent allowance.
    pub fn retry_after_secs(&self) -> Option<u64> {
        match self {
            Self::RateLimited {
                retry_after_secs, ..
            } => Some(*retry_after_secs),
            _ => None,
        }
    }

    /// The refusal for a spent allowance, worded like upstream's ("2 per 1 minute").
    pub fn rate_limited(refused: Refused) -> Self {
        Self::RateLimited {
            limit: refused.limit,
            period: describe_period(refused.period_secs),
            retry_after_secs: refused.retry_after_secs,
        }
    }

    pub fn internal(err: impl Into<anyhow::Error>) -> Self {
        Self::Internal(err.into())
    }
}

impl From<StoreError> for ServiceError {
    fn from(err: StoreError) -> Self {
        Self::Internal(err.into())
    }
}

fn describe_fields(fields: &[FieldError]) -> String {
    let parts: Vec<String> = fields
        .iter()
        .map(|f| format!("{}: {}", f.field, f.message))
        .collect();
    format!("invalid input ({})", parts.join("; "))
}

fn describe_period(seconds: u64) -> String {
    let (count, unit) = match seconds {
        s if s % 86_400 == 0 => (s / 86_400, "day"),
        s if s % 3600 == 0 => (s / 3600, "hour"),
        s if s % 60 == 0 => (s / 60, "minute"),
        s => (s, "second"),
    };
    let plural = if count == 1 { "" } else { "s" };
    format!("{count} {unit}{plural}")
}

/// The current time in Unix milliseconds.
pub fn now() -> Millis {
    chrono::Utc::now().timestamp_millis()
}
