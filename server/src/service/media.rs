//! Uploaded images: which files are accepted (sniffed by content, size-capped), their
//! unique keys, storing and deleting them, and reading them back for `GET /media/{key}`.

use bytes::Bytes;
use tokio::io::{AsyncRead, AsyncReadExt};

use super::{Missing, ServiceError, ServiceResult, Services, TooLarge, Unsupported, images};
use crate::media::{ByteStream, Stored};

/// An uploaded file as it arrives: its size as received and its bytes.
pub struct IncomingFile {
    pub size: u64,
    pub reader: Box<dyn AsyncRead + Unpin + Send>,
}

/// The image formats accepted, told apart by their first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    Png,
    Jpeg,
    Gif,
    Webp,
}

impl ImageKind {
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
            Self::Gif => "image/gif",
            Self::Webp => "image/webp",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::Png => "png",
            Self::Jpeg => "jpg",
            Self::Gif => "gif",
            Self::Webp => "webp",
        }
    }

    fn from_extension(extension: &str) -> Option<Self> {
        [Self::Png, Self::Jpeg, Self::Gif, Self::Webp]
            .into_iter()
            .find(|kind| kind.extension() == extension)
    }
}

/// What the file is, by its magic bytes; whatever the client declared does not count.
pub fn sniff(bytes: &[u8]) -> Option<ImageKind> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(ImageKind::Png)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(ImageKind::Jpeg)
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some(ImageKind::Gif)
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some(ImageKind::Webp)
    } else {
        None
    }
}

/// An accepted image, ready to store.
#[derive(Debug, Clone)]
pub struct Image {
    pub kind: ImageKind,
    pub bytes: Bytes,
}

fn too_large(max: u64) -> ServiceError {
    ServiceError::PayloadTooLarge(TooLarge::File(max))
}

/// Reads an upload (never more than the cap) and accepts it if it is an image of at
/// most the cap: 413 when larger, 415 when not an image.
pub async fn read_image(svc: &Services, file: IncomingFile) -> ServiceResult<Image> {
    let max = svc.media().max_bytes();
    if file.size > max {
        return Err(too_large(max));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(file.size).unwrap_or(0));
    file.reader
        .take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .await
        .map_err(ServiceError::internal)?;
    if bytes.len() as u64 > max {
        return Err(too_large(max));
    }
    let kind =
        sniff(&bytes).ok_or_else(|| ServiceError::UnsupportedMedia(Unsupported::NotAnImage))?;
    // The first bytes only name a format: the whole file must decode as one, and what is
    // stored is the picture written anew, without its metadata or anything appended.
    let bytes = tokio::task::spawn_blocking(move || images::clean(kind, &bytes))
        .await
        .map_err(ServiceError::internal)?
        .map_err(|refusal| match refusal {
            images::Refusal::NotAnImage => ServiceError::UnsupportedMedia(Unsupported::NotAnImage),
            images::Refusal::TooManyPixels => ServiceError::PayloadTooLarge(TooLarge::Pixels),
        })?;
    Ok(Image {
        kind,
        bytes: bytes.into(),
    })
}

/// A fresh storage key: 128 random bits in hex and the format's extension.
pub fn new_key(kind: ImageKind) -> String {
    format!(
        "{}.{}",
        hex::encode(rand::random::<[u8; 16]>()),
        kind.extension()
    )
}

/// Stores an image under a fresh key.
pub async fn store(svc: &Services, image: &Image) -> ServiceResult<Stored> {
    let key = new_key(image.kind);
    svc.media()
        .store()
        .put(&key, image.kind.content_type(), image.bytes.clone())
        .await
        .map_err(ServiceError::MediaUnavailable)
}

/// Stores every image, or none: on a failure the ones already stored are deleted.
pub async fn store_all(svc: &Services, images: &[Image]) -> ServiceResult<Vec<Stored>> {
    let mut stored = Vec::with_capacity(images.len());
    for image in images {
        match store(svc, image).await {
            Ok(object) => stored.push(object),
            Err(err) => {
                delete_objects(svc, &keys_of(&stored)).await;
                return Err(err);
            }
        }
    }
    Ok(stored)
}

