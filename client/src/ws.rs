//! `/messages/ws`: a typed WebSocket session that reconnects with backoff and resumes
//! from the last `seq` it saw.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use socmel_api_types::frames::{ClientFrame, Envelope, SESSION_REVOKED_CLOSE_CODE, ServerFrame};
use tokio::net::TcpStream;
use tokio_tungstenite::{
    MaybeTlsStream, WebSocketStream,
    tungstenite::{self, Message as WsMessage, client::IntoClientRequest, http::HeaderValue},
};

use crate::{Client, ClientError, ClientResult};

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// A live connection to `/messages/ws`.
pub struct Session {
    client: Client,
    socket: Socket,
    last_seq: Option<u64>,
}

/// Longest wait between reconnection attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(30);

impl Client {
    /// Opens `/messages/ws` with this client's token; `since` resumes after that `seq`.
    pub async fn connect_ws(&self, since: Option<u64>) -> ClientResult<Session> {
        let socket = open(self, since).await?;
        Ok(Session {
            client: self.clone(),
            socket,
            last_seq: since,
        })
    }
}

async fn open(client: &Client, since: Option<u64>) -> ClientResult<Socket> {
    let base = client.base_url();
    let ws_base = if let Some(rest) = base.strip_prefix("https://") {
        format!("wss://{rest}")
    } else {
        format!("ws://{}", base.strip_prefix("http://").unwrap_or(base))
    };
    let url = match since {
        Some(seq) => format!("{ws_base}/messages/ws?since={seq}"),
        None => format!("{ws_base}/messages/ws"),
    };
    let mut request = url
        .into_client_request()
        .map_err(|err| ClientError::WebSocket(Box::new(err)))?;
    if let Some(token) = client.token() {
        let value = HeaderValue::from_str(&format!("Bearer {token}")).map_err(|err| {
            ClientError::WebSocket(Box::new(tungstenite::Error::HttpFormat(err.into())))
        })?;
        request.headers_mut().insert("authorization", value);
    }
    let (socket, _) = tokio_tungstenite::connect_async(request)
        .await
        .map_err(|err| match err {
            tungstenite::Error::Http(response) => ClientError::Api {
                status: response.status().as_u16(),
                body: response
                    .body()
                    .as_ref()
                    .and_then(|bytes| serde_json::from_slice(bytes).ok())
                    .unwrap_or_else(|| {
                        socmel_api_types::ErrorBody::new(
                            socmel_api_types::ErrorCode::from_status(response.status().as_u16()),
                            "WebSocket upgrade refused",
                        )
                    }),
                retry_after: response
                    .headers()
                    .get("retry-after")
                    .and_then(|value| value.to_str().ok())
                    .and_then(|value| value.trim().parse().ok()),
            },
            other => ClientError::WebSocket(Box::new(other)),
        })?;
    Ok(socket)
}

impl Session {
    /// Sends one frame.
    pub async fn send(&mut self, frame: &ClientFrame) -> ClientResult<()> {
        let text = serde_json::to_string(frame).map_err(ClientError::Json)?;
        self.socket
            .send(WsMessage::text(text))
            .await
            .map_err(|err| ClientError::WebSocket(Box::new(err)))
    }

    /// Sends raw text, as a misbehaving client might (for tests and `api` tooling).
    pub async fn send_text(&mut self, text: &str) -> ClientResult<()> {
        self.socket
            .send(WsMessage::text(text))
            .await
            .map_err(|err| ClientError::WebSocket(Box::new(err)))
    }

    /// The next frame from the server; `None` when the server closed the connection.
    /// A `session_revoked` frame is passed on; the close that follows it is
    /// [`ClientError::SessionRevoked`].
    pub async fn next(&mut self) -> Option<ClientResult<Envelope>> {
        loop {
            let message = match self.socket.next().await? {
                Ok(message) => message,
                Err(err) => return Some(Err(ClientError::WebSocket(Box::new(err)))),
            };
            match message {
                WsMessage::Text(text) => {
                    let parsed = serde_json::from_str::<Envelope>(&text).map_err(ClientError::Json);
                    if let Ok(Envelope { seq: Some(seq), .. }) = &parsed {
                        self.last_seq = Some(*seq);
                    }
                    return Some(parsed);
                }
                WsMessage::Close(Some(close))
                    if u16::from(close.code) == SESSION_REVOKED_CLOSE_CODE =>
                {
                    return Some(Err(ClientError::SessionRevoked));
                }
                WsMessage::Close(_) => return None,
                _ => continue, // pings are answered by tungstenite
            }
        }
    }

    /// The next frame, reconnecting (with backoff, resuming from the last `seq`) when
    /// the connection drops. A `resync` frame means: reload from the REST API. When the
    /// session ends (`session_revoked`), this fails with
    /// [`ClientError::SessionRevoked`] and does not reconnect.
    pub async fn next_resuming(&mut self) -> ClientResult<ServerFrame> {
        let mut backoff = Duration::from_millis(250);
        loop {
            match self.next().await {
                Some(Ok(Envelope {
                    frame: ServerFrame::SessionRevoked(_),
                    ..
                }))
                | Some(Err(ClientError::SessionRevoked)) => {
                    return Err(ClientError::SessionRevoked);
                }
                Some(Ok(envelope)) => return Ok(envelope.frame),
                Some(Err(ClientError::Json(err))) => return Err(ClientError::Json(err)),
                Some(Err(_)) | None => loop {
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(MAX_BACKOFF);
                    match open(&self.client, self.last_seq).await {
                        Ok(socket) => {
                            self.socket = socket;
                            break;
                        }
                        // A refused upgrade (401) will not get better by retrying.
                        Err(err @ ClientError::Api { .. }) => return Err(err),
                        Err(_) => continue,
                    }
                },
            }
        }
    }

    /// The last `seq` received, to resume from after a reconnect.
    pub fn last_seq(&self) -> Option<u64> {
        self.last_seq
    }

    /// Closes the connection politely.
    pub async fn close(mut self) -> ClientResult<()> {
        self.socket
            .close(None)
            .await
            .map_err(|err| ClientError::WebSocket(Box::new(err)))
    }
}
