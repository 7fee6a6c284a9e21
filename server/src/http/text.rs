//! Text that upstream reads from the query string (`comment`, `reply`, `new_comment`,
//! `new_note`) may also come as a JSON body `{"content": "…"}`: upstream clients send
//! no body at all, so the body is optional and an empty one counts as absent.

use poem::{Request, RequestBody};
use poem_openapi::{
    ApiExtractor, ApiExtractorType, ExtractParamOptions,
    error::{ContentTypeError, ParseRequestPayloadError},
    payload::Payload,
    registry::{MetaMediaType, MetaRequest, Registry},
    types::{ParseFromJSON, Type},
};
use socmel_api_types::comments::ContentBody;

use super::json::Json;

/// A JSON body the client may leave out.
pub struct OptionalJson<T>(pub Option<T>);

/// Far more than any text these routes accept; larger bodies are 413 unread.
const BODY_LIMIT: usize = 64 * 1024;

impl<'a, T: ParseFromJSON + Type + Send> ApiExtractor<'a> for OptionalJson<T> {
    const TYPES: &'static [ApiExtractorType] = &[ApiExtractorType::RequestObject];

    type ParamType = ();
    type ParamRawType = ();

    fn register(registry: &mut Registry) {
        T::register(registry);
    }

    fn request_meta() -> Option<MetaRequest> {
        Some(MetaRequest {
            description: None,
            content: vec![MetaMediaType {
                content_type: <Json<T> as Payload>::CONTENT_TYPE,
                schema: T::schema_ref(),
            }],
            required: false,
        })
    }

    async fn from_request(
        req: &'a Request,
        body: &mut RequestBody,
        _param_opts: ExtractParamOptions<Self::ParamType>,
    ) -> poem::Result<Self> {
        let bytes = body.take()?.into_bytes_limit(BODY_LIMIT).await?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Self(None));
        }
        match req.content_type() {
            Some(content_type) if <Json<T> as Payload>::check_content_type(content_type) => {}
            Some(content_type) => {
                return Err(ContentTypeError::NotSupported {
                    content_type: content_type.to_owned(),
                }
                .into());
            }
            None => return Err(ContentTypeError::ExpectContentType.into()),
        }
        let invalid = |reason: String| ParseRequestPayloadError { reason };
        let value: serde_json::Value =
            serde_json::from_slice(&bytes).map_err(|err| invalid(err.to_string()))?;
        let parsed = T::parse_from_json(Some(value)).map_err(|err| invalid(err.into_message()))?;
        Ok(Self(Some(parsed)))
    }
}

/// The text from the query string, else from the body.
pub fn query_or_body(query: Option<String>, body: OptionalJson<ContentBody>) -> Option<String> {
    query.or(body.0.map(|body| body.content))
}
