//! Input checks that collect every bad field before answering 422.

use socmel_api_types::FieldError;

use super::{ServiceError, ServiceResult};

#[derive(Default)]
pub(crate) struct Validation {
    errors: Vec<FieldError>,
}

impl Validation {
    /// Records `message` against `field` unless `ok`.
    pub fn check(&mut self, ok: bool, field: &str, message: &str) -> &mut Self {
        if !ok {
            self.errors.push(FieldError {
                field: field.to_owned(),
                message: message.to_owned(),
            });
        }
        self
    }

    pub fn finish(&mut self) -> ServiceResult<()> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ServiceError::Validation(std::mem::take(&mut self.errors)))
        }
    }
}

pub(crate) const USERNAME_RULE: &str = "3-32 characters of letters, digits, '_', '.' or '-'";
pub(crate) const EMAIL_RULE: &str = "a valid email address";
pub(crate) const PASSWORD_RULE: &str = "at least 8 and at most 1024 characters";

pub(crate) fn is_valid_username(name: &str) -> bool {
    (3..=32).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
}

/// A pragmatic address check: one `@`, a non-empty local part, a dotted domain, no
/// spaces or control characters. Deliverability is proven by the verification codes.
pub(crate) fn is_valid_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    email.len() <= 254
        && !local.is_empty()
        && local.len() <= 64
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && email.chars().all(|c| !c.is_whitespace() && !c.is_control())
}

pub(crate) const NAME_RULE: &str = "1-50 characters, not all spaces, without control characters";

/// Names of spaces, rooms and group chats (already trimmed).
pub(crate) fn is_valid_name(name: &str) -> bool {
    (1..=50).contains(&name.chars().count()) && !name.chars().any(char::is_control)
}

/// A name of a space, room or group chat, trimmed; 422 (`name`) unless valid.
pub(crate) fn checked_name(name: &str) -> ServiceResult<&str> {
    let name = name.trim();
    Validation::default()
        .check(is_valid_name(name), "name", NAME_RULE)
        .finish()?;
    Ok(name)
}

/// Upper bound keeps a single login from hashing megabytes.
pub(crate) fn is_valid_password(password: &str) -> bool {
    (8..=1024).contains(&password.chars().count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        for ok in ["ada", "a_b.c-d", "X".repeat(32).as_str(), "007"] {
            assert!(is_valid_username(ok), "{ok}");
        }
        for bad in [
            "ab",
            "",
            "has space",
            "émile",
            "a/b",
            "x".repeat(33).as_str(),
        ] {
            assert!(!is_valid_username(bad), "{bad}");
        }
    }

    #[test]
    fn emails() {
        for ok in ["a@b.co", "first.last+tag@sub.example.org"] {
            assert!(is_valid_email(ok), "{ok}");
        }
        for bad in [
            "", "plain", "@b.co", "a@b", "a@@b.co", "a b@c.de", "a@.b.co", "a@b..co", "a@b.co.",
        ] {
            assert!(!is_valid_email(bad), "{bad}");
        }
    }

    #[test]
    fn passwords() {
        assert!(is_valid_password("12345678"));
        assert!(!is_valid_password("1234567"));
        assert!(!is_valid_password(&"p".repeat(1025)));
    }

    #[test]
    fn names() {
        for ok in ["main", "a", "Rust & friends", "é".repeat(50).as_str()] {
            assert!(is_valid_name(ok), "{ok}");
        }
        for bad in ["", "x".repeat(51).as_str(), "tab\there", "line\nbreak"] {
            assert!(!is_valid_name(bad), "{bad}");
        }
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let err = Validation::default()
            .check(false, "username", USERNAME_RULE)
            .check(true, "email", EMAIL_RULE)
            .check(false, "password", PASSWORD_RULE)
            .finish()
            .unwrap_err();
        let ServiceError::Validation(fields) = err else {
            panic!("expected a validation error")
        };
        let names: Vec<_> = fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(names, ["username", "password"]);
    }
}
