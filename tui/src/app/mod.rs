//! The app's whole state and `update`: one owner (the UI task), changed only by
//! `update(msg) -> commands`, which does no I/O, so every behaviour is unit-testable.
//! `input.rs` handles keys, `frames.rs` what the server says, `signin.rs` the sign-in form.

mod frames;
mod input;
mod signin;

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, FixedOffset, Utc};
use ratatui::layout::Rect;
use socmel_client::types::{
    MessageId, UserId,
    conversations::Conversation,
    frames::{ClientFrame, MessageDraft, SendDm, SendGroupMessage, SendRoomMessage, StartTyping},
    messages::MarkRead,
    users::UserSummary,
};

pub use signin::{Field as SignInField, SignIn, signin_field_label};

use crate::{
    cmd::Cmd,
    composer::Composer,
    keymap::Keymap,
    msg::{Link, Msg, NetEvent},
    people::{People, Person},
    sidebar::Sidebar,
    switcher::{Item, Switcher, Target},
    timeline::{ChatMessage, Delivery, Timeline},
};

/// How long a "typing" lasts without a new one.
const TYPING_SHOWN_FOR: chrono::Duration = chrono::Duration::seconds(6);
/// At most one "typing" sent per conversation this often.
const TYPING_SENT_EVERY: chrono::Duration = chrono::Duration::seconds(3);
/// How long a status-line notice stays.
const NOTICE_FOR: chrono::Duration = chrono::Duration::seconds(6);
/// Messages per history page.
pub const HISTORY_PAGE: i64 = 50;

#[derive(Debug)]
pub enum Screen {
    SignIn(SignIn),
    Chat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Composer,
    Messages,
    Sidebar,
}

#[derive(Debug)]
pub enum Overlay {
    Switcher(Switcher),
    /// The help screen, scrolled down by this many lines (kept within its length when
    /// drawn, since only drawing knows the screen's height).
    Help {
        scroll: u16,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub error: bool,
    pub until: DateTime<Utc>,
}

/// Where the last frame put things, for mouse clicks and scrolling.
#[derive(Debug, Clone, Default)]
pub struct Hits {
    pub sidebar: Rect,
    /// The sidebar's conversation rows: screen row → conversation.
    pub sidebar_rows: Vec<(u16, Conversation)>,
    pub messages: Rect,
    /// Lines the message pane shows (a page for PageUp/PageDown).
    pub page: usize,
}

/// Something typed that waits for a name lookup.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Waiting {
    Dm(String),
    Group {
        name: String,
        usernames: Vec<String>,
    },
}

#[derive(Debug)]
pub struct App {
    pub screen: Screen,
    pub keymap: Keymap,
    /// `host:port` of the server, for the title.
    pub server: String,
    pub me: Option<Person>,
    pub link: Link,
    /// While waiting to reconnect: when the next attempt starts (the title counts down).
    pub retry_at: Option<DateTime<Utc>>,
    pub sidebar: Sidebar,
    pub timelines: HashMap<Conversation, Timeline>,
    pub people: People,
    pub current: Option<Conversation>,
    pub sidebar_cursor: Option<Conversation>,
    pub composer: Composer,
    drafts: HashMap<Conversation, String>,
    pub focus: Focus,
    pub overlay: Option<Overlay>,
    /// Who is typing where, until when.
    pub typing: HashMap<Conversation, Vec<(UserId, DateTime<Utc>)>>,
    pub online: HashSet<UserId>,
    pub members: HashMap<Conversation, Vec<UserId>>,
    pub show_sidebar: bool,
    pub show_members: bool,
    pub notice: Option<Notice>,
    /// The clock, set by the runtime before each update (fixed in tests).
    pub now: DateTime<Utc>,
    /// The local time zone's offset, for the times shown.
    pub tz: FixedOffset,
    pub color: bool,
    /// The terminal has focus (read marks are sent only while someone can see them).
    pub focused: bool,
    /// A draft to hand to the external editor: the loop gives the terminal up for it.
    pub editor: Option<String>,
    pub hits: Hits,
    pub dirty: bool,
    pub quit: bool,
    /// Which conversation each message in flight belongs to.
    in_flight: HashMap<String, Conversation>,
    client_ids: u64,
    typing_sent: HashMap<Conversation, DateTime<Utc>>,
    /// When each conversation last asked for attention.
    alerted: HashMap<Conversation, DateTime<Utc>>,
    delete_armed: Option<MessageId>,
    waiting: Option<Waiting>,
    /// The first sign-in happened (later `Link::Connected` are reconnections).
    started: bool,
}

