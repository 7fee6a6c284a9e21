//! One WebSocket connection: a writer that drains the connection's queue and pings,
//! and a reader that checks every inbound frame with the same service rules as REST.

use std::{
    collections::HashMap,
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::{Duration, Instant},
};

use futures_util::{SinkExt, StreamExt};
use poem::web::websocket::{CloseCode, Message as WsMessage, WebSocketStream};
use socmel_api_types::{
    ErrorBody, ErrorCode, UserId,
    frames::{
        Ack, ClientFrame, ErrorFrame, MessageDraft, Ping, Pong, PresenceStatus, Resync,
        SESSION_REVOKED_CLOSE_CODE, SendDm, SendGroupMessage, SendRoomMessage, ServerFrame,
        StartTyping, Typing,
    },
    messages::{Conversation, MarkRead},
    users::UserSummary,
};

use super::hub::{self, Hub, Registration};
use crate::{
    events::Event,
    service::{
        self, ServiceError, Services,
        auth::{self, AuthUser},
        messages::{self, Target},
        realtime::{self, Subscriptions, TypingAudience},
    },
};

/// Server pings this often; a peer silent for three intervals is dropped.
const PING_EVERY: Duration = Duration::from_secs(30);
/// How often a socket asks whether its session still lives. Revocations reach sockets
/// at once through the event bus; this catches what the bus cannot tell: a session
/// that expired, an account deactivated in the database by an operator, an event the
/// hub missed.
const SESSION_CHECK_EVERY: Duration = Duration::from_secs(60);
/// Largest inbound frame the server reads (bigger ones get an error frame).
pub const MAX_FRAME_BYTES: usize = 16 * 1024;
/// One `typing` per conversation per this long is passed on.
const TYPING_EVERY: Duration = Duration::from_secs(2);
/// Going offline is announced only after this long without any connection, so a
/// quick reconnect does not flicker.
const OFFLINE_GRACE: Duration = Duration::from_secs(3);

/// A connection registered with the hub. Registration happens before the user's
/// memberships are read and before the upgrade answer goes out, so nothing sent after
/// the client sees the upgrade can be missed; if the upgrade never completes, dropping
/// this unregisters it.
pub struct Attached {
    hub: Arc<Hub>,
    user: UserId,
    registration: Option<Registration>,
    connection_id: u64,
}

impl Attached {
    pub fn new(hub: Arc<Hub>, user: &AuthUser, since: Option<u64>) -> Self {
        let registration = hub.connect(user.id(), user.session(), since);
        Self {
            connection_id: registration.connection_id,
            registration: Some(registration),
            hub,
            user: user.id(),
        }
    }

    /// Subscribes the connection to what was read after it registered.
    pub fn subscribe(&self, subscriptions: &Subscriptions) {
        self.hub.subscribe(
            self.user,
            self.connection_id,
            &subscriptions.spaces,
            &subscriptions.groups,
            &subscriptions.dm_partners,
        );
    }
}

impl Drop for Attached {
    fn drop(&mut self) {
        self.hub.disconnect(self.user, self.connection_id);
    }
}

