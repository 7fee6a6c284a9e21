//! Carries out `Cmd`s with socmel-client and answers with `NetEvent`s. REST calls run
//! as tasks of their own; the socket is one task that reconnects with backoff and
//! resumes from the last `seq`. Nothing here holds app state: the UI task owns it.

use std::{sync::Arc, time::Duration};

use socmel_client::{
    Client, ClientError, HistoryPage,
    profiles::{Credentials, Profile},
    types::{
        auth::UserCreate,
        conversations::Conversation,
        frames::{ClientFrame, Ping},
        groups::GroupChatCreate,
        messages::Message,
        users::UserDisplay,
    },
};
use tokio::sync::{Mutex, Notify, mpsc};

use crate::{
    app::HISTORY_PAGE,
    cmd::Cmd,
    msg::{Link, Msg, NetEvent},
    people::Person,
};

/// The app sends a ping this often; the server's answer (or any frame) proves the link.
const PING_EVERY: Duration = Duration::from_secs(30);
/// A link that has said nothing for this long is dead (a sleeping laptop, a lost route).
const SILENCE_LIMIT: Duration = Duration::from_secs(75);
const FIRST_RETRY: Duration = Duration::from_millis(500);
const LONGEST_RETRY: Duration = Duration::from_secs(30);

/// The stored session: which profile's tokens the client uses, refreshed one at a time.
pub struct Session {
    profile: String,
    refreshing: Mutex<()>,
    /// Set once the session is over: nothing retries after that.
    over: std::sync::atomic::AtomicBool,
}

/// Why a refresh did not give a usable token.
enum Refresh {
    /// The session is over: sign in again.
    Ended(String),
    /// The server could not be asked; try later.
    Unreachable(String),
}

impl Session {
    pub fn new(profile: &str) -> Arc<Self> {
        Arc::new(Self {
            profile: profile.to_owned(),
            refreshing: Mutex::new(()),
            over: std::sync::atomic::AtomicBool::new(false),
        })
    }

    pub fn ended(&self) -> bool {
        self.over.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Trades the stored refresh token for a new pair, once at a time. Refresh tokens
    /// are single-use and a replayed one ends the session, so a pair saved meanwhile
    /// (by another task, or by `socmel` in another terminal) is adopted instead.
    async fn refresh(&self, client: &Client, stale: Option<&str>) -> Result<(), Refresh> {
        let _one_at_a_time = self.refreshing.lock().await;
        if client.token().as_deref() != stale {
            return Ok(());
        }
        let mut creds = Credentials::load().map_err(|e| Refresh::Unreachable(e.0))?;
        let profile = creds.get(&self.profile).cloned().unwrap_or_default();
        if let Some(saved) = &profile.access_token
            && Some(saved.as_str()) != stale
            && !profile.needs_refresh()
        {
            client.set_token(Some(saved.clone()));
            return Ok(());
        }
        let Some(refresh_token) = profile.refresh_token.clone() else {
            self.over.store(true, std::sync::atomic::Ordering::Relaxed);
            return Err(Refresh::Ended("no stored session".into()));
        };
        match client.refresh(&refresh_token).await {
            Ok(tokens) => {
                let entry = creds
                    .profiles
                    .entry(self.profile.clone())
                    .or_insert(profile);
                entry.set_tokens(&tokens);
                creds.save().map_err(|e| Refresh::Unreachable(e.0))?;
                client.set_token(Some(tokens.access_token));
                Ok(())
            }
            Err(err) if err.status() == Some(401) => {
                self.over.store(true, std::sync::atomic::Ordering::Relaxed);
                Err(Refresh::Ended("signed out or expired".into()))
            }
            Err(err) => Err(Refresh::Unreachable(describe(&err))),
        }
    }

    /// Refreshes first when the stored token is about to expire.
    async fn fresh(&self, client: &Client) -> Result<(), Refresh> {
        let stale = Credentials::load()
            .ok()
            .and_then(|c| c.get(&self.profile).cloned())
            .filter(Profile::needs_refresh)
            .and_then(|p| p.access_token);
        match stale {
            Some(stale) if client.token().as_deref() == Some(stale.as_str()) => {
                self.refresh(client, Some(&stale)).await
            }
            _ => Ok(()),
        }
    }
}

pub struct Net {
    client: Client,
    session: Arc<Session>,
    tx: mpsc::UnboundedSender<Msg>,
    socket: Option<mpsc::UnboundedSender<ClientFrame>>,
    /// How alerts reach the person (the command line's `--notify`).
    pub notify: crate::alert::Notifier,
    /// Wakes the reconnection loop before its backoff is over (the app's "reconnect now").
    retry_now: Arc<Notify>,
}

impl Net {
    pub fn new(client: Client, session: Arc<Session>, tx: mpsc::UnboundedSender<Msg>) -> Self {
        Self {
            client,
            session,
            tx,
            socket: None,
            notify: crate::alert::Notifier::default(),
            retry_now: Arc::new(Notify::new()),
        }
    }

