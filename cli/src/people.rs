//! Naming people on the command line.
//!
//! Every argument that names a user takes `bob`, `@bob`, `#7` or `7`:
//! - `#7` and a bare number such as `7` are always ids;
//! - `@name` is always a username, so `@123` is the user called "123";
//! - anything else is a username.
//!
//! Usernames are looked up (case-insensitively) with `GET /users/by_username/…/`;
//! nobody by that name is "no user named bob" (exit 1).

use std::str::FromStr;

use socmel_client::types::{UserId, users::UserDisplay};

use crate::{
    context::Ctx,
    error::{CliError, CliResult},
};

/// A user as named on the command line: an id or a username.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserRef {
    Id(UserId),
    Name(String),
}

impl FromStr for UserRef {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let id = |digits: &str| {
            digits
                .parse::<i64>()
                .map(|id| UserRef::Id(UserId(id)))
                .map_err(|_| format!("'{text}' is not a user id"))
        };
        if let Some(name) = text.strip_prefix('@') {
            return if name.is_empty() {
                Err("'@' needs a username after it".into())
            } else {
                Ok(Self::Name(name.to_owned()))
            };
        }
        if let Some(digits) = text.strip_prefix('#') {
            return id(digits);
        }
        if text.is_empty() {
            return Err("name a user: bob, @bob, #7 or 7".into());
        }
        if text.bytes().all(|b| b.is_ascii_digit()) {
            return id(text);
        }
        Ok(Self::Name(text.to_owned()))
    }
}

impl std::fmt::Display for UserRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Id(id) => write!(f, "#{id}"),
            Self::Name(name) => write!(f, "@{name}"),
        }
    }
}

impl UserRef {
    /// The user's id: as given, or looked up by username.
    pub async fn resolve(&self, ctx: &mut Ctx) -> CliResult<UserId> {
        match self {
            Self::Id(id) => Ok(*id),
            Self::Name(_) => Ok(self.profile(ctx).await?.id),
        }
    }

    /// The user's profile, by id or by username.
    pub async fn profile(&self, ctx: &mut Ctx) -> CliResult<UserDisplay> {
        match self {
            Self::Id(id) => {
                let id = *id;
                ctx.call(|c| async move { c.view_user(id).await }).await
            }
            Self::Name(name) => {
                let found = ctx
                    .call(|c| async move { c.user_by_username(name).await })
                    .await;
                match found {
                    Err(err) if err.status() == Some(404) => {
                        Err(CliError::Other(format!("no user named {name}")))
                    }
                    other => other,
                }
            }
        }
    }
}

/// Resolves every one of `refs`, in order.
pub async fn resolve_all(ctx: &mut Ctx, refs: &[UserRef]) -> CliResult<Vec<UserId>> {
    let mut ids = Vec::with_capacity(refs.len());
    for who in refs {
        ids.push(who.resolve(ctx).await?);
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_names_follow_the_documented_rule() {
        let parse = |s: &str| s.parse::<UserRef>();
        assert_eq!(parse("bob"), Ok(UserRef::Name("bob".into())));
        assert_eq!(parse("@bob"), Ok(UserRef::Name("bob".into())));
        assert_eq!(parse("#7"), Ok(UserRef::Id(UserId(7))));
        assert_eq!(parse("7"), Ok(UserRef::Id(UserId(7))));
        assert_eq!(parse("@123"), Ok(UserRef::Name("123".into())));
        assert_eq!(parse("b0b"), Ok(UserRef::Name("b0b".into())));
        assert!(parse("#bob").is_err());
        assert!(parse("@").is_err());
        assert!(parse("").is_err());
        assert!(parse("99999999999999999999").is_err());
    }
}
