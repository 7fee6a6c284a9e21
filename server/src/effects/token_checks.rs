//! Sessions whose account and liveness were read recently, so that authenticating a
//! request does not cost a database read each time.
//!
//! Only on the embedded SQLite database, where this process is the only writer and so
//! sees every revocation: with PostgreSQL another node may revoke tokens, and the
//! database stays the one place to ask. A revocation forgets the account *after* its
//! transaction commits; a read that started before that forgetting is not remembered
//! (the generation moved on meanwhile), so a stale version can never be cached. An
//! entry also expires after [`TTL`], so that an account changed in the database by hand
//! (deactivated by an operator, say) is refused soon after without a restart.

use std::{
    collections::HashMap,
    sync::{
        RwLock,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use crate::session::SessionId;

/// Beyond this many accounts the cache starts over, which keeps it bounded.
const CAPACITY: usize = 100_000;
/// How long an entry is trusted.
pub const TTL: Duration = Duration::from_secs(30);

/// What authentication needs to know about an account and one of its sessions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenCheck {
    pub token_version: i64,
    pub is_active: bool,
    pub session_live: bool,
}

/// Per account, per session: what was read and when.
type Known = HashMap<i64, HashMap<SessionId, (TokenCheck, Instant)>>;

pub struct TokenChecks {
    enabled: bool,
    generation: AtomicU64,
    known: RwLock<Known>,
}

/// Taken before reading an account from the database; see [`TokenChecks::remember`].
#[derive(Debug, Clone, Copy)]
pub struct Generation(u64);

impl TokenChecks {
    pub fn new(enabled: bool) -> Self {
        Self {
            enabled,
            generation: AtomicU64::new(0),
            known: RwLock::new(HashMap::new()),
        }
    }

    pub fn get(&self, user_id: i64, session: SessionId) -> Option<TokenCheck> {
        if !self.enabled {
            return None;
        }
        let known = self.known.read().unwrap_or_else(|p| p.into_inner());
        known
            .get(&user_id)?
            .get(&session)
            .filter(|(_, at)| at.elapsed() < TTL)
            .map(|(check, _)| *check)
    }

    /// Call before reading the account that [`Self::remember`] will be given.
    pub fn generation(&self) -> Generation {
        Generation(self.generation.load(Ordering::Acquire))
    }

    /// Keeps `check`, read after `since` was taken, unless an account was forgotten
    /// meanwhile (the read may predate that revocation).
    pub fn remember(&self, user_id: i64, session: SessionId, check: TokenCheck, since: Generation) {
        if !self.enabled {
            return;
        }
        let mut known = self.known.write().unwrap_or_else(|p| p.into_inner());
        if self.generation.load(Ordering::Acquire) != since.0 {
            return;
        }
        if known.len() >= CAPACITY {
            known.clear();
        }
        known
            .entry(user_id)
            .or_default()
            .insert(session, (check, Instant::now()));
    }

    /// The account's tokens or status changed: only through `Effects::committed`.
    pub fn forget(&self, user_id: i64) {
        let mut known = self.known.write().unwrap_or_else(|p| p.into_inner());
        self.generation.fetch_add(1, Ordering::AcqRel);
        known.remove(&user_id);
    }

    /// One session of the account ended: only through `Effects::committed`.
    pub fn forget_session(&self, user_id: i64, session: SessionId) {
        let mut known = self.known.write().unwrap_or_else(|p| p.into_inner());
        self.generation.fetch_add(1, Ordering::AcqRel);
        if let Some(sessions) = known.get_mut(&user_id) {
            sessions.remove(&session);
        }
    }
}

#[cfg(test)]
#[allow(clippy::disallowed_methods)] // the tests forget by hand
mod tests {
    use super::*;

    const CHECK: TokenCheck = TokenCheck {
        token_version: 3,
        is_active: true,
        session_live: true,
    };

    fn session(n: u8) -> SessionId {
        SessionId::from_family(&crate::session::tests_family(n)).unwrap()
    }

    #[test]
    fn remembers_until_forgotten() {
        let checks = TokenChecks::new(true);
        checks.remember(1, session(1), CHECK, checks.generation());
        checks.remember(1, session(2), CHECK, checks.generation());
        assert_eq!(checks.get(1, session(1)), Some(CHECK));
        checks.forget_session(1, session(1));
        assert_eq!(checks.get(1, session(1)), None);
        assert_eq!(checks.get(1, session(2)), Some(CHECK));
        checks.forget(1);
        assert_eq!(checks.get(1, session(2)), None);
    }

    #[test]
    fn a_read_that_raced_a_revocation_is_not_kept() {
        let checks = TokenChecks::new(true);
        let before_read = checks.generation();
        checks.forget(1); // the revocation commits while the read is in flight
        checks.remember(1, session(1), CHECK, before_read);
        assert_eq!(checks.get(1, session(1)), None);
    }

    #[test]
    fn disabled_it_keeps_nothing() {
        let checks = TokenChecks::new(false);
        checks.remember(1, session(1), CHECK, checks.generation());
        assert_eq!(checks.get(1, session(1)), None);
    }
}
