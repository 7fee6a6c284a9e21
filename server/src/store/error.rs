use thiserror::Error;

/// What can go wrong below the service layer. Constraint failures are classified so
/// the service can turn "that name is taken" into a 409 instead of a 500.
#[derive(Debug, Error)]
pub enum StoreError {
    /// A unique constraint refused the write.
    #[error("unique constraint violated: {0:?}")]
    Unique(Constraint),
    /// A foreign key refused the write (the referenced row is gone).
    #[error("foreign key constraint violated")]
    ForeignKey,
    #[error("database error: {0}")]
    Database(#[source] sqlx::Error),
    /// A write queued with others failed with them (see `effects::post_writer`).
    #[error("batched write failed: {0}")]
    Batch(String),
    /// The write-ahead log could not be synced: the commit may not survive a power
    /// cut, so it is not acknowledged.
    #[error("syncing the database failed: {0}")]
    Io(#[source] std::io::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// The unique constraints a request can trip, named once here from what either backend
/// reports, so that the service matches on a type rather than on constraint names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Constraint {
    /// `users_username_key` (case-insensitive).
    Username,
    /// `users_email_key`.
    Email,
    /// `spaces_name_key` (case-insensitive).
    SpaceName,
    /// `rooms_space_name_key`: a room name within its space.
    RoomName,
    /// The `space_bans` key: one ban per (space, user).
    SpaceBan,
    /// The `space_members` key: one membership per (space, user).
    SpaceMember,
    /// `follows_pair_key`: one follow per (follower, followed).
    Follow,
    /// Any other (tokens, keys, codes): what the database said.
    Other(String),
}

/// Where either backend's report mentions each constraint: PostgreSQL names the
/// constraint; SQLite names the index (expression indexes) or the table's columns.
/// The first match wins, so more specific names come first.
const CONSTRAINTS: &[(&str, Constraint)] = &[
    ("verification_codes", Constraint::Other(String::new())),
    ("refresh_tokens", Constraint::Other(String::new())),
    ("space_invitations", Constraint::Other(String::new())),
    ("attachments", Constraint::Other(String::new())),
    ("username", Constraint::Username),
    ("email", Constraint::Email),
    ("spaces_name_key", Constraint::SpaceName),
    ("rooms_space_name_key", Constraint::RoomName),
    ("space_bans", Constraint::SpaceBan),
    ("space_members", Constraint::SpaceMember),
    ("follows", Constraint::Follow),
];

impl Constraint {
    /// The constraint a backend's report names.
    fn named_in(report: &str) -> Self {
        CONSTRAINTS
            .iter()
            .find(|(name, _)| report.contains(name))
            .map(|(_, constraint)| constraint.clone())
            .filter(|constraint| !matches!(constraint, Self::Other(_)))
            .unwrap_or_else(|| Self::Other(report.to_owned()))
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(err: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &err {
            match db.kind() {
                sqlx::error::ErrorKind::UniqueViolation => {
                    // PostgreSQL names the constraint; SQLite names the columns or the
                    // index in its message.
                    let report = db.constraint().unwrap_or_else(|| db.message());
                    return Self::Unique(Constraint::named_in(report));
                }
                sqlx::error::ErrorKind::ForeignKeyViolation => return Self::ForeignKey,
                _ => {}
            }
        }
        Self::Database(err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_backends_reports_name_the_same_constraint() {
        for (report, constraint) in [
            ("users_username_key", Constraint::Username),
            (
                "UNIQUE constraint failed: index 'users_username_key'",
                Constraint::Username,
            ),
            ("users_email_key", Constraint::Email),
            ("UNIQUE constraint failed: users.email", Constraint::Email),
            (
                "UNIQUE constraint failed: index 'spaces_name_key'",
                Constraint::SpaceName,
            ),
            ("rooms_space_name_key", Constraint::RoomName),
            ("space_bans_pkey", Constraint::SpaceBan),
            (
                "UNIQUE constraint failed: space_members.space_id, space_members.user_id",
                Constraint::SpaceMember,
            ),
            ("follows_pair_key", Constraint::Follow),
            (
                "UNIQUE constraint failed: follows.follower_id, follows.followed_id",
                Constraint::Follow,
            ),
        ] {
            assert_eq!(Constraint::named_in(report), constraint, "{report}");
        }
        let codes =
            "UNIQUE constraint failed: verification_codes.email, verification_codes.purpose";
        assert_eq!(Constraint::named_in(codes), Constraint::Other(codes.into()));
    }
}
