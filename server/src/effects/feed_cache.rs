//! The first page of each viewer's feed, remembered as the ids of its candidate posts.
//!
//! Working out which posts open a feed walks every followee's newest posts; most of a
//! feed read's cost is that walk, and most feed reads are someone opening or
//! refreshing their first page while nothing they follow has changed. What is kept is
//! only the ordered candidate ids (before the visibility check): rows, counts,
//! `liked_by_me` and visibility are read fresh on every request, so a like, an edit or
//! a post turned followers-only shows at once.
//!
//! A remembered page lists what it was built from (the viewer, the people they follow,
//! their spaces). Every change that can alter a candidate list stamps what it touched
//! with the next tick of one clock, once its transaction has committed: a post added
//! or removed stamps its author and its space; a follow accepted or dropped, or a
//! membership gained or lost, stamps the viewer whose sources changed. A page is used
//! only while nothing it was built from carries a stamp newer than the tick taken
//! before it was read, so a read racing a change is never trusted.
//!
//! Only on the embedded SQLite database, where this process is the only writer and so
//! sees every change: with PostgreSQL another node may write, and every read walks.
//! A page also expires after [`TTL`], so that a change made in the database by hand
//! shows without a restart.

use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};

use crate::store::feed::Sources;

/// How long a remembered page is trusted.
pub const TTL: Duration = Duration::from_secs(30);
/// The most viewers remembered; past it, one is forgotten for each new one.
const PAGES: usize = 20_000;
/// Stamps kept per kind before they are all dropped (with every page, see
/// [`State::start_over`]).
const STAMPS: usize = 200_000;
/// Viewers following more people and spaces than this are not remembered: checking
/// their page would hold the lock longer than a read is worth.
const MAX_SOURCES: usize = 1_000;

/// Taken before reading what [`FeedCache::remember`] will be given.
#[derive(Debug, Clone, Copy)]
pub struct Tick(u64);

pub struct FeedCache {
    enabled: bool,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    clock: u64,
    /// Nothing read before this tick may be remembered (the stamps were dropped).
    floor: u64,
    authors: HashMap<i64, u64>,
    spaces: HashMap<i64, u64>,
    viewers: HashMap<i64, u64>,
    pages: HashMap<i64, Remembered>,
}

struct Remembered {
    read_after: u64,
    at: Instant,
    reach: i64,
    sources: Sources,
    candidates: Vec<i64>,
}

impl FeedCache {
    pub fn new(enabled: bool) -> Self {
        Self {
            enabled,
            state: Mutex::new(State::default()),
        }
    }

    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// The remembered candidates of `viewer`'s first page, `reach` of them at most,
    /// if nothing they came from has changed since.
    pub fn candidates(&self, viewer: i64, reach: i64) -> Option<Vec<i64>> {
        if !self.enabled {
            return None;
        }
        let state = self.lock();
        let page = state.pages.get(&viewer)?;
        let fresh = page.reach == reach
            && page.at.elapsed() < TTL
            && state.unchanged_since(viewer, &page.sources, page.read_after);
        fresh.then(|| page.candidates.clone())
    }

    /// Call before reading the sources and candidates given to [`Self::remember`].
    pub fn tick(&self) -> Tick {
        Tick(self.lock().clock)
    }

    /// Keeps `viewer`'s first page, read after `read_after` was taken, unless
    /// something it came from changed meanwhile.
    pub fn remember(
        &self,
        viewer: i64,
        reach: i64,
        read_after: Tick,
        sources: Sources,
        candidates: Vec<i64>,
    ) {
        if !self.enabled || sources.followed.len() + sources.spaces.len() > MAX_SOURCES {
            return;
        }
        let mut state = self.lock();
        if read_after.0 < state.floor || !state.unchanged_since(viewer, &sources, read_after.0) {
            return;
        }
        if state.pages.len() >= PAGES && !state.pages.contains_key(&viewer) {
            // Any one will do: a forgotten page is only read again.
            if let Some(&other) = state.pages.keys().next() {
                state.pages.remove(&other);
            }
        }
        state.pages.insert(
            viewer,
            Remembered {
                read_after: read_after.0,
                at: Instant::now(),
                reach,
                sources,
                candidates,
            },
        );
    }

    /// A post by `author` (in `space`, if any) was added or removed: only through
    /// `Effects::committed`, once it has committed.
    pub fn post_changed(&self, author: i64, space: Option<i64>) {
        if !self.enabled {
            return;
        }
        let mut state = self.lock();
        let tick = state.advance();
        state.authors.insert(author, tick);
        if let Some(space) = space {
            state.spaces.insert(space, tick);
        }
        state.bound();
    }