    pub fn execute(&mut self, cmd: Cmd) {
        match cmd {
            Cmd::SignIn {
                server,
                username,
                password,
                register_email,
            } => {
                let tx = self.tx.clone();
                let profile = self.session.profile.clone();
                let client = match Client::new(&server) {
                    Ok(client) => client,
                    Err(err) => {
                        send(&tx, NetEvent::SignInFailed(describe(&err)));
                        return;
                    }
                };
                self.client = client.clone();
                // A new sign-in is a new session: the old one's socket has ended.
                self.session = Session::new(&profile);
                self.socket = None;
                tokio::spawn(async move {
                    let event = match sign_in(
                        &client,
                        &profile,
                        &server,
                        &username,
                        &password,
                        register_email,
                    )
                    .await
                    {
                        Ok(me) => NetEvent::SignedIn { me, server },
                        Err(reason) => NetEvent::SignInFailed(reason),
                    };
                    send(&tx, event);
                });
            }
            Cmd::Start => {
                if self.socket.is_some() {
                    return;
                }
                let (out, out_rx) = mpsc::unbounded_channel();
                self.socket = Some(out);
                let (client, session, tx) =
                    (self.client.clone(), self.session.clone(), self.tx.clone());
                let retry_now = self.retry_now.clone();
                tokio::spawn(start(client, session, tx, out_rx, retry_now));
            }
            Cmd::LoadInbox => self
                .call(|c| async move { c.conversations().await.map(|p| NetEvent::Inbox(p.items)) }),
            Cmd::LoadHistory {
                conversation,
                before,
            } => {
                let tx = self.tx.clone();
                let (client, session) = (self.client.clone(), self.session.clone());
                tokio::spawn(async move {
                    let result =
                        with_refresh(&client, &session, &tx, |c| history(c, conversation, before))
                            .await;
                    let event = match result {
                        Ok(messages) => NetEvent::History {
                            complete: (messages.len() as i64) < HISTORY_PAGE,
                            conversation,
                            before,
                            messages,
                        },
                        Err(error) => NetEvent::HistoryFailed {
                            conversation,
                            error,
                        },
                    };
                    send(&tx, event);
                });
            }
            Cmd::LoadMembers(conversation) => self.call(move |c| async move {
                members(&c, conversation)
                    .await
                    .map(|members| NetEvent::Members {
                        conversation,
                        members,
                    })
            }),
            Cmd::LoadPeople(ids) => {
                for id in ids {
                    let tx = self.tx.clone();
                    let (client, session) = (self.client.clone(), self.session.clone());
                    tokio::spawn(async move {
                        let found = with_refresh(&client, &session, &tx, |c| async move {
                            c.view_user(id).await
                        })
                        .await;
                        send(
                            &tx,
                            match found {
                                Ok(user) => NetEvent::People(vec![Person::from(&user)]),
                                Err(_) => NetEvent::PersonMissing(id),
                            },
                        );
                    });
                }
            }
            // Only sent while waiting, so no wake-up is left stored for a later wait.
            Cmd::Reconnect => self.retry_now.notify_one(),
            Cmd::Frame(frame) => {
                if let Some(socket) = &self.socket {
                    let _ = socket.send(frame);
                }
            }
            Cmd::Edit {
                conversation,
                id,
                content,
            } => self.call(move |c| {
                let content = content.clone();
                async move {
                    c.edit_message(conversation.kind(), id, &content)
                        .await
                        .map(|message| {
                            NetEvent::Frame(Box::new(
                                socmel_client::types::frames::ServerFrame::MessageEdited(
                                    socmel_client::types::frames::MessageEdited {
                                        conversation,
                                        message,
                                    },
                                ),
                            ))
                        })
                }
            }),
            Cmd::Delete { conversation, id } => self.call(move |c| async move {
                c.delete_message(conversation.kind(), id).await.map(|_| {
                    NetEvent::Frame(Box::new(
                        socmel_client::types::frames::ServerFrame::MessageDeleted(
                            socmel_client::types::frames::MessageDeleted { conversation, id },
                        ),
                    ))
                })
            }),
            Cmd::FindPeople(query) => self.call(move |c| {
                let query = query.clone();
                async move { find_people(&c, &query).await }
            }),
            Cmd::CreateGroup { name, members } => self.call(move |c| {
                let body = GroupChatCreate {
                    name: name.clone(),
                    members: Some(members.clone()),
                };
                async move { c.create_group(&body).await.map(NetEvent::GroupCreated) }
            }),
            Cmd::LeaveGroup(group_id) => self.call(move |c| async move {
                c.leave_group(group_id)
                    .await
                    .map(|_| NetEvent::LeftGroup(group_id))
            }),
            Cmd::OpenUrl(link) => {
                let url = if link.starts_with("http://") || link.starts_with("https://") {
                    link
                } else {
                    format!(
                        "{}/{}",
                        self.client.base_url(),
                        link.trim_start_matches('/')
                    )
                };
                if let Err(err) = open::that_detached(&url) {
                    send(
                        &self.tx,
                        NetEvent::Failed(format!("could not open {url}: {err}")),
                    );
                }
            }
            Cmd::Alert(alert) => self.notify.ring(&alert),
            Cmd::Quit => {}
        }
    }

