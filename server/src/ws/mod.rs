//! `GET /messages/ws`: the real-time endpoint. Authenticates before upgrading (401
//! otherwise), then hands the socket to [`connection::run`]. The [`Hub`] routes every
//! event of the bus to the connections that must see it.
//!
//! Protocol (documented for integrators in `docs/websocket.md`): `?token=<jwt>` or an
//! `Authorization: Bearer` header; optional `?since=<seq>` to resume.

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
    http::errors::json_response,
    service::{self, Services},
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
    let Some(token) = token(req) else {
        return json_response(&ErrorBody::new(
            ErrorCode::Unauthorized,
            "Not authenticated",
        ));
    };
    let user = match service::auth::authenticate(svc.0, &token).await {
        Ok(user) => user,
        Err(_) => return json_response(&ErrorBody::new(ErrorCode::Unauthorized, "Invalid token")),
    };
    let since = query(req, "since").and_then(|s| s.parse::<u64>().ok());
    let memberships = match connection::memberships(svc.0, user.id()).await {
        Ok(found) => found,
        Err(err) => {
            tracing::error!(error = %err, "loading memberships for a WebSocket");
            return json_response(&ErrorBody::new(
                ErrorCode::Unavailable,
                "the database is unavailable",
            ));
        }
    };
    let attached = connection::Attached::new(hub.0.clone(), user.id(), &memberships, since);
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
        .on_upgrade(move |socket| connection::run(socket, services, attached, user, memberships))
        .into_response()
}

/// The access token: `Authorization: Bearer …`, or the upstream `token` query parameter.
fn token(req: &Request) -> Option<String> {
    let header = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok());
    if let Some(token) = header.and_then(|h| h.strip_prefix("Bearer ")) {
        return Some(token.trim().to_owned());
    }
    query(req, "token")
}

fn query(req: &Request, name: &str) -> Option<String> {
    req.uri().query()?.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        (key == name).then(|| value.to_owned())
    })
}
