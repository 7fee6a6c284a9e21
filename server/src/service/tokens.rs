//! Access tokens (HS256 JWTs) and refresh tokens (random, stored only as a hash).

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub use crate::session::SessionId;
use crate::store::Millis;

/// How long tokens live.
#[derive(Debug, Clone, Copy)]
pub struct TokenSettings {
    pub access_minutes: i64,
    pub refresh_days: i64,
}

pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    settings: TokenSettings,
}

/// What an access token says.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Claims {
    /// The user id, as a string (RFC 7519 wants `sub` to be one).
    pub sub: String,
    pub iat: i64,
    pub exp: i64,
    /// The user's token version when issued; bumping it revokes the token.
    pub ver: i64,
    /// The session (refresh-token family) the token belongs to: ending the session
    /// ends the token too, before its expiry.
    pub sid: String,
}

impl TokenKeys {
    pub fn new(secret: &[u8], settings: TokenSettings) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_required_spec_claims(&["exp", "sub", "iat"]);
        // `sid` is required too (by `Claims`): a token of no session is refused.
        validation.leeway = 5;
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            settings,
        }
    }

    pub fn access_ttl_seconds(&self) -> i64 {
        self.settings.access_minutes * 60
    }

    pub fn refresh_ttl_millis(&self) -> Millis {
        self.settings.refresh_days * 24 * 60 * 60 * 1000
    }

    pub(crate) fn issue_access(
        &self,
        user_id: i64,
        version: i64,
        session: SessionId,
        now: Millis,
    ) -> anyhow::Result<String> {
        let iat = now / 1000;
        let claims = Claims {
            sub: user_id.to_string(),
            iat,
            exp: iat + self.access_ttl_seconds(),
            ver: version,
            sid: session.family(),
        };
        Ok(jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &self.encoding,
        )?)
    }

    /// The claims of a well-signed, unexpired token; `None` for anything else.
    pub(crate) fn verify_access(&self, token: &str) -> Option<Claims> {
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .ok()
            .map(|data| data.claims)
    }
}

/// A fresh token (256 random bits, URL-safe): refresh tokens, session families, invitations.
pub(crate) fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What the database keeps of a refresh or invitation token.
pub(crate) fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(secret: &[u8]) -> TokenKeys {
        TokenKeys::new(
            secret,
            TokenSettings {
                access_minutes: 60,
                refresh_days: 30,
            },
        )
    }

    #[test]
    fn access_tokens_carry_sub_exp_iat_and_version() {
        let keys = keys(b"k1");
        let now = 1_800_000_000_000;
        let token = keys
            .issue_access(42, 3, session(), chrono::Utc::now().timestamp_millis())
            .unwrap();
        let claims = keys.verify_access(&token).unwrap();
        assert_eq!(claims.sub, "42");
        assert_eq!(SessionId::from_family(&claims.sid), Some(session()));
        assert_eq!(claims.ver, 3);
        assert_eq!(claims.exp - claims.iat, 3600);
        let expired = keys
            .issue_access(42, 3, session(), now - 10 * 86_400_000 - 1_000_000_000_000)
            .unwrap();
        assert!(
            keys.verify_access(&expired).is_none(),
            "an expired token must fail"
        );
    }

    fn session() -> SessionId {
        SessionId::from_family(&crate::session::tests_family(7)).unwrap()
    }

    #[test]
    fn a_session_id_is_its_family_and_nothing_else() {
        let family = random_token();
        let id = SessionId::from_family(&family).unwrap();
        assert_eq!(id.family(), family);
        assert!(SessionId::from_family("short").is_none());
        assert!(SessionId::from_family("not base64!").is_none());
    }

    #[test]
    fn tokens_signed_with_another_key_fail() {
        let token = keys(b"k1")
            .issue_access(1, 0, session(), chrono::Utc::now().timestamp_millis())
            .unwrap();
        assert!(keys(b"k2").verify_access(&token).is_none());
        assert!(keys(b"k1").verify_access("not.a.jwt").is_none());
    }

    #[test]
    fn refresh_tokens_are_random_and_hashed() {
        let (a, b) = (random_token(), random_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), a);
    }
}
