//! `socmel seed`: fills a server with a small, lively world so a newcomer sees the
//! clients come alive at once: three users, a space with rooms that two of them joined
//! by invitation, a group chat, direct messages and room chatter, then posts (one in the
//! space), a follow, a like and a comment.
//!
//! Each part is one step function on [`Seed`] that adds to the report; new areas
//! (posts, comments, follows) become one more step in [`run`].

use clap::Args;
use serde::Serialize;
use socmel_client::{
    Client,
    types::{
        Timestamp,
        auth::UserCreate,
        comments::CommentDisplay,
        follows::FollowAck,
        groups::{GroupChatCreate, GroupChatDisplay},
        invitations::{InvitationCreate, InvitationDisplay},
        messages::{Conversation, Message, SendMessage},
        posts::{PostDisplay, PostUpdate, Visibility},
        rooms::{RoomCreate, RoomDisplay},
        spaces::{SpaceCreate, SpaceDisplay},
        users::UserDisplay,
    },
};

use crate::{
    context::Ctx,
    error::{CliError, CliResult},
    output::Table,
    secrets::PASSWORD_ENV,
};

/// Demo accounts share one password, shown at the end so anyone can log in as them.
const DEMO_PASSWORD: &str = "socmel-demo";
const USERS: [&str; 3] = ["alice", "bob", "carol"];

#[derive(Debug, Args)]
#[command(after_help = "The demo users share the password 'socmel-demo' \
    (SOCMEL_PASSWORD sets another). Seed the same server twice with --prefix.")]
pub struct SeedArgs {
    /// Put this in front of every demo name (users, space, group), to seed again
    #[arg(long, default_value = "")]
    pub prefix: String,
    /// Also log in as the first demo user, in the current profile
    #[arg(long)]
    pub login: bool,
}

/// What was made; `--json` prints it.
#[derive(Debug, Default, Serialize)]
pub struct SeedReport {
    pub users: Vec<UserDisplay>,
    pub space: Option<SpaceDisplay>,
    pub rooms: Vec<RoomDisplay>,
    pub invitation: Option<InvitationDisplay>,
    pub group: Option<GroupChatDisplay>,
    pub messages: Vec<Message>,
    pub posts: Vec<PostDisplay>,
    /// Bob's request to follow Alice, accepted.
    pub follow: Option<FollowAck>,
    pub comments: Vec<CommentDisplay>,
}

struct Seed {
    server: String,
    password: String,
    prefix: String,
    /// Signed-in clients, in the order of [`USERS`].
    clients: Vec<Client>,
    report: SeedReport,
}

pub async fn run(ctx: &mut Ctx, args: SeedArgs) -> CliResult {
    let password = std::env::var(PASSWORD_ENV)
        .ok()
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| DEMO_PASSWORD.to_owned());
    let mut seed = Seed {
        server: ctx.server.clone(),
        password,
        prefix: args.prefix,
        clients: Vec::new(),
        report: SeedReport::default(),
    };
    seed.users().await?;
    seed.space().await?;
    seed.invitation_and_joins().await?;
    seed.group().await?;
    seed.messages().await?;
    seed.posts().await?;

    if args.login
        && let (Some(client), Some(user)) = (seed.clients.first(), seed.report.users.first())
    {
        let tokens = client.login(&user.username, &seed.password).await?;
        ctx.save_login(user, &tokens)?;
    }
    report(ctx, &seed, args.login)
}

impl Seed {
    fn name(&self, base: &str) -> String {
        format!("{}{base}", self.prefix)
    }

    fn client(&self, index: usize) -> CliResult<&Client> {
        self.clients
            .get(index)
            .ok_or_else(|| CliError::Other("seed: a demo user is missing".into()))
    }

    /// Registers the demo users, or logs in as them when they already exist.
    async fn users(&mut self) -> CliResult {
        for base in USERS {
            let username = self.name(base);
            let client = Client::new(&self.server)?;
            let body = UserCreate {
                username: username.clone(),
                email: format!("{username}@example.com"),
                password: self.password.clone(),
            };
            match client.register(&body).await {
                Ok(_) => {}
                Err(err) if err.status() == Some(409) => {}
                Err(err) => return Err(err.into()),
            }
            client.login(&username, &self.password).await.map_err(|err| {
                if err.status() == Some(401) {
                    CliError::Other(format!(
                        "{username} exists with another password: seed with --prefix, or set {PASSWORD_ENV}"
                    ))
                } else {
                    err.into()
                }
            })?;
            self.report.users.push(client.current_user().await?);
            self.clients.push(client);
        }
        Ok(())
    }

