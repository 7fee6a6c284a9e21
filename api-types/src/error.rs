//! The one error body every failing HTTP route answers with.

use serde::{Deserialize, Serialize};

/// Machine-readable error codes; each maps to exactly one HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
pub enum ErrorCode {
    /// 400: the request is wrong in a way no single field names.
    BadRequest,
    /// 401: no valid access token (or wrong credentials at login).
    Unauthorized,
    /// 403: signed in, but not allowed to do this.
    Forbidden,
    /// 404: the thing named does not exist (or is hidden from the caller).
    NotFound,
    /// 405: the route exists, but not with this method.
    MethodNotAllowed,
    /// 409: an account with this username or email exists already.
    Conflict,
    /// 410: no longer valid (an expired verification code).
    Gone,
    /// 413: the upload or body is larger than the server accepts.
    PayloadTooLarge,
    /// The request's body did not arrive within the server's body deadline.
    RequestTimeout,
    /// 415: the upload is not a supported image.
    UnsupportedMedia,
    /// 422: one or more fields were rejected; see `fields`.
    Validation,
    /// 429: an allowance is spent; wait for `Retry-After` seconds.
    RateLimited,
    /// 500: the server failed; the details are in its log only.
    Internal,
    /// 503: the database or the media storage is unavailable; try again later.
    Unavailable,
}

impl ErrorCode {
    /// Every code, in declaration order.
    pub const ALL: [Self; 14] = [
        Self::BadRequest,
        Self::Unauthorized,
        Self::Forbidden,
        Self::NotFound,
        Self::MethodNotAllowed,
        Self::Conflict,
        Self::Gone,
        Self::PayloadTooLarge,
        Self::RequestTimeout,
        Self::UnsupportedMedia,
        Self::Validation,
        Self::RateLimited,
        Self::Internal,
        Self::Unavailable,
    ];

    /// The code as it is spelled on the wire (`"not_found"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::BadRequest => "bad_request",
            Self::Unauthorized => "unauthorized",
            Self::Forbidden => "forbidden",
            Self::NotFound => "not_found",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::Conflict => "conflict",
            Self::Gone => "gone",
            Self::PayloadTooLarge => "payload_too_large",
            Self::RequestTimeout => "request_timeout",
            Self::UnsupportedMedia => "unsupported_media",
            Self::Validation => "validation",
            Self::RateLimited => "rate_limited",
            Self::Internal => "internal",
            Self::Unavailable => "unavailable",
        }
    }

    /// The HTTP status that carries this code.
    pub fn status(self) -> u16 {
        match self {
            Self::BadRequest => 400,
            Self::Unauthorized => 401,
            Self::Forbidden => 403,
            Self::NotFound => 404,
            Self::MethodNotAllowed => 405,
            Self::Conflict => 409,
            Self::Gone => 410,
            Self::RequestTimeout => 408,
            Self::PayloadTooLarge => 413,
            Self::UnsupportedMedia => 415,
            Self::Validation => 422,
            Self::RateLimited => 429,
            Self::Internal => 500,
            Self::Unavailable => 503,
        }
    }

    /// The code for an HTTP status, for statuses that did not come with a body of ours.
    pub fn from_status(status: u16) -> Self {
        match status {
            401 => Self::Unauthorized,
            403 => Self::Forbidden,
            404 => Self::NotFound,
            405 => Self::MethodNotAllowed,
            409 => Self::Conflict,
            410 => Self::Gone,
            408 => Self::RequestTimeout,
            413 => Self::PayloadTooLarge,
            415 => Self::UnsupportedMedia,
            422 => Self::Validation,
            429 => Self::RateLimited,
            503 => Self::Unavailable,
            400..=499 => Self::BadRequest,
            _ => Self::Internal,
        }
    }
}

/// One rejected input field of a 422 answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct FieldError {
    /// The field's name as the client sent it (`body` when the whole body was unreadable).
    pub field: String,
    /// Why it was rejected.
    pub message: String,
}

/// `{"detail": "...", "code": "...", "fields"?: [...]}`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ErrorBody {
    /// A human-readable message.
    pub detail: String,
    /// A stable machine-readable code.
    pub code: ErrorCode,
    /// For `validation` errors: each rejected field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub fields: Option<Vec<FieldError>>,
}

impl ErrorBody {
    /// An error body without field errors.
    pub fn new(code: ErrorCode, detail: impl Into<String>) -> Self {
        Self {
            detail: detail.into(),
            code,
            fields: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roundtrip::assert_roundtrip;

    #[test]
    fn codes_are_snake_case_and_map_to_one_status() {
        let body = ErrorBody::new(ErrorCode::PayloadTooLarge, "too big");
        let json = serde_json::to_value(&body).unwrap();
        assert_eq!(json["code"], "payload_too_large");
        assert!(json.get("fields").is_none());
        assert_eq!(
            ErrorCode::from_status(ErrorCode::Validation.status()),
            ErrorCode::Validation
        );
        assert_eq!(ErrorCode::from_status(418), ErrorCode::BadRequest);
        assert_eq!(ErrorCode::RequestTimeout.status(), 408);
        assert_eq!(ErrorCode::from_status(408), ErrorCode::RequestTimeout);
        assert_eq!(
            serde_json::to_value(ErrorCode::RequestTimeout).unwrap(),
            "request_timeout"
        );
    }

    #[test]
    fn as_str_is_the_wire_spelling() {
        for code in ErrorCode::ALL {
            assert_eq!(serde_json::to_value(code).unwrap(), code.as_str());
        }
    }

    #[test]
    fn error_body_roundtrips() {
        assert_roundtrip(&ErrorBody {
            detail: "bad".into(),
            code: ErrorCode::Validation,
            fields: Some(vec![FieldError {
                field: "username".into(),
                message: "too short".into(),
            }]),
        });
    }
}