pub async fn run(
    socket: WebSocketStream,
    svc: Services,
    mut attached: Attached,
    user: AuthUser,
    subscriptions: Subscriptions,
) {
    let me = user.id();
    let hub = attached.hub.clone();
    let connection_id = attached.connection_id;
    let Some(registration) = attached.registration.take() else {
        return;
    };
    let (mut sink, mut stream) = socket.split();

    // Catch-up first: the missed frames, or a request to reload.
    let catch_up: Vec<Arc<str>> = match registration.replay {
        Some(frames) => frames,
        None => vec![
            serde_json::to_string(&ServerFrame::Resync(Resync {}))
                .unwrap_or_default()
                .into(),
        ],
    };
    for frame in catch_up {
        if sink.send(WsMessage::Text(frame.to_string())).await.is_err() {
            return;
        }
    }
    if registration.came_online {
        hub.send_ephemeral(
            &hub.presence_audience(me),
            &hub::presence(subscriptions.me.clone(), PresenceStatus::Online),
        );
    }
    // The peers online now, named in one query for all of them.
    let peers = hub.presence_audience(me);
    for peer in service::users::named(&svc, &peers).await {
        hub.send_to_connection(
            me,
            connection_id,
            &hub::presence(peer, PresenceStatus::Online),
        );
    }

    let revoked = registration.revoked;
    let mut queue = registration.queue;
    let last_heard = Arc::new(std::sync::Mutex::new(Instant::now()));
    let writer_heard = last_heard.clone();
    let writer_revoked = revoked.clone();
    // The reader asks the writer to close with a reason once what is queued is sent.
    let (close_tx, mut close_rx) = tokio::sync::oneshot::channel::<(CloseCode, String)>();
    let mut writer = tokio::spawn(async move {
        let mut ping = tokio::time::interval(PING_EVERY);
        ping.tick().await;
        loop {
            tokio::select! {
                Ok(reason) = &mut close_rx => {
                    while let Ok(frame) = queue.try_recv() {
                        if sink.send(WsMessage::Text(frame.to_string())).await.is_err() {
                            break;
                        }
                    }
                    let _ = sink.send(WsMessage::Close(Some(reason))).await;
                    let _ = sink.close().await;
                    break;
                }
                frame = queue.recv() => match frame {
                    Some(frame) => {
                        if sink.send(WsMessage::Text(frame.to_string())).await.is_err() {
                            break;
                        }
                    }
                    // The hub dropped this connection: its session ended (the
                    // `session_revoked` frame went out just before), it was too slow,
                    // or it is closing.
                    None => {
                        if writer_revoked.load(Ordering::Acquire) {
                            let code = CloseCode::from(SESSION_REVOKED_CLOSE_CODE);
                            let _ = sink.send(WsMessage::close_with(code, "session revoked")).await;
                        }
                        let _ = sink.close().await;
                        break;
                    }
                },
                _ = ping.tick() => {
                    let silent = writer_heard.lock().map(|t| t.elapsed()).unwrap_or_default();
                    if silent > PING_EVERY * 3 || sink.send(WsMessage::Ping(Vec::new())).await.is_err() {
                        let _ = sink.close().await;
                        break;
                    }
                }
            }
        }
    });

    let mut reader = Reader {
        svc: &svc,
        hub: &hub,
        user,
        me: subscriptions.me.clone(),
        connection_id,
        typing: HashMap::new(),
        revoked: &revoked,
    };
    let mut session_check = tokio::time::interval(SESSION_CHECK_EVERY);
    session_check.tick().await;
    loop {
        let message = tokio::select! {
            message = stream.next() => match message {
                Some(Ok(message)) => message,
                // The socket cannot go on past a frame over the read cap (its rest is
                // unread): the documented error frame, then a close with 1009.
                Some(Err(err)) if is_too_large(&err) => {
                    let detail = format!("frames are at most {MAX_FRAME_BYTES} bytes");
                    reader.reply(error_frame(
                        ErrorBody::new(ErrorCode::PayloadTooLarge, detail.clone()),
                        None,
                    ));
                    let _ = close_tx.send((CloseCode::Size, detail));
                    let _ = tokio::time::timeout(Duration::from_secs(5), &mut writer).await;
                    break;
                }
                _ => break,
            },
            // The writer ended (session revoked, too slow, peer gone): so does the socket.
            _ = &mut writer => break,
            _ = session_check.tick() => {
                if matches!(Box::pin(auth::session_lives(&svc, &user)).await, Ok(false)) {
                    svc.committed(Event::SessionsEnded {
                        user_id: me,
                        session: Some(user.session()),
                    });
                }
                continue;
            }
        };
        if revoked.load(Ordering::Acquire) {
            break; // nothing a revoked session sends is acted on
        }
        if let Ok(mut heard) = last_heard.lock() {
            *heard = Instant::now();
        }
        match message {
            // Boxed: handling a frame goes all the way down to the database, and that
            // call tree inline would make every idle connection's task as large as
            // its deepest await (BENCHMARKS.md, finding 18).
            WsMessage::Text(text) => Box::pin(reader.handle(&text)).await,
            WsMessage::Binary(_) => reader.reply(error_frame(
                ErrorBody::new(ErrorCode::BadRequest, "frames are JSON text"),
                None,
            )),
            WsMessage::Close(_) => break,
            WsMessage::Ping(_) | WsMessage::Pong(_) => {}
        }
    }
    if !writer.is_finished() {
        writer.abort();
    } else if revoked.load(Ordering::Acquire) {
        // Let the peer's close answer arrive, briefly, so it sees the close code
        // rather than a reset connection.
        let _ = tokio::time::timeout(Duration::from_secs(1), stream.next()).await;
    }
    drop(attached);
    if !hub.is_online(me) {
        tokio::spawn(async move {
            tokio::time::sleep(OFFLINE_GRACE).await;
            if !hub.is_online(me) {
                let Subscriptions {
                    spaces,
                    groups,
                    dm_partners,
                    me: summary,
                } = &subscriptions;
                let audience = hub.presence_audience_of_offline(me, spaces, groups, dm_partners);
                hub.send_ephemeral(
                    &audience,
                    &hub::presence(summary.clone(), PresenceStatus::Offline),
                );
            }
        });
    }
}

/// Whether the socket failed on a frame or message over the read cap (tungstenite's
/// capacity error, which poem passes on as text only).
fn is_too_large(err: &std::io::Error) -> bool {
    let text = err.to_string();
    text.contains("Space limit exceeded") || text.contains("Message too long")
}

