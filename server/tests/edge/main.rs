//! The edge and the machinery: HTTP behaviour, the published document, slow clients, jobs, durability.
//!
//! One test binary per area (each file a module) so that CI links a few binaries, not
//! one per file.

#[path = "../common/mod.rs"]
mod common;

mod durability;
mod http;
mod jobs;
mod openapi;
mod slow_clients;
