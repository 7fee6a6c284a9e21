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

use poem::{IntoResponse, Request, RequestBody, Response};
use poem_openapi::{
    ApiExtractor, ApiExtractorType, ApiResponse, ExtractParamOptions,
    error::ContentTypeError,
    payload::{self, ParsePayload, Payload},
    registry::{MetaRequest, MetaResponses, MetaSchemaRef, Registry},
    types::{ParseFromJSON, ToJSON, Type},
};
use serde::Serialize;
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

/// Requests are parsed by poem-openapi, whose errors name the offending field.
impl<T: ParseFromJSON> ParsePayload for Json<T> {
    const IS_REQUIRED: bool = T::IS_REQUIRED;

    async fn from_request(request: &Request, body: &mut RequestBody) -> poem::Result<Self> {
        let parsed = <payload::Json<T> as ParsePayload>::from_request(request, body).await?;
        Ok(Self(parsed.0))
    }
}

impl<'a, T: ParseFromJSON> ApiExtractor<'a> for Json<T> {
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
