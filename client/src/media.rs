//! Files: what uploads send, and `GET /media/{key}`.

use std::path::PathBuf;

use reqwest::{Method, multipart::Part};

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
        let part = part.file_name(file_name.clone());
        // The server goes by the content; the declared type is only a courtesy.
        Ok(match guess_type(&file_name) {
            Some(mime) => part.mime_str(mime).map_err(ClientError::Http)?,
            None => part,
        })
    }
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
