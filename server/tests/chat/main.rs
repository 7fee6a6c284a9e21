//! Chat: DMs, group chats and rooms over REST and the WebSocket, attachments, frames.
//!
//! One test binary per area (each file a module) so that CI links a few binaries, not
//! one per file.

#[path = "../common/mod.rs"]
mod common;

mod groups;
mod message_attachments;
mod messages;
mod ws;
mod ws_frames;
