//! Profiles and the credentials file: shared with the TUI, so they live in
//! `socmel_client::profiles`; this module only adapts their errors to the CLI's.

pub use socmel_client::profiles::{Credentials, Profile};

use crate::error::CliError;

impl From<socmel_client::profiles::ProfilesError> for CliError {
    fn from(err: socmel_client::profiles::ProfilesError) -> Self {
        Self::Other(err.0)
    }
}
