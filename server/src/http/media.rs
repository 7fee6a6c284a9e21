//! `GET /media/{key}`: stored images, served back; and the guard that refuses
//! oversized uploads before reading them.

use std::sync::{
    Arc,
    atomic::{AtomicBool, Ordering},
};

use futures_util::StreamExt;
use poem::{Body, Endpoint, IntoResponse, Request, Response, web::Data};
use poem_openapi::{
    ApiResponse, OpenApi, ResponseContent,
    param::{Header, Path},
    registry::{MetaMediaType, MetaSchema, MetaSchemaRef},
    types::multipart::Upload,
};

use super::{
    ApiTags,
    auth::services,
    errors::{ApiError, ApiResult},
};
use crate::service::{
    self, ServiceError, Services, TooLarge,
    media::{IncomingFile, MediaAnswer},
};

/// Keys never change meaning, so caches may keep a file for good.
const CACHE_FOREVER: &str = "public, max-age=31536000, immutable";

/// An image, with the content type its key says.
pub struct MediaBody {
    content_type: &'static str,
    size: u64,
    body: Body,
}

impl IntoResponse for MediaBody {
    fn into_response(self) -> Response {
        Response::builder()
            .content_type(self.content_type)
            .header(poem::http::header::CONTENT_LENGTH, self.size)
            .body(self.body)
    }
}

impl ResponseContent for MediaBody {
    fn media_types() -> Vec<MetaMediaType> {
        let binary = || {
            MetaSchemaRef::Inline(Box::new(MetaSchema {
                format: Some("binary"),
                ..MetaSchema::new("string")
            }))
        };
        ["image/png", "image/jpeg", "image/gif", "image/webp"]
            .into_iter()
            .map(|content_type| MetaMediaType {
                content_type,
                schema: binary(),
            })
            .collect()
    }
}

#[derive(ApiResponse)]
enum MediaResponse {
    /// The image.
    #[oai(status = 200)]
    Ok(
        MediaBody,
        #[oai(header = "ETag")] String,
        #[oai(header = "Cache-Control")] String,
    ),
    /// The copy named by `If-None-Match` is current.
    #[oai(status = 304)]
    NotModified(
        #[oai(header = "ETag")] String,
        #[oai(header = "Cache-Control")] String,
    ),
}

pub struct MediaApi;

#[OpenApi(tag = "ApiTags::Media")]
impl MediaApi {
    /// A stored image
    ///
    /// Serves images stored by this server (a local folder or S3), with their
    /// `Content-Type`, an `ETag` and long-lived cache headers; `If-None-Match` gives
    /// 304. Images kept on Cloudinary are fetched from Cloudinary's URL instead. 404
    /// for unknown keys.
    #[oai(path = "/media/:key", method = "get", operation_id = "get_media")]
    async fn get_media(
        &self,
        svc: Data<&Services>,
        key: Path<String>,
        #[oai(name = "If-None-Match")] if_none_match: Header<Option<String>>,
    ) -> ApiResult<MediaResponse> {
        let answer = service::media::open(svc.0, &key.0, if_none_match.0.as_deref()).await?;
        Ok(match answer {
            MediaAnswer::Object(object) => MediaResponse::Ok(
                MediaBody {
                    content_type: object.content_type,
                    size: object.size,
                    body: Body::from_bytes_stream(object.body),
                },
                object.etag,
                CACHE_FOREVER.into(),
            ),
            MediaAnswer::NotModified { etag } => {
                MediaResponse::NotModified(etag, CACHE_FOREVER.into())
            }
        })
    }
}

/// An uploaded multipart file, for the service to read and check.
pub fn incoming(upload: Upload) -> IncomingFile {
    IncomingFile {
        size: upload.size() as u64,
        reader: Box::new(upload.into_async_read()),
    }
}

/// Room for multipart framing and the other fields, beyond the files themselves.
const SLACK: u64 = 64 * 1024;

/// Refuses an upload body larger than `files` × `MEDIA_MAX_BYTES` (+ slack) with 413:
/// at once when `Content-Length` says so, else as soon as that many bytes arrived.
pub struct UploadGuard<E> {
    inner: E,
    files: u64,
}

/// The guard for an upload of up to ten images.
pub fn guard_images<E: Endpoint>(inner: E) -> UploadGuard<E> {
    UploadGuard {
        inner,
        files: service::attachments::MAX_ATTACHMENTS as u64,
    }
}

/// The guard for an upload of one image.
pub fn guard_image<E: Endpoint>(inner: E) -> UploadGuard<E> {
    UploadGuard { inner, files: 1 }
}

fn too_large(limit: u64) -> poem::Error {
    let err = ApiError::from(ServiceError::PayloadTooLarge(TooLarge::Upload(limit)));
    poem::Error::from_response(err.into_response())
}

impl<E: Endpoint> Endpoint for UploadGuard<E> {
    type Output = Response;

    async fn call(&self, mut req: Request) -> poem::Result<Response> {
        let max = services(&req)?.media().max_bytes();
        let limit = max.saturating_mul(self.files).saturating_add(SLACK);
        let declared = req
            .headers()
            .get(poem::http::header::CONTENT_LENGTH)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.parse::<u64>().ok());
        if declared.is_some_and(|length| length > limit) {
            return Err(too_large(limit));
        }
        let exceeded = Arc::new(AtomicBool::new(false));
        let flag = exceeded.clone();
        let mut seen: u64 = 0;
        let limited = req.take_body().into_bytes_stream().map(move |chunk| {
            let chunk = chunk?;
            seen = seen.saturating_add(chunk.len() as u64);
            if seen > limit {
                flag.store(true, Ordering::Relaxed);
                return Err(std::io::Error::other("upload too large"));
            }
            Ok(chunk)
        });
        req.set_body(Body::from_bytes_stream(limited));
        match self.inner.call(req).await {
            Ok(output) => Ok(output.into_response()),
            Err(_) if exceeded.load(Ordering::Relaxed) => Err(too_large(limit)),
            Err(err) => Err(err),
        }
    }
}