impl App {
    pub fn new(keymap: Keymap, server: &str, signed_in: Option<Person>) -> Self {
        let screen = match signed_in {
            Some(_) => Screen::Chat,
            None => Screen::SignIn(SignIn::new(server)),
        };
        Self {
            screen,
            keymap,
            server: host_of(server),
            me: signed_in,
            link: Link::Connecting,
            retry_at: None,
            sidebar: Sidebar::default(),
            timelines: HashMap::new(),
            people: People::default(),
            current: None,
            sidebar_cursor: None,
            composer: Composer::default(),
            drafts: HashMap::new(),
            focus: Focus::Composer,
            overlay: None,
            typing: HashMap::new(),
            online: HashSet::new(),
            members: HashMap::new(),
            show_sidebar: true,
            show_members: true,
            notice: None,
            now: DateTime::UNIX_EPOCH,
            tz: FixedOffset::east_opt(0).expect("UTC"),
            color: true,
            focused: true,
            editor: None,
            hits: Hits::default(),
            dirty: true,
            quit: false,
            in_flight: HashMap::new(),
            client_ids: 0,
            typing_sent: HashMap::new(),
            alerted: HashMap::new(),
            delete_armed: None,
            waiting: None,
            started: false,
        }
    }

    /// The commands to run first: start the session when already signed in.
    pub fn init(&mut self) -> Vec<Cmd> {
        match self.screen {
            Screen::Chat => {
                self.started = true;
                vec![Cmd::Start]
            }
            Screen::SignIn(_) => Vec::new(),
        }
    }

    /// The external editor is done: what it saved becomes the draft (a reply or an
    /// edit in progress stays one); a failure keeps the draft and says why.
    pub fn edited(&mut self, result: Result<String, String>) {
        self.dirty = true;
        match result {
            Ok(text) => self.composer.set_text(&text),
            Err(reason) => self.tell(reason, true),
        }
    }

    pub fn update(&mut self, msg: Msg) -> Vec<Cmd> {
        let mut cmds = Vec::new();
        match msg {
            Msg::Term(event) => {
                self.dirty = true;
                self.on_terminal(event, &mut cmds);
            }
            Msg::Net(event) => self.on_net(event, &mut cmds),
            Msg::Tick => self.on_tick(),
        }
        cmds
    }

    /// The next time something shown changes by itself (a typing notice or a status
    /// notice ending); `None` when nothing will: the app then sleeps until input.
    pub fn next_deadline(&self) -> Option<DateTime<Utc>> {
        let typing = self
            .typing
            .values()
            .flat_map(|list| list.iter().map(|(_, until)| *until));
        typing
            .chain(self.notice.as_ref().map(|n| n.until))
            .chain(self.countdown_step())
            .min()
    }

    /// While waiting to reconnect, the next moment the countdown shows another
    /// second (it shows the time left rounded up: "3 s" until exactly 2 s are left).
    fn countdown_step(&self) -> Option<DateTime<Utc>> {
        let at = self.retry_at?;
        let left = (at - self.now).num_milliseconds();
        (left > 0).then(|| at - chrono::TimeDelta::seconds((left - 1) / 1000))
    }

    fn on_tick(&mut self) {
        let now = self.now;
        let before = self.typing.values().map(Vec::len).sum::<usize>();
        for list in self.typing.values_mut() {
            list.retain(|(_, until)| *until > now);
        }
        self.typing.retain(|_, list| !list.is_empty());
        let after = self.typing.values().map(Vec::len).sum::<usize>();
        if self.notice.as_ref().is_some_and(|n| n.until <= now) {
            self.notice = None;
            self.dirty = true;
        }
        self.dirty |= before != after || self.retry_at.is_some();
    }