    /// The first user's space, with rooms beside the `main` one every space starts with.
    async fn space(&mut self) -> CliResult {
        let owner = self.client(0)?;
        let name = self.name("lounge");
        let space = owner
            .create_space(&SpaceCreate { name: name.clone() })
            .await
            .map_err(|err| match err.status() {
                // Upstream answers a taken space name with 400, not 409.
                Some(400 | 409) => CliError::Other(format!(
                    "a space named '{name}' already exists: this server is seeded; seed again with --prefix"
                )),
                _ => err.into(),
            })?;
        for room in ["random", "rust"] {
            owner
                .add_room(space.id, &RoomCreate { name: room.into() })
                .await?;
        }
        self.report.rooms = owner.space_rooms(space.id, None, None).await?.items;
        self.report.space = Some(space);
        Ok(())
    }

    /// One invitation, used by the two other users.
    async fn invitation_and_joins(&mut self) -> CliResult {
        let space = self.space_id()?;
        let invitation = self
            .client(0)?
            .create_invitation(
                space,
                &InvitationCreate {
                    max_uses: 10,
                    expires_at: Timestamp(chrono::Utc::now() + chrono::Duration::days(7)),
                },
            )
            .await?;
        let token = invitation.token.clone().unwrap_or_default();
        for index in 1..self.clients.len() {
            self.client(index)?.accept_invitation(space, &token).await?;
        }
        self.report.space = Some(self.client(0)?.view_space(space).await?);
        self.report.invitation = Some(invitation);
        Ok(())
    }

    async fn group(&mut self) -> CliResult {
        let members = self.report.users.iter().skip(1).map(|u| u.id).collect();
        let group = self
            .client(0)?
            .create_group(&GroupChatCreate {
                name: self.name("weekend plans"),
                members: Some(members),
            })
            .await?;
        self.report.group = Some(group);
        Ok(())
    }

    /// A short conversation in each kind of chat.
    async fn messages(&mut self) -> CliResult {
        let space = self.space_id()?;
        let room = self
            .report
            .rooms
            .iter()
            .find(|room| room.name == "main")
            .or(self.report.rooms.first())
            .map(|room| room.id)
            .ok_or_else(|| CliError::Other("seed: the space has no room".into()))?;
        let group = self
            .report
            .group
            .as_ref()
            .map(|g| g.id)
            .ok_or_else(|| CliError::Other("seed: no group".into()))?;
        let ids: Vec<_> = self.report.users.iter().map(|u| u.id).collect();
        let room_lines = [
            (0, "Welcome to the lounge! Say hi 👋"),
            (1, "Hi all! Happy to be here."),
            (2, "Hello! Which room is for Rust talk?"),
            (0, "#rust, of course."),
        ];
        let dm_lines = [
            (0, 1, "Hey Bob, did you get the invitation?"),
            (1, 0, "I did, thanks! Joined already."),
        ];
        let group_lines = [
            (0, "Hike on Saturday?"),
            (2, "I'm in!"),
            (1, "Count me in too."),
        ];
        let mut sent = Vec::new();
        for (from, text) in room_lines {
            let room = Conversation::Room {
                space_id: space,
                room_id: room,
            };
            let body = SendMessage::text(room, text);
            sent.push(self.send(from, &body).await?);
        }
        for (from, to, text) in dm_lines {
            let user_id = ids
                .get(to)
                .copied()
                .ok_or_else(|| CliError::Other("seed: too few users".into()))?;
            let body = SendMessage::text(Conversation::Dm { user_id }, text);
            sent.push(self.send(from, &body).await?);
        }
        for (from, text) in group_lines {
            let body = SendMessage::text(Conversation::Group { group_id: group }, text);
            sent.push(self.send(from, &body).await?);
        }
        self.report.messages = sent;
        Ok(())
    }