    /// Runs one REST call in a task; its result (or its failure, said plainly) comes
    /// back as a `NetEvent`.
    fn call<F, Fut>(&self, call: F)
    where
        F: Fn(Client) -> Fut + Send + 'static,
        Fut: Future<Output = Result<NetEvent, ClientError>> + Send,
    {
        let tx = self.tx.clone();
        let (client, session) = (self.client.clone(), self.session.clone());
        tokio::spawn(async move {
            let event = match with_refresh(&client, &session, &tx, call).await {
                Ok(event) => event,
                Err(reason) => NetEvent::Failed(reason),
            };
            send(&tx, event);
        });
    }
}

fn send(tx: &mpsc::UnboundedSender<Msg>, event: NetEvent) {
    // The app has quit when nobody listens; nothing is left to tell.
    let _ = tx.send(Msg::Net(event));
}

/// One call; a 401 refreshes the session and tries once more. A session that cannot be
/// refreshed is reported as revoked.
async fn with_refresh<T, F, Fut>(
    client: &Client,
    session: &Session,
    tx: &mpsc::UnboundedSender<Msg>,
    call: F,
) -> Result<T, String>
where
    F: Fn(Client) -> Fut,
    Fut: Future<Output = Result<T, ClientError>>,
{
    let _ = session.fresh(client).await;
    let used = client.token();
    match call(client.clone()).await {
        Err(err) if err.status() == Some(401) => {
            match session.refresh(client, used.as_deref()).await {
                Ok(()) => call(client.clone()).await.map_err(|e| describe(&e)),
                Err(Refresh::Ended(reason)) => {
                    send(tx, NetEvent::Revoked(reason.clone()));
                    Err(reason)
                }
                Err(Refresh::Unreachable(reason)) => Err(reason),
            }
        }
        other => other.map_err(|e| describe(&e)),
    }
}

/// A failure as one line for the status bar.
pub fn describe(err: &ClientError) -> String {
    match err {
        ClientError::Api { body, .. } => body.detail.clone(),
        ClientError::Http(e) if e.is_connect() => "the server cannot be reached".into(),
        ClientError::Http(e) if e.is_timeout() => "the server did not answer in time".into(),
        other => other.to_string(),
    }
}

async fn sign_in(
    client: &Client,
    profile: &str,
    server: &str,
    username: &str,
    password: &str,
    register_email: Option<String>,
) -> Result<UserDisplay, String> {
    if let Some(email) = register_email {
        let body = UserCreate {
            username: username.to_owned(),
            email,
            password: password.to_owned(),
        };
        client.register(&body).await.map_err(|e| describe(&e))?;
    }
    let tokens = client
        .login(username, password)
        .await
        .map_err(|e| match e.status() {
            Some(401) => "wrong username or password".to_owned(),
            _ => describe(&e),
        })?;
    client.set_token(Some(tokens.access_token.clone()));
    let me = client.current_user().await.map_err(|e| describe(&e))?;
    let mut creds = Credentials::load().map_err(|e| e.0)?;
    let mut stored = Profile {
        server: server.to_owned(),
        username: Some(me.username.clone()),
        ..Profile::default()
    };
    stored.set_tokens(&tokens);
    creds.profiles.insert(profile.to_owned(), stored);
    creds.save().map_err(|e| e.0)?;
    Ok(me)
}

async fn history(
    client: Client,
    conversation: Conversation,
    before: Option<socmel_client::types::MessageId>,
) -> Result<Vec<Message>, ClientError> {
    let page = HistoryPage {
        before,
        limit: Some(HISTORY_PAGE),
    };
    Ok(match conversation {
        Conversation::Dm { user_id } => client
            .dm_history(user_id, page)
            .await?
            .into_iter()
            .map(Message::Dm)
            .collect(),
        Conversation::Group { group_id } => client
            .group_history(group_id, page)
            .await?
            .into_iter()
            .map(Message::Group)
            .collect(),
        Conversation::Room { space_id, room_id } => client
            .room_history(space_id, room_id, page)
            .await?
            .into_iter()
            .map(Message::Room)
            .collect(),
    })
}

/// Who is in a conversation (the first 100 of a big space).
async fn members(client: &Client, conversation: Conversation) -> Result<Vec<Person>, ClientError> {
    Ok(match conversation {
        Conversation::Dm { user_id } => {
            let me = client.current_user().await?;
            let other = client.view_user(user_id).await?;
            vec![Person::from(&me), Person::from(&other)]
        }
        Conversation::Group { group_id } => client
            .view_group(group_id)
            .await?
            .members
            .iter()
            .map(Person::from)
            .collect(),
        Conversation::Room { space_id, .. } => client
            .space_members(space_id, None, Some(100))
            .await?
            .items
            .iter()
            .map(|m| Person::from(&m.user))
            .collect(),
    })
}

/// People named `query`: the exact username first, then those whose username or
/// display name starts with it. An unknown exact name is not an error (the prefix
/// search still answers); a failing search is.
async fn find_people(client: &Client, query: &str) -> Result<NetEvent, ClientError> {
    let name = query.trim().trim_start_matches('@');
    let mut found = Vec::new();
    if name.is_empty() {
        return Ok(NetEvent::Found(found));
    }
    if let Ok(user) = client.user_by_username(name).await {
        found.push(Person::from(&user));
    }
    let page = client.search_users(name, None, Some(10)).await?;
    found.extend(page.items.iter().map(Person::from));
    Ok(NetEvent::Found(found))
}

/// Who the user is comes first (every rule about "mine" needs it; the server may be
/// down at start, so it is retried), then the sidebar's data and the socket.
async fn start(
    client: Client,
    session: Arc<Session>,
    tx: mpsc::UnboundedSender<Msg>,
    out: mpsc::UnboundedReceiver<ClientFrame>,
    retry_now: Arc<Notify>,
) {
    let mut attempt = 0;
    let me = loop {
        match with_refresh(
            &client,
            &session,
            &tx,
            |c| async move { c.current_user().await },
        )
        .await
        {
            Ok(me) => break me,
            Err(reason) => {
                if tx.is_closed() || session.ended() {
                    return;
                }
                attempt += 1;
                wait_to_retry(&tx, &retry_now, attempt, reason).await;
            }
        }
    };
    send(&tx, NetEvent::Me(me));
    // Spaces before the inbox: the inbox names rooms by their space.
    let spaces = with_refresh(&client, &session, &tx, |c| async move {
        c.my_spaces(None, Some(100)).await
    })
    .await;
    if let Ok(page) = spaces {
        send(&tx, NetEvent::Spaces(page.items));
    }
    match with_refresh(&client, &session, &tx, |c| async move {
        c.conversations().await
    })
    .await
    {
        Ok(page) => send(&tx, NetEvent::Inbox(page.items)),
        Err(reason) => send(&tx, NetEvent::Failed(reason)),
    }
    socket_loop(client, session, tx, out, &retry_now).await;
}

/// The socket: connect, read frames and write the app's, reconnect with backoff and
/// jitter, resume from the last `seq`.
async fn socket_loop(
    client: Client,
    session: Arc<Session>,
    tx: mpsc::UnboundedSender<Msg>,
    mut out: mpsc::UnboundedReceiver<ClientFrame>,
    retry_now: &Notify,
) {
    let mut since: Option<u64> = None;
    let mut attempt: u32 = 0;
    let mut carried: Vec<ClientFrame> = Vec::new();
    loop {
        if tx.is_closed() {
            return;
        }
        let reason = match session.fresh(&client).await {
            Err(Refresh::Ended(reason)) => {
                send(&tx, NetEvent::Revoked(reason));
                return;
            }
            _ => match client.connect_ws(since).await {
                Ok(mut socket) => {
                    attempt = 0;
                    send(&tx, NetEvent::Link(Link::Connected));
                    for frame in carried.drain(..) {
                        let _ = socket.send(&frame).await;
                    }
                    let reason = serve(&mut socket, &tx, &mut out, &mut since).await;
                    match reason {
                        None => return, // the app quit, or the session was revoked
                        Some(reason) => reason,
                    }
                }
                Err(err) if err.status() == Some(401) => {
                    let used = client.token();
                    match session.refresh(&client, used.as_deref()).await {
                        Ok(()) => continue,
                        Err(Refresh::Ended(reason)) => {
                            send(&tx, NetEvent::Revoked(reason));
                            return;
                        }
                        Err(Refresh::Unreachable(reason)) => reason,
                    }
                }
                Err(err) => describe(&err),
            },
        };
        // Messages not yet written are dropped: the app resends what history does not
        // show once the link is back, so nothing is sent twice. Read marks are kept.
        while let Ok(frame) = out.try_recv() {
            if matches!(frame, ClientFrame::Read(_)) {
                carried.push(frame);
            }
        }
        attempt = attempt.saturating_add(1);
        wait_to_retry(&tx, retry_now, attempt, reason).await;
    }
}

/// Reads and writes one connection until it ends; `None` when the app has quit or the
/// session was revoked (the app was told).
async fn serve(
    socket: &mut socmel_client::Session,
    tx: &mpsc::UnboundedSender<Msg>,
    out: &mut mpsc::UnboundedReceiver<ClientFrame>,
    since: &mut Option<u64>,
) -> Option<String> {
    let mut ping = tokio::time::interval_at(tokio::time::Instant::now() + PING_EVERY, PING_EVERY);
    loop {
        tokio::select! {
            frame = out.recv() => {
                let frame = frame?;
                if let Err(err) = socket.send(&frame).await {
                    return Some(describe(&err));
                }
            }
            next = tokio::time::timeout(SILENCE_LIMIT, socket.next()) => match next {
                Err(_) => return Some("the server stopped answering".into()),
                Ok(None) => return Some("the server closed the connection".into()),
                Ok(Some(Ok(envelope))) => {
                    if let Some(seq) = envelope.seq {
                        *since = Some(seq);
                    }
                    if tx.send(Msg::Net(NetEvent::Frame(Box::new(envelope.frame)))).is_err() {
                        return None;
                    }
                }
                // A frame this version does not know: skip it.
                Ok(Some(Err(ClientError::Json(_)))) => {}
                // The server ended the session (logged out elsewhere, password or email
                // changed): nothing to reconnect to.
                Ok(Some(Err(ClientError::SessionRevoked))) => {
                    send(tx, NetEvent::Revoked("session revoked".into()));
                    return None;
                }
                Ok(Some(Err(err))) => return Some(describe(&err)),
            },
            _ = ping.tick() => {
                if let Err(err) = socket.send(&ClientFrame::Ping(Ping {})).await {
                    return Some(describe(&err));
                }
            }
        }
    }
}

/// Tells the app the link is down and why, then waits out the backoff of `attempt`.
async fn wait_to_retry(
    tx: &mpsc::UnboundedSender<Msg>,
    retry_now: &Notify,
    attempt: u32,
    reason: String,
) {
    let retry_in = backoff(attempt);
    send(
        tx,
        NetEvent::Link(Link::Reconnecting {
            attempt,
            retry_in,
            reason,
        }),
    );
    tokio::select! {
        () = tokio::time::sleep(retry_in) => {}
        () = retry_now.notified() => {}
    }
}

/// 0.5 s, 1 s, 2 s … up to 30 s, with ±20 % jitter so clients that lost the same server
/// do not all come back at once.
fn backoff(attempt: u32) -> Duration {
    let base = FIRST_RETRY
        .saturating_mul(1 << attempt.saturating_sub(1).min(10))
        .min(LONGEST_RETRY);
    let jitter = rand::random_range(0.8..1.2);
    base.mul_f64(jitter)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_to_its_ceiling_with_jitter() {
        let first = backoff(1);
        assert!(first >= Duration::from_millis(400) && first <= Duration::from_millis(600));
        let later = backoff(20);
        assert!(later >= Duration::from_secs(24) && later <= Duration::from_secs(36));
    }
}
