//! `/security/…`: verification codes for changing the email or password and for
//! resetting a forgotten password.

use serde::{Deserialize, Serialize};

/// What a code may be used for; a code works for its own purpose only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename_all = "SCREAMING_SNAKE_CASE"))]
pub enum CodePurpose {
    /// Change the account's email (the code goes to the current address).
    ChangeEmail,
    /// Change the password while signed in.
    ChangePassword,
    /// Reset a forgotten password.
    ResetPassword,
}

impl CodePurpose {
    /// The purpose as it is spelled on the wire and stored (`CHANGE_EMAIL`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ChangeEmail => "CHANGE_EMAIL",
            Self::ChangePassword => "CHANGE_PASSWORD",
            Self::ResetPassword => "RESET_PASSWORD",
        }
    }
}

/// `POST /security/request_verification_code/`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct CodeRequest {
    /// The account's email; the code is sent there. The answer is the same whether or not
    /// an account has it.
    pub email: String,
    /// What the code will be good for.
    pub purpose: CodePurpose,
}

/// `POST /security/change_email/`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ChangeEmail {
    /// The account's current email; the code was sent there.
    pub old_email: String,
    /// The address to move to; must not belong to another account.
    pub new_email: String,
    /// The code.
    pub key: String,
}

/// `POST /security/change_password/`: the signed-in owner, with the old password and a
/// `CHANGE_PASSWORD` code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ChangePassword {
    /// The account's email; the code was sent there.
    pub email: String,
    /// The current password.
    pub old_password: String,
    /// At least 8 characters.
    pub new_password: String,
    /// The same as `new_password`.
    pub new_password_confirm: String,
    /// The code.
    pub key: String,
}

/// `POST /security/reset_password/`: whoever holds a `RESET_PASSWORD` code. The same
/// keys as a change less `old_password` (which is ignored when sent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ResetPassword {
    /// The account's email; the code was sent there.
    pub email: String,
    /// At least 8 characters.
    pub new_password: String,
    /// The same as `new_password`.
    pub new_password_confirm: String,
    /// The code.
    pub key: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roundtrip::assert_roundtrip;

    #[test]
    fn purposes_are_upstream_spelled() {
        let json = serde_json::to_string(&CodePurpose::ResetPassword).unwrap();
        assert_eq!(json, "\"RESET_PASSWORD\"");
        assert_eq!(CodePurpose::ChangeEmail.as_str(), "CHANGE_EMAIL");
    }

    #[test]
    fn security_dtos_roundtrip() {
        assert_roundtrip(&CodeRequest {
            email: "a@b.co".into(),
            purpose: CodePurpose::ChangeEmail,
        });
        assert_roundtrip(&ChangeEmail {
            old_email: "a@b.co".into(),
            new_email: "c@d.co".into(),
            key: "K".into(),
        });
        assert_roundtrip(&ChangePassword {
            email: "a@b.co".into(),
            old_password: "o".into(),
            new_password: "n".into(),
            new_password_confirm: "n".into(),
            key: "K".into(),
        });
        assert_roundtrip(&ResetPassword {
            email: "a@b.co".into(),
            new_password: "n".into(),
            new_password_confirm: "n".into(),
            key: "K".into(),
        });
    }
}
