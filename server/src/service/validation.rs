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

pub(crate) const DISPLAY_NAME_RULE: &str =
    "1-64 characters, without control or bidirectional override characters";
pub(crate) const BIO_RULE: &str =
    "at most 500 characters, without control characters other than line breaks and tabs";

/// Explicit bidirectional formatting (embeddings, overrides, isolates) and line or
/// paragraph separators: they let a name reorder or break the text shown around it.
fn is_bidi_or_separator(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
}

/// A display name (already trimmed): any script, 1–64 characters.
pub(crate) fn is_valid_display_name(name: &str) -> bool {
    (1..=64).contains(&name.chars().count())
        && !name
            .chars()
            .any(|c| c.is_control() || is_bidi_or_separator(c))
}

/// A bio (already trimmed; empty clears it).
pub(crate) fn is_valid_bio(bio: &str) -> bool {
    bio.chars().count() <= 500
        && !bio
            .chars()
            .any(|c| (c.is_control() && c != '\n' && c != '\t') || is_bidi_or_separator(c))
}

/// Makes user text match literally inside a `LIKE` pattern escaped with `\`.
pub(crate) fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
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
    fn display_names_and_bios() {
        for ok in [
            "Ada",
            "山田 太郎",
            "Zoë 🎉",
            "x".repeat(64).as_str(),
            "عبد الله",
        ] {
            assert!(is_valid_display_name(ok), "{ok}");
        }
        for bad in [
            "",
            "x".repeat(65).as_str(),
            "tab\there",
            "new\nline",
            "evil\u{202E}gnp.exe",
            "iso\u{2066}late",
            "nul\u{0}",
        ] {
            assert!(!is_valid_display_name(bad), "{bad:?}");
        }
        assert!(is_valid_bio(""));
        assert!(is_valid_bio("line one\nline two\ttabbed"));
        assert!(is_valid_bio(&"é".repeat(500)));
        assert!(!is_valid_bio(&"é".repeat(501)));
        assert!(!is_valid_bio("bell\u{7}"));
        assert!(!is_valid_bio("flip\u{202D}"));
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