    /// Posts (one tagged, one followers-only, one in the space); Bob follows Alice
    /// (accepted), likes her first post, and Carol comments on it.
    async fn posts(&mut self) -> CliResult {
        let space = self.space_id()?;
        let post = |title: &str, content: &str, tags: &[&str], visibility| PostUpdate {
            title: Some(title.into()),
            content: Some(content.into()),
            tags: (!tags.is_empty()).then(|| tags.iter().map(|t| (*t).to_owned()).collect()),
            visibility,
        };
        let alice = self.client(0)?;
        let hello = alice
            .create_post(&post(
                "Hello SocMel",
                "First post here. Say hi in the comments!",
                &["welcome", "rust"],
                None,
            ))
            .await?;
        let friends = alice
            .create_post(&post(
                "For my followers",
                "Hiking photos coming soon.",
                &[],
                Some(Visibility::Followers),
            ))
            .await?;
        let in_space = self
            .client(1)?
            .create_space_post(
                space,
                &post(
                    "Lounge rules",
                    "Be kind, stay on topic, have fun.",
                    &["rules"],
                    None,
                ),
            )
            .await?;
        let alice_id = self.report.users.first().map(|u| u.id);
        let bob_id = self.report.users.get(1).map(|u| u.id);
        let (Some(alice_id), Some(bob_id)) = (alice_id, bob_id) else {
            return Err(CliError::Other("seed: a demo user is missing".into()));
        };
        self.client(1)?.request_follow(alice_id).await?;
        let follow = alice.accept_follow_request_from(bob_id).await?;
        self.client(1)?.like_post(hello.id).await?;
        let comment = self
            .client(2)?
            .add_comment(hello.id, "Welcome, Alice! 🎉")
            .await?;
        let hello = alice.view_post(hello.id).await?;
        self.report.posts = vec![hello, friends, in_space];
        self.report.follow = Some(follow);
        self.report.comments = vec![comment];
        Ok(())
    }

    async fn send(&self, from: usize, body: &SendMessage) -> CliResult<Message> {
        Ok(self.client(from)?.send_message(body).await?)
    }

    fn space_id(&self) -> CliResult<socmel_client::types::SpaceId> {
        self.report
            .space
            .as_ref()
            .map(|s| s.id)
            .ok_or_else(|| CliError::Other("seed: no space".into()))
    }
}

fn report(ctx: &Ctx, seed: &Seed, logged_in: bool) -> CliResult {
    let report = &seed.report;
    ctx.out.show(report, |out| {
        let mut table = Table::new(&["WHAT", "ID", "NAME"]);
        for user in &report.users {
            table.row(vec![
                "user".into(),
                user.id.to_string(),
                user.username.clone(),
            ]);
        }
        if let Some(space) = &report.space {
            table.row(vec![
                "space".into(),
                space.id.to_string(),
                space.name.clone(),
            ]);
        }
        for room in &report.rooms {
            table.row(vec!["room".into(), room.id.to_string(), room.name.clone()]);
        }
        if let Some(group) = &report.group {
            table.row(vec![
                "group".into(),
                group.id.to_string(),
                group.name.clone(),
            ]);
        }
        for post in &report.posts {
            table.row(vec!["post".into(), post.id.to_string(), post.title.clone()]);
        }
        table.print(out);
    })?;
    if !ctx.out.json {
        eprintln!(
            "Seeded {} with {} users, {} rooms, a group, {} messages, {} posts, a follow, a like and a comment.",
            ctx.server,
            report.users.len(),
            report.rooms.len(),
            report.messages.len(),
            report.posts.len()
        );
        let first = report
            .users
            .first()
            .map(|u| u.username.as_str())
            .unwrap_or("alice");
        if logged_in {
            eprintln!("Logged in as {first} (profile '{}').", ctx.profile);
        } else {
            // Only the public demo password is echoed, never one chosen by the caller.
            let password = if seed.password == DEMO_PASSWORD {
                DEMO_PASSWORD
            } else {
                "<your SOCMEL_PASSWORD>"
            };
            eprintln!(
                "Log in as one of them: SOCMEL_PASSWORD={password} socmel auth login {first}"
            );
        }
    }
    Ok(())
}
