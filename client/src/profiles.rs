//! Profiles and the credentials file, shared by the CLI and the TUI.
//!
//! `<config dir>/socmel/credentials.json` (or `$SOCMEL_CONFIG_DIR/credentials.json`) maps a
//! profile name to the server, account and token pair it uses. The file holds live
//! tokens, so it is written 0600 inside a 0700 folder, atomically (temp file + rename).
//! `socmel auth login` then `socmel-tui` just works: both read and write this file.

use std::{
    collections::BTreeMap,
    fs,
    io::Write,
    path::{Path, PathBuf},
};

use serde::{Deserialize, Serialize};
use socmel_api_types::{Timestamp, auth::TokenResponse};

/// Why the credentials file could not be read or written; the text names the file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ProfilesError(pub String);

/// The credentials file's name, in the folder `Credentials::load_in` reads.
pub const CREDENTIALS_FILE: &str = "credentials.json";

/// One server + account.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    /// The server's address.
    pub server: String,
    /// Who is signed in, if anyone.
    #[serde(default)]
    pub username: Option<String>,
    /// The current access token.
    #[serde(default)]
    pub access_token: Option<String>,
    /// The refresh token that renews it.
    #[serde(default)]
    pub refresh_token: Option<String>,
    /// When the access token expires.
    #[serde(default)]
    pub expires_at: Option<Timestamp>,
}

impl Profile {
    /// Stores a fresh token pair; `expires_in` is counted from now.
    pub fn set_tokens(&mut self, tokens: &TokenResponse) {
        self.access_token = Some(tokens.access_token.clone());
        if !tokens.refresh_token.is_empty() {
            self.refresh_token = Some(tokens.refresh_token.clone());
        }
        self.expires_at = (tokens.expires_in > 0)
            .then(|| Timestamp(chrono::Utc::now() + chrono::Duration::seconds(tokens.expires_in)));
    }

    /// Whether the access token is expired or about to be, so a refresh is due first.
    /// A small margin keeps a request from arriving just after expiry.
    pub fn needs_refresh(&self) -> bool {
        match self.expires_at {
            Some(at) => at.0 <= chrono::Utc::now() + chrono::Duration::seconds(30),
            None => false,
        }
    }
}

/// The credentials file, loaded.
#[derive(Debug, Clone)]
pub struct Credentials {
    path: PathBuf,
    /// The profiles by name.
    pub profiles: BTreeMap<String, Profile>,
}

/// `$SOCMEL_CONFIG_DIR`, or `socmel` in the user's config folder (XDG on Linux).
pub fn config_dir() -> Result<PathBuf, ProfilesError> {
    if let Some(dir) = std::env::var_os("SOCMEL_CONFIG_DIR").filter(|dir| !dir.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    dirs::config_dir()
        .map(|dir| dir.join("socmel"))
        .ok_or_else(|| {
            ProfilesError("no config folder for this user: set SOCMEL_CONFIG_DIR (or HOME)".into())
        })
}

impl Credentials {
    /// Loads the file; a missing file is an empty set of profiles.
    pub fn load() -> Result<Self, ProfilesError> {
        Self::load_in(&config_dir()?)
    }

    /// Loads `credentials.json` from `dir` (what `load` does for the config folder).
    pub fn load_in(dir: &Path) -> Result<Self, ProfilesError> {
        let path = dir.join(CREDENTIALS_FILE);
        let profiles = match fs::read_to_string(&path) {
            Ok(text) => serde_json::from_str(&text)
                .map_err(|err| ProfilesError(format!("{} is not valid: {err}", path.display())))?,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => BTreeMap::new(),
            Err(err) => {
                return Err(ProfilesError(format!("reading {}: {err}", path.display())));
            }
        };
        Ok(Self { path, profiles })
    }

    /// Where the file is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The profile called `name`.
    pub fn get(&self, name: &str) -> Option<&Profile> {
        self.profiles.get(name)
    }

    /// Writes the file: folder 0700 (when this creates it), file 0600, replaced atomically
    /// so a crash never leaves half a file of tokens.
    pub fn save(&self) -> Result<(), ProfilesError> {
        let io = |what: &str, err: std::io::Error| ProfilesError(format!("{what}: {err}"));
        let dir = self
            .path
            .parent()
            .ok_or_else(|| ProfilesError("the credentials path has no folder".into()))?;
        create_private_dir(dir).map_err(|err| io(&format!("creating {}", dir.display()), err))?;
        let text = serde_json::to_string_pretty(&self.profiles)
            .map_err(|err| ProfilesError(format!("encoding credentials: {err}")))?;
        let temp = dir.join(format!(".{CREDENTIALS_FILE}.{}.tmp", std::process::id()));
        write_private(&temp, text.as_bytes())
            .map_err(|err| io(&format!("writing {}", temp.display()), err))?;
        fs::rename(&temp, &self.path)
            .map_err(|err| io(&format!("writing {}", self.path.display()), err))
    }
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
    }
    #[cfg(not(unix))]
    {
        fs::create_dir_all(dir)
    }
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    // The mode above only applies to new files; a leftover temp file is tightened too.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(fs::Permissions::from_mode(0o600))?;
    }
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_set_expiry_from_expires_in() {
        let mut profile = Profile::default();
        profile.set_tokens(&TokenResponse {
            access_token: "a".into(),
            token_type: "bearer".into(),
            refresh_token: "r".into(),
            expires_in: 3600,
        });
        assert_eq!(profile.access_token.as_deref(), Some("a"));
        assert_eq!(profile.refresh_token.as_deref(), Some("r"));
        assert!(!profile.needs_refresh());
        profile.expires_at = Some(Timestamp::from_millis(0));
        assert!(profile.needs_refresh());
    }

    #[cfg(unix)]
    #[test]
    fn saved_file_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let nested = dir.path().join("socmel");
        let mut creds = Credentials {
            path: nested.join(CREDENTIALS_FILE),
            profiles: BTreeMap::new(),
        };
        creds.profiles.insert(
            "default".into(),
            Profile {
                server: "http://x".into(),
                ..Profile::default()
            },
        );
        creds.save().unwrap();
        let file_mode = fs::metadata(creds.path()).unwrap().permissions().mode();
        let dir_mode = fs::metadata(&nested).unwrap().permissions().mode();
        assert_eq!(file_mode & 0o777, 0o600);
        assert_eq!(dir_mode & 0o777, 0o700);
        let back: BTreeMap<String, Profile> =
            serde_json::from_str(&fs::read_to_string(creds.path()).unwrap()).unwrap();
        assert_eq!(back, creds.profiles);
    }
}
