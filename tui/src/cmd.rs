//! What `update` asks the outside world to do; `net` carries it out and answers with
//! `NetEvent`s.

use socmel_client::types::{MessageId, UserId, conversations::Conversation, frames::ClientFrame};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cmd {
    SignIn {
        server: String,
        username: String,
        password: String,
        /// Register first, with this email.
        register_email: Option<String>,
    },
    /// Start the socket and load the sidebar (after sign-in or at start).
    Start,
    LoadInbox,
    LoadHistory {
        conversation: Conversation,
        before: Option<MessageId>,
    },
    LoadMembers(Conversation),
    LoadPeople(Vec<UserId>),
    /// Cut the wait before the next reconnection attempt short.
    Reconnect,
    /// A frame for the socket (messages, typing, read marks).
    Frame(ClientFrame),
    Edit {
        conversation: Conversation,
        id: MessageId,
        content: String,
    },
    Delete {
        conversation: Conversation,
        id: MessageId,
    },
    FindPeople(String),
    CreateGroup {
        name: String,
        members: Vec<UserId>,
    },
    LeaveGroup(socmel_client::types::GroupId),
    OpenUrl(String),
    /// Ask for attention (bell / desktop notification, as configured).
    Alert(crate::alert::Alert),
    Quit,
}
