//! What wraps every request: a request id, one log line, the trailing-slash fix-up, body caps, rate limits, security headers
//! and the JSON error body for anything that failed.

use std::{sync::Arc, time::Instant};

use poem::{
    Endpoint, IntoResponse, Request, Response,
    http::{HeaderValue, Method, Uri},
};
use socmel_api_types::{ErrorBody, ErrorCode};
use tracing::Instrument;

use super::{
    errors::{error_response, json_response},
    hardening::{self, BodyLimits},
    paths::{RouteTable, routed},
    ratelimit::{self, Verdict},
};
use crate::service::Services;

const REQUEST_ID: &str = "x-request-id";

/// What the edge needs besides the request.
pub struct Edge {
    pub routes: Arc<RouteTable>,
    pub services: Services,
    pub trust_forwarded_for: bool,
    pub body_limits: BodyLimits,
}

/// Runs `endpoint` for `req` with everything above applied.
pub async fn around<E: Endpoint>(
    endpoint: Arc<E>,
    edge: Edge,
    mut req: Request,
) -> poem::Result<Response> {
    let started = Instant::now();
    let request_id = incoming_request_id(&req).unwrap_or_else(new_request_id);
    if let Some(path) = routed(req.uri().path()).map(str::to_owned) {
        set_path(&mut req, &path);
    }
    let path = req.uri().path().to_owned();
    // Only the path is logged: query strings may carry tokens.
    let span = tracing::info_span!(
        "request",
        id = %request_id,
        method = %req.method(),
        path = %req.uri().path(),
    );
    async move {
        let (verdict, body) = match hardening::guard_body(&mut req, edge.body_limits) {
            Err(too_large) => (Verdict::Refused(*too_large), None),
            Ok(body) => (
                ratelimit::check(&edge.services, edge.trust_forwarded_for, &req),
                Some(body),
            ),
        };
        let allowance = match verdict {
            Verdict::Refused(response) => Err(response),
            Verdict::Allowed(allowed) => Ok(Some(allowed)),
            Verdict::Unlimited => Ok(None),
        };
        let mut response = match allowance {
            Err(refused) => refused,
            Ok(allowance) => {
                let writes = !matches!(*req.method(), Method::GET | Method::HEAD);
                let mut response = match endpoint.call(req).await {
                    Ok(output) => output.into_response(),
                    Err(err) => error_response(err, |index| edge.routes.param_name(&path, index)),
                };
                // Whatever the handler wrote is on disk before it is acknowledged
                // (`store::durable`); transactions have waited already, so this only
                // waits for single statements written outside one.
                if writes && edge.services.store().durable().await.is_err() {
                    response = json_response(&ErrorBody::new(
                        ErrorCode::Internal,
                        "the change could not be saved to disk",
                    ));
                }
                if let Some(refusal) = body.as_ref().and_then(hardening::BodyWatch::refusal) {
                    response = refusal;
                }
                if let Some(allowed) = allowance {
                    ratelimit::add_headers(&mut response, allowed);
                }
                response
            }
        };
        let status = response.status().as_u16();
        let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
        if status >= 500 {
            tracing::warn!(status, elapsed_ms, "request failed");
        } else {
            tracing::info!(status, elapsed_ms, "request");
        }
        hardening::add_security_headers(&mut response, &path);
        if let Ok(value) = HeaderValue::from_str(&request_id) {
            response.headers_mut().insert(REQUEST_ID, value);
        }
        Ok(response)
    }
    .instrument(span)
    .await
}

/// A caller-supplied id is kept (so logs line up across a proxy) when it is short and plain.
fn incoming_request_id(req: &Request) -> Option<String> {
    let id = req.headers().get(REQUEST_ID)?.to_str().ok()?;
    let plain = !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    plain.then(|| id.to_owned())
}

fn new_request_id() -> String {
    format!("{:016x}", rand::random::<u64>())
}

fn set_path(req: &mut Request, path: &str) {
    let path_and_query = match req.uri().query() {
        Some(query) => format!("{path}?{query}"),
        None => path.to_owned(),
    };
    let mut parts = req.uri().clone().into_parts();
    if let Ok(pq) = path_and_query.parse() {
        parts.path_and_query = Some(pq);
        if let Ok(uri) = Uri::from_parts(parts) {
            *req.uri_mut() = uri;
        }
    }
}
