//! The login session a token and a socket belong to, named apart from the token code so
//! that the bus, the caches and the hub can name it without depending on the services.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};

/// One login session: the refresh-token family every token of it shares. Access
/// tokens carry it (`sid`), and live WebSockets belong to it, so ending the session
/// ends both. Fixed-size (the family is 256 random bits) so that the proof of
/// authentication stays `Copy`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct SessionId([u8; 32]);

impl SessionId {
    /// The session a family names; `None` for anything this server did not make.
    pub(crate) fn from_family(family: &str) -> Option<Self> {
        let bytes = URL_SAFE_NO_PAD.decode(family).ok()?;
        Some(Self(bytes.try_into().ok()?))
    }

    /// The family as stored.
    pub(crate) fn family(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.0)
    }
}

/// Never printed: knowing a session's family grants nothing, but logs need not hold it.
impl std::fmt::Debug for SessionId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionId(..)")
    }
}

/// A family made of one repeated byte, for tests.
#[cfg(test)]
pub(crate) fn tests_family(byte: u8) -> String {
    URL_SAFE_NO_PAD.encode([byte; 32])
}