    fn on_net(&mut self, event: NetEvent, cmds: &mut Vec<Cmd>) {
        // Everything the network brings may change the screen, except what is handled
        // below as invisible; a frame decides for itself.
        self.dirty = true;
        match event {
            NetEvent::Link(link) => self.on_link(link, cmds),
            NetEvent::Frame(frame) => {
                self.dirty = false;
                self.on_frame(*frame, cmds);
            }
            NetEvent::Revoked(reason) => self.sign_out(&reason),
            NetEvent::SignedIn { me, server } => {
                self.me = Some(Person::from(&me));
                self.server = host_of(&server);
                self.screen = Screen::Chat;
                self.started = true;
                cmds.push(Cmd::Start);
            }
            NetEvent::SignInFailed(reason) => {
                if let Screen::SignIn(form) = &mut self.screen {
                    form.busy = false;
                    form.error = Some(reason);
                }
            }
            NetEvent::Me(user) => {
                let person = Person::from(&user);
                self.people.learn(person.clone());
                self.me = Some(person);
            }
            NetEvent::Spaces(spaces) => {
                for space in spaces {
                    self.sidebar.set_space(space.id, space.name);
                }
            }
            NetEvent::Inbox(entries) => self.on_inbox(entries, cmds),
            NetEvent::History {
                conversation,
                before,
                messages,
                complete,
            } => self.on_history(conversation, before, messages, complete, cmds),
            NetEvent::HistoryFailed {
                conversation,
                error,
            } => {
                if let Some(timeline) = self.timelines.get_mut(&conversation) {
                    timeline.backfill = crate::timeline::Backfill::More;
                }
                self.tell(format!("could not load history: {error}"), true);
            }
            NetEvent::People(people) => {
                for person in people {
                    self.refresh_dm_name(&person);
                    self.people.learn(person);
                }
            }
            NetEvent::PersonMissing(id) => self.people.forget_asked(id),
            NetEvent::Members {
                conversation,
                members,
            } => {
                let ids = members.iter().map(|p| p.id).collect();
                for person in members {
                    self.people.learn(person);
                }
                self.members.insert(conversation, ids);
            }
            NetEvent::GroupCreated(group) => {
                let conversation = Conversation::Group { group_id: group.id };
                for member in &group.members {
                    self.people.learn(Person::from(member));
                }
                self.sidebar.ensure(conversation, || group.name.clone());
                self.open(conversation, cmds);
                self.tell(format!("created the group {}", group.name), false);
            }
            NetEvent::LeftGroup(group_id) => {
                let conversation = Conversation::Group { group_id };
                self.forget(conversation);
                self.tell("you left the group".into(), false);
            }
            NetEvent::Found(found) => self.on_found(found, cmds),
            NetEvent::Failed(reason) => {
                self.waiting = None;
                self.tell(reason, true);
            }
        }
    }

    fn on_link(&mut self, link: Link, cmds: &mut Vec<Cmd>) {
        let was_connected = self.link == Link::Connected;
        match &link {
            Link::Connected => {
                // Echoes written to a dropped socket: check history before resending.
                let mut check = Vec::new();
                for (conversation, timeline) in &mut self.timelines {
                    let mut unsure = false;
                    for echo in timeline.pending_mut() {
                        match echo.delivery {
                            Delivery::Unconfirmed => unsure = true,
                            Delivery::Queued => {
                                echo.delivery = Delivery::Sending;
                                if let Some(frame) = send_frame(*conversation, echo) {
                                    cmds.push(Cmd::Frame(frame));
                                }
                            }
                            _ => {}
                        }
                    }
                    if unsure {
                        check.push(*conversation);
                    }
                }
                cmds.extend(check.into_iter().map(|conversation| Cmd::LoadHistory {
                    conversation,
                    before: None,
                }));
            }
            _ if was_connected => {
                for timeline in self.timelines.values_mut() {
                    for echo in timeline.pending_mut() {
                        if echo.delivery == Delivery::Sending {
                            echo.delivery = Delivery::Unconfirmed;
                        }
                    }
                }
                // Typing notices would never be taken back while offline.
                self.typing.clear();
            }
            _ => {}
        }
        self.retry_at = match &link {
            Link::Reconnecting { retry_in, .. } => {
                Some(self.now + chrono::TimeDelta::from_std(*retry_in).unwrap_or_default())
            }
            _ => None,
        };
        self.link = link;
    }

