//! Naming spaces, rooms and groups on the command line, the way people are named
//! (`people.rs`): by name or by id.
//!
//! - `#7` and a bare number such as `7` are ids;
//! - `@name` is always a name, so `@2026` is the space called "2026";
//! - anything else is a name, matched exactly first, then ignoring case.
//!
//! A room is `SPACE/ROOM` (`lounge/general`, `3/12`), or `ROOM` alone where the space is
//! given another way (`--space`). Names are looked up with the listings the server
//! offers: the space directory (searched by name), a space's rooms, your groups.

use std::{future::Future, str::FromStr};

use socmel_client::{
    Client, ClientResult,
    types::{GroupId, Page, RoomId, SpaceId, page::PageItem},
};

use crate::{
    context::Ctx,
    error::{CliError, CliResult},
};

/// Pages read at most while looking a name up (100 items each).
const LOOKUP_PAGES: usize = 20;

/// The items of a listing's first `LOOKUP_PAGES` pages, where a name is looked for,
/// or fewer once `found` holds for what was gathered. `fetch` is told the cursor of the
/// page to read.
async fn gather<T, F, Fut>(
    ctx: &mut Ctx,
    fetch: F,
    found: impl Fn(&[T]) -> bool,
) -> CliResult<Vec<T>>
where
    T: PageItem,
    F: Fn(Client, Option<String>) -> Fut,
    Fut: Future<Output = ClientResult<Page<T>>>,
{
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..LOOKUP_PAGES {
        let after = cursor.clone();
        let page = ctx.call(|c| fetch(c, after.clone())).await?;
        items.extend(page.items);
        if found(&items) {
            break;
        }
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    Ok(items)
}

/// Something named by id or by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Named {
    Id(i64),
    Name(String),
}

impl Named {
    fn parse(text: &str, what: &str) -> Result<Self, String> {
        let text = text.trim();
        let id = |digits: &str| {
            digits
                .parse::<i64>()
                .map(Self::Id)
                .map_err(|_| format!("'{text}' is not a {what} id"))
        };
        if let Some(name) = text.strip_prefix('@') {
            return if name.is_empty() {
                Err(format!("'@' needs a {what} name after it"))
            } else {
                Ok(Self::Name(name.to_owned()))
            };
        }
        if let Some(digits) = text.strip_prefix('#') {
            return id(digits);
        }
        if text.is_empty() {
            return Err(format!("name a {what}: its name, or its id as 7 or #7"));
        }
        if text.bytes().all(|b| b.is_ascii_digit()) {
            return id(text);
        }
        Ok(Self::Name(text.to_owned()))
    }
}

impl std::fmt::Display for Named {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Id(id) => write!(f, "#{id}"),
            Self::Name(name) => f.write_str(name),
        }
    }
}

/// Picks the one item called `name`: an exact match, else the only one that matches
/// ignoring case; several are ambiguous (their ids are listed).
fn pick<T>(
    items: &[T],
    name: &str,
    what: &str,
    name_of: impl Fn(&T) -> &str,
    id_of: impl Fn(&T) -> i64,
) -> CliResult<i64> {
    let exact: Vec<&T> = items.iter().filter(|item| name_of(item) == name).collect();
    let found = if exact.is_empty() {
        items
            .iter()
            .filter(|item| name_of(item).eq_ignore_ascii_case(name))
            .collect()
    } else {
        exact
    };
    match found.as_slice() {
        [one] => Ok(id_of(one)),
        [] => Err(CliError::Other(format!("no {what} named {name}"))),
        several => {
            let ids: Vec<String> = several
                .iter()
                .map(|item| format!("#{}", id_of(item)))
                .collect();
            Err(CliError::Usage(format!(
                "several {what}s are named {name}: use an id ({})",
                ids.join(", ")
            )))
        }
    }
}

/// A space: `lounge`, `@2026`, `#3` or `3`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpaceRef(pub Named);

impl FromStr for SpaceRef {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Named::parse(text, "space").map(Self)
    }
}

impl std::fmt::Display for SpaceRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl SpaceRef {
    pub async fn resolve(&self, ctx: &mut Ctx) -> CliResult<SpaceId> {
        let name = match &self.0 {
            Named::Id(id) => return Ok(SpaceId(*id)),
            Named::Name(name) => name.as_str(),
        };
        // The directory, searched by name, holds every space; an exact match ends the
        // search.
        let items = gather(
            ctx,
            |c, after| async move { c.list_spaces(Some(name), after.as_deref(), Some(100)).await },
            |items| items.iter().any(|space| space.name == name),
        )
        .await?;
        pick(&items, name, "space", |s| &s.name, |s| s.id.0).map(SpaceId)
    }
}