    /// Whom `viewer` follows, or which spaces they belong to, changed: only through
    /// `Effects::committed`, once it has committed.
    pub fn sources_changed(&self, viewer: i64) {
        if !self.enabled {
            return;
        }
        let mut state = self.lock();
        let tick = state.advance();
        state.viewers.insert(viewer, tick);
        state.bound();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl State {
    fn advance(&mut self) -> u64 {
        self.clock += 1;
        self.clock
    }

    fn unchanged_since(&self, viewer: i64, sources: &Sources, tick: u64) -> bool {
        let unchanged = |stamps: &HashMap<i64, u64>, id: &i64| {
            stamps.get(id).is_none_or(|&stamp| stamp <= tick)
        };
        unchanged(&self.viewers, &viewer)
            && unchanged(&self.authors, &viewer)
            && sources
                .followed
                .iter()
                .all(|id| unchanged(&self.authors, id))
            && sources.spaces.iter().all(|id| unchanged(&self.spaces, id))
    }

    /// Keeps the stamps bounded: past [`STAMPS`] of a kind, every stamp and page is
    /// dropped, and nothing read before now may be remembered any more.
    fn bound(&mut self) {
        let most = self
            .authors
            .len()
            .max(self.spaces.len())
            .max(self.viewers.len());
        if most > STAMPS {
            self.start_over();
        }
    }

    fn start_over(&mut self) {
        self.floor = self.clock;
        self.authors.clear();
        self.spaces.clear();
        self.viewers.clear();
        self.pages.clear();
    }
}

#[cfg(test)]
#[allow(clippy::disallowed_methods)] // the tests stamp by hand
mod tests {
    use super::*;

    const VIEWER: i64 = 1;
    const FOLLOWED: i64 = 2;
    const STRANGER: i64 = 3;
    const SPACE: i64 = 10;

    fn sources() -> Sources {
        Sources {
            followed: vec![FOLLOWED],
            spaces: vec![SPACE],
        }
    }

    fn remembered(cache: &FeedCache) {
        let tick = cache.tick();
        cache.remember(VIEWER, 11, tick, sources(), vec![7, 5, 3]);
    }

    #[test]
    fn a_page_is_used_until_something_it_came_from_changes() {
        let cache = FeedCache::new(true);
        remembered(&cache);
        assert_eq!(cache.candidates(VIEWER, 11), Some(vec![7, 5, 3]));
        assert_eq!(cache.candidates(VIEWER, 21), None, "another page size");

        cache.post_changed(STRANGER, None);
        cache.post_changed(STRANGER, Some(SPACE + 1));
        cache.sources_changed(STRANGER);
        assert_eq!(cache.candidates(VIEWER, 11), Some(vec![7, 5, 3]));

        for change in [
            |c: &FeedCache| c.post_changed(VIEWER, None),
            |c: &FeedCache| c.post_changed(FOLLOWED, None),
            |c: &FeedCache| c.post_changed(STRANGER, Some(SPACE)),
            |c: &FeedCache| c.sources_changed(VIEWER),
        ] {
            remembered(&cache);
            assert!(cache.candidates(VIEWER, 11).is_some());
            change(&cache);
            assert_eq!(cache.candidates(VIEWER, 11), None);
        }
    }

    #[test]
    fn a_read_that_raced_a_change_is_not_remembered() {
        let cache = FeedCache::new(true);
        let tick = cache.tick();
        cache.post_changed(FOLLOWED, None);
        cache.remember(VIEWER, 11, tick, sources(), vec![1]);
        assert_eq!(cache.candidates(VIEWER, 11), None);
    }

    #[test]
    fn a_read_from_before_the_stamps_were_dropped_is_not_remembered() {
        let cache = FeedCache::new(true);
        let tick = cache.tick();
        cache.post_changed(FOLLOWED, None);
        cache.lock().start_over();
        cache.remember(VIEWER, 11, tick, sources(), vec![1]);
        assert_eq!(cache.candidates(VIEWER, 11), None);
    }

    #[test]
    fn stamps_and_pages_stay_bounded() {
        let cache = FeedCache::new(true);
        for viewer in 0..(PAGES as i64 + 10) {
            let tick = cache.tick();
            cache.remember(viewer, 11, tick, Sources::default(), vec![1]);
        }
        assert_eq!(cache.lock().pages.len(), PAGES);
        for author in 0..=(STAMPS as i64) {
            cache.post_changed(author, None);
        }
        let state = cache.lock();
        assert!(state.authors.len() <= STAMPS && state.pages.is_empty());
    }

    #[test]
    fn a_disabled_cache_remembers_nothing() {
        let cache = FeedCache::new(false);
        remembered(&cache);
        assert_eq!(cache.candidates(VIEWER, 11), None);
    }
}
