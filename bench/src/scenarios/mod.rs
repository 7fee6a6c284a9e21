//! The scenarios, in the order `all` runs them. A scenario is a file here that defines
//! `pub const SCENARIO: Scenario`; naming its module in `registry!` below is the one
//! line that adds it to the command line and to `all`.

use std::{future::Future, pin::Pin};

use crate::{context::Bench, report::ScenarioReport};

// Not `Send`: scenarios run one after another on the main task, and seeding borrows
// across `.await`s in ways the compiler cannot prove `Send` for every lifetime.
pub type Run<'a> = Pin<Box<dyn Future<Output = anyhow::Result<ScenarioReport>> + 'a>>;

pub struct Scenario {
    /// The name on the command line and in the report.
    pub name: &'static str,
    /// One line for `--help`.
    pub about: &'static str,
    pub run: for<'a> fn(&'a Bench) -> Run<'a>,
}

macro_rules! registry {
    ($($module:ident),* $(,)?) => {
        $(mod $module;)*

        /// Every scenario, in the order `all` runs them.
        pub const ALL: &[Scenario] = &[$($module::SCENARIO),*];
    };
}

// Memory right after start comes first, before anything has touched the server; the
// feed is read before `posts` adds its own posts to the seeded 100,000; the socket
// memory before `auth`, whose password hashes leave the heap larger.
registry![
    idle_rss, feed, posts, dm, history, fanout, reconnect, idle_ws, auth
];

/// The scenarios `name` selects: one, or every one for `all`.
pub fn select(name: &str) -> Vec<&'static Scenario> {
    ALL.iter()
        .filter(|scenario| name == "all" || scenario.name == name)
        .collect()
}
