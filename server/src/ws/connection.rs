//! One WebSocket connection: a writer that drains the connection's queue and pings,
//! and a reader that checks every inbound frame with the same service rules as REST.

use std::{
    collections::HashMap,
    sync::Arc,
    time::{Duration, Instant},
};

use futures_util::{SinkExt, StreamExt};
use poem::web::websocket::{Message as WsMessage, WebSocketStream};
use socmel_api_types::{
    ErrorCode, UserId,
    frames::{
        Ack, ClientFrame, ErrorFrame, MessageDraft, Ping, Pong, PresenceStatus, Resync, SendDm,
        SendGroupMessage, SendRoomMessage, ServerFrame, StartTyping, Typing,
    },
    messages::{Conversation, MarkRead},
    users::UserSummary,
};

use super::hub::{self, Hub, Registration};
use crate::{
    ratelimit::Limit,
    service::{
        self, ServiceError, Services,
        auth::AuthUser,
        messages::{self, Target},
    },
    store,
};

/// Server pings this often; a peer silent for three intervals is dropped.
const PING_EVERY: Duration = Duration::from_secs(30);
/// Largest inbound frame the server reads (bigger ones get an error frame).
pub const MAX_FRAME_BYTES: usize = 16 * 1024;
/// One `typing` per conversation per this long is passed on.
const TYPING_EVERY: Duration = Duration::from_secs(2);
/// Going offline is announced only after this long without any connection, so a
/// quick reconnect does not flicker.
const OFFLINE_GRACE: Duration = Duration::from_secs(3);

/// What a user belongs to, loaded before the connection is registered.
pub struct Memberships {
    pub spaces: Vec<i64>,
    pub groups: Vec<i64>,
    pub dm_partners: Vec<i64>,
    /// The user as their typing and presence frames name them.
    pub me: UserSummary,
}

/// A connection registered with the hub. Registration happens before the upgrade
/// answer goes out, so nothing sent after the client sees the upgrade can be missed;
/// if the upgrade never completes, dropping this unregisters it.
pub struct Attached {
    hub: Arc<Hub>,
    user: UserId,
    registration: Option<Registration>,
    connection_id: u64,
}

impl Attached {
    pub fn new(hub: Arc<Hub>, user: UserId, memberships: &Memberships, since: Option<u64>) -> Self {
        let registration = hub.connect(
            user,
            &memberships.spaces,
            &memberships.groups,
            &memberships.dm_partners,
            since,
        );
        Self {
            connection_id: registration.connection_id,
            registration: Some(registration),
            hub,
            user,
        }
    }
}

impl Drop for Attached {
    fn drop(&mut self) {
        self.hub.disconnect(self.user, self.connection_id);
    }
}

pub async fn memberships(svc: &Services, user: UserId) -> Result<Memberships, ServiceError> {
    let mut db = svc.store().reader().await?;
    let me = service::users::summaries(db.conn(), [user]).await?;
    Ok(Memberships {
        spaces: store::spaces::space_ids_of(db.conn(), user.0).await?,
        groups: store::groups::group_ids_of(db.conn(), user.0).await?,
        dm_partners: store::messages::dm_partners(db.conn(), user.0).await?,
        me: service::users::summary_of(&me, user),
    })
}

