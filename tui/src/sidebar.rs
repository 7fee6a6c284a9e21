//! The conversations the user is in, with what the sidebar shows of each: name, unread
//! count, mention mark, last activity; and the order they are listed in (DMs, groups,
//! then spaces with their rooms; unread first, then by recent activity).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use socmel_client::types::{MessageId, SpaceId, conversations::Conversation};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub conversation: Conversation,
    /// The room's, group's or other person's name (a DM's is refreshed from `People`).
    pub name: String,
    pub unread: u32,
    pub mention: bool,
    pub last_activity: Option<DateTime<Utc>>,
    /// The newest message this client has marked read (so a mark is sent once).
    pub read_up_to: Option<MessageId>,
    /// The newest message the server's `unread` already counts: a live copy of it (or of
    /// anything older) is not counted again.
    pub counted_up_to: Option<MessageId>,
}

impl Entry {
    pub fn new(conversation: Conversation, name: impl Into<String>) -> Self {
        Self {
            conversation,
            name: name.into(),
            unread: 0,
            mention: false,
            last_activity: None,
            read_up_to: None,
            counted_up_to: None,
        }
    }
}

/// One line of the sidebar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row {
    Heading(&'static str),
    Space {
        id: SpaceId,
        name: String,
        unread: u32,
        mention: bool,
    },
    Conversation(Conversation),
}

#[derive(Debug, Default)]
pub struct Sidebar {
    entries: HashMap<Conversation, Entry>,
    spaces: HashMap<SpaceId, String>,
}

impl Sidebar {
    pub fn get(&self, conversation: &Conversation) -> Option<&Entry> {
        self.entries.get(conversation)
    }

    pub fn get_mut(&mut self, conversation: &Conversation) -> Option<&mut Entry> {
        self.entries.get_mut(conversation)
    }

    /// The entry for `conversation`, made with `name` when it is new (a DM's first message).
    pub fn ensure(
        &mut self,
        conversation: Conversation,
        name: impl FnOnce() -> String,
    ) -> &mut Entry {
        self.entries
            .entry(conversation)
            .or_insert_with(|| Entry::new(conversation, name()))
    }

    /// Replaces the list with the server's inbox, keeping what this client knows
    /// better (marks it sent since).
    pub fn replace(&mut self, entries: Vec<Entry>) {
        let old = std::mem::take(&mut self.entries);
        for mut entry in entries {
            if let Some(known) = old.get(&entry.conversation) {
                entry.read_up_to = known.read_up_to;
            }
            self.entries.insert(entry.conversation, entry);
        }
    }

    pub fn remove(&mut self, conversation: &Conversation) {
        self.entries.remove(conversation);
    }

    /// Forgets a space and its rooms (left, removed, banned, deleted).
    pub fn remove_space(&mut self, space: SpaceId) {
        self.spaces.remove(&space);
        self.entries.retain(|conversation, _| {
            !matches!(conversation, Conversation::Room { space_id, .. } if *space_id == space)
        });
    }

    pub fn set_space(&mut self, id: SpaceId, name: String) {
        self.spaces.insert(id, name);
    }

    pub fn space_name(&self, id: SpaceId) -> Option<&str> {
        self.spaces.get(&id).map(String::as_str)
    }

    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.entries.values()
    }

    pub fn total_unread(&self) -> u32 {
        self.entries.values().map(|e| e.unread).sum()
    }

    pub fn total_mentions(&self) -> usize {
        self.entries.values().filter(|e| e.mention).count()
    }

    /// The rows in display order.
    pub fn rows(&self) -> Vec<Row> {
        let mut dms = Vec::new();
        let mut groups = Vec::new();
        let mut rooms: HashMap<SpaceId, Vec<&Entry>> = HashMap::new();
        for entry in self.entries.values() {
            match entry.conversation {
                Conversation::Dm { .. } => dms.push(entry),
                Conversation::Group { .. } => groups.push(entry),
                Conversation::Room { space_id, .. } => {
                    rooms.entry(space_id).or_default().push(entry)
                }
            }
        }
        let mut rows = Vec::new();
        for (heading, mut list) in [("DIRECT MESSAGES", dms), ("GROUPS", groups)] {
            if list.is_empty() {
                continue;
            }
            list.sort_by(|a, b| order(a, b));
            rows.push(Row::Heading(heading));
            rows.extend(list.into_iter().map(|e| Row::Conversation(e.conversation)));
        }
        let mut spaces: Vec<(SpaceId, Vec<&Entry>)> = rooms.into_iter().collect();
        for (_, list) in &mut spaces {
            list.sort_by(|a, b| order(a, b));
        }
        // A space sorts by its best room, then by name.
        spaces.sort_by(|(a_id, a), (b_id, b)| {
            order(a[0], b[0]).then_with(|| self.space_label(*a_id).cmp(&self.space_label(*b_id)))
        });
        if !spaces.is_empty() {
            rows.push(Row::Heading("SPACES"));
        }
        for (id, list) in spaces {
            rows.push(Row::Space {
                id,
                name: self.space_label(id),
                unread: list.iter().map(|e| e.unread).sum(),
                mention: list.iter().any(|e| e.mention),
            });
            rows.extend(list.into_iter().map(|e| Row::Conversation(e.conversation)));
        }
        rows
    }

    fn space_label(&self, id: SpaceId) -> String {
        self.spaces.get(&id).cloned().unwrap_or_default()
    }

    /// The conversations in display order.
    pub fn ordered(&self) -> Vec<Conversation> {
        self.rows()
            .into_iter()
            .filter_map(|row| match row {
                Row::Conversation(c) => Some(c),
                _ => None,
            })
            .collect()
    }

    /// The next conversation to read after `current`: mentions first, then any unread,
    /// each in display order.
    pub fn next_unread(&self, current: Option<Conversation>) -> Option<Conversation> {
        let ordered = self.ordered();
        let start = current
            .and_then(|c| ordered.iter().position(|o| *o == c))
            .map_or(0, |i| i + 1);
        let rotated = ordered[start.min(ordered.len())..]
            .iter()
            .chain(&ordered[..start.min(ordered.len())]);
        let candidates: Vec<&Conversation> = rotated.filter(|c| Some(**c) != current).collect();
        let pick = |wanted: fn(&Entry) -> bool| {
            candidates
                .iter()
                .find(|c| self.entries.get(c).is_some_and(wanted))
                .map(|c| **c)
        };
        pick(|e| e.mention && e.unread > 0).or_else(|| pick(|e| e.unread > 0))
    }
}

