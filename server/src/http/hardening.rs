//! Defensive defaults at the edge: security headers, request-body caps and read
//! deadlines, and an opt-in CORS policy.

use std::{
    sync::{
        Arc,
        atomic::{AtomicU8, Ordering},
    },
    time::Duration,
};

use futures_util::StreamExt;
use poem::{
    Body, Request, Response,
    http::{HeaderValue, Method, header},
    middleware::Cors,
};
use socmel_api_types::{ErrorBody, ErrorCode};

use super::errors::json_response;

/// Body caps: JSON and forms are small; multipart uploads get their own, larger cap
/// (and each upload route a tighter one of its own, `http::media::UploadGuard`). A body
/// must also arrive within `timeout`, or a client sending a byte now and then holds a
/// connection and a task for as long as it likes.
#[derive(Debug, Clone, Copy)]
pub struct BodyLimits {
    pub json: u64,
    pub upload: u64,
    pub timeout: Duration,
}

/// Why a guarded body stopped being read.
const FINE: u8 = 0;
const TOO_LARGE: u8 = 1;
const TOO_SLOW: u8 = 2;

/// What the handler's reading of a guarded body found (see [`guard_body`]).
pub struct BodyWatch {
    cap: u64,
    verdict: Arc<AtomicU8>,
}

impl BodyWatch {
    /// The answer to give instead of the handler's when the body broke a limit: the
    /// handler saw only a failed read, which it would answer as a bad body. The
    /// connection is closed, since the rest of the body was never read.
    pub fn refusal(&self) -> Option<Response> {
        let mut response = match self.verdict.load(Ordering::Relaxed) {
            TOO_LARGE => too_large(self.cap),
            TOO_SLOW => json_response(&ErrorBody::new(
                ErrorCode::RequestTimeout,
                "the request body did not arrive in time",
            )),
            _ => return None,
        };
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
        Some(response)
    }
}

/// Caps the request's body however it is framed: a declared length over the cap is
/// refused at once (413, nothing read); otherwise the body is handed to the handler
/// through a reader that fails past the cap or past the deadline, so no more than the
/// cap is ever buffered, chunked or not.
pub fn guard_body(req: &mut Request, limits: BodyLimits) -> Result<BodyWatch, Box<Response>> {
    let is_upload = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/"));
    let cap = if is_upload {
        limits.upload
    } else {
        limits.json
    };
    let declared: Option<u64> = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok());
    if declared.is_some_and(|declared| declared > cap) {
        return Err(Box::new(too_large(cap)));
    }
    let verdict = Arc::new(AtomicU8::new(FINE));
    let watch = BodyWatch {
        cap,
        verdict: verdict.clone(),
    };
    let deadline = tokio::time::Instant::now() + limits.timeout;
    let chunks = req.take_body().into_bytes_stream();
    let guarded = futures_util::stream::unfold(
        (chunks, 0_u64, false),
        move |(mut chunks, seen, stopped)| {
            let verdict = verdict.clone();
            async move {
                if stopped {
                    return None;
                }
                let refuse = |why: u8, what: &str| {
                    verdict.store(why, Ordering::Relaxed);
                    Err(std::io::Error::other(what.to_owned()))
                };
                match tokio::time::timeout_at(deadline, chunks.next()).await {
                    Err(_) => {
                        let err = refuse(TOO_SLOW, "the request body did not arrive in time");
                        Some((err, (chunks, seen, true)))
                    }
                    Ok(None) => None,
                    Ok(Some(Err(err))) => Some((Err(err), (chunks, seen, true))),
                    Ok(Some(Ok(chunk))) => {
                        let seen = seen.saturating_add(chunk.len() as u64);
                        if seen > cap {
                            let err = refuse(TOO_LARGE, "the request body is too large");
                            return Some((err, (chunks, seen, true)));
                        }
                        Some((Ok(chunk), (chunks, seen, false)))
                    }
                }
            }
        },
    );
    req.set_body(Body::from_bytes_stream(guarded));
    Ok(watch)
}

fn too_large(cap: u64) -> Response {
    json_response(&ErrorBody::new(
        ErrorCode::PayloadTooLarge,
        format!("the request body is too large (at most {cap} bytes)"),
    ))
}

/// Headers every answer carries. The API never renders HTML except the docs page,
/// which keeps its inline script, so only the rest get the strict content policy.
pub fn add_security_headers(response: &mut Response, path: &str) {
    let headers = response.headers_mut();
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    headers.insert("x-frame-options", HeaderValue::from_static("DENY"));
    headers.insert("referrer-policy", HeaderValue::from_static("no-referrer"));
    if path != "/docs" {
        headers.insert(
            "content-security-policy",
            HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"),
        );
    }
}

/// The CORS policy for `CORS_ORIGINS`: `*` for any origin, or a comma-separated list.
/// Without the setting browsers on other origins get no CORS headers at all.
pub fn cors(origins: Option<&str>) -> Option<Cors> {
    let origins = origins.map(str::trim).filter(|o| !o.is_empty())?;
    let policy = Cors::new()
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::DELETE,
            Method::OPTIONS,
        ])
        .allow_headers(["authorization", "content-type", "x-request-id"])
        .expose_headers([
            "x-request-id",
            "x-next-cursor",
            "retry-after",
            "x-ratelimit-limit",
            "x-ratelimit-remaining",
            "x-ratelimit-reset",
        ])
        .max_age(3600);
    Some(if origins == "*" {
        policy
    } else {
        policy.allow_origins(origins.split(',').map(str::trim).filter(|o| !o.is_empty()))
    })
}