pub async fn run(
    socket: WebSocketStream,
    svc: Services,
    mut attached: Attached,
    user: AuthUser,
    memberships: Memberships,
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
            &hub::presence(memberships.me.clone(), PresenceStatus::Online),
        );
    }
    // The peers online now, named in one query for all of them.
    let peers = hub.presence_audience(me);
    let named = match svc.store().reader().await {
        Ok(mut db) => service::users::summaries(db.conn(), peers.iter().copied())
            .await
            .unwrap_or_default(),
        Err(_) => Default::default(),
    };
    for peer in peers {
        hub.send_to_connection(
            me,
            connection_id,
            &hub::presence(
                service::users::summary_of(&named, peer),
                PresenceStatus::Online,
            ),
        );
    }

    let mut queue = registration.queue;
    let last_heard = Arc::new(std::sync::Mutex::new(Instant::now()));
    let writer_heard = last_heard.clone();
    let writer = tokio::spawn(async move {
        let mut ping = tokio::time::interval(PING_EVERY);
        ping.tick().await;
        loop {
            tokio::select! {
                frame = queue.recv() => match frame {
                    Some(frame) => {
                        if sink.send(WsMessage::Text(frame.to_string())).await.is_err() {
                            break;
                        }
                    }
                    // The hub dropped this connection (too slow) or it is closing.
                    None => {
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
        me: memberships.me.clone(),
        connection_id,
        typing: HashMap::new(),
    };
    while let Some(Ok(message)) = stream.next().await {
        if let Ok(mut heard) = last_heard.lock() {
            *heard = Instant::now();
        }
        match message {
            // Boxed: handling a frame goes all the way down to the database, and that
            // call tree inline would make every idle connection's task as large as
            // its deepest await (BENCHMARKS.md, finding 18).
            WsMessage::Text(text) => Box::pin(reader.handle(&text)).await,
            WsMessage::Binary(_) => reader.reply(error_frame(
                ErrorCode::BadRequest,
                "frames are JSON text".into(),
                None,
            )),
            WsMessage::Close(_) => break,
            WsMessage::Ping(_) | WsMessage::Pong(_) => {}
        }
        if writer.is_finished() {
            break;
        }
    }
    writer.abort();
    drop(attached);
    if !hub.is_online(me) {
        tokio::spawn(async move {
            tokio::time::sleep(OFFLINE_GRACE).await;
            if !hub.is_online(me) {
                let Memberships {
                    spaces,
                    groups,
                    dm_partners,
                    me: summary,
                } = &memberships;
                let audience = hub.presence_audience_of_offline(me, spaces, groups, dm_partners);
                hub.send_ephemeral(
                    &audience,
                    &hub::presence(summary.clone(), PresenceStatus::Offline),
                );
            }
        });
    }
}

/// A message frame's payload, as sent.
struct Reader<'a> {
    svc: &'a Services,
    hub: &'a Hub,
    user: AuthUser,
    /// The user as their typing frames name them.
    me: UserSummary,
    connection_id: u64,
    typing: HashMap<Conversation, Instant>,
}

impl Reader<'_> {
    fn reply(&self, frame: ServerFrame) {
        self.hub
            .send_to_connection(self.user.id(), self.connection_id, &frame);
    }

    async fn handle(&mut self, text: &str) {
        if text.len() > MAX_FRAME_BYTES {
            let detail = format!("frames are at most {MAX_FRAME_BYTES} bytes");
            return self.reply(error_frame(ErrorCode::PayloadTooLarge, detail, None));
        }
        let raw: serde_json::Value = match serde_json::from_str(text) {
            Ok(raw) => raw,
            Err(err) => {
                return self.reply(error_frame(
                    ErrorCode::Validation,
                    format!("not JSON: {err}"),
                    None,
                ));
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
                return self.reply(error_frame(ErrorCode::Validation, detail, client_id));
            }
        };
        match frame {
            ClientFrame::Dm(SendDm { receiver_id, draft }) => {
                self.send(Target::Dm(receiver_id), draft).await;
            }
            ClientFrame::Group(SendGroupMessage { group_id, draft }) => {
                self.send(Target::Group(group_id), draft).await;
            }
            ClientFrame::Space(SendRoomMessage {
                space_id,
                room_id,
                draft,
            }) => {
                self.send(Target::Room(space_id, room_id), draft).await;
            }
            ClientFrame::Typing(StartTyping { conversation }) => self.typing(conversation),
            ClientFrame::Read(MarkRead {
                conversation,
                message_id,
            }) => {
                let target = Target::from(conversation);
                if let Err(err) =
                    messages::mark_read(self.svc, &self.user, target, message_id).await
                {
                    self.reply(refusal(err, client_id));
                }
            }
            ClientFrame::Ping(Ping {}) => self.reply(ServerFrame::Pong(Pong {})),
        }
    }

    async fn send(&self, target: Target, draft: MessageDraft) {
        let key = format!("user:{}", self.user.id());
        let outcome = match self.svc.check_limit(Limit::Message, &key) {
            Ok(()) => {
                let MessageDraft {
                    message,
                    parent_id,
                    attachment_ids,
                    ..
                } = &draft;
                messages::send(
                    self.svc,
                    &self.user,
                    target,
                    message,
                    *parent_id,
                    attachment_ids,
                )
                .await
            }
            Err(refused) => Err(refused),
        };
        let client_id = draft.client_id;
        match outcome {
            Ok(message) => self.reply(ServerFrame::Ack(Ack {
                client_id,
                id: message.id(),
                timestamp: message.timestamp(),
            })),
            Err(err) => self.reply(refusal(err, client_id)),
        }
    }

    fn typing(&mut self, conversation: Conversation) {
        let now = Instant::now();
        if self
            .typing
            .get(&conversation)
            .is_some_and(|at| now.duration_since(*at) < TYPING_EVERY)
        {
            return;
        }
        self.typing.insert(conversation, now);
        let me = self.user.id();
        // The receiver of a DM sees the conversation named after the typer.
        let seen_as = match conversation {
            Conversation::Dm { .. } => Conversation::Dm { user_id: me },
            other => other,
        };
        let audience = self.hub.typing_audience(me, conversation);
        self.hub.send_ephemeral(
            &audience,
            &ServerFrame::Typing(Typing {
                conversation: seen_as,
                typer_id: me,
                typer: self.me.clone(),
            }),
        );
    }
}

fn refusal(err: ServiceError, client_id: Option<String>) -> ServerFrame {
    let code = err.code();
    let detail = match &err {
        ServiceError::Internal(source) => {
            tracing::error!(error = ?source, "internal error on a WebSocket frame");
            "internal server error".to_owned()
        }
        ServiceError::Validation(fields) => fields
            .iter()
            .map(|f| format!("{}: {}", f.field, f.message))
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    };
    error_frame(code, detail, client_id)
}

fn error_frame(code: ErrorCode, detail: String, client_id: Option<String>) -> ServerFrame {
    ServerFrame::Error(ErrorFrame {
        code,
        detail,
        client_id,
    })
}
