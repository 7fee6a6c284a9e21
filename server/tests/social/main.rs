//! Posts, comments, the feed, follows, notifications (stored and live), moderators and what members wrote, media.
//!
//! One test binary per area (each file a module) so that CI links a few binaries, not
//! one per file.

#[path = "../common/mod.rs"]
mod common;

mod comments;
mod feed;
mod follows;
mod live_social;
mod media;
mod notifications;
mod owner_content;
mod posts;
