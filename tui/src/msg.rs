//! Everything that can change the app's state arrives as one `Msg`: terminal input,
//! what the network brought back, and timers.

use std::time::Duration;

use crossterm::event::Event;
use socmel_client::types::{
    MessageId, UserId,
    conversations::Conversation,
    frames::ServerFrame,
    groups::GroupChatDisplay,
    messages::{InboxEntry, Message},
    spaces::SpaceDisplay,
    users::UserDisplay,
};

use crate::people::Person;

#[derive(Debug)]
pub enum Msg {
    Term(Event),
    Net(NetEvent),
    /// A deadline the app asked for passed (typing expiry, a notice fading).
    Tick,
}

/// The socket's state, as the status bar shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Link {
    Connecting,
    Connected,
    /// Waiting `retry_in` before attempt number `attempt`.
    Reconnecting {
        attempt: u32,
        retry_in: Duration,
        reason: String,
    },
    Offline(String),
}

#[derive(Debug)]
pub enum NetEvent {
    Link(Link),
    Frame(Box<ServerFrame>),
    /// The session ended (logged out elsewhere, password changed, refresh refused).
    Revoked(String),
    SignedIn {
        me: UserDisplay,
        server: String,
    },
    SignInFailed(String),
    Me(UserDisplay),
    Spaces(Vec<SpaceDisplay>),
    Inbox(Vec<InboxEntry>),
    History {
        conversation: Conversation,
        before: Option<MessageId>,
        messages: Vec<Message>,
        /// Fewer than asked for came back: this is the beginning.
        complete: bool,
    },
    HistoryFailed {
        conversation: Conversation,
        error: String,
    },
    People(Vec<Person>),
    PersonMissing(UserId),
    Members {
        conversation: Conversation,
        members: Vec<Person>,
    },
    GroupCreated(GroupChatDisplay),
    LeftGroup(socmel_client::types::GroupId),
    /// A person looked up by name for `/dm` or the switcher.
    Found(Vec<Person>),
    /// Something the user asked for failed; shown in the status line.
    Failed(String),
}
