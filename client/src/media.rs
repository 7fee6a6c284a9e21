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

    /// `POST /messages/attachments/`, reporting progress as the file streams out.
    pub async fn upload_message_attachment_with_progress(
        &self,
        file: UploadFile,
        progress: Progress,
    ) -> ClientResult<socmel_api_types::messages::MessageAttachment> {
        let part = file.into_counted_part(progress).await?;
        let form = reqwest::multipart::Form::new().part("file", part);
        self.send(
            self.request(Method::POST, "/messages/attachments/")
                .multipart(form),
        )
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

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU64, Ordering};

    use socmel_api_types::{Timestamp, UserId};
    use tokio::{
        io::{AsyncReadExt, AsyncWriteExt},
        net::TcpListener,
    };

    use super::*;

    /// A one-request server: reads the whole multipart upload, answers with `answer`.
    async fn one_request(answer: String) -> (String, tokio::task::JoinHandle<Vec<u8>>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let task = tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut received = Vec::new();
            let mut buffer = vec![0; 64 * 1024];
            // The multipart body ends with the closing boundary: `--<boundary>--\r\n`.
            while !received.ends_with(b"--\r\n") {
                let read = socket.read(&mut buffer).await.unwrap();
                assert!(read > 0, "the client closed before the end of the body");
                received.extend_from_slice(&buffer[..read]);
            }
            let response = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{answer}",
                answer.len()
            );
            socket.write_all(response.as_bytes()).await.unwrap();
            received
        });
        (url, task)
    }

    #[tokio::test]
    async fn uploads_report_every_byte_of_the_file() {
        let me = UserDisplay {
            id: UserId(1),
            username: "ada".into(),
            email: None,
            is_active: true,
            xp: 0,
            level: 1,
            pfp: Some("/media/x.png".into()),
            created_at: Timestamp::from_millis(1_700_000_000_000),
            display_name: None,
            bio: None,
        };
        let (url, server) = one_request(serde_json::to_string(&me).unwrap()).await;
        let path = std::env::temp_dir().join(format!(
            "socmel-progress-{}-{:?}.png",
            std::process::id(),
            std::thread::current().id()
        ));
        let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
        bytes.resize(3 * CHUNK + 123, 7);
        std::fs::write(&path, &bytes).unwrap();

        let counted = Arc::new(AtomicU64::new(0));
        let calls = Arc::new(AtomicU64::new(0));
        let progress: Progress = {
            let (counted, calls) = (counted.clone(), calls.clone());
            Arc::new(move |n| {
                counted.fetch_add(n, Ordering::SeqCst);
                calls.fetch_add(1, Ordering::SeqCst);
            })
        };
        let upload = UploadFile::path(&path);
        assert_eq!(upload.size().await.unwrap(), bytes.len() as u64);
        let client = Client::new(&url).unwrap();
        let user = client
            .upload_pfp_with_progress(upload, progress)
            .await
            .unwrap();
        let _ = std::fs::remove_file(&path);

        assert_eq!(user, me);
        assert_eq!(counted.load(Ordering::SeqCst), bytes.len() as u64);
        assert!(calls.load(Ordering::SeqCst) >= 4, "streamed in chunks");
        let received = server.await.unwrap();
        let text = String::from_utf8_lossy(&received);
        assert!(text.starts_with("POST /users/pfp/ "), "{text:.80}");
        assert!(text.contains("filename=\"socmel-progress-"));
        assert!(
            text.contains("content-type: image/png") || text.contains("Content-Type: image/png")
        );
        assert!(received.windows(bytes.len()).any(|w| w == bytes.as_slice()));
    }
}
