//! Verification codes (email change, password change, password reset).
//!
//! Codes come from a CSPRNG, are stored hashed and bound to their email and purpose,
//! live 10 minutes, and die after 5 wrong tries. Asking for a code answers the same
//! whether or not the email has an account, and so does a reset for an unknown
//! account, so neither can be used to probe for accounts.

use rand::Rng;
use sha2::{Digest, Sha256};
use socmel_api_types::{
    Detail, UserId,
    security::{ChangeEmail, ChangePassword, CodePurpose, CodeRequest, ResetPassword},
};

use super::{
    Bad, Expired, Missing, Refusal, ServiceError, ServiceResult, Services, Unauthenticated,
    auth::AuthUser,
    now,
    validation::{EMAIL_RULE, PASSWORD_RULE, Validation, is_valid_email, is_valid_password},
};
use crate::{
    mail::templates,
    ratelimit::Limit,
    store::{self, Tx, security::NewCode},
};

const CODE_LENGTH: usize = 8;
const CODE_ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const CODE_MINUTES: i64 = 10;
const MAX_WRONG_TRIES: i64 = 5;

const CODE_SENT: &str = "the verification code has been sent successfully, check your email";

/// Sends a code to `email` if it belongs to an account; answers the same either way.
pub async fn request_code(svc: &Services, request: CodeRequest) -> ServiceResult<Detail> {
    let email = request.email.trim().to_lowercase();
    Validation::default()
        .check(is_valid_email(&email), "email", EMAIL_RULE)
        .finish()?;
    svc.check_limit(Limit::CodesEmail, &email)?;
    let user = {
        let mut db = svc.store().reader().await?;
        store::users::by_email(db.conn(), &email).await?
    };
    if user.is_some() {
        let code = new_code();
        let at = now();
        let mut db = svc.store().writer().await?;
        let new = NewCode {
            email: &email,
            purpose: request.purpose.as_str(),
            code_hash: &code_hash(request.purpose, &email, &code),
            now: at,
            expires_at: at + CODE_MINUTES * 60_000,
        };
        store::security::upsert(db.conn(), new).await?;
        let action = match request.purpose {
            CodePurpose::ChangeEmail => "change your email address",
            CodePurpose::ChangePassword => "change your password",
            CodePurpose::ResetPassword => "reset your password",
        };
        svc.mailer().send(templates::verification_code(
            &email,
            &code,
            action,
            CODE_MINUTES,
        ));
    }
    Ok(Detail::new(CODE_SENT))
}

/// Changes the caller's email with a code sent to the current address, signs out every
/// session, then tells the old address.
pub async fn change_email(
    svc: &Services,
    user: &AuthUser,
    input: ChangeEmail,
) -> ServiceResult<Detail> {
    let current = super::users::me(svc, user).await?.email.unwrap_or_default();
    if input.old_email.trim().to_lowercase() != current {
        return Err(ServiceError::Forbidden(Refusal::OthersEmail));
    }
    let new_email = input.new_email.trim().to_lowercase();
    Validation::default()
        .check(is_valid_email(&new_email), "new_email", EMAIL_RULE)
        .finish()?;
    let tx = svc.store().begin().await?;
    let (mut tx, code_id) = check_code(tx, CodePurpose::ChangeEmail, &current, &input.key).await?;
    store::users::set_email(tx.conn(), user.id().0, &new_email, now()).await?;
    store::security::delete(tx.conn(), code_id).await?;
    // The address signs in: every session ends with the change, as with a password.
    super::auth::end_all_sessions(&mut tx, user.id()).await?;
    tx.commit().await?;
    super::auth::all_sessions_ended(svc, user.id());
    svc.mailer()
        .send(templates::email_changed(&current, &new_email));
    Ok(Detail::new("the email has been changed successfully"))
}

/// Changes the caller's password: needs the old password and a code; signs out every
/// session.
pub async fn change_password(
    svc: &Services,
    user: &AuthUser,
    input: ChangePassword,
) -> ServiceResult<Detail> {
    // One read gives both the email to compare and the hash to verify against.
    let row = {
        let mut db = svc.store().reader().await?;
        store::users::by_id(db.conn(), user.id().0)
            .await?
            .ok_or_else(|| ServiceError::Unauthorized(Unauthenticated::InvalidToken))?
    };
    let email = row.email;
    if input.email.trim().to_lowercase() != email {
        return Err(ServiceError::Forbidden(Refusal::OthersPassword));
    }
    check_new_password(&input.new_password, &input.new_password_confirm)?;
    if !svc
        .passwords()
        .verify(input.old_password, Some(row.password_hash))
        .await?
    {
        return Err(ServiceError::BadRequest(Bad::OldPassword));
    }
    let new = NewPassword {
        password: input.new_password,
        key: input.key,
    };
    set_password_with_code(svc, CodePurpose::ChangePassword, &email, user.id().0, new).await
}

