//! Handing memory freed before an idle spell back to the kernel.
//!
//! mimalloc returns freed pages to the kernel a second after they were freed, but only
//! from inside a later call into the allocator: a server that falls quiet keeps all that
//! its start-up (migrations, pools, the API description) or its last burst of load
//! freed. On a fresh database the idle server held 35–37 MiB instead of 24
//! (BENCHMARKS.md, finding 21).

use std::time::Duration;

/// How often memory freed more than mimalloc's delay ago is handed back.
const EVERY: Duration = Duration::from_secs(5);

/// Hands back at once all that start-up freed (nothing else runs yet, so nothing pays
/// for it), then spawns the task that hands back, every [`EVERY`], what has stayed
/// free past mimalloc's own delay: under load mimalloc has done that already and the
/// call finds little to do; once the load stops it is what lets the memory go.
pub fn return_freed_memory_while_idle() {
    collect(true);
    tokio::spawn(async {
        let mut every = tokio::time::interval_at(tokio::time::Instant::now() + EVERY, EVERY);
        loop {
            every.tick().await;
            collect(false);
        }
    });
}

/// `force` also hands back what was freed within mimalloc's delay.
#[allow(unsafe_code)]
fn collect(force: bool) {
    // SAFETY: `mi_collect` takes no pointers and only walks the allocator's own
    // structures; mimalloc allows it from any thread at any time.
    unsafe { libmimalloc_sys::mi_collect(force) }
}
