//! Rate limits at the edge: which routes count against which rule, and whose
//! allowance they spend (the signed-in user's, else the client address's).

use poem::{
    Request, Response,
    http::{HeaderValue, Method},
};
use socmel_api_types::{ErrorBody, ErrorCode};

use super::errors::json_response;
use crate::{
    ratelimit::{Allowed, Limit},
    service::{self, ServiceError, Services},
};

/// Whose allowance a request spends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyBy {
    /// The client address: for routes used before signing in.
    Address,
    /// The signed-in user, or the client address when anonymous.
    UserOrAddress,
}

/// (method, routed path pattern with `*` for one segment, rule, key).
const ROUTES: &[(Method, &str, Limit, KeyBy)] = &[
    (Method::POST, "/auth/login", Limit::Login, KeyBy::Address),
    (
        Method::POST,
        "/auth/register",
        Limit::Register,
        KeyBy::Address,
    ),
    (
        Method::POST,
        "/security/request_verification_code",
        Limit::Codes,
        KeyBy::Address,
    ),
    (
        Method::POST,
        "/security/reset_password",
        Limit::Password,
        KeyBy::Address,
    ),
    (
        Method::POST,
        "/security/change_password",
        Limit::Password,
        KeyBy::UserOrAddress,
    ),
    (
        Method::POST,
        "/posts/create",
        Limit::Post,
        KeyBy::UserOrAddress,
    ),
    (
        Method::POST,
        "/posts/space/*/create",
        Limit::Post,
        KeyBy::UserOrAddress,
    ),
    (
        Method::POST,
        "/posts/*/comment/add",
        Limit::Comment,
        KeyBy::UserOrAddress,
    ),
    (
        Method::POST,
        "/posts/*/comment/add_reply/*",
        Limit::Comment,
        KeyBy::UserOrAddress,
    ),
    (
        Method::GET,
        "/messages/ws",
        Limit::WsConnect,
        KeyBy::UserOrAddress,
    ),
    (
        Method::POST,
        "/messages/attachments",
        Limit::Upload,
        KeyBy::UserOrAddress,
    ),
    (
        Method::POST,
        "/posts/*/img",
        Limit::Upload,
        KeyBy::UserOrAddress,
    ),
    (
        Method::POST,
        "/users/pfp",
        Limit::Upload,
        KeyBy::UserOrAddress,
    ),
    (Method::GET, "/limit", Limit::Demo, KeyBy::UserOrAddress),
];

/// What the limiter decided for one request.
pub enum Verdict {
    /// Not a limited route (or its rule is off).
    Unlimited,
    /// Allowed; the response gets `X-RateLimit-*` headers.
    Allowed(Allowed),
    /// Refused: answer this 429 instead of running the route.
    Refused(Response),
}

/// Counts `req` against its route's rule, if it has one.
pub fn check(services: &Services, trust_forwarded_for: bool, req: &Request) -> Verdict {
    let path = req.uri().path();
    let Some((_, _, limit, key_by)) = ROUTES
        .iter()
        .find(|(method, pattern, _, _)| method == req.method() && matches(pattern, path))
    else {
        return Verdict::Unlimited;
    };
    let user = match key_by {
        KeyBy::Address => None,
        KeyBy::UserOrAddress => {
            super::auth::bearer_token(req).and_then(|t| service::auth::token_subject(services, &t))
        }
    };
    let key = match user {
        Some(user_id) => format!("user:{user_id}"),
        None => format!("ip:{}", client_address(req, trust_forwarded_for)),
    };
    match services.limits().check(*limit, &key) {
        Ok(Some(allowed)) => Verdict::Allowed(allowed),
        Ok(None) => Verdict::Unlimited,
        Err(refused) => {
            let err = ServiceError::rate_limited(refused);
            let mut response =
                json_response(&ErrorBody::new(ErrorCode::RateLimited, err.to_string()));
            set_header(&mut response, "retry-after", refused.retry_after_secs);
            set_header(&mut response, "x-ratelimit-limit", u64::from(refused.limit));
            set_header(&mut response, "x-ratelimit-remaining", 0);
            set_header(&mut response, "x-ratelimit-reset", refused.retry_after_secs);
            Verdict::Refused(response)
        }
    }
}

/// Adds the `X-RateLimit-*` headers of an allowed request.
pub fn add_headers(response: &mut Response, allowed: Allowed) {
    set_header(response, "x-ratelimit-limit", u64::from(allowed.limit));
    set_header(
        response,
        "x-ratelimit-remaining",
        u64::from(allowed.remaining),
    );
    set_header(response, "x-ratelimit-reset", allowed.reset_secs);
}

fn set_header(response: &mut Response, name: &'static str, value: u64) {
    response
        .headers_mut()
        .insert(name, HeaderValue::from(value));
}

fn matches(pattern: &str, path: &str) -> bool {
    let (mut pattern, mut path) = (pattern.split('/'), path.split('/'));
    loop {
        match (pattern.next(), path.next()) {
            (None, None) => return true,
            (Some("*"), Some(segment)) if !segment.is_empty() => {}
            (Some(expected), Some(segment)) if expected == segment => {}
            _ => return false,
        }
    }
}

fn client_address(req: &Request, trust_forwarded_for: bool) -> String {
    if trust_forwarded_for
        && let Some(first) = req
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .map(str::trim)
            .filter(|v| !v.is_empty())
    {
        return first.to_owned();
    }
    match req.remote_addr().as_socket_addr() {
        Some(address) => address.ip().to_string(),
        None => "unknown".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn patterns_match_one_segment_per_star() {
        assert!(matches("/posts/*/comment/add", "/posts/12/comment/add"));
        assert!(!matches("/posts/*/comment/add", "/posts/12/comment/add/x"));
        assert!(!matches("/posts/*/comment/add", "/posts//comment/add"));
        assert!(matches("/auth/login", "/auth/login"));
        assert!(!matches("/auth/login", "/auth/logout"));
    }
}