/// A room: `lounge/general`, `3/12`, or `general` / `12` with the space given apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomRef {
    pub space: Option<SpaceRef>,
    pub room: Named,
}

impl FromStr for RoomRef {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.split_once('/') {
            Some((space, room)) => Ok(Self {
                space: Some(space.parse()?),
                room: Named::parse(room, "room")?,
            }),
            None => Ok(Self {
                space: None,
                room: Named::parse(text, "room")?,
            }),
        }
    }
}

impl std::fmt::Display for RoomRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.space {
            Some(space) => write!(f, "{space}/{}", self.room),
            None => self.room.fmt(f),
        }
    }
}

impl RoomRef {
    /// The space this room is in: from `SPACE/ROOM`, else `space` (a `--space` flag).
    pub fn space<'a>(&'a self, space: Option<&'a SpaceRef>) -> CliResult<&'a SpaceRef> {
        match (&self.space, space) {
            (Some(mine), Some(other)) if mine != other => Err(CliError::Usage(format!(
                "the room {self} is in space {mine}, not {other}: drop --space"
            ))),
            (Some(mine), _) => Ok(mine),
            (None, Some(other)) => Ok(other),
            (None, None) => Err(CliError::Usage(format!(
                "which space is room {self} in? Write SPACE/ROOM, e.g. lounge/{}",
                self.room
            ))),
        }
    }

    pub async fn resolve(
        &self,
        ctx: &mut Ctx,
        space: Option<&SpaceRef>,
    ) -> CliResult<(SpaceId, RoomId)> {
        let space = self.space(space)?.resolve(ctx).await?;
        let name = match &self.room {
            Named::Id(id) => return Ok((space, RoomId(*id))),
            Named::Name(name) => name.as_str(),
        };
        let items = gather(
            ctx,
            |c, after| async move { c.space_rooms(space, after.as_deref(), Some(100)).await },
            |_| false,
        )
        .await?;
        let room = pick(&items, name, "room", |r| &r.name, |r| r.id.0)?;
        Ok((space, RoomId(room)))
    }
}

/// A group chat you are in: `team`, `@2026`, `#4` or `4`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupRef(pub Named);

impl FromStr for GroupRef {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Named::parse(text, "group").map(Self)
    }
}

impl std::fmt::Display for GroupRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl GroupRef {
    pub async fn resolve(&self, ctx: &mut Ctx) -> CliResult<GroupId> {
        let name = match &self.0 {
            Named::Id(id) => return Ok(GroupId(*id)),
            Named::Name(name) => name.as_str(),
        };
        // Groups are private: a name is looked up among your own.
        let items = gather(
            ctx,
            |c, after| async move { c.my_groups(after.as_deref(), Some(100)).await },
            |_| false,
        )
        .await?;
        pick(&items, name, "group of yours", |g| &g.name, |g| g.id.0).map(GroupId)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_ids_follow_the_people_rule() {
        let space = |s: &str| s.parse::<SpaceRef>().map(|r| r.0);
        assert_eq!(space("lounge"), Ok(Named::Name("lounge".into())));
        assert_eq!(space("7"), Ok(Named::Id(7)));
        assert_eq!(space("#7"), Ok(Named::Id(7)));
        assert_eq!(space("@2026"), Ok(Named::Name("2026".into())));
        assert!(space("#x").is_err());
        assert!(space("").is_err());

        let room: RoomRef = "lounge/general".parse().unwrap();
        assert_eq!(room.space, Some(SpaceRef(Named::Name("lounge".into()))));
        assert_eq!(room.room, Named::Name("general".into()));
        let room: RoomRef = "3/12".parse().unwrap();
        assert_eq!(room.space, Some(SpaceRef(Named::Id(3))));
        assert_eq!(room.room, Named::Id(12));
        let bare: RoomRef = "12".parse().unwrap();
        assert_eq!(bare.space, None);
        assert!(bare.space(None).is_err(), "a bare room needs its space");
        let flag = SpaceRef(Named::Id(3));
        assert_eq!(bare.space(Some(&flag)).unwrap(), &flag);
        assert!(room.space(Some(&SpaceRef(Named::Id(4)))).is_err());
    }

    #[test]
    fn a_name_picks_exactly_then_ignoring_case() {
        let items = [("General", 1), ("general", 2), ("Random", 3), ("RANDOM", 4)];
        let pick = |name: &str| pick(&items, name, "room", |i| i.0, |i| i.1);
        assert_eq!(pick("general").unwrap(), 2);
        assert_eq!(
            pick("GENERAL").unwrap_err().exit_code(),
            2,
            "two ignoring case"
        );
        assert_eq!(pick("Random").unwrap(), 3);
        assert_eq!(pick("nope").unwrap_err().to_string(), "no room named nope");
    }
}
