//! The Ctrl+K switcher: fuzzy search over rooms, groups, DMs and people, ranked by
//! nucleo (helix's matcher). With no query, unread conversations come first.

use nucleo_matcher::{
    Config, Matcher,
    pattern::{CaseMatching, Normalization, Pattern},
};
use socmel_client::types::{UserId, conversations::Conversation};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Conversation(Conversation),
    /// Someone with no DM yet: opening starts one.
    Person(UserId),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// What is matched and shown: `# lounge / general`, `@ bob`, `weekend plans`.
    pub label: String,
    pub target: Target,
    pub unread: u32,
    pub mention: bool,
}

/// How many results are shown.
pub const SHOWN: usize = 12;

#[derive(Debug, Clone, Default)]
pub struct Switcher {
    pub query: String,
    items: Vec<Item>,
    results: Vec<usize>,
    pub cursor: usize,
}

impl Switcher {
    pub fn new(items: Vec<Item>) -> Self {
        let mut switcher = Self {
            items,
            ..Self::default()
        };
        switcher.refilter();
        switcher
    }

    /// Adds people found on the server (skipping ones already listed).
    pub fn add(&mut self, items: Vec<Item>) {
        for item in items {
            if !self.items.iter().any(|known| known.target == item.target) {
                self.items.push(item);
            }
        }
        self.refilter();
    }

    pub fn push(&mut self, c: char) {
        self.query.push(c);
        self.refilter();
    }

    pub fn pop(&mut self) {
        self.query.pop();
        self.refilter();
    }

    pub fn clear(&mut self) {
        self.query.clear();
        self.refilter();
    }

    pub fn up(&mut self) {
        self.cursor = self.cursor.saturating_sub(1);
    }

    pub fn down(&mut self) {
        if self.cursor + 1 < self.results.len().min(SHOWN) {
            self.cursor += 1;
        }
    }

    /// The shown results, best first.
    pub fn results(&self) -> impl Iterator<Item = &Item> {
        self.results.iter().take(SHOWN).map(|i| &self.items[*i])
    }

    pub fn chosen(&self) -> Option<&Item> {
        self.results.get(self.cursor).map(|i| &self.items[*i])
    }

    fn refilter(&mut self) {
        self.cursor = 0;
        if self.query.trim().is_empty() {
            let mut order: Vec<usize> = (0..self.items.len()).collect();
            // Stable: unread (mentions first) above the rest, otherwise as given.
            order.sort_by_key(|i| {
                let item = &self.items[*i];
                (!(item.mention && item.unread > 0), item.unread == 0)
            });
            self.results = order;
            return;
        }
        let pattern = Pattern::parse(&self.query, CaseMatching::Ignore, Normalization::Smart);
        let mut matcher = Matcher::new(Config::DEFAULT);
        let labels: Vec<(usize, &str)> = self
            .items
            .iter()
            .enumerate()
            .map(|(i, item)| (i, item.label.as_str()))
            .collect();
        let mut scored: Vec<(usize, u32)> = labels
            .into_iter()
            .filter_map(|(i, label)| {
                let mut buf = Vec::new();
                pattern
                    .score(nucleo_matcher::Utf32Str::new(label, &mut buf), &mut matcher)
                    .map(|score| (i, score))
            })
            .collect();
        scored.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        self.results = scored.into_iter().map(|(i, _)| i).collect();
    }
}

#[cfg(test)]
mod tests {
    use socmel_client::types::{GroupId, RoomId, SpaceId};

    use super::*;

    fn item(label: &str, target: Target, unread: u32) -> Item {
        Item {
            label: label.into(),
            target,
            unread,
            mention: false,
        }
    }

    fn labels(switcher: &Switcher) -> Vec<&str> {
        switcher.results().map(|i| i.label.as_str()).collect()
    }

    fn sample() -> Switcher {
        let room = |r| {
            Target::Conversation(Conversation::Room {
                space_id: SpaceId(1),
                room_id: RoomId(r),
            })
        };
        Switcher::new(vec![
            item("# lounge / general", room(1), 0),
            item("# lounge / random", room(2), 3),
            item(
                "weekend plans",
                Target::Conversation(Conversation::Group {
                    group_id: GroupId(1),
                }),
                0,
            ),
            item("@ genevieve", Target::Person(UserId(9)), 0),
        ])
    }

    #[test]
    fn an_empty_query_lists_unread_first() {
        let switcher = sample();
        assert_eq!(labels(&switcher)[0], "# lounge / random");
        assert_eq!(switcher.results().count(), 4);
    }

    #[test]
    fn fuzzy_query_ranks_and_filters() {
        let mut switcher = sample();
        for c in "gen".chars() {
            switcher.push(c);
        }
        let found = labels(&switcher);
        assert!(found.contains(&"# lounge / general"), "{found:?}");
        assert!(found.contains(&"@ genevieve"), "{found:?}");
        assert!(!found.contains(&"weekend plans"), "{found:?}");
        switcher.clear();
        for c in "wkd".chars() {
            switcher.push(c);
        }
        assert_eq!(labels(&switcher), ["weekend plans"]);
        switcher.pop();
        switcher.pop();
        switcher.pop();
        assert_eq!(switcher.results().count(), 4);
    }

    #[test]
    fn the_cursor_stays_within_the_results() {
        let mut switcher = sample();
        switcher.up();
        assert_eq!(switcher.cursor, 0);
        for _ in 0..10 {
            switcher.down();
        }
        assert_eq!(switcher.cursor, 3);
        assert_eq!(switcher.chosen().unwrap().label, labels(&switcher)[3]);
        switcher.push('x');
        switcher.push('q');
        switcher.push('z');
        assert_eq!(switcher.cursor, 0);
        assert!(switcher.chosen().is_none());
    }
}
