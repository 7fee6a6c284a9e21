//! The service's refusals, and upstream's words for them in one table each: what a
//! request got wrong ([`Bad`]), why a caller is not authenticated ([`Unauthenticated`])
//! or not allowed ([`Refusal`]), what was not found ([`Missing`]), what is already taken
//! ([`Taken`]), what is no longer valid ([`Expired`]), and why an upload is refused
//! ([`TooLarge`], [`Unsupported`]). Tests and upstream clients compare these texts, so
//! they are kept exactly as upstream wrote them, and no call site words a refusal itself.

use socmel_api_types::{ErrorBody, ErrorCode, FieldError};
use thiserror::Error;

use crate::{
    ratelimit::Refused,
    service::{
        attachments::MAX_ATTACHMENTS,
        comments::MAX_DEPTH,
        groups::MAX_GROUP_MEMBERS,
        images::{MAX_PIXELS, MAX_SIDE},
    },
    store::{Constraint, StoreError},
};

pub type ServiceResult<T> = Result<T, ServiceError>;

/// A refusal in the domain's words; the HTTP and WebSocket layers each map it to
/// their own shape (status + body, or an error frame).
#[derive(Debug, Error)]
pub enum ServiceError {
    #[error("{0}")]
    BadRequest(Bad),
    #[error("{0}")]
    Unauthorized(Unauthenticated),
    #[error("{0}")]
    Forbidden(Refusal),
    #[error("{0}")]
    NotFound(Missing),
    /// Something unique is already there (a constraint said so, or the rule did).
    #[error("{0}")]
    Taken(Taken),
    #[error("{0}")]
    Gone(Expired),
    #[error("{0}")]
    PayloadTooLarge(TooLarge),
    #[error("{0}")]
    UnsupportedMedia(Unsupported),
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

/// What a request got wrong that no field check names (400).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bad {
    /// A token request whose `grant_type` is not `password`.
    GrantType,
    /// A password change whose old password does not match.
    OldPassword,
    /// A new password and its confirmation differ.
    PasswordMismatch,
    /// A profile update that names an email (that takes a verification code).
    EmailNeedsCode,
    /// A reply to a message of another conversation.
    ParentElsewhere,
    /// An attachment that is not the sender's upload waiting for a message.
    AttachmentNotPending(i64),
    /// A post that has [`MAX_ATTACHMENTS`] already.
    TooManyAttachments,
    /// A reply deeper than [`MAX_DEPTH`].
    ReplyTooDeep,
    /// A group that has [`MAX_GROUP_MEMBERS`] already.
    GroupFull,
    /// Ownership passed to someone outside the group.
    NotInGroup,
    /// A role change or hand-over to someone outside the space.
    NotInSpace,
    CannotBanYourself,
    CannotFollowYourself,
    AlreadyFollowing,
    RequestAlreadyAccepted,
    InvitationExpired,
    InvitationUsedUp,
}

impl std::fmt::Display for Bad {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::GrantType => f.write_str("grant_type must be \"password\""),
            Self::OldPassword => f.write_str("the old password is incorrect"),
            Self::PasswordMismatch => f.write_str("Password and confirmation do not match"),
            Self::EmailNeedsCode => f.write_str(
                "the email can only be changed with a verification code (POST /security/change_email/)",
            ),
            Self::ParentElsewhere => f.write_str("the parent message is not in this conversation"),
            Self::AttachmentNotPending(id) => write!(
                f,
                "attachment {id} is not an upload of yours waiting for a message"
            ),
            Self::TooManyAttachments => {
                write!(f, "a post can have at most {MAX_ATTACHMENTS} attachments")
            }
            Self::ReplyTooDeep => write!(
                f,
                "replies nest at most {MAX_DEPTH} deep; reply further up the thread"
            ),
            Self::GroupFull => write!(
                f,
                "this group is full (at most {MAX_GROUP_MEMBERS} members)"
            ),
            Self::NotInGroup => f.write_str("this user is not a member of this group"),
            Self::NotInSpace => f.write_str("this user is not a member of this space"),
            Self::CannotBanYourself => f.write_str("You cannot ban yourself"),
            Self::CannotFollowYourself => f.write_str("You cannot follow yourself"),
            Self::AlreadyFollowing => f.write_str("You are already following this user"),
            Self::RequestAlreadyAccepted => {
                f.write_str("This follow request has already been accepted")
            }
            Self::InvitationExpired => f.write_str("Invitation has expired"),
            Self::InvitationUsedUp => {
                f.write_str("Invitation has reached the maximum number of uses")
            }
        }
    }
}