/// Unread first, then most recent activity, then name (so the order is stable).
fn order(a: &Entry, b: &Entry) -> std::cmp::Ordering {
    (b.unread > 0)
        .cmp(&(a.unread > 0))
        .then_with(|| b.last_activity.cmp(&a.last_activity))
        .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
}

/// An unread count as the sidebar writes it.
pub fn count_label(count: u32) -> String {
    if count > 99 {
        "99+".into()
    } else {
        count.to_string()
    }
}

#[cfg(test)]
mod tests {
    use socmel_client::types::{GroupId, RoomId, UserId};

    use super::*;

    fn at(seconds: i64) -> Option<DateTime<Utc>> {
        DateTime::from_timestamp(1_700_000_000 + seconds, 0)
    }

    fn entry(conversation: Conversation, name: &str, unread: u32, active: i64) -> Entry {
        Entry {
            unread,
            last_activity: at(active),
            ..Entry::new(conversation, name)
        }
    }

    fn dm(id: i64) -> Conversation {
        Conversation::Dm {
            user_id: UserId(id),
        }
    }

    fn room(space: i64, room: i64) -> Conversation {
        Conversation::Room {
            space_id: SpaceId(space),
            room_id: RoomId(room),
        }
    }

    #[test]
    fn unread_first_then_recent_within_each_section() {
        let mut sidebar = Sidebar::default();
        sidebar.set_space(SpaceId(1), "lounge".into());
        sidebar.set_space(SpaceId(2), "rust".into());
        sidebar.replace(vec![
            entry(dm(1), "bob", 0, 50),
            entry(dm(2), "cleo", 2, 10),
            entry(dm(3), "dan", 0, 90),
            entry(
                Conversation::Group {
                    group_id: GroupId(1),
                },
                "weekend",
                0,
                5,
            ),
            entry(room(1, 1), "general", 0, 1),
            entry(room(1, 2), "random", 0, 3),
            entry(room(2, 3), "help", 4, 0),
        ]);
        let rows = sidebar.rows();
        assert_eq!(
            rows,
            vec![
                Row::Heading("DIRECT MESSAGES"),
                Row::Conversation(dm(2)),
                Row::Conversation(dm(3)),
                Row::Conversation(dm(1)),
                Row::Heading("GROUPS"),
                Row::Conversation(Conversation::Group {
                    group_id: GroupId(1)
                }),
                Row::Heading("SPACES"),
                Row::Space {
                    id: SpaceId(2),
                    name: "rust".into(),
                    unread: 4,
                    mention: false
                },
                Row::Conversation(room(2, 3)),
                Row::Space {
                    id: SpaceId(1),
                    name: "lounge".into(),
                    unread: 0,
                    mention: false
                },
                Row::Conversation(room(1, 2)),
                Row::Conversation(room(1, 1)),
            ]
        );
        assert_eq!(sidebar.total_unread(), 6);
    }

    #[test]
    fn next_unread_prefers_mentions_and_skips_the_current_one() {
        let mut sidebar = Sidebar::default();
        sidebar.set_space(SpaceId(1), "lounge".into());
        sidebar.replace(vec![
            entry(dm(1), "bob", 1, 50),
            entry(room(1, 1), "general", 3, 1),
        ]);
        assert_eq!(sidebar.next_unread(None), Some(dm(1)));
        sidebar.get_mut(&room(1, 1)).unwrap().mention = true;
        assert_eq!(sidebar.next_unread(None), Some(room(1, 1)));
        assert_eq!(sidebar.next_unread(Some(room(1, 1))), Some(dm(1)));
        sidebar.get_mut(&dm(1)).unwrap().unread = 0;
        assert_eq!(sidebar.next_unread(Some(room(1, 1))), None);
    }

    #[test]
    fn counts_are_capped() {
        assert_eq!(count_label(7), "7");
        assert_eq!(count_label(99), "99");
        assert_eq!(count_label(100), "99+");
    }

    #[test]
    fn replacing_keeps_local_read_marks_and_removing_a_space_drops_its_rooms() {
        let mut sidebar = Sidebar::default();
        sidebar.replace(vec![
            entry(room(1, 1), "general", 0, 1),
            entry(dm(2), "bob", 0, 1),
        ]);
        sidebar.get_mut(&dm(2)).unwrap().read_up_to = Some(MessageId(4));
        sidebar.replace(vec![
            entry(room(1, 1), "general", 0, 1),
            entry(dm(2), "bob", 1, 1),
        ]);
        assert_eq!(sidebar.get(&dm(2)).unwrap().read_up_to, Some(MessageId(4)));
        sidebar.remove_space(SpaceId(1));
        assert!(sidebar.get(&room(1, 1)).is_none());
        assert!(sidebar.get(&dm(2)).is_some());
    }
}
