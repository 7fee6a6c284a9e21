//! Defensive defaults at the edge: security headers, request-body caps and an opt-in
//! CORS policy.

use poem::{
    Request, Response,
    http::{HeaderValue, Method, header},
    middleware::Cors,
};
use socmel_api_types::{ErrorBody, ErrorCode};

use super::errors::json_response;

/// Body caps: JSON and forms are small; multipart uploads get their own, larger cap.
#[derive(Debug, Clone, Copy)]
pub struct BodyLimits {
    pub json: u64,
    pub upload: u64,
}

/// Refuses a request whose declared body is over its cap (413), before reading it.
pub fn oversized(req: &Request, limits: BodyLimits) -> Option<Response> {
    let declared: u64 = req
        .headers()
        .get(header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .parse()
        .ok()?;
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
    (declared > cap).then(|| {
        json_response(&ErrorBody::new(
            ErrorCode::PayloadTooLarge,
            format!("the request body is too large (at most {cap} bytes)"),
        ))
    })
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
