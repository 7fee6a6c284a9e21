//! The JSON payload of every handler: the same schema and request parsing as
//! poem-openapi's `Json`, but answers are written straight from the DTO with serde.
//!
//! poem-openapi renders an answer by building a `serde_json::Value` tree first (a
//! `String` per key, a map per object) and then writing the tree out. On a feed page that
//! tree was a large share of the server's allocations per request (BENCHMARKS.md,
//! finding 17). The DTOs already carry serde derives that the clients read them with, so
//! writing those directly is the contract itself; debug builds (every test) check each
//! answer against poem-openapi's own rendering, so the two can never drift apart.

use std::ops::{Deref, DerefMut};

use poem::{FromRequest, IntoResponse, Request, RequestBody, Response};
use poem_openapi::{
    ApiExtractor, ApiExtractorType, ApiResponse, ExtractParamOptions,
    error::{ContentTypeError, ParseRequestPayloadError},
    payload::{self, ParsePayload, Payload},
    registry::{MetaRequest, MetaResponses, MetaSchemaRef, Registry},
    types::{ParseFromJSON, ToJSON, Type},
};
use serde::{Serialize, de::DeserializeOwned};
use socmel_api_types::error::{ErrorBody, ErrorCode};

use super::errors::json_response;

/// A JSON request or response body.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Json<T>(pub T);

impl<T> Deref for Json<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> DerefMut for Json<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.0
    }
}

impl<T: Type> Payload for Json<T> {
    const CONTENT_TYPE: &'static str = payload::Json::<T>::CONTENT_TYPE;

    fn check_content_type(content_type: &str) -> bool {
        payload::Json::<T>::check_content_type(content_type)
    }

    fn schema_ref() -> MetaSchemaRef {
        T::schema_ref()
    }

    fn register(registry: &mut Registry) {
        T::register(registry);
    }
}

/// Requests are parsed by poem-openapi, as its own `Json` does. Its errors do not say
/// which field was wrong, so a refused body is read once more with serde, which names
/// the path to the first bad value (`tags`, `members[1]`, a missing `refresh_token`):
/// the 422's `fields` names it as every other validation error does.
impl<T: ParseFromJSON + DeserializeOwned> ParsePayload for Json<T> {
    const IS_REQUIRED: bool = T::IS_REQUIRED;

    async fn from_request(request: &Request, body: &mut RequestBody) -> poem::Result<Self> {
        let data = <Vec<u8> as FromRequest>::from_request(request, body).await?;
        let value = if data.is_empty() {
            serde_json::Value::Null
        } else {
            serde_json::from_slice(&data).map_err(|err| ParseRequestPayloadError {
                reason: err.to_string(),
            })?
        };
        match T::parse_from_json(Some(value)) {
            Ok(parsed) => Ok(Self(parsed)),
            Err(err) => Err(match bad_field::<T>(&data) {
                Some(field) => field.into(),
                None => ParseRequestPayloadError {
                    reason: err.into_message(),
                }
                .into(),
            }),
        }
    }
}

/// The field of a body that serde refuses too, and why; `None` when serde takes it
/// (the refusal was one of poem-openapi's own checks) or the body is not an object.
fn bad_field<T: DeserializeOwned>(data: &[u8]) -> Option<BadField> {
    let deserializer = &mut serde_json::Deserializer::from_slice(data);
    let err = serde_path_to_error::deserialize::<_, T>(deserializer).err()?;
    let message = err.inner().to_string();
    // serde_json ends its messages with the position, which a client does not need.
    let message = message
        .rsplit_once(" at line ")
        .map_or(message.as_str(), |(message, _)| message)
        .to_owned();
    let mut field = err.path().to_string();
    // A missing field is reported at its object; the field itself is the one to name.
    if let Some(missing) = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.strip_suffix('`'))
    {
        field = if field == "." {
            missing.to_owned()
        } else {
            format!("{field}.{missing}")
        };
    }
    (field != ".").then_some(BadField { field, message })
}

/// A body field that could not be read, answered as a 422 naming it.
#[derive(Debug, thiserror::Error)]
#[error("{field}: {message}")]
pub struct BadField {
    pub field: String,
    pub message: String,
}

impl poem::error::ResponseError for BadField {
    fn status(&self) -> poem::http::StatusCode {
        poem::http::StatusCode::UNPROCESSABLE_ENTITY
    }
}

impl<'a, T: ParseFromJSON + DeserializeOwned> ApiExtractor<'a> for Json<T> {
    const TYPES: &'static [ApiExtractorType] = &[ApiExtractorType::RequestObject];

    type ParamType = ();
    type ParamRawType = ();

    fn register(registry: &mut Registry) {
        <Self as Payload>::register(registry);
    }

    fn request_meta() -> Option<MetaRequest> {
        <payload::Json<T> as ApiExtractor<'a>>::request_meta()
    }

    async fn from_request(
        request: &'a Request,
        body: &mut RequestBody,
        _param_opts: ExtractParamOptions<Self::ParamType>,
    ) -> poem::Result<Self> {
        match request.content_type() {
            Some(content_type) if Self::check_content_type(content_type) => {
                <Self as ParsePayload>::from_request(request, body).await
            }
            Some(content_type) => Err(ContentTypeError::NotSupported {
                content_type: content_type.to_string(),
            }
            .into()),
            None => Err(ContentTypeError::ExpectContentType.into()),
        }
    }
}

impl<T: ToJSON + Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        debug_assert_eq!(
            serde_json::to_value(&self.0).ok(),
            self.0.to_json(),
            "the serde form of a DTO differs from its OpenAPI form"
        );
        match serde_json::to_vec(&self.0) {
            Ok(body) => Response::builder()
                .content_type(Self::CONTENT_TYPE)
                .body(body),
            // Only a map with non-string keys fails to serialise, and no DTO has one.
            Err(error) => {
                tracing::error!(%error, "an answer could not be written as JSON");
                json_response(&ErrorBody::new(
                    ErrorCode::Internal,
                    "internal server error",
                ))
            }
        }
    }
}

impl<T: ToJSON + Serialize> ApiResponse for Json<T> {
    fn meta() -> MetaResponses {
        <payload::Json<T> as ApiResponse>::meta()
    }

    fn register(registry: &mut Registry) {
        <Self as Payload>::register(registry);
    }
}
