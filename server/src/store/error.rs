use thiserror::Error;

/// What can go wrong below the service layer. Constraint failures are classified so
/// the service can turn "that name is taken" into a 409 instead of a 500.
#[derive(Debug, Error)]
pub enum StoreError {
    /// A unique constraint refused the write; the text names the constraint or columns.
    #[error("unique constraint violated: {0}")]
    Unique(String),
    /// A foreign key refused the write (the referenced row is gone).
    #[error("foreign key constraint violated")]
    ForeignKey,
    #[error("database error: {0}")]
    Database(#[source] sqlx::Error),
    /// A write queued with others failed with them (see `service::post_writer`).
    #[error("batched write failed: {0}")]
    Batch(String),
    /// The write-ahead log could not be synced: the commit may not survive a power
    /// cut, so it is not acknowledged.
    #[error("syncing the database failed: {0}")]
    Io(#[source] std::io::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl StoreError {
    /// True when a unique constraint on something named like `what` refused the write.
    /// Both backends mention the constraint's name or its column in the error.
    pub fn is_unique_on(&self, what: &str) -> bool {
        matches!(self, Self::Unique(target) if target.contains(what))
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(err: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &err {
            match db.kind() {
                sqlx::error::ErrorKind::UniqueViolation => {
                    // PostgreSQL names the constraint; SQLite names the columns or the
                    // index in its message.
                    let target = db
                        .constraint()
                        .map(str::to_owned)
                        .unwrap_or_else(|| db.message().to_owned());
                    return Self::Unique(target);
                }
                sqlx::error::ErrorKind::ForeignKeyViolation => return Self::ForeignKey,
                _ => {}
            }
        }
        Self::Database(err)
    }
}
