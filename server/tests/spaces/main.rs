//! Spaces: members and roles, rooms, bans, invitations, and the membership changes the socket hears.
//!
//! One test binary per area (each file a module) so that CI links a few binaries, not
//! one per file.

#[path = "../common/mod.rs"]
mod common;

mod bans;
mod invitations;
mod live_membership;
mod membership_events;
mod rooms;
mod space_members;
mod spaces;