/// Sets a new password for whoever holds a reset code sent to the account's email.
pub async fn reset_password(svc: &Services, input: ResetPassword) -> ServiceResult<Detail> {
    check_new_password(&input.new_password, &input.new_password_confirm)?;
    let email = input.email.trim().to_lowercase();
    let user = {
        let mut db = svc.store().reader().await?;
        store::users::by_email(db.conn(), &email).await?
    };
    // An unknown account is answered exactly like a wrong code.
    let user = user.ok_or_else(|| ServiceError::NotFound(Missing::Code))?;
    let new = NewPassword {
        password: input.new_password,
        key: input.key,
    };
    set_password_with_code(svc, CodePurpose::ResetPassword, &email, user.id, new).await
}

/// What a change and a reset both end with: the new password and the code that
/// allows it.
struct NewPassword {
    password: String,
    key: String,
}

fn check_new_password(new_password: &str, confirm: &str) -> ServiceResult<()> {
    if new_password != confirm {
        return Err(ServiceError::BadRequest(Bad::PasswordMismatch));
    }
    Validation::default()
        .check(
            is_valid_password(new_password),
            "new_password",
            PASSWORD_RULE,
        )
        .finish()
}

async fn set_password_with_code(
    svc: &Services,
    purpose: CodePurpose,
    email: &str,
    user_id: i64,
    new: NewPassword,
) -> ServiceResult<Detail> {
    // Hash before taking the write lock: hashing is the slow part.
    let password_hash = svc.passwords().hash(new.password).await?;
    let tx = svc.store().begin().await?;
    let (mut tx, code_id) = check_code(tx, purpose, email, &new.key).await?;
    store::users::set_password(tx.conn(), user_id, &password_hash, now()).await?;
    store::security::delete(tx.conn(), code_id).await?;
    super::auth::end_all_sessions(&mut tx, UserId(user_id)).await?;
    tx.commit().await?;
    super::auth::all_sessions_ended(svc, UserId(user_id));
    svc.mailer().send(templates::password_changed(email));
    Ok(Detail::new("the password has been changed successfully"))
}

/// Checks `key` against the stored code inside `tx`. On a match, hands back the still
/// open transaction and the code's id, for the caller to act and consume it. A wrong or
/// expired code is recorded and committed before the refusal, so failed tries count
/// even though the request fails.
async fn check_code(
    mut tx: Tx,
    purpose: CodePurpose,
    email: &str,
    key: &str,
) -> ServiceResult<(Tx, i64)> {
    let wrong = || ServiceError::NotFound(Missing::Code);
    let row = store::security::find(tx.conn(), email, purpose.as_str())
        .await?
        .ok_or_else(wrong)?;
    if row.expires_at <= now() {
        store::security::delete(tx.conn(), row.id).await?;
        tx.commit().await?;
        return Err(ServiceError::Gone(Expired::Code));
    }
    let presented = code_hash(purpose, email, &key.trim().to_uppercase());
    if presented != row.code_hash {
        let tries = store::security::add_attempt(tx.conn(), row.id).await?;
        if tries >= MAX_WRONG_TRIES {
            store::security::delete(tx.conn(), row.id).await?;
        }
        tx.commit().await?;
        return Err(wrong());
    }
    Ok((tx, row.id))
}

fn new_code() -> String {
    // ThreadRng is a CSPRNG (ChaCha, reseeded from the OS).
    let mut rng = rand::rng();
    (0..CODE_LENGTH)
        .map(|_| char::from(CODE_ALPHABET[rng.random_range(0..CODE_ALPHABET.len())]))
        .collect()
}

fn code_hash(purpose: CodePurpose, email: &str, code: &str) -> String {
    let mut hasher = Sha256::new();
    for part in [purpose.as_str(), email, code] {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    hex::encode(hasher.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_eight_characters_of_the_alphabet_and_differ() {
        let codes: Vec<String> = (0..50).map(|_| new_code()).collect();
        for code in &codes {
            assert_eq!(code.len(), CODE_LENGTH);
            assert!(code.bytes().all(|b| CODE_ALPHABET.contains(&b)), "{code}");
        }
        let distinct: std::collections::HashSet<_> = codes.iter().collect();
        assert_eq!(distinct.len(), codes.len());
    }

    #[test]
    fn a_code_hash_is_bound_to_its_purpose_and_email() {
        let base = code_hash(CodePurpose::ResetPassword, "a@b.co", "ABCD1234");
        assert_ne!(
            base,
            code_hash(CodePurpose::ChangePassword, "a@b.co", "ABCD1234")
        );
        assert_ne!(
            base,
            code_hash(CodePurpose::ResetPassword, "c@b.co", "ABCD1234")
        );
        assert_eq!(
            base,
            code_hash(CodePurpose::ResetPassword, "a@b.co", "ABCD1234")
        );
    }
}
