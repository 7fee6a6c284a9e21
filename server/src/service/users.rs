//! Profiles. A user's email is shown to that user only.

use socmel_api_types::{
    Timestamp, UserId,
    users::{UserDisplay, UserUpdate},
};

use super::{
    ServiceError, ServiceResult, Services,
    auth::AuthUser,
    media::{self, IncomingFile},
    now,
    validation::{USERNAME_RULE, Validation, is_valid_username},
};
use crate::store::{self, users::UserRow};

pub(crate) const USER_NOT_FOUND: &str = "User not found";

/// The profile as `viewer` may see it.
pub(crate) fn display(row: &UserRow, viewer: Option<UserId>) -> UserDisplay {
    let is_self = viewer == Some(UserId(row.id));
    UserDisplay {
        id: UserId(row.id),
        username: row.username.clone(),
        email: is_self.then(|| row.email.clone()),
        is_active: row.is_active,
        xp: row.xp,
        level: row.level,
        pfp: row.pfp.clone(),
        created_at: Timestamp::from_millis(row.created_at),
    }
}

pub async fn me(svc: &Services, me: &AuthUser) -> ServiceResult<UserDisplay> {
    view(svc, me, me.id()).await
}

pub async fn view(
    svc: &Services,
    viewer: &AuthUser,
    user_id: UserId,
) -> ServiceResult<UserDisplay> {
    let mut db = svc.store().reader().await?;
    let row = store::users::by_id(db.conn(), user_id.0)
        .await?
        .ok_or_else(|| ServiceError::NotFound(USER_NOT_FOUND.into()))?;
    Ok(display(&row, Some(viewer.id())))
}

/// Applies the keys present. The email changes only through the verification flow;
/// sending the current email again is accepted (clients often echo the whole profile).
pub async fn update_me(
    svc: &Services,
    me: &AuthUser,
    update: UserUpdate,
) -> ServiceResult<UserDisplay> {
    let current = self::me(svc, me).await?;
    if let Some(email) = &update.email
        && Some(email.trim().to_lowercase()) != current.email
    {
        return Err(ServiceError::BadRequest(
            "the email can only be changed with a verification code (POST /security/change_email/)"
                .into(),
        ));
    }
    let Some(username) = update.username.as_deref().map(str::trim) else {
        return Ok(current);
    };
    Validation::default()
        .check(is_valid_username(username), "username", USERNAME_RULE)
        .finish()?;
    if username == current.username {
        return Ok(current);
    }
    let mut db = svc.store().writer().await?;
    let row = store::users::set_username(db.conn(), me.id().0, username, now())
        .await
        .map_err(|err| {
            if err.is_unique_on("username") {
                ServiceError::Conflict("this username is already taken".into())
            } else {
                err.into()
            }
        })?
        .ok_or_else(|| ServiceError::Unauthorized("Invalid token".into()))?;
    Ok(display(&row, Some(me.id())))
}

/// Sets the caller's profile picture. The new image is stored first, then the profile
/// switches to it, then the old image is deleted: a failed upload leaves the old
/// picture in place.
pub async fn set_pfp(
    svc: &Services,
    me: &AuthUser,
    file: IncomingFile,
) -> ServiceResult<UserDisplay> {
    let image = media::read_image(svc, file).await?;
    let stored = media::store(svc, &image).await?;
    match swap_pfp(svc, me, Some((&stored.url, &stored.key))).await {
        Ok((row, old_key)) => {
            media::delete_objects(svc, old_key.as_slice()).await;
            Ok(display(&row, Some(me.id())))
        }
        Err(err) => {
            media::delete_objects(svc, &[stored.key]).await;
            Err(err)
        }
    }
}

/// Removes the caller's profile picture and deletes the stored image. The profile is
/// cleared even when the storage fails to delete it (that is only logged).
pub async fn remove_pfp(svc: &Services, me: &AuthUser) -> ServiceResult<UserDisplay> {
    let (row, old_key) = swap_pfp(svc, me, None).await?;
    media::delete_objects(svc, old_key.as_slice()).await;
    Ok(display(&row, Some(me.id())))
}

/// Points the profile at `new` (URL, key); answers the user and the previous key.
async fn swap_pfp(
    svc: &Services,
    me: &AuthUser,
    new: Option<(&str, &str)>,
) -> ServiceResult<(UserRow, Option<String>)> {
    let gone = || ServiceError::Unauthorized("Invalid token".into());
    let mut tx = svc.store().begin().await?;
    let old_key = store::users::pfp_key(tx.conn(), me.id().0)
        .await?
        .ok_or_else(gone)?;
    let row = store::users::set_pfp(
        tx.conn(),
        me.id().0,
        new.map(|(url, _)| url),
        new.map(|(_, key)| key),
        now(),
    )
    .await?
    .ok_or_else(gone)?;
    tx.commit().await?;
    Ok((row, old_key))
}
