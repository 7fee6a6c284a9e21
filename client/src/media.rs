//! Files: what uploads send, and `GET /media/{key}`.

use std::{path::PathBuf, sync::Arc};

use futures_util::stream;
use reqwest::{Method, multipart::Part};
use socmel_api_types::{PostId, posts::PostDisplay, users::UserDisplay};
use tokio::io::AsyncReadExt;

use crate::{Client, ClientError, ClientResult};

/// A file to upload. A path is streamed from disk as it is sent; bytes are sent from
/// memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UploadFile {
    Path(PathBuf),
    Bytes { file_name: String, bytes: Vec<u8> },
}

impl UploadFile {
    pub fn path(path: impl Into<PathBuf>) -> Self {
        Self::Path(path.into())
    }

    pub fn bytes(file_name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        Self::Bytes {
            file_name: file_name.into(),
            bytes: bytes.into(),
        }
    }

    /// The multipart part; a file's length is sent ahead, so the server can refuse an
    /// oversized upload before reading it.
    pub(crate) async fn into_part(self) -> ClientResult<Part> {
        let (part, file_name) = match self {
            Self::Path(path) => {
                let io_error = |source| ClientError::Io {
                    path: path.display().to_string(),
                    source,
                };
                let file = tokio::fs::File::open(&path).await.map_err(io_error)?;
                let length = file.metadata().await.map_err(io_error)?.len();
                let file_name = path
                    .file_name()
                    .map(|name| name.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "upload".to_owned());
                (Part::stream_with_length(file, length), file_name)
            }
            Self::Bytes { file_name, bytes } => (Part::bytes(bytes), file_name),
        };
        named(part, &file_name)
    }
}

/// The part with its file name and, when the name tells, its declared type.
fn named(part: Part, file_name: &str) -> ClientResult<Part> {
    let part = part.file_name(file_name.to_owned());
    // The server goes by the content; the declared type is only a courtesy.
    Ok(match guess_type(file_name) {
        Some(mime) => part.mime_str(mime).map_err(ClientError::Http)?,
        None => part,
    })
}

fn guess_type(file_name: &str) -> Option<&'static str> {
    let extension = file_name.rsplit_once('.')?.1.to_ascii_lowercase();
    match extension.as_str() {
        "png" => Some("image/png"),
        "jpg" | "jpeg" => Some("image/jpeg"),
        "gif" => Some("image/gif"),
        "webp" => Some("image/webp"),
        _ => None,
    }
}

/// A stored file, as `GET /media/{key}` serves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaFile {
    pub content_type: String,
    pub etag: Option<String>,
    pub bytes: Vec<u8>,
}

impl Client {
    /// `GET /media/{key}`: a file stored by this server (an attachment's
    /// `file_public_id`, or the last part of its `file` URL).
    pub async fn get_media(&self, key: &str) -> ClientResult<MediaFile> {
        let response = self
            .send_raw(self.request(Method::GET, &format!("/media/{key}")))
            .await?;
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|value| value.to_str().ok())
                .map(str::to_owned)
        };
        let content_type = header("content-type").unwrap_or_default();
        let etag = header("etag");
        let bytes = response.bytes().await.map_err(ClientError::Http)?.to_vec();
        Ok(MediaFile {
            content_type,
            etag,
            bytes,
        })
    }
}

// ---------------------------------------------------------------------------------
// Uploads with progress: the same requests as `upload_post_images` and `upload_pfp`,
// with the file read through a counter that reports each chunk as it goes out.

/// Told the number of bytes just read for sending (a running total is the caller's).
pub type Progress = Arc<dyn Fn(u64) + Send + Sync>;

const CHUNK: usize = 64 * 1024;

impl UploadFile {
    /// How many bytes this upload sends (a file's length on disk).
    pub async fn size(&self) -> ClientResult<u64> {
        match self {
            Self::Path(path) => tokio::fs::metadata(path)
                .await
                .map(|meta| meta.len())
                .map_err(|source| ClientError::Io {
                    path: path.display().to_string(),
                    source,
                }),
            Self::Bytes { bytes, .. } => Ok(bytes.len() as u64),
        }
    }

    /// As `into_part`, with every chunk counted through `progress`.
    async fn into_counted_part(self, progress: Progress) -> ClientResult<Part> {
        match self {
            Self::Path(path) => {
                let io_error = |source| ClientError::Io {
                    path: path.display().to_string(),
                    source,
                };
                let file = tokio::fs::File::open(&path).await.map_err(io_error)?;
                let length = file.metadata().await.map_err(io_error)?.len();
                let file_name = path
                    .file_name()
                    .map(|name| name.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "upload".to_owned());
                let chunks = stream::try_unfold((file, progress), |(mut file, progress)| async {
                    let mut buffer = vec![0; CHUNK];
                    let read = file.read(&mut buffer).await?;
                    if read == 0 {
                        return Ok::<_, std::io::Error>(None);
                    }
                    buffer.truncate(read);
                    progress(read as u64);
                    Ok(Some((buffer, (file, progress))))
                });
                let body = reqwest::Body::wrap_stream(chunks);
                named(Part::stream_with_length(body, length), &file_name)
            }
            Self::Bytes { file_name, bytes } => {
                progress(bytes.len() as u64);
                named(Part::bytes(bytes), &file_name)
            }
        }
    }
}

impl Client {
    /// `POST /posts/{post_id}/img/`, reporting progress as the files stream out.
    pub async fn upload_post_images_with_progress(
        &self,
        post_id: PostId,
        images: Vec<UploadFile>,
        progress: Progress,
    ) -> ClientResult<PostDisplay> {
        let mut form = reqwest::multipart::Form::new();
        for image in images {
            form = form.part("images", image.into_counted_part(progress.clone()).await?);
        }
        let path = format!("/posts/{post_id}/img/");
        self.send(self.request(Method::POST, &path).multipart(form))
            .await
    }

    /// `POST /users/pfp/`, reporting progress as the file streams out.
    pub async fn upload_pfp_with_progress(
        &self,
        image: UploadFile,
        progress: Progress,
    ) -> ClientResult<UserDisplay> {
        let part = image.into_counted_part(progress).await?;
        let form = reqwest::multipart::Form::new().part("image", part);
        self.send(self.request(Method::POST, "/users/pfp/").multipart(form))
            .await
    }
}
