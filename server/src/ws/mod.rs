//! `GET /messages/ws`: the real-time endpoint. Authenticates before upgrading (401
//! otherwise), then hands the socket to [`connection::run`]. The [`Hub`] routes every
//! event of the bus to the connections that must see it.
//!
//! Protocol (documented for integrators in `docs/websocket.md`): `?token=<jwt>` or an
//! `Authorization: Bearer` header; optional `?since=<seq>` to resume. A socket belongs
//! to the login session of its token, not to the token: it outlives the token's expiry
//! and closes (`session_revoked`, close code 4401) when the session ends.

mod connection;
pub mod hub;

use std::sync::Arc;

use poem::{
    IntoResponse, Request, Response, handler,
    web::{
        Data,
        websocket::{WebSocket, WebSocketConfig},
    },
};
use socmel_api_types::{ErrorBody, ErrorCode};
use tokio::sync::broadcast::error::RecvError;

pub use hub::Hub;

use crate::{
    http::{
        auth::{bearer_token, query_param},
        errors::json_response,
    },
    service::{self, Services, realtime},
};

/// Starts the hub and the task that feeds it from the event bus.
pub fn start_hub(services: &Services) -> Arc<Hub> {
    let hub = Hub::new();
    let mut events = services.events().subscribe();
    let routing = hub.clone();
    tokio::spawn(async move {
        loop {
            match events.recv().await {
                Ok(event) => routing.route(&event),
                Err(RecvError::Lagged(missed)) => {
                    tracing::error!(
                        missed,
                        "the hub fell behind the event bus; events were lost"
                    );
                }
                Err(RecvError::Closed) => break,
            }
        }
    });
    hub
}

#[handler]
pub async fn endpoint(
    req: &Request,
    ws: WebSocket,
    svc: Data<&Services>,
    hub: Data<&Arc<Hub>>,
) -> Response {
    let Some(token) = bearer_token(req) else {
        return json_response(&ErrorBody::new(
            ErrorCode::Unauthorized,
            "Not authenticated",
        ));
    };
    let user = match service::auth::authenticate(svc.0, &token).await {
        Ok(user) => user,
        Err(err) => return json_response(&err.to_body()),
    };
    let since = query_param(req, "since").and_then(|s| s.parse::<u64>().ok());
    // Register first, then read: a membership change committed while the memberships
    // are read is then either in what is read or heard by the hub (and applied on top).
    let attached = connection::Attached::new(hub.0.clone(), &user, since);
    let subscriptions = match realtime::subscriptions(svc.0, user.id()).await {
        Ok(found) => found,
        // Dropping `attached` unregisters the connection.
        Err(err) => return json_response(&err.to_body()),
    };
    attached.subscribe(&subscriptions);
    let services = svc.0.clone();
    // Small buffers keep each idle socket cheap; the frame cap is enforced again, with
    // an error frame, by the reader (anything past this hard cap closes the socket).
    let config = WebSocketConfig::default()
        .read_buffer_size(4096)
        .write_buffer_size(4096)
        .max_write_buffer_size(1 << 20)
        .max_message_size(Some(connection::MAX_FRAME_BYTES * 4))
        .max_frame_size(Some(connection::MAX_FRAME_BYTES * 4));
    ws.config(config)
        .on_upgrade(move |socket| connection::run(socket, services, attached, user, subscriptions))
        .into_response()
}