/// Why an authenticated caller may not do what they asked (403).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Members-only content of a space the caller is not in.
    NotASpaceMember,
    /// A group chat the caller is not in.
    NotAGroupMember,
    /// An owner-only action in a space.
    NotSpaceOwner,
    /// The owner trying to leave their space.
    OwnerCannotLeave,
    /// A moderator-only action in a space.
    NotAllowedInSpace,
    /// Removing, banning or demoting the space's owner.
    OwnerUntouchable,
    /// A moderator acting on another moderator.
    ModeratorOverModerator,
    /// A group action the caller's role does not allow ([`Self::group`] words it).
    GroupView,
    GroupOwnerLeave,
    GroupLeave,
    GroupAddMember,
    GroupRemoveMember,
    GroupRename,
    GroupDelete,
    GroupPassOwnership,
    /// The group owner removing themself (they pass ownership or delete the group).
    GroupRemoveYourself,
    /// A banned user using an invitation.
    Banned,
    DeactivatedAccount,
    /// Changing the email or password of another account than the caller's.
    OthersEmail,
    OthersPassword,
    EditOthersMessage,
    DeleteOthersMessage,
    EditOthersPost,
    DeleteOthersPost,
    EditOthersComment,
    DeleteOthersComment,
    UploadToOthersPost,
    DeleteOthersAttachment,
}

impl Refusal {
    fn detail(self) -> &'static str {
        match self {
            Self::NotASpaceMember => "You are not a member of this space",
            Self::NotAGroupMember => "you are not a member of this group chat",
            Self::NotSpaceOwner => "You are not the owner of this space",
            Self::OwnerCannotLeave => {
                "The owner cannot leave the space: pass ownership to another member or delete it"
            }
            Self::NotAllowedInSpace => "You are not allowed to do this in this space",
            Self::OwnerUntouchable => "The owner of the space cannot be removed, banned or demoted",
            Self::ModeratorOverModerator => "Moderators cannot act on other moderators",
            Self::GroupView => "you can not view this group",
            Self::GroupOwnerLeave => "you can not leave the group you own",
            Self::GroupLeave => "you can not leave this group",
            Self::GroupAddMember => "you can not add members to this group",
            Self::GroupRemoveMember => "you can not remove members from this group",
            Self::GroupRename => "you can not rename this group",
            Self::GroupDelete => "you can not delete this group",
            Self::GroupPassOwnership => "you can not pass ownership of this group",
            Self::GroupRemoveYourself => "you can not remove yourself from the group",
            Self::Banned => "You are banned from this space",
            Self::DeactivatedAccount => "this account is deactivated",
            Self::OthersEmail => "you are not allowed to change this email with this account",
            Self::OthersPassword => "you are not allowed to change the password of this account",
            Self::EditOthersMessage => "you can only edit your own messages",
            Self::DeleteOthersMessage => "you can only delete your own messages",
            Self::EditOthersPost => "you do not have permission to edit this post",
            Self::DeleteOthersPost => "you do not have permission to delete this post",
            Self::EditOthersComment => "You do not have permission to edit this comment",
            Self::DeleteOthersComment => "You do not have permission to delete this comment",
            Self::UploadToOthersPost => {
                "you are not allowed to upload an image to a post you do not own"
            }
            Self::DeleteOthersAttachment => "you are not allowed to delete this attachment",
        }
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.detail())
    }
}

/// What is no longer valid (410).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expired {
    /// A verification code past its lifetime.
    Code,
}

impl std::fmt::Display for Expired {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Code => "the code you entered is no longer valid, generate a new one",
        })
    }
}

/// Why an upload is too large (413).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TooLarge {
    /// A file past the media cap, in bytes (found while reading it).
    File(u64),
    /// A request body past the cap, in bytes (refused before reading it).
    Upload(u64),
    /// An image past [`MAX_SIDE`] pixels a side or [`MAX_PIXELS`] in all.
    Pixels,
}

impl std::fmt::Display for TooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::File(max) => write!(f, "the file is larger than {max} bytes"),
            Self::Upload(limit) => write!(f, "the upload is larger than {limit} bytes"),
            Self::Pixels => write!(
                f,
                "images are at most {MAX_SIDE} pixels a side and {} megapixels",
                MAX_PIXELS / 1_000_000
            ),
        }
    }
}

/// Why an upload's content is refused (415).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unsupported {
    /// Not an image of a format the server stores.
    NotAnImage,
}

impl std::fmt::Display for Unsupported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::NotAnImage => "File must be an image (PNG, JPEG, GIF or WebP)",
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
