//! Accounts and sessions: register, log in, authenticate a request, refresh, log out.

use socmel_api_types::{
    Detail, UserId,
    auth::{LoginForm, TokenResponse, UserCreate},
    users::UserDisplay,
};

use super::{
    Bad, Refusal, ServiceError, ServiceResult, Services, Taken, Unauthenticated, now,
    tokens::{SessionId, random_token, token_hash},
    users::display,
    validation::{
        EMAIL_RULE, PASSWORD_RULE, USERNAME_RULE, Validation, is_valid_email, is_valid_password,
        is_valid_username,
    },
};
use crate::{
    effects::token_checks::TokenCheck,
    events::Event,
    ratelimit::Limit,
    store::{
        self, Constraint, StoreError,
        auth::NewRefreshToken,
        users::{NewUser, UserRow},
    },
};

/// Proof that the request carries a valid access token of an existing, active user,
/// from a session that has not ended. Only [`authenticate`] makes one, so holding it
/// *is* the authentication check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuthUser {
    id: UserId,
    session: SessionId,
}

impl AuthUser {
    pub fn id(&self) -> UserId {
        self.id
    }

    /// The login session the token belongs to (a live socket belongs to it too).
    pub fn session(&self) -> SessionId {
        self.session
    }
}

/// Checks an access token: signature, expiry, token version, that its session has not
/// ended, and that the user still exists and is active. Any failure is the same 401.
pub async fn authenticate(svc: &Services, token: &str) -> ServiceResult<AuthUser> {
    let unauthorized = || ServiceError::Unauthorized(Unauthenticated::InvalidToken);
    let claims = svc.tokens().verify_access(token).ok_or_else(unauthorized)?;
    let user_id: i64 = claims.sub.parse().map_err(|_| unauthorized())?;
    let session = SessionId::from_family(&claims.sid).ok_or_else(unauthorized)?;
    let user = AuthUser {
        id: UserId(user_id),
        session,
    };
    if check(svc, &user).await? != Some(claims.ver) {
        return Err(unauthorized());
    }
    Ok(user)
}

/// Whether `user`'s session still lives (and the account is still active): what a
/// live socket asks now and then, long after its access token has expired.
pub async fn session_lives(svc: &Services, user: &AuthUser) -> ServiceResult<bool> {
    Ok(check(svc, user).await?.is_some())
}

/// The account's token version when the account is active and the session lives.
async fn check(svc: &Services, user: &AuthUser) -> ServiceResult<Option<i64>> {
    let (user_id, session) = (user.id.0, user.session);
    let check = match svc.token_checks().get(user_id, session) {
        Some(known) => known,
        None => {
            let since = svc.token_checks().generation();
            let mut db = svc.store().reader().await?;
            let Some(row) =
                store::users::token_check(db.conn(), user_id, &session.family(), now()).await?
            else {
                return Ok(None);
            };
            let check = TokenCheck {
                token_version: row.token_version,
                is_active: row.is_active,
                session_live: row.session_live,
            };
            svc.token_checks().remember(user_id, session, check, since);
            check
        }
    };
    Ok((check.is_active && check.session_live).then_some(check.token_version))
}

/// The user a well-signed, unexpired token names, without asking the database: enough
/// to key rate limits, never to authorise anything.
pub fn token_subject(svc: &Services, token: &str) -> Option<UserId> {
    let claims = svc.tokens().verify_access(token)?;
    claims.sub.parse().ok().map(UserId)
}

pub async fn register(svc: &Services, input: UserCreate) -> ServiceResult<UserDisplay> {
    let username = input.username.trim();
    let email = input.email.trim().to_lowercase();
    Validation::default()
        .check(is_valid_username(username), "username", USERNAME_RULE)
        .check(is_valid_email(&email), "email", EMAIL_RULE)
        .check(
            is_valid_password(&input.password),
            "password",
            PASSWORD_RULE,
        )
        .finish()?;

    let password_hash = svc.passwords().hash(input.password).await?;
    let mut db = svc.store().writer().await?;
    let new = NewUser {
        username,
        email: &email,
        password_hash: &password_hash,
        now: now(),
    };
    // The unique indexes decide, so two racing registrations cannot both win.
    let row = store::users::insert(db.conn(), new)
        .await
        .map_err(|err| match err {
            StoreError::Unique(Constraint::Username | Constraint::Email) => {
                ServiceError::Taken(Taken::Account)
            }
            other => other.into(),
        })?;
    tracing::info!(user_id = row.id, "account registered");
    Ok(display(&row, Some(UserId(row.id))))
}

/// Login with the email or the username. Unknown accounts and wrong passwords get
/// the same answer after the same amount of work.
pub async fn login(svc: &Services, form: LoginForm) -> ServiceResult<TokenResponse> {
    if form
        .grant_type
        .as_deref()
        .is_some_and(|grant| grant != "password")
    {
        return Err(ServiceError::BadRequest(Bad::GrantType));
    }
    let (login, password) = (form.username.trim(), form.password);
    let user = {
        let mut db = svc.store().reader().await?;
        store::users::by_login(db.conn(), login).await?
    };
    // Per account, wherever the attempts come from (per-IP limits are applied at the
    // edge). Keyed by the account the login names, so its username and its email
    // share one allowance; a login naming no account is keyed by what was typed.
    let account = match &user {
        Some(user) => format!("user:{}", user.id),
        None => format!("login:{}", login.to_lowercase()),
    };
    svc.check_limit(Limit::LoginAccount, &account)?;
    let stored = user.as_ref().map(|u| u.password_hash.clone());
    let matches = svc.passwords().verify(password, stored).await?;
    let user = match user {
        Some(user) if matches => user,
        _ => return Err(ServiceError::Unauthorized(Unauthenticated::BadCredentials)),
    };
    if !user.is_active {
        return Err(ServiceError::Forbidden(Refusal::DeactivatedAccount));
    }
    start_session(svc, &user, &random_token()).await
}

