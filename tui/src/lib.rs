//! `socmel-tui`: SocMel's terminal app. The state lives in `app` and changes only
//! through `update`; `ui` draws it; `net` talks to the server; `runtime` ties them
//! together in one loop.

pub mod alert;
pub mod app;
pub mod cmd;
pub mod composer;
pub mod editor;
pub mod keymap;
pub mod msg;
pub mod net;
pub mod people;
pub mod runtime;
pub mod sidebar;
pub mod switcher;
pub mod terminal;
pub mod timeline;
pub mod ui;
