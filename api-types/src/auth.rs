//! Registration, login and tokens.

use serde::{Deserialize, Serialize};

/// `POST /auth/register/` (upstream `UserCreate`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct UserCreate {
    /// 3–32 characters of `A-Z a-z 0-9 _ . -`.
    pub username: String,
    /// Where verification codes are sent; unique (case-insensitively), never shown to others.
    pub email: String,
    /// At least 8 characters.
    pub password: String,
}

/// The login form (`application/x-www-form-urlencoded`), OAuth2 password-grant style.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct LoginForm {
    /// The email or the username.
    pub username: String,
    /// The account's password.
    pub password: String,
    /// If sent, must be `password`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grant_type: Option<String>,
    /// Accepted for OAuth2 form compatibility and ignored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// Accepted for OAuth2 form compatibility and ignored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// Accepted for OAuth2 form compatibility and ignored; never logged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
}

/// What login and refresh answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct TokenResponse {
    /// Sent as `Authorization: Bearer …` on every authenticated request and as `token`
    /// when opening the WebSocket; valid for `expires_in` seconds.
    pub access_token: String,
    /// Always `bearer`.
    pub token_type: String,
    /// Exchange at `POST /auth/refresh/` for a new pair; single use.
    #[serde(default)]
    pub refresh_token: String,
    /// Seconds until `access_token` expires.
    #[serde(default)]
    pub expires_in: i64,
}

/// `POST /auth/refresh/` and `POST /auth/logout/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct RefreshRequest {
    /// The refresh token handed out by login or the previous refresh.
    pub refresh_token: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roundtrip::assert_roundtrip;

    #[test]
    fn auth_dtos_roundtrip() {
        assert_roundtrip(&UserCreate {
            username: "ada".into(),
            email: "ada@example.com".into(),
            password: "correct horse".into(),
        });
        assert_roundtrip(&TokenResponse {
            access_token: "a".into(),
            token_type: "bearer".into(),
            refresh_token: "r".into(),
            expires_in: 3600,
        });
        assert_roundtrip(&RefreshRequest {
            refresh_token: "r".into(),
        });
    }

    #[test]
    fn upstream_login_answer_still_parses() {
        let old: TokenResponse =
            serde_json::from_str(r#"{"access_token":"x","token_type":"bearer"}"#).unwrap();
        assert_eq!(old.expires_in, 0);
    }
}
