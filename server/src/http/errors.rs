//! Every failure leaves the server as `{"detail", "code", "fields"?}` with one status
//! per code: our own refusals ([`ApiError`]) and poem's (unknown route, bad method,
//! unparsable parameter or body, missing token, oversized body) alike.

use poem::{Response, http::StatusCode};
use poem_openapi::ApiResponse;
use socmel_api_types::{ErrorBody, ErrorCode, FieldError};

use super::json::Json;
use crate::service::ServiceError;

/// The documented error responses of every operation.
#[derive(Debug, ApiResponse)]
pub enum ApiError {
    /// The request breaks a rule (`bad_request`).
    #[oai(status = 400)]
    BadRequest(Json<ErrorBody>),
    /// Missing, invalid, expired or revoked token, or wrong credentials (`unauthorized`).
    #[oai(status = 401)]
    Unauthorized(Json<ErrorBody>),
    /// Authenticated but not allowed (`forbidden`).
    #[oai(status = 403)]
    Forbidden(Json<ErrorBody>),
    /// No such thing, or not visible to the caller (`not_found`).
    #[oai(status = 404)]
    NotFound(Json<ErrorBody>),
    /// The name or address is already taken (`conflict`).
    #[oai(status = 409)]
    Conflict(Json<ErrorBody>),
    /// The code or link is no longer valid (`gone`).
    #[oai(status = 410)]
    Gone(Json<ErrorBody>),
    /// The body did not arrive within the body deadline; the connection is closed
    /// (`request_timeout`).
    #[oai(status = 408)]
    RequestTimeout(Json<ErrorBody>),
    /// The body is larger than allowed (`payload_too_large`).
    #[oai(status = 413)]
    PayloadTooLarge(Json<ErrorBody>),
    /// The file type is not accepted (`unsupported_media`).
    #[oai(status = 415)]
    UnsupportedMedia(Json<ErrorBody>),
    /// Input fails validation; `fields` names each bad field (`validation`).
    #[oai(status = 422)]
    Validation(Json<ErrorBody>),
    /// Too many requests; retry after `Retry-After` seconds (`rate_limited`).
    #[oai(status = 429)]
    RateLimited(
        Json<ErrorBody>,
        /// Seconds to wait before trying again.
        #[oai(header = "Retry-After")]
        u64,
    ),
    /// A bug; the log has the details (`internal`).
    #[oai(status = 500)]
    Internal(Json<ErrorBody>),
    /// The database cannot be reached (`unavailable`).
    #[oai(status = 503)]
    Unavailable(Json<ErrorBody>),
}

pub type ApiResult<T> = Result<T, ApiError>;

/// `Retry-After` for a 429 whose wait is not known.
const DEFAULT_RETRY_AFTER_SECS: u64 = 60;

impl From<ServiceError> for ApiError {
    fn from(err: ServiceError) -> Self {
        let body = err.to_body();
        match err.retry_after_secs() {
            Some(retry_after) => Self::RateLimited(Json(body), retry_after),
            None => Self::from_body(body),
        }
    }
}

impl ApiError {
    /// Wraps a body in the variant its code belongs to.
    pub fn from_body(body: ErrorBody) -> Self {
        let body = Json(body);
        match body.code {
            // 405 comes only from routing (see `error_response`), never from a handler.
            ErrorCode::BadRequest | ErrorCode::MethodNotAllowed => Self::BadRequest(body),
            ErrorCode::Gone => Self::Gone(body),
            ErrorCode::Unauthorized => Self::Unauthorized(body),
            ErrorCode::Forbidden => Self::Forbidden(body),
            ErrorCode::NotFound => Self::NotFound(body),
            ErrorCode::Conflict => Self::Conflict(body),
            ErrorCode::RequestTimeout => Self::RequestTimeout(body),
            ErrorCode::PayloadTooLarge => Self::PayloadTooLarge(body),
            ErrorCode::UnsupportedMedia => Self::UnsupportedMedia(body),
            ErrorCode::Validation => Self::Validation(body),
            ErrorCode::RateLimited => Self::RateLimited(body, DEFAULT_RETRY_AFTER_SECS),
            ErrorCode::Internal => Self::Internal(body),
            ErrorCode::Unavailable => Self::Unavailable(body),
        }
    }
}

/// The JSON error response for any error poem produced.
///
/// `param_name` turns poem-openapi's positional path parameter names (`param0`) into
/// the declared ones.
pub fn error_response<'a>(
    err: poem::Error,
    param_name: impl Fn(usize) -> Option<&'a str>,
) -> Response {
    if err.is_from_response() {
        // Already one of ours, with its body.
        return err.into_response();
    }
    let mut body = body_for(&err);
    if let Some(fields) = &mut body.fields {
        for field in fields {
            let index = field
                .field
                .strip_prefix("param")
                .and_then(|n| n.parse().ok());
            if let Some(name) = index.and_then(&param_name) {
                body.detail = body.detail.replace(&field.field, name);
                field.field = name.to_owned();
            }
        }
    }
    json_response(&body)
}

/// Serialises an error body with the status its code carries.
pub fn json_response(body: &ErrorBody) -> Response {
    let status =
        StatusCode::from_u16(body.code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let json = serde_json::to_vec(body).unwrap_or_default();
    let mut response = Response::builder()
        .status(status)
        .content_type("application/json")
        .body(json);
    if body.code == ErrorCode::Unauthorized {
        response
            .headers_mut()
            .insert("www-authenticate", "Bearer".parse().expect("static header"));
    }
    response
}

fn body_for(err: &poem::Error) -> ErrorBody {
    use poem_openapi::error::{
        AuthorizationError, ContentTypeError, ParseMultipartError, ParseParamError, ParsePathError,
        ParseRequestPayloadError,
    };

    let validation = |field: &str, message: String| ErrorBody {
        detail: format!("invalid input ({field}: {message})"),
        code: ErrorCode::Validation,
        fields: Some(vec![FieldError {
            field: field.to_owned(),
            message,
        }]),
    };
    if let Some(e) = err.downcast_ref::<ParseParamError>() {
        return validation(e.name, e.reason.clone());
    }
    if let Some(e) = err.downcast_ref::<ParsePathError>() {
        return validation(e.name, e.reason.clone());
    }
    if let Some(e) = err.downcast_ref::<super::json::BadField>() {
        return validation(&e.field, e.message.clone());
    }
    if let Some(e) = err.downcast_ref::<ParseRequestPayloadError>() {
        return validation("body", e.reason.clone());
    }
    if let Some(e) = err.downcast_ref::<ParseMultipartError>() {
        return validation("body", e.reason.clone());
    }
    if err.is::<AuthorizationError>() {
        return ErrorBody::new(ErrorCode::Unauthorized, "Not authenticated");
    }
    if let Some(e) = err.downcast_ref::<ContentTypeError>() {
        return ErrorBody::new(ErrorCode::UnsupportedMedia, e.to_string());
    }
    let status = err.status();
    let code = ErrorCode::from_status(status.as_u16());
    let detail = match code {
        ErrorCode::NotFound => "Not Found".to_owned(),
        ErrorCode::MethodNotAllowed => "Method Not Allowed".to_owned(),
        ErrorCode::PayloadTooLarge => "the request body is too large".to_owned(),
        ErrorCode::Internal => {
            tracing::error!(error = %err, "unhandled error");
            "internal server error".to_owned()
        }
        _ => status.canonical_reason().unwrap_or("error").to_owned(),
    };
    ErrorBody::new(code, detail)
}
