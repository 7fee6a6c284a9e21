//! Profiles. A user's email is shown to that user only.

use std::collections::HashMap;

use socmel_api_types::{
    Page, Timestamp, UserId,
    users::{UserDisplay, UserSummary, UserUpdate},
};

use super::{
    Bad, Missing, ServiceError, ServiceResult, Services, Unauthenticated,
    auth::AuthUser,
    media::{self, IncomingFile},
    now,
    pagination::Paging,
    validation::{
        BIO_RULE, DISPLAY_NAME_RULE, USERNAME_RULE, Validation, escape_like, is_valid_bio,
        is_valid_display_name, is_valid_username,
    },
};
use crate::store::{
    self, Conn,
    users::{SummaryRow, UserRow},
};

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
        display_name: row.display_name.clone(),
        bio: row.bio.clone(),
    }
}

/// A person as every payload shows them.
pub(crate) fn summary(row: &SummaryRow) -> UserSummary {
    UserSummary {
        id: UserId(row.id),
        username: row.username.clone(),
        display_name: row.display_name.clone(),
        pfp: row.pfp.clone(),
    }
}

/// The summary of a person whose columns were joined beside another row's (`NULL`
/// when the reference is empty or the account is gone).
pub(crate) fn joined_summary(
    id: Option<i64>,
    username: &Option<String>,
    display_name: &Option<String>,
    pfp: &Option<String>,
) -> Option<UserSummary> {
    Some(UserSummary {
        id: UserId(id?),
        username: username.clone()?,
        display_name: display_name.clone(),
        pfp: pfp.clone(),
    })
}

/// The summaries of `ids`, loaded in one query whatever their number (a listing calls
/// this once for all its rows, never once per row). Unknown ids are left out.
pub(crate) async fn summaries(
    conn: Conn<'_>,
    ids: impl IntoIterator<Item = UserId>,
) -> ServiceResult<HashMap<UserId, UserSummary>> {
    let mut ids: Vec<i64> = ids.into_iter().map(|id| id.0).collect();
    ids.sort_unstable();
    ids.dedup();
    let rows = store::users::summaries(conn, &ids).await?;
    Ok(rows
        .iter()
        .map(|row| (UserId(row.id), summary(row)))
        .collect())
}

/// The summary of `id` from `loaded`, or a bare one (the id as its name) for an account
/// that no longer exists, so a payload never fails for want of a name.
pub(crate) fn summary_of(loaded: &HashMap<UserId, UserSummary>, id: UserId) -> UserSummary {
    loaded.get(&id).cloned().unwrap_or_else(|| UserSummary {
        id,
        username: id.to_string(),
        display_name: None,
        pfp: None,
    })
}

/// The people `ids` as frames name them, read in one query for all of them. A failed
/// read names them by id rather than holding a frame back: a socket that just opened
/// still tells its owner who is online, a committed change is still told.
pub async fn named(svc: &Services, ids: &[UserId]) -> Vec<UserSummary> {
    let loaded = match svc.store().reader().await {
        Ok(mut db) => summaries(db.conn(), ids.iter().copied())
            .await
            .unwrap_or_default(),
        Err(_) => Default::default(),
    };
    ids.iter().map(|&id| summary_of(&loaded, id)).collect()
}

/// The profile of the active user called `username` (case-insensitively); 404 otherwise.
pub async fn by_username(
    svc: &Services,
    viewer: &AuthUser,
    username: &str,
) -> ServiceResult<UserDisplay> {
    let mut db = svc.store().reader().await?;
    let row = store::users::active_by_username(db.conn(), username.trim())
        .await?
        .ok_or_else(|| ServiceError::NotFound(Missing::User))?;
    Ok(display(&row, Some(viewer.id())))
}

/// Longest search text, in characters.
const MAX_QUERY_CHARS: usize = 64;

/// Active people whose username or display name starts with `query`
/// (case-insensitively), by username; for autocomplete and "start a DM". Signed-in
/// callers only (the handler requires a token): the member list of the whole site is
/// not for anonymous scrapers.
pub async fn search(
    svc: &Services,
    query: &str,
    paging: Paging,
) -> ServiceResult<Page<UserSummary>> {
    let query = query.trim().trim_start_matches('@');
    Validation::default()
        .check(
            (1..=MAX_QUERY_CHARS).contains(&query.chars().count()),
            "q",
            "1 to 64 characters",
        )
        .finish()?;
    let pager = paging.pager([0])?;
    let [after] = pager.after;
    let pattern = format!("{}%", escape_like(&query.to_lowercase()));
    let mut db = svc.store().reader().await?;
    let rows = store::users::search(db.conn(), &pattern, after, pager.fetch()).await?;
    let (rows, next) = pager.page(rows, |row| [row.id]);
    Ok(Page::new(rows.iter().map(summary).collect(), next))
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
        .ok_or_else(|| ServiceError::NotFound(Missing::User))?;
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
        return Err(ServiceError::BadRequest(Bad::EmailNeedsCode));
    }
    let username = update.username.as_deref().map(str::trim);
    let display_name = update.display_name.as_deref().map(str::trim);
    let bio = update.bio.as_deref().map(str::trim);
    Validation::default()
        .check(
            username.is_none_or(is_valid_username),
            "username",
            USERNAME_RULE,
        )
        .check(
            display_name.is_none_or(|name| name.is_empty() || is_valid_display_name(name)),
            "display_name",
            DISPLAY_NAME_RULE,
        )
        .check(bio.is_none_or(is_valid_bio), "bio", BIO_RULE)
        .finish()?;
    let username = username.filter(|name| *name != current.username);
    if username.is_none() && display_name.is_none() && bio.is_none() {
        return Ok(current);
    }
    let gone = || ServiceError::Unauthorized(Unauthenticated::InvalidToken);
    let mut tx = svc.store().begin().await?;
    if let Some(username) = username {
        store::users::set_username(tx.conn(), me.id().0, username, now())
            .await?
            .ok_or_else(gone)?;
    }
    // Absent keys keep what is stored; an empty text clears it.
    let keep_or = |new: Option<&str>, old: &Option<String>| match new {
        None => old.clone(),
        Some("") => None,
        Some(text) => Some(text.to_owned()),
    };
    let display_name = keep_or(display_name, &current.display_name);
    let bio = keep_or(bio, &current.bio);
    let folded = display_name.as_deref().map(str::to_lowercase);
    let row = store::users::set_profile(
        tx.conn(),
        me.id().0,
        display_name.as_deref(),
        folded.as_deref(),
        bio.as_deref(),
        now(),
    )
    .await?
    .ok_or_else(gone)?;
    tx.commit().await?;
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
    let gone = || ServiceError::Unauthorized(Unauthenticated::InvalidToken);
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
