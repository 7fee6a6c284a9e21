//! Notes: one short status per user, shown for 24 hours from when it was written.

use socmel_api_types::{
    Timestamp, UserId,
    notes::{NoteDisplay, NoteMessage, NoteSaved},
};

use super::{
    Missing, ServiceError, ServiceResult, Services, Unauthenticated, auth::AuthUser, now,
    validation::Validation,
};
use crate::store::{self, Millis};

/// How long a note shows.
pub const NOTE_LIFETIME: Millis = 24 * 60 * 60 * 1000;
const NOTE_RULE: &str = "1-255 characters";

/// A user's note, if written in the last 24 hours. Needs a valid token.
pub async fn get(
    svc: &Services,
    _viewer: &AuthUser,
    user_id: UserId,
) -> ServiceResult<NoteDisplay> {
    let mut db = svc.store().reader().await?;
    store::users::by_id(db.conn(), user_id.0)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Missing::User))?;
    let note = store::notes::written_since(db.conn(), user_id.0, now() - NOTE_LIFETIME).await?;
    Ok(match note {
        Some(note) => NoteDisplay {
            exists: true,
            note: note.content,
            created_at: Some(Timestamp::from_millis(note.created_at)),
            expires_at: Some(Timestamp::from_millis(note.created_at + NOTE_LIFETIME)),
        },
        None => NoteDisplay {
            exists: false,
            note: String::new(),
            created_at: None,
            expires_at: None,
        },
    })
}

/// Writes the caller's note (replacing any), shown for the next 24 hours.
pub async fn set(svc: &Services, me: &AuthUser, text: Option<String>) -> ServiceResult<NoteSaved> {
    let text = text.unwrap_or_default();
    Validation::default()
        .check(
            !text.trim().is_empty() && text.chars().count() <= 255,
            "new_note",
            NOTE_RULE,
        )
        .finish()?;
    let mut db = svc.store().writer().await?;
    let note = store::notes::upsert(db.conn(), me.id().0, text.trim(), now())
        .await
        .map_err(|err| match err {
            store::StoreError::ForeignKey => {
                ServiceError::Unauthorized(Unauthenticated::InvalidToken)
            }
            other => other.into(),
        })?;
    Ok(NoteSaved {
        message: "the note has been added successfully".into(),
        note: note.content,
        created_at: Timestamp::from_millis(note.created_at),
        expires_at: Timestamp::from_millis(note.created_at + NOTE_LIFETIME),
    })
}

/// Deletes the caller's note, if any.
pub async fn delete(svc: &Services, me: &AuthUser) -> ServiceResult<NoteMessage> {
    let mut db = svc.store().writer().await?;
    store::notes::delete(db.conn(), me.id().0).await?;
    Ok(NoteMessage {
        message: "the note has been deleted successfully".into(),
    })
}