/// The keys of stored objects.
pub fn keys_of(stored: &[Stored]) -> Vec<String> {
    stored.iter().map(|object| object.key.clone()).collect()
}

/// Deletes stored objects whose rows are gone. Runs after the commit: a failure leaves
/// an orphan object (logged, for the orphan purge) rather than a row pointing nowhere.
pub async fn delete_objects(svc: &Services, keys: &[String]) {
    for key in keys {
        if let Err(err) = svc.media().store().delete(key).await {
            tracing::warn!(key = %key, error = ?err, "could not delete a stored object");
        }
    }
}

/// A stored object, read back.
pub struct MediaObject {
    pub content_type: &'static str,
    pub etag: String,
    pub size: u64,
    pub body: ByteStream,
}

/// What `GET /media/{key}` answers.
pub enum MediaAnswer {
    Object(MediaObject),
    /// The client's copy (`If-None-Match`) is current.
    NotModified {
        etag: String,
    },
}

/// Keys are immutable, so the key itself is a strong validator.
fn etag_of(key: &str) -> String {
    format!("\"{key}\"")
}

fn key_kind(key: &str) -> Option<ImageKind> {
    let (stem, extension) = key.split_once('.')?;
    let plain_stem = stem.len() == 32 && stem.bytes().all(|b| b.is_ascii_hexdigit());
    plain_stem.then(|| ImageKind::from_extension(extension))?
}

/// Reads a stored object back: 404 for a key this server never gave out or does not
/// serve; 304 when `if_none_match` names it.
pub async fn open(
    svc: &Services,
    key: &str,
    if_none_match: Option<&str>,
) -> ServiceResult<MediaAnswer> {
    let not_found = || ServiceError::NotFound(Missing::File);
    let kind = key_kind(key).ok_or_else(not_found)?;
    let fetched = svc
        .media()
        .store()
        .get(key)
        .await
        .map_err(ServiceError::MediaUnavailable)?
        .ok_or_else(not_found)?;
    let etag = etag_of(key);
    let matches = if_none_match.is_some_and(|header| {
        header
            .split(',')
            .map(|tag| tag.trim().trim_start_matches("W/"))
            .any(|tag| tag == etag || tag == "*")
    });
    if matches {
        return Ok(MediaAnswer::NotModified { etag });
    }
    Ok(MediaAnswer::Object(MediaObject {
        content_type: kind.content_type(),
        etag,
        size: fetched.size,
        body: fetched.body,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_told_apart_by_their_magic_bytes() {
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\nrest"), Some(ImageKind::Png));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0]), Some(ImageKind::Jpeg));
        assert_eq!(sniff(b"GIF89a..."), Some(ImageKind::Gif));
        assert_eq!(sniff(b"GIF87a..."), Some(ImageKind::Gif));
        assert_eq!(sniff(b"RIFF\x10\0\0\0WEBPVP8 "), Some(ImageKind::Webp));
        for other in [
            &b""[..],
            b"\x89PNG",
            b"RIFF\x10\0\0\0WAVEfmt ",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
            b"%PDF-1.7",
            b"hello",
        ] {
            assert_eq!(sniff(other), None, "{other:?}");
        }
    }

    #[test]
    fn keys_are_unique_hex_with_the_right_extension() {
        let a = new_key(ImageKind::Png);
        let b = new_key(ImageKind::Png);
        assert_ne!(a, b);
        assert!(a.ends_with(".png") && a.len() == 36, "{a}");
        assert_eq!(key_kind(&a), Some(ImageKind::Png));
        assert_eq!(key_kind(&new_key(ImageKind::Webp)), Some(ImageKind::Webp));
        for bad in [
            "../etc/passwd",
            "abc.png",
            "0123456789abcdef0123456789abcdef.svg",
            "0123456789abcdef0123456789abcdef",
            "0123456789abcdef0123456789abcdeg.png",
        ] {
            assert_eq!(key_kind(bad), None, "{bad}");
        }
    }
}
