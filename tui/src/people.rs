//! The people the app has met (senders, members, DM partners), so every screen shows
//! names; an unknown id is looked up once.

use std::collections::{HashMap, HashSet};

use socmel_client::types::{
    UserId,
    users::{UserDisplay, UserSummary},
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub id: UserId,
    pub username: String,
    pub display_name: Option<String>,
}

impl Person {
    /// The name to show: the display name when set, the username otherwise.
    pub fn name(&self) -> &str {
        self.display_name
            .as_deref()
            .filter(|name| !name.is_empty())
            .unwrap_or(&self.username)
    }
}

impl From<&UserDisplay> for Person {
    fn from(user: &UserDisplay) -> Self {
        Self {
            id: user.id,
            username: user.username.clone(),
            display_name: user.display_name.clone(),
        }
    }
}

impl From<&UserSummary> for Person {
    fn from(user: &UserSummary) -> Self {
        Self {
            id: user.id,
            username: user.username.clone(),
            display_name: user.display_name.clone(),
        }
    }
}

#[derive(Debug, Default)]
pub struct People {
    known: HashMap<UserId, Person>,
    asked: HashSet<UserId>,
}

/// Shown while a name is being looked up.
pub const UNKNOWN: &str = "…";

impl People {
    pub fn get(&self, id: UserId) -> Option<&Person> {
        self.known.get(&id)
    }

    pub fn name(&self, id: UserId) -> &str {
        self.known.get(&id).map_or(UNKNOWN, Person::name)
    }

    /// Remembers someone; `true` when this changed what is shown.
    pub fn learn(&mut self, person: Person) -> bool {
        match self.known.get(&person.id) {
            Some(known) if *known == person => false,
            _ => {
                self.known.insert(person.id, person);
                true
            }
        }
    }

    /// Remembers the person a payload names, when it names one: a summary without a
    /// username (what a server that sends only ids parses to) teaches nothing. `true`
    /// when this changed what is shown.
    pub fn learn_summary(&mut self, summary: &UserSummary) -> bool {
        !summary.username.is_empty() && self.learn(Person::from(summary))
    }

    /// Whether `id` should be looked up now: unknown and not asked for yet.
    pub fn should_ask(&mut self, id: UserId) -> bool {
        !self.known.contains_key(&id) && self.asked.insert(id)
    }

    /// A lookup failed: allow asking again later.
    pub fn forget_asked(&mut self, id: UserId) {
        self.asked.remove(&id);
    }

    pub fn by_username(&self, username: &str) -> Option<&Person> {
        let wanted = username.trim_start_matches('@');
        self.known
            .values()
            .find(|p| p.username.eq_ignore_ascii_case(wanted))
    }

    pub fn all(&self) -> impl Iterator<Item = &Person> {
        self.known.values()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_lookups() {
        let mut people = People::default();
        assert_eq!(people.name(UserId(1)), UNKNOWN);
        assert!(people.should_ask(UserId(1)));
        assert!(!people.should_ask(UserId(1)));
        let ada = Person {
            id: UserId(1),
            username: "ada".into(),
            display_name: Some("Ada L.".into()),
        };
        assert!(people.learn(ada.clone()));
        assert!(!people.learn(ada));
        assert_eq!(people.name(UserId(1)), "Ada L.");
        assert_eq!(people.by_username("@ADA").unwrap().id, UserId(1));
        assert!(!people.should_ask(UserId(1)));
    }

    #[test]
    fn summaries_teach_names_unless_empty() {
        let mut people = People::default();
        let mut summary = UserSummary {
            id: UserId(2),
            username: "bob".into(),
            display_name: Some("Bob B.".into()),
            pfp: None,
        };
        assert!(people.learn_summary(&summary));
        assert!(!people.learn_summary(&summary));
        assert_eq!(people.name(UserId(2)), "Bob B.");
        summary.display_name = None;
        assert!(people.learn_summary(&summary));
        assert_eq!(people.name(UserId(2)), "bob");
        assert!(!people.learn_summary(&UserSummary::default()));
        assert_eq!(people.name(UserId(0)), UNKNOWN);
    }
}
