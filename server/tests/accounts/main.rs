//! Accounts: registration, login and sessions, profiles and people, verification codes, notes, rate limits.
//!
//! One test binary per area (each file a module) so that CI links a few binaries, not
//! one per file.

#[path = "../common/mod.rs"]
mod common;

mod auth;
mod names;
mod notes;
mod people;
mod ratelimit;
mod revocation;
mod security;
mod users;
