//! The command tree: global options, then one noun per module in `commands/`.

use clap::{Args, Parser, Subcommand};

use crate::commands::{
    api, auth, comment, completion, dm, feed, follow, group, inbox, invite, man, msg, note,
    notifications, post, room, security, seed, space, user,
};

pub const DEFAULT_SERVER: &str = "http://127.0.0.1:8000";

const AFTER_HELP: &str = "\
Output:
  Data goes to stdout, everything else (progress, notices, errors) to stderr.
  On a terminal: tables and relative times. Piped: tab-separated lines, RFC 3339 times.
  --json prints the API objects unchanged (errors as {\"error\": {...}} on stderr).
  Commands that create something print its id, so they chain:
    SPACE=$(socmel space create lounge)

Naming things:
  Every argument that names a user takes a username or an id: bob, @bob, #7 or 7.
  #7 and a bare number are ids; @name is always a username (@123 is the user \"123\").
  Spaces and groups likewise (lounge, #3, 3); a room is SPACE/ROOM (lounge/general).
  An unknown name is \"no user named bob\" (exit 1).

Listings and texts:
  Every listing takes --limit N, --cursor CURSOR (the previous next_cursor) and --all;
  with --json it is {\"items\": [...], \"next_cursor\": ...}. --jq EXPR filters the JSON.
  A long text may be - (stdin) or @FILE (a file); @@ starts a text with @.

Exit codes:
  0  success
  1  error: the server refused the request, or could not be reached
  2  usage error: bad arguments, or a password is needed and there is no terminal
  4  authentication required: not logged in, the token was refused, or the session
     was revoked (logged out elsewhere, password or email changed)

Environment:
  SOCMEL_SERVER        server URL (default http://127.0.0.1:8000)
  SOCMEL_TOKEN         access token to use instead of the stored one
  SOCMEL_PROFILE       profile name (default \"default\")
  SOCMEL_CONFIG_DIR    folder of credentials.json (default: <XDG config>/socmel)
  SOCMEL_PASSWORD      password for login/register when there is no terminal
  SOCMEL_NEW_PASSWORD  new password for security change-password/reset-password

Example:
  printf '%s\\n' \"$PW\" | socmel auth register --username ada --email ada@example.com --password-stdin
  printf '%s\\n' \"$PW\" | socmel auth login ada --password-stdin
  socmel room list lounge
  socmel feed --limit 5 --jq '.items[].title'";

/// socmel: the SocMel command line, for admins and scripts.
#[derive(Debug, Parser)]
#[command(
    name = "socmel",
    version,
    about = "socmel: the SocMel command line, for admins and scripts",
    long_about = "socmel: the SocMel command line, for admins and scripts.\n\n\
                  Every server operation as a noun-verb command, --json everywhere, clean exit codes.",
    after_help = AFTER_HELP,
    subcommand_required = true,
    arg_required_else_help = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Global options")]
pub struct Global {
    /// Server URL [default: the profile's server, else http://127.0.0.1:8000]
    #[arg(long, env = "SOCMEL_SERVER", global = true, value_name = "URL")]
    pub server: Option<String>,
    /// Access token to use instead of the stored one (prefer the environment variable)
    #[arg(
        long,
        env = "SOCMEL_TOKEN",
        global = true,
        hide_env_values = true,
        value_name = "TOKEN"
    )]
    pub token: Option<String>,
    /// Profile: which stored server + account to use
    #[arg(
        long,
        short = 'P',
        env = "SOCMEL_PROFILE",
        global = true,
        default_value = "default",
        value_name = "NAME"
    )]
    pub profile: String,
    /// Print the API objects as JSON (errors as JSON on stderr)
    #[arg(long, global = true)]
    pub json: bool,
    /// Filter the JSON output with a jq expression (implies --json); strings print raw
    #[arg(long, global = true, value_name = "EXPR")]
    pub jq: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Register, log in and out, see and refresh the stored token
    #[command(subcommand)]
    Auth(auth::AuthCmd),
    /// Show and edit user profiles
    #[command(subcommand)]
    User(user::UserCmd),
    /// Verification codes, email and password changes, password reset
    #[command(subcommand)]
    Security(security::SecurityCmd),
    /// Spaces: create, browse, members, roles, bans
    #[command(subcommand)]
    Space(space::SpaceCmd),
    /// Rooms inside a space
    #[command(subcommand)]
    Room(room::RoomCmd),
    /// Invitations to a space: create, list, revoke, join
    #[command(subcommand)]
    Invite(invite::InviteCmd),
    /// Group chats and their members
    #[command(subcommand)]
    Group(group::GroupCmd),
    /// Direct messages
    #[command(subcommand)]
    Dm(dm::DmCmd),
    /// Messages in any conversation (DM, group, room), and the live stream
    #[command(subcommand)]
    Msg(msg::MsgCmd),
    /// Your conversations, newest first, with unread counts
    Inbox(inbox::InboxArgs),
    /// Posts on your profile or in a space: create, edit, like, images
    #[command(subcommand)]
    Post(post::PostCmd),
    /// Your feed: posts of the people you follow and of your spaces
    Feed(feed::FeedArgs),
    /// Comments on posts, replies and reactions
    #[command(subcommand)]
    Comment(comment::CommentCmd),
    /// Follow requests, followers and following
    #[command(subcommand)]
    Follow(follow::FollowCmd),
    /// Your 24-hour note (a short status)
    #[command(subcommand)]
    Note(note::NoteCmd),
    /// Your notifications: list them, mark them read
    Notifications(notifications::NotificationsArgs),
    /// Send any request to the API (the raw escape hatch)
    Api(api::ApiArgs),
    /// Print a shell completion script
    Completion(completion::CompletionArgs),
    /// Print the man page (roff), or write one page per command into a folder
    Man(man::ManArgs),
    /// Fill a server with demo users, a space with rooms, a group, messages, posts and follows
    Seed(seed::SeedArgs),
}

/// Paging, the same on every listing: `--limit`, `--cursor`, `--all`.
#[derive(Debug, Clone, Default, Args)]
pub struct Paging {
    /// Items per page (1-100) [default: the server's]
    #[arg(long, alias = "page-size", value_name = "N")]
    pub limit: Option<i64>,
    /// Where to continue: the previous page's next_cursor
    #[arg(long, value_name = "CURSOR")]
    pub cursor: Option<String>,
    /// Follow every page and print them as one listing
    #[arg(long, conflicts_with = "cursor")]
    pub all: bool,
}
