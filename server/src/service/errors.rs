//! The service's refusals, and upstream's words for them in one table each: what was
//! not found ([`Missing`]), what is already taken ([`Taken`]), why a caller is not
//! authenticated ([`Unauthenticated`]). Tests and upstream clients compare these
//! texts, so they are kept exactly as upstream wrote them.

use socmel_api_types::{ErrorBody, ErrorCode, FieldError};
use thiserror::Error;

use crate::{
    ratelimit::Refused,
    store::{Constraint, StoreError},
};

pub type ServiceResult<T> = Result<T, ServiceError>;

/// A refusal in the domain's words; the HTTP and WebSocket layers each map it to
/// their own shape (status + body, or an error frame).
#[derive(Debug, Error)]
pub enum ServiceError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Unauthorized(Unauthenticated),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(Missing),
    /// Something unique is already there (a constraint said so, or the rule did).
    #[error("{0}")]
    Taken(Taken),
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
            Self::Taken(taken) => taken.code(),
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

/// A unique constraint that refused a write becomes what it means
/// ([`Taken::from_constraint`]), so a race lost to the index is never a 500; any other
/// store failure is internal.
impl From<StoreError> for ServiceError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::Unique(constraint) => match Taken::from_constraint(&constraint) {
                Some(taken) => Self::Taken(taken),
                None => Self::Internal(StoreError::Unique(constraint).into()),
            },
            other => Self::Internal(other.into()),
        }
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

/// What was not found (404), named after upstream's wording for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    User,
    /// A user a group chat names (upstream words it apart).
    GroupUser,
    /// The user to follow.
    FollowTarget,
    /// Users a new group names that do not exist, listed.
    Users(Vec<i64>),
    Space,
    Room,
    Group,
    Message,
    Post,
    Comment,
    /// The comment replied to.
    Parent,
    Attachment,
    Member,
    Ban,
    Invitation,
    File,
    FollowRequest,
    PendingFollowRequest,
    Followee,
    Follower,
    /// A verification code that does not match.
    Code,
}

impl Missing {
    fn detail(&self) -> &'static str {
        match self {
            Self::User => "User not found",
            Self::GroupUser => "the user you are looking for does not exist",
            Self::FollowTarget => "This user does not exist",
            Self::Users(_) => "users not found",
            Self::Space => "Space not found",
            Self::Room => "Room not found",
            Self::Group => "the group you are looking for does not exist",
            Self::Message => "Message not found",
            Self::Post => "the post you are looking for does not exist",
            Self::Comment => "Comment not found",
            Self::Parent => "this comment does not exist",
            Self::Attachment => "this attachment does not exist",
            Self::Member => "Member not found",
            Self::Ban => "This user is not banned from this space",
            Self::Invitation => "Invitation not found",
            Self::File => "File not found",
            Self::FollowRequest => "No follow request found",
            Self::PendingFollowRequest => "No pending follow request found",
            Self::Followee => "You are not following this user",
            Self::Follower => "This user is not your follower",
            Self::Code => "incorrect code, try again",
        }
    }
}

impl std::fmt::Display for Missing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.detail())?;
        if let Self::Users(ids) = self {
            let ids: Vec<String> = ids.iter().map(i64::to_string).collect();
            write!(f, ": {}", ids.join(", "))?;
        }
        Ok(())
    }
}

/// What is already taken, with upstream's status for it: 409 for accounts, 400
/// elsewhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Taken {
    /// Registering: the username or the email (upstream does not say which).
    Account,
    Username,
    Email,
    SpaceName,
    RoomName,
    /// The user is banned from the space already.
    Ban,
    /// The caller is a member of the space already.
    Membership,
    /// A follow request to that user exists already.
    FollowRequest,
}

impl Taken {
    fn detail(self) -> &'static str {
        match self {
            Self::Account => "user with this username/email is already registered",
            Self::Username => "this username is already taken",
            Self::Email => "this email is already registered",
            Self::SpaceName => "Space name already taken",
            Self::RoomName => "Room name already taken",
            Self::Ban => "This user is already banned from this space",
            Self::Membership => "You are already a member of this space",
            Self::FollowRequest => "Follow request already sent and pending",
        }
    }

    fn code(self) -> ErrorCode {
        match self {
            Self::Account | Self::Username | Self::Email => ErrorCode::Conflict,
            Self::SpaceName
            | Self::RoomName
            | Self::Ban
            | Self::Membership
            | Self::FollowRequest => ErrorCode::BadRequest,
        }
    }

    /// What a unique constraint's refusal means; `None` for constraints no request can
    /// trip (random tokens and keys), which stay internal errors.
    pub fn from_constraint(constraint: &Constraint) -> Option<Self> {
        Some(match constraint {
            Constraint::Username => Self::Username,
            Constraint::Email => Self::Email,
            Constraint::SpaceName => Self::SpaceName,
            Constraint::RoomName => Self::RoomName,
            Constraint::SpaceBan => Self::Ban,
            Constraint::SpaceMember => Self::Membership,
            Constraint::Follow => Self::FollowRequest,
            Constraint::Other(_) => return None,
        })
    }
}

impl std::fmt::Display for Taken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.detail())
    }
}

/// Why a caller is not authenticated (401).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unauthenticated {
    /// A bad, expired or revoked access token, or an account gone since it was issued.
    InvalidToken,
    /// A login with an unknown account or a wrong password (the same answer for both).
    BadCredentials,
    InvalidRefreshToken,
}

impl std::fmt::Display for Unauthenticated {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::InvalidToken => "Invalid token",
            Self::BadCredentials => {
                "we could not authenticate you, verify your username or password"
            }
            Self::InvalidRefreshToken => "invalid or expired refresh token",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_users_are_named() {
        let err = ServiceError::NotFound(Missing::Users(vec![4, 7]));
        assert_eq!(err.to_body().detail, "users not found: 4, 7");
        assert_eq!(err.code(), ErrorCode::NotFound);
    }

    #[test]
    fn a_lost_race_on_a_unique_index_is_what_it_means() {
        let taken = ServiceError::from(StoreError::Unique(Constraint::SpaceName));
        assert_eq!(taken.code(), ErrorCode::BadRequest);
        assert_eq!(taken.to_body().detail, "Space name already taken");
        let account = ServiceError::from(StoreError::Unique(Constraint::Email));
        assert_eq!(account.code(), ErrorCode::Conflict);
        let token = ServiceError::from(StoreError::Unique(Constraint::Other("x".into())));
        assert_eq!(token.code(), ErrorCode::Internal);
    }
}