/// Exchanges a refresh token for a new pair. Each refresh token works once; presenting
/// a spent one means it was stolen or replayed, so its whole session is revoked.
pub async fn refresh(svc: &Services, refresh_token: &str) -> ServiceResult<TokenResponse> {
    let invalid = || ServiceError::Unauthorized(Unauthenticated::InvalidRefreshToken);
    let hash = token_hash(refresh_token);
    let at = now();
    let mut tx = svc.store().begin().await?;
    let row = store::auth::by_hash(tx.conn(), &hash)
        .await?
        .ok_or_else(invalid)?;
    if row.used_at.is_some() {
        store::auth::delete_family(tx.conn(), &row.family).await?;
        tx.commit().await?;
        session_ended(svc, UserId(row.user_id), &row.family);
        tracing::warn!(
            user_id = row.user_id,
            "refresh token replayed; session revoked"
        );
        return Err(invalid());
    }
    if row.expires_at <= at || !store::auth::mark_used(tx.conn(), &hash, at).await? {
        return Err(invalid());
    }
    let user = store::users::by_id(tx.conn(), row.user_id)
        .await?
        .ok_or_else(invalid)?;
    if !user.is_active {
        return Err(invalid());
    }
    let tokens = issue_tokens(svc, &mut tx, &user, &row.family).await?;
    tx.commit().await?;
    Ok(tokens)
}

/// Ends the session a refresh token belongs to: its access tokens stop working and its
/// sockets close. Unknown tokens are already logged out.
pub async fn logout(svc: &Services, refresh_token: &str) -> ServiceResult<Detail> {
    let mut tx = svc.store().begin().await?;
    let row = store::auth::by_hash(tx.conn(), &token_hash(refresh_token)).await?;
    if let Some(row) = &row {
        store::auth::delete_family(tx.conn(), &row.family).await?;
    }
    tx.commit().await?;
    if let Some(row) = row {
        session_ended(svc, UserId(row.user_id), &row.family);
    }
    Ok(Detail::new("logged out"))
}

/// Revokes every access and refresh token of the user at once.
pub async fn logout_all(svc: &Services, user: &AuthUser) -> ServiceResult<Detail> {
    revoke_all_tokens(svc, user.id()).await?;
    Ok(Detail::new("logged out everywhere"))
}

/// Bumps the token version (every access token dies) and deletes refresh tokens.
pub(crate) async fn revoke_all_tokens(svc: &Services, user_id: UserId) -> ServiceResult<()> {
    let mut tx = svc.store().begin().await?;
    end_all_sessions(&mut tx, user_id).await?;
    tx.commit().await?;
    all_sessions_ended(svc, user_id);
    Ok(())
}

/// Inside the caller's transaction: every access and refresh token of the user dies
/// (the token version moves on, the refresh tokens go). Call
/// [`all_sessions_ended`] once it commits.
pub(crate) async fn end_all_sessions(tx: &mut store::Tx, user_id: UserId) -> ServiceResult<()> {
    store::users::bump_token_version(tx.conn(), user_id.0, now())
        .await?
        .ok_or_else(|| ServiceError::Unauthorized(Unauthenticated::InvalidToken))?;
    store::auth::delete_for_user(tx.conn(), user_id.0).await?;
    Ok(())
}

/// After the commit that ended every session of the user: cached checks are dropped
/// and the bus is told, so every socket of the user closes, on every node.
pub(crate) fn all_sessions_ended(svc: &Services, user_id: UserId) {
    svc.committed(Event::SessionsEnded {
        user_id,
        session: None,
    });
}

/// After the commit that ended one session (`family`): as [`all_sessions_ended`], for
/// that session only.
fn session_ended(svc: &Services, user_id: UserId, family: &str) {
    let Some(session) = SessionId::from_family(family) else {
        return; // not a family this server made: nothing of it can be live
    };
    svc.committed(Event::SessionsEnded {
        user_id,
        session: Some(session),
    });
}

async fn start_session(
    svc: &Services,
    user: &UserRow,
    family: &str,
) -> ServiceResult<TokenResponse> {
    let mut tx = svc.store().begin().await?;
    let tokens = issue_tokens(svc, &mut tx, user, family).await?;
    tx.commit().await?;
    Ok(tokens)
}

async fn issue_tokens(
    svc: &Services,
    tx: &mut store::Tx,
    user: &UserRow,
    family: &str,
) -> ServiceResult<TokenResponse> {
    let at = now();
    let keys = svc.tokens();
    let session = SessionId::from_family(family)
        .ok_or_else(|| ServiceError::internal(anyhow::anyhow!("a session family not of ours")))?;
    let access_token = keys
        .issue_access(user.id, user.token_version, session, at)
        .map_err(ServiceError::internal)?;
    let refresh_token = random_token();
    let new = NewRefreshToken {
        user_id: user.id,
        token_hash: &token_hash(&refresh_token),
        family,
        now: at,
        expires_at: at + keys.refresh_ttl_millis(),
    };
    store::auth::insert(tx.conn(), new).await?;
    Ok(TokenResponse {
        access_token,
        token_type: "bearer".into(),
        refresh_token,
        expires_in: keys.access_ttl_seconds(),
    })
}
