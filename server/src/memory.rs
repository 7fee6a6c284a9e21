//! Handing memory freed before an idle spell back to the kernel.
//!
//! mimalloc returns freed pages to the kernel a second after they were freed, but only
//! from inside a later call into the allocator: a server that falls quiet keeps all that
//! its start-up (migrations, pools) or its last burst of load freed. On a fresh
//! database the idle server held 35–37 MiB instead of 24 (BENCHMARKS.md, finding 20).
//! A collection every few seconds costs nothing measurable under load and lets the
//! resident memory fall back once the load stops.

use std::time::Duration;

/// How often freed memory is handed back; the first time is at once, right after
/// start-up.
const EVERY: Duration = Duration::from_secs(5);

/// Spawns the task that hands freed memory back every [`EVERY`], for as long as the
/// runtime lives.
pub fn return_freed_memory_while_idle() {
    tokio::spawn(async {
        let mut every = tokio::time::interval(EVERY);
        loop {
            every.tick().await;
            return_freed_memory();
        }
    });
}

#[allow(unsafe_code)]
fn return_freed_memory() {
    // SAFETY: `mi_collect` takes no pointers and only walks the allocator's own
    // structures; mimalloc allows it from any thread at any time.
    unsafe { libmimalloc_sys::mi_collect(true) }
}