/// Reads one connection's frames and answers them.
struct Reader<'a> {
    svc: &'a Services,
    hub: &'a Hub,
    user: AuthUser,
    /// The user as their typing frames name them.
    me: UserSummary,
    connection_id: u64,
    typing: HashMap<Conversation, Instant>,
    revoked: &'a AtomicBool,
}

impl Reader<'_> {
    fn reply(&self, frame: ServerFrame) {
        self.hub
            .send_to_connection(self.user.id(), self.connection_id, &frame);
    }

    async fn handle(&mut self, text: &str) {
        if text.len() > MAX_FRAME_BYTES {
            let detail = format!("frames are at most {MAX_FRAME_BYTES} bytes");
            let body = ErrorBody::new(ErrorCode::PayloadTooLarge, detail);
            return self.reply(error_frame(body, None));
        }
        let raw: serde_json::Value = match serde_json::from_str(text) {
            Ok(raw) => raw,
            Err(err) => {
                let body = ErrorBody::new(ErrorCode::Validation, format!("not JSON: {err}"));
                return self.reply(error_frame(body, None));
            }
        };
        let client_id = raw
            .get("client_id")
            .and_then(|v| v.as_str())
            .map(str::to_owned);
        let frame: ClientFrame = match serde_json::from_value(raw) {
            Ok(frame) => frame,
            Err(err) => {
                let detail = format!("not a frame this server understands: {err}");
                let body = ErrorBody::new(ErrorCode::Validation, detail);
                return self.reply(error_frame(body, client_id));
            }
        };
        let outcome = match frame {
            ClientFrame::Dm(SendDm { receiver_id, draft }) => {
                self.send(Target::Dm(receiver_id), draft).await
            }
            ClientFrame::Group(SendGroupMessage { group_id, draft }) => {
                self.send(Target::Group(group_id), draft).await
            }
            ClientFrame::Space(SendRoomMessage {
                space_id,
                room_id,
                draft,
            }) => self.send(Target::Room(space_id, room_id), draft).await,
            ClientFrame::Typing(StartTyping { conversation }) => self.typing(conversation).await,
            ClientFrame::Read(MarkRead {
                conversation,
                message_id,
            }) => {
                let target = Target::from(conversation);
                let from = Some(self.connection_id);
                messages::mark_read(self.svc, &self.user, target, message_id, from)
                    .await
                    .map(drop)
            }
            ClientFrame::Ping(Ping {}) => {
                self.reply(ServerFrame::Pong(Pong {}));
                Ok(())
            }
        };
        if let Err(err) = outcome {
            self.reply(error_frame(err.to_body(), client_id));
        }
    }

    async fn send(&self, target: Target, draft: MessageDraft) -> Result<(), ServiceError> {
        let MessageDraft {
            message,
            parent_id,
            attachment_ids,
            client_id,
        } = draft;
        let message = messages::send(
            self.svc,
            &self.user,
            target,
            &message,
            parent_id,
            &attachment_ids,
        )
        .await?;
        // The session may have ended while the message was being stored: the revoked
        // socket is not answered (the close is on its way).
        if !self.revoked.load(Ordering::Acquire) {
            self.reply(ServerFrame::Ack(Ack {
                client_id,
                id: message.id(),
                timestamp: message.timestamp(),
            }));
        }
        Ok(())
    }

    async fn typing(&mut self, conversation: Conversation) -> Result<(), ServiceError> {
        let now = Instant::now();
        if self
            .typing
            .get(&conversation)
            .is_some_and(|at| now.duration_since(*at) < TYPING_EVERY)
        {
            return Ok(());
        }
        self.typing.insert(conversation, now);
        let me = self.user.id();
        let audience = match realtime::typing_audience(self.svc, &self.user, conversation).await? {
            TypingAudience::Partner(other) => vec![other],
            TypingAudience::Members(conversation) => self.hub.online_members(conversation, me),
            TypingAudience::Nobody => return Ok(()),
        };
        // The receiver of a DM sees the conversation named after the typer.
        let seen_as = match conversation {
            Conversation::Dm { .. } => Conversation::Dm { user_id: me },
            other => other,
        };
        self.hub.send_ephemeral(
            &audience,
            &ServerFrame::Typing(Typing {
                conversation: seen_as,
                typer_id: me,
                typer: self.me.clone(),
            }),
        );
        Ok(())
    }
}

/// The error frame for a refusal: the same code and wording REST answers with.
fn error_frame(body: ErrorBody, client_id: Option<String>) -> ServerFrame {
    ServerFrame::Error(ErrorFrame {
        code: body.code,
        detail: body.detail,
        client_id,
    })
}