    /// The session ended: back to the sign-in screen, saying why.
    fn sign_out(&mut self, reason: &str) {
        let server = format!("http://{}", self.server);
        let mut form = SignIn::new(&server);
        if let Some(me) = &self.me {
            form.username = me.username.clone();
        }
        form.error = Some(format!("Your session ended: {reason}. Sign in again."));
        let keymap = self.keymap.clone();
        let (tz, color, now) = (self.tz, self.color, self.now);
        *self = Self::new(keymap, &server, None);
        self.screen = Screen::SignIn(form);
        (self.tz, self.color, self.now) = (tz, color, now);
    }

    fn on_inbox(
        &mut self,
        entries: Vec<socmel_client::types::messages::InboxEntry>,
        cmds: &mut Vec<Cmd>,
    ) {
        let me = self.me_id();
        let mut list = Vec::new();
        for entry in entries {
            let conversation = entry.conversation;
            let name = match conversation {
                Conversation::Dm { user_id } => {
                    let summary = entry.other.as_ref().filter(|other| other.id == user_id);
                    if !summary.is_some_and(|other| self.people.learn_summary(other)) {
                        // A server that names the other person only by username.
                        self.people.learn(Person {
                            id: user_id,
                            username: entry.name.clone(),
                            display_name: self
                                .people
                                .get(user_id)
                                .and_then(|p| p.display_name.clone()),
                        });
                    }
                    self.people.name(user_id).to_owned()
                }
                Conversation::Room { space_id, .. } => {
                    let (space, room) =
                        split_room_name(&entry.name, self.sidebar.space_name(space_id));
                    if self.sidebar.space_name(space_id).is_none() {
                        self.sidebar.set_space(space_id, space);
                    }
                    room
                }
                Conversation::Group { .. } => entry.name.clone(),
            };
            let mut item = crate::sidebar::Entry::new(conversation, name);
            item.unread = u32::try_from(entry.unread_count).unwrap_or(u32::MAX);
            item.last_activity = Some(entry.last_activity.0);
            item.counted_up_to = entry.last_message.as_ref().map(|m| m.id());
            item.mention = item.unread > 0
                && entry
                    .last_message
                    .as_ref()
                    .is_some_and(|m| self.mentions_me(m.content()) && m.sender_id() != me);
            list.push(item);
        }
        self.sidebar.replace(list);
        if let Some(current) = self.current {
            if self.sidebar.get(&current).is_none() && !matches!(current, Conversation::Dm { .. }) {
                self.forget(current);
            } else {
                self.mark_read(cmds);
            }
        }
    }

    fn on_history(
        &mut self,
        conversation: Conversation,
        before: Option<MessageId>,
        messages: Vec<socmel_client::types::messages::Message>,
        complete: bool,
        cmds: &mut Vec<Cmd>,
    ) {
        let me = self.me_id();
        let mut unknown = Vec::new();
        for message in &messages {
            unknown.extend(self.meet(message.sender_id(), message.sender()));
        }
        if !unknown.is_empty() {
            cmds.push(Cmd::LoadPeople(unknown));
        }
        let timeline = self.timelines.entry(conversation).or_default();
        timeline.add_history(
            messages.iter().map(ChatMessage::from_api).collect(),
            complete,
        );
        let unread = std::mem::take(&mut timeline.unread_at_open);
        if before.is_none() && unread > 0 && timeline.new_marker.is_none() {
            timeline.new_marker = timeline.nth_newest(usize::try_from(unread).unwrap_or(0));
        }
        for client_id in timeline.reconcile_unconfirmed(me) {
            if let Some(echo) = timeline
                .pending_mut()
                .find(|e| e.client_id.as_deref() == Some(&client_id))
            {
                echo.delivery = if self.link == Link::Connected {
                    Delivery::Sending
                } else {
                    Delivery::Queued
                };
                if echo.delivery == Delivery::Sending
                    && let Some(frame) = send_frame(conversation, echo)
                {
                    cmds.push(Cmd::Frame(frame));
                }
            }
        }
        if Some(conversation) == self.current {
            self.mark_read(cmds);
        }
    }

