//! What every command runs with: the output mode, a client for the chosen server, and
//! the profile whose tokens it uses (refreshed automatically).

use std::future::Future;

use socmel_client::{
    Client, ClientResult,
    types::{Page, auth::TokenResponse, page::PageItem, users::UserDisplay},
};

use crate::{
    cli::{DEFAULT_SERVER, Global, Paging},
    config::{Credentials, Profile},
    error::{CliError, CliResult},
    output::Output,
};

/// Where the access token in use came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenSource {
    Flag,
    Env,
    /// The profile in the credentials file: the only source that can be refreshed.
    Profile,
    None,
}

impl TokenSource {
    pub fn describe(self) -> &'static str {
        match self {
            Self::Flag => "--token",
            Self::Env => "SOCMEL_TOKEN",
            Self::Profile => "credentials file",
            Self::None => "none",
        }
    }
}

pub struct Ctx {
    pub out: Output,
    pub client: Client,
    pub server: String,
    pub profile: String,
    pub creds: Credentials,
    pub token_source: TokenSource,
}

impl Ctx {
    /// `token_from_env` tells a token given by `SOCMEL_TOKEN` from one given by `--token`.
    pub fn new(global: &Global, token_from_env: bool) -> CliResult<Self> {
        let creds = Credentials::load()?;
        let stored = creds.get(&global.profile);
        let server = global
            .server
            .clone()
            .or_else(|| stored.map(|p| p.server.clone()))
            .unwrap_or_else(|| DEFAULT_SERVER.to_owned());
        let server = server.trim_end_matches('/').to_owned();
        let client = Client::new(&server)?;
        let mut token_source = TokenSource::None;
        if let Some(token) = &global.token {
            client.set_token(Some(token.clone()));
            token_source = if token_from_env {
                TokenSource::Env
            } else {
                TokenSource::Flag
            };
        } else if let Some(profile) = stored {
            // A profile's token belongs to its own server: never send it elsewhere.
            if profile.server.trim_end_matches('/') == server
                && let Some(token) = &profile.access_token
            {
                client.set_token(Some(token.clone()));
                token_source = TokenSource::Profile;
            }
        }
        Ok(Self {
            out: Output::new(global.json, global.jq.clone()),
            client,
            server,
            profile: global.profile.clone(),
            creds,
            token_source,
        })
    }

    pub fn stored(&self) -> Option<&Profile> {
        self.creds.get(&self.profile)
    }

    fn refresh_token(&self) -> Option<String> {
        if self.token_source != TokenSource::Profile {
            return None;
        }
        self.stored().and_then(|p| p.refresh_token.clone())
    }

    /// Runs one API call with the current token. A stored token that has expired is
    /// refreshed first; a 401 answer triggers one refresh and one retry.
    pub async fn call<T, F, Fut>(&mut self, call: F) -> CliResult<T>
    where
        F: Fn(Client) -> Fut,
        Fut: Future<Output = ClientResult<T>>,
    {
        if self.token_source == TokenSource::Profile
            && self.stored().is_some_and(Profile::needs_refresh)
            && self.refresh_token().is_some()
        {
            self.refresh().await?;
        }
        match call(self.client.clone()).await {
            Err(err) if err.status() == Some(401) && self.refresh_token().is_some() => {
                self.refresh().await?;
                Ok(call(self.client.clone()).await?)
            }
            Err(err) if err.status() == Some(401) && self.token_source == TokenSource::None => {
                Err(CliError::Auth(format!(
                    "not logged in (profile '{}' on {})",
                    self.profile, self.server
                )))
            }
            other => Ok(other?),
        }
    }

    /// A listing as `paging` asks: one page (`--limit`, `--cursor`), or with `--all`
    /// every page from there on, gathered into one (its `next_cursor` then null).
    /// `fetch` is told the cursor and the page size.
    pub async fn listing<T, F, Fut>(&mut self, paging: &Paging, fetch: F) -> CliResult<Page<T>>
    where
        T: PageItem,
        F: Fn(Client, Option<String>, Option<i64>) -> Fut,
        Fut: Future<Output = ClientResult<Page<T>>>,
    {
        // Following every page, the largest pages take the fewest requests.
        let limit = match (paging.limit, paging.all) {
            (None, true) => Some(100),
            (limit, _) => limit,
        };
        let mut cursor = paging.cursor.clone();
        let mut items = Vec::new();
        loop {
            let after = cursor.clone();
            let page = self.call(|c| fetch(c, after.clone(), limit)).await?;
            items.extend(page.items);
            match page.next_cursor {
                Some(next) if paging.all => cursor = Some(next),
                next => return Ok(Page::new(items, next)),
            }
        }
    }

    /// Trades the stored refresh token for a new pair and saves it.
    pub async fn refresh(&mut self) -> CliResult<TokenResponse> {
        let Some(refresh_token) = self.refresh_token() else {
            return Err(CliError::Auth(format!(
                "profile '{}' has no stored session to refresh",
                self.profile
            )));
        };
        let tokens = match self.client.refresh(&refresh_token).await {
            Ok(tokens) => tokens,
            Err(err) if err.status() == Some(401) => {
                return Err(CliError::Auth(format!(
                    "the session of profile '{}' has expired or was revoked",
                    self.profile
                )));
            }
            Err(err) => return Err(err.into()),
        };
        if let Some(profile) = self.creds.profiles.get_mut(&self.profile) {
            profile.set_tokens(&tokens);
        }
        self.creds.save()?;
        Ok(tokens)
    }

    /// Remembers a fresh login in the profile (server, account, token pair).
    pub fn save_login(&mut self, user: &UserDisplay, tokens: &TokenResponse) -> CliResult {
        let mut profile = Profile {
            server: self.server.clone(),
            username: Some(user.username.clone()),
            ..Profile::default()
        };
        profile.set_tokens(tokens);
        self.creds.profiles.insert(self.profile.clone(), profile);
        self.creds.save()?;
        self.client.set_token(Some(tokens.access_token.clone()));
        self.token_source = TokenSource::Profile;
        Ok(())
    }

    /// Forgets the profile's tokens (keeping nothing of the session locally).
    pub fn forget_login(&mut self) -> CliResult<bool> {
        let removed = self.creds.profiles.remove(&self.profile).is_some();
        if removed {
            self.creds.save()?;
        }
        Ok(removed)
    }
}