    fn on_found(&mut self, found: Vec<Person>, cmds: &mut Vec<Cmd>) {
        for person in &found {
            self.people.learn(person.clone());
        }
        if let Some(Overlay::Switcher(switcher)) = &mut self.overlay {
            let me = self.me.as_ref().map(|m| m.id);
            let items = found
                .iter()
                .filter(|p| Some(p.id) != me)
                .filter(|p| {
                    self.sidebar
                        .get(&Conversation::Dm { user_id: p.id })
                        .is_none()
                })
                .map(person_item)
                .collect();
            switcher.add(items);
        }
        match self.waiting.take() {
            Some(Waiting::Dm(name)) => match self.people.by_username(&name) {
                Some(person) => {
                    let person = person.clone();
                    self.open_dm(&person, cmds);
                }
                None => self.tell(format!("no user named {name}"), true),
            },
            Some(Waiting::Group { name, usernames }) => self.create_group(name, usernames, cmds),
            None => {}
        }
    }

    pub fn me_id(&self) -> UserId {
        self.me.as_ref().map_or(UserId(0), |m| m.id)
    }

    /// Whether `text` mentions the signed-in user (`@username`, as the server counts it).
    pub fn mentions_me(&self, text: &str) -> bool {
        let Some(me) = &self.me else { return false };
        let wanted = me.username.to_lowercase();
        text.to_lowercase().match_indices('@').any(|(at, _)| {
            let rest = &text[at + 1..].to_lowercase();
            rest.starts_with(&wanted)
                && !rest[wanted.len()..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_')
        })
    }

    pub fn tell(&mut self, text: String, error: bool) {
        self.notice = Some(Notice {
            text,
            error,
            until: self.now + NOTICE_FOR,
        });
        self.dirty = true;
    }

    /// A DM's sidebar name follows the person's display name.
    /// Learns the person a payload names. `Some(id)` when the payload carried no name
    /// and `id` should be looked up (once).
    fn meet(&mut self, id: UserId, summary: &UserSummary) -> Option<UserId> {
        if summary.id == id && self.people.learn_summary(summary) {
            self.refresh_dm_name(&Person::from(summary));
            self.dirty = true;
        }
        self.people.should_ask(id).then_some(id)
    }

    fn refresh_dm_name(&mut self, person: &Person) {
        if let Some(entry) = self
            .sidebar
            .get_mut(&Conversation::Dm { user_id: person.id })
        {
            entry.name = person.name().to_owned();
        }
    }

    /// Opens a conversation: restores its draft, loads its history once, marks it read,
    /// places the "new messages" line.
    pub fn open(&mut self, conversation: Conversation, cmds: &mut Vec<Cmd>) {
        if self.current == Some(conversation) {
            self.focus = Focus::Composer;
            return;
        }
        if let Some(previous) = self.current {
            let draft = self.composer.text();
            if draft.is_empty() {
                self.drafts.remove(&previous);
            } else {
                self.drafts.insert(previous, draft);
            }
            if let Some(timeline) = self.timelines.get_mut(&previous) {
                timeline.new_marker = None;
                timeline.selected = None;
            }
        }
        self.composer.reset();
        if let Some(draft) = self.drafts.remove(&conversation) {
            self.composer.set_text(&draft);
        }
        self.current = Some(conversation);
        self.sidebar_cursor = Some(conversation);
        self.focus = Focus::Composer;
        self.delete_armed = None;
        let unread = self.sidebar.get(&conversation).map_or(0, |e| e.unread);
        let timeline = self.timelines.entry(conversation).or_default();
        timeline.scroll = 0;
        if timeline.backfill == crate::timeline::Backfill::NotLoaded {
            timeline.backfill = crate::timeline::Backfill::Loading;
            timeline.unread_at_open = unread;
            cmds.push(Cmd::LoadHistory {
                conversation,
                before: None,
            });
        } else if unread > 0 {
            timeline.new_marker = timeline.nth_newest(usize::try_from(unread).unwrap_or(0));
        }
        if self.show_members {
            cmds.push(Cmd::LoadMembers(conversation));
        }
        self.mark_read(cmds);
    }

    pub fn open_dm(&mut self, person: &Person, cmds: &mut Vec<Cmd>) {
        let conversation = Conversation::Dm { user_id: person.id };
        self.people.learn(person.clone());
        self.sidebar
            .ensure(conversation, || person.name().to_owned());
        self.open(conversation, cmds);
    }

    /// Marks the open conversation read up to its newest message, if someone can see it
    /// (terminal focused, scrolled to the bottom) and the mark is news.
    fn mark_read(&mut self, cmds: &mut Vec<Cmd>) {
        let Some(conversation) = self.current else {
            return;
        };
        let Some(timeline) = self.timelines.get(&conversation) else {
            return;
        };
        if !self.focused || timeline.scroll > 0 {
            return;
        }
        let Some(newest) = timeline.newest_id() else {
            return;
        };
        let Some(entry) = self.sidebar.get_mut(&conversation) else {
            return;
        };
        entry.unread = 0;
        entry.mention = false;
        if entry.read_up_to.is_some_and(|read| read >= newest) {
            return;
        }
        entry.read_up_to = Some(newest);
        cmds.push(Cmd::Frame(ClientFrame::Read(MarkRead {
            conversation,
            message_id: newest,
        })));
    }

    /// Drops a conversation the user is no longer in.
    fn forget(&mut self, conversation: Conversation) {
        self.sidebar.remove(&conversation);
        self.timelines.remove(&conversation);
        self.drafts.remove(&conversation);
        if self.current == Some(conversation) {
            self.current = None;
            self.composer.reset();
        }
    }

    fn next_client_id(&mut self) -> String {
        self.client_ids += 1;
        format!("tui-{}-{}", self.now.timestamp_millis(), self.client_ids)
    }

    /// Sends the composer's text to the open conversation, or saves the edit.
    fn send(&mut self, cmds: &mut Vec<Cmd>) {
        let text = self.composer.text();
        let text = text.trim_end().to_owned();
        if let Some(command) = text.strip_prefix('/').filter(|rest| !rest.starts_with('/')) {
            self.slash(command, cmds);
            return;
        }
        let text = text.strip_prefix('/').map_or(text.clone(), |rest| {
            if rest.starts_with('/') {
                rest.to_owned()
            } else {
                text.clone()
            }
        });
        let Some(conversation) = self.current else {
            self.tell("open a conversation first (Ctrl+K)".into(), true);
            return;
        };
        if let Err(reason) = crate::composer::check(&text) {
            self.tell(reason, true);
            return;
        }
        if let Some(id) = self.composer.editing {
            cmds.push(Cmd::Edit {
                conversation,
                id,
                content: text,
            });
            self.composer.reset();
            return;
        }
        let client_id = self.next_client_id();
        let delivery = if self.link == Link::Connected {
            Delivery::Sending
        } else {
            Delivery::Queued
        };
        let echo = ChatMessage {
            id: None,
            client_id: Some(client_id.clone()),
            sender: self.me_id(),
            content: text,
            at: self.now,
            parent: self.composer.reply_to,
            edited: false,
            attachments: Vec::new(),
            delivery,
        };
        if echo.delivery == Delivery::Sending
            && let Some(frame) = send_frame(conversation, &echo)
        {
            cmds.push(Cmd::Frame(frame));
        }
        self.in_flight.insert(client_id, conversation);
        let timeline = self.timelines.entry(conversation).or_default();
        // Earlier refusals have had their say.
        let failed: Vec<String> = timeline
            .pending()
            .iter()
            .filter(|e| matches!(e.delivery, Delivery::Failed(_)))
            .filter_map(|e| e.client_id.clone())
            .collect();
        for client_id in failed {
            timeline.refuse(&client_id);
        }
        timeline.push_pending(echo);
        timeline.scroll = 0;
        timeline.selected = None;
        self.typing_sent.remove(&conversation);
        self.composer.reset();
        if let Some(entry) = self.sidebar.get_mut(&conversation) {
            entry.last_activity = Some(self.now);
        }
    }

    /// `/dm NAME`, `/group NAME @a @b`, `/leave`, `/help`, `/quit`.
    fn slash(&mut self, command: &str, cmds: &mut Vec<Cmd>) {
        let mut words = command.split_whitespace();
        let verb = words.next().unwrap_or_default();
        let rest: Vec<String> = words.map(str::to_owned).collect();
        match verb {
            "dm" | "msg" => match rest.first() {
                Some(name) => {
                    let name = name.trim_start_matches('@').to_owned();
                    self.composer.reset();
                    match self.people.by_username(&name).cloned() {
                        Some(person) => self.open_dm(&person, cmds),
                        None => {
                            self.waiting = Some(Waiting::Dm(name.clone()));
                            cmds.push(Cmd::FindPeople(name));
                        }
                    }
                }
                None => self.tell("usage: /dm NAME".into(), true),
            },
            "group" => match rest.split_first() {
                Some((name, usernames)) => {
                    self.composer.reset();
                    let usernames: Vec<String> = usernames
                        .iter()
                        .map(|u| u.trim_start_matches('@').to_owned())
                        .collect();
                    let unknown: Vec<String> = usernames
                        .iter()
                        .filter(|u| self.people.by_username(u).is_none())
                        .cloned()
                        .collect();
                    if unknown.is_empty() {
                        self.create_group(name.clone(), usernames, cmds);
                    } else {
                        self.waiting = Some(Waiting::Group {
                            name: name.clone(),
                            usernames,
                        });
                        cmds.extend(unknown.into_iter().map(Cmd::FindPeople));
                    }
                }
                None => self.tell("usage: /group NAME [@user …]".into(), true),
            },
            "leave" => match self.current {
                Some(Conversation::Group { group_id }) => {
                    self.composer.reset();
                    cmds.push(Cmd::LeaveGroup(group_id));
                }
                _ => self.tell("/leave works in a group".into(), true),
            },
            "help" => {
                self.composer.reset();
                self.overlay = Some(Overlay::Help { scroll: 0 });
            }
            "quit" | "exit" => {
                self.quit = true;
                cmds.push(Cmd::Quit);
            }
            other => self.tell(
                format!(
                    "unknown command /{other} (start with // to send a message beginning with /)"
                ),
                true,
            ),
        }
    }

    fn create_group(&mut self, name: String, usernames: Vec<String>, cmds: &mut Vec<Cmd>) {
        let mut members = Vec::new();
        for username in &usernames {
            match self.people.by_username(username) {
                Some(person) => members.push(person.id),
                None => {
                    self.tell(format!("no user named {username}"), true);
                    return;
                }
            }
        }
        cmds.push(Cmd::CreateGroup { name, members });
    }

    /// The switcher's entries: every conversation, then people without a DM.
    pub fn switcher_items(&self) -> Vec<Item> {
        let me = self.me_id();
        let mut items: Vec<Item> = self
            .sidebar
            .ordered()
            .into_iter()
            .filter_map(|conversation| {
                let entry = self.sidebar.get(&conversation)?;
                Some(Item {
                    label: self.title_of(conversation),
                    target: Target::Conversation(conversation),
                    unread: entry.unread,
                    mention: entry.mention,
                })
            })
            .collect();
        let mut people: Vec<&Person> = self
            .people
            .all()
            .filter(|p| p.id != me)
            .filter(|p| {
                self.sidebar
                    .get(&Conversation::Dm { user_id: p.id })
                    .is_none()
            })
            .collect();
        people.sort_by(|a, b| a.username.cmp(&b.username));
        items.extend(people.into_iter().map(person_item));
        items
    }

    /// How a conversation is named in titles and the switcher.
    pub fn title_of(&self, conversation: Conversation) -> String {
        let name = self
            .sidebar
            .get(&conversation)
            .map(|e| e.name.clone())
            .unwrap_or_default();
        match conversation {
            Conversation::Dm { user_id } => format!("@ {}", self.people.name(user_id)),
            Conversation::Group { .. } => format!("& {name}"),
            Conversation::Room { space_id, .. } => format!(
                "# {} / {name}",
                self.sidebar.space_name(space_id).unwrap_or_default()
            ),
        }
    }

    /// "bob is typing…" for the open conversation.
    pub fn typing_line(&self) -> Option<String> {
        let list = self.typing.get(&self.current?)?;
        let names: Vec<&str> = list.iter().map(|(id, _)| self.people.name(*id)).collect();
        match names.as_slice() {
            [] => None,
            [one] => Some(format!("{one} is typing…")),
            [one, two] => Some(format!("{one} and {two} are typing…")),
            _ => Some("several people are typing…".into()),
        }
    }

    /// After a frame is drawn: load older history when the top of what is loaded is on
    /// screen.
    pub fn after_draw(&mut self, top_reached: bool) -> Vec<Cmd> {
        let Some(conversation) = self.current else {
            return Vec::new();
        };
        let Some(timeline) = self.timelines.get_mut(&conversation) else {
            return Vec::new();
        };
        if top_reached
            && timeline.backfill == crate::timeline::Backfill::More
            && (timeline.scroll > 0 || timeline.selected.is_some())
        {
            timeline.backfill = crate::timeline::Backfill::Loading;
            return vec![Cmd::LoadHistory {
                conversation,
                before: timeline.oldest_id(),
            }];
        }
        Vec::new()
    }

    /// Someone started typing: shown for a few seconds.
    fn typing_started(&mut self, conversation: Conversation, who: UserId) {
        let until = self.now + TYPING_SHOWN_FOR;
        let list = self.typing.entry(conversation).or_default();
        match list.iter_mut().find(|(id, _)| *id == who) {
            Some(entry) => entry.1 = until,
            None => list.push((who, until)),
        }
    }

    /// The composer's text changed: tell the others, at most every few seconds.
    fn typed(&mut self, cmds: &mut Vec<Cmd>) {
        let Some(conversation) = self.current else {
            return;
        };
        if self.composer.is_empty()
            || self.link != Link::Connected
            || self.composer.editing.is_some()
        {
            return;
        }
        if self
            .typing_sent
            .get(&conversation)
            .is_some_and(|at| self.now - *at < TYPING_SENT_EVERY)
        {
            return;
        }
        self.typing_sent.insert(conversation, self.now);
        cmds.push(Cmd::Frame(ClientFrame::Typing(StartTyping {
            conversation,
        })));
    }
}

fn person_item(person: &Person) -> Item {
    Item {
        label: format!("@ {}", person.name()),
        target: Target::Person(person.id),
        unread: 0,
        mention: false,
    }
}

/// The frame that sends `echo` to `conversation`.
fn send_frame(conversation: Conversation, echo: &ChatMessage) -> Option<ClientFrame> {
    let draft = MessageDraft {
        message: echo.content.clone(),
        parent_id: echo.parent,
        client_id: echo.client_id.clone(),
        attachment_ids: Vec::new(),
    };
    Some(match conversation {
        Conversation::Dm { user_id } => ClientFrame::Dm(SendDm {
            receiver_id: user_id,
            draft,
        }),
        Conversation::Group { group_id } => {
            ClientFrame::Group(SendGroupMessage { group_id, draft })
        }
        Conversation::Room { space_id, room_id } => ClientFrame::Space(SendRoomMessage {
            space_id,
            room_id,
            draft,
        }),
    })
}

/// `lounge / general` → (`lounge`, `general`), using the space's known name when there
/// is one (a space name may itself hold " / ").
fn split_room_name(full: &str, space: Option<&str>) -> (String, String) {
    if let Some(space) = space
        && let Some(room) = full.strip_prefix(space).and_then(|r| r.strip_prefix(" / "))
    {
        return (space.to_owned(), room.to_owned());
    }
    match full.split_once(" / ") {
        Some((space, room)) => (space.to_owned(), room.to_owned()),
        None => (String::new(), full.to_owned()),
    }
}

/// `http://127.0.0.1:8000/` → `127.0.0.1:8000`.
fn host_of(server: &str) -> String {
    server
        .trim_start_matches("http://")
        .trim_start_matches("https://")
        .trim_end_matches('/')
        .to_owned()
}

#[cfg(test)]
mod tests;
