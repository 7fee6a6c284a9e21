//! Images: post attachments, profile pictures and `GET /media/{key}`, with upstream
//! bugs 21, 24, 27 and 47.

use crate::common;

use std::path::PathBuf;

use common::{TestServer, new_post, refusal};
use serde_json::Value;
use socmel_client::{
    UploadFile,
    types::{AttachmentId, ErrorCode},
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn media_dir(server: &TestServer) -> PathBuf {
    server.data_dir.path().join("media")
}

fn stored(server: &TestServer, key: &str) -> bool {
    media_dir(server).join(key).exists()
}

/// The last path segment of a URL: the storage key of a local file.
fn key_of(url: &str) -> &str {
    url.rsplit('/').next().unwrap()
}

#[tokio::test]
async fn post_images_are_stored_recorded_and_served_back() {
    // Upstream bug 21: nothing was persisted, and every upload overwrote the last.
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    let post = ada.post("gallery").await;
    let files = vec![
        UploadFile::bytes("a.png", common::png(100)),
        UploadFile::bytes("b.jpg", common::jpeg()),
        UploadFile::bytes("c.gif", common::gif()),
        UploadFile::bytes("d.webp", common::webp()),
    ];
    let shown = ada.client.upload_post_images(post.id, files).await.unwrap();
    let attachments = shown.attachments.unwrap();
    assert_eq!(attachments.len(), 4);
    let keys: Vec<&str> = attachments
        .iter()
        .map(|a| a.file_public_id.as_str())
        .collect();
    let mut unique = keys.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 4, "every file has its own key");
    assert_eq!(
        server
            .query_i64("SELECT count(*) FROM post_attachments")
            .await,
        4
    );

    for (attachment, (extension, content_type, bytes)) in attachments.iter().zip([
        ("png", "image/png", common::png(100)),
        ("jpg", "image/jpeg", common::jpeg()),
        ("gif", "image/gif", common::gif()),
        ("webp", "image/webp", common::webp()),
    ]) {
        assert_eq!(attachment.post_id, post.id);
        assert!(attachment.file_public_id.ends_with(extension));
        assert_eq!(
            attachment.file,
            format!("/media/{}", attachment.file_public_id)
        );
        assert!(stored(&server, &attachment.file_public_id));
        let served = server
            .client()
            .get_media(&attachment.file_public_id)
            .await
            .unwrap();
        assert_eq!(served.content_type, content_type);
        // Written anew without metadata: the same picture, not the same bytes.
        assert_same_picture(&served.bytes, &bytes);
        assert_eq!(
            served.etag,
            Some(format!("\"{}\"", attachment.file_public_id))
        );
    }

    // Lists carry the attachments too.
    let listed = server
        .client()
        .user_posts(ada.user.id, &Default::default())
        .await
        .unwrap();
    assert_eq!(listed.items[0].attachments.as_ref().unwrap().len(), 4);
}

#[tokio::test]
async fn media_answers_with_cache_headers_and_honours_if_none_match() {
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    let post = ada.post("cached").await;
    let shown = ada
        .client
        .upload_post_images(post.id, vec![UploadFile::bytes("x.png", common::png(100))])
        .await
        .unwrap();
    let url = server.at(&shown.attachments.unwrap()[0].file);
    let response = server.raw().get(&url).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "image/png");
    assert_eq!(
        headers["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let length = std::fs::metadata(media_dir(&server).join(key_of(&url)))
        .unwrap()
        .len();
    assert_eq!(headers["content-length"], length.to_string().as_str());
    let etag = headers["etag"].to_str().unwrap().to_owned();
    let again = server
        .raw()
        .get(&url)
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    assert_eq!(again.headers()["etag"].to_str().unwrap(), etag);
    assert!(again.bytes().await.unwrap().is_empty());
    let other = server
        .raw()
        .get(&url)
        .header("if-none-match", "\"other\"")
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), 200);

    for missing in [
        "/media/0123456789abcdef0123456789abcdef.png",
        "/media/nope",
        "/media/..%2Fsecret_key",
    ] {
        let response = server.raw().get(server.at(missing)).send().await.unwrap();
        assert_eq!(response.status(), 404, "{missing}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["code"], "not_found");
    }
}

#[tokio::test]
async fn files_that_are_not_images_are_415_whatever_they_claim() {
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    let post = ada.post("nope").await;
    for (name, bytes) in [
        ("evil.png", b"<svg onload=alert(1)>".to_vec()),
        ("doc.jpg", b"%PDF-1.7 ...".to_vec()),
        ("empty.gif", Vec::new()),
    ] {
        let err = ada
            .client
            .upload_post_images(post.id, vec![UploadFile::bytes(name, bytes)])
            .await
            .unwrap_err();
        assert_eq!(err.code(), Some(ErrorCode::UnsupportedMedia), "{name}");
    }
    // One bad file spoils the batch; nothing is kept.
    let err = ada
        .client
        .upload_post_images(
            post.id,
            vec![
                UploadFile::bytes("ok.png", common::png(20)),
                UploadFile::bytes("bad.png", b"plain text".to_vec()),
            ],
        )
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(415));
    assert_eq!(
        server
            .query_i64("SELECT count(*) FROM post_attachments")
            .await,
        0
    );
    assert_eq!(std::fs::read_dir(media_dir(&server)).unwrap().count(), 0);
    let err = ada
        .client
        .upload_pfp(UploadFile::bytes("me.png", b"GIF88a".to_vec()))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(415));
}

#[tokio::test]
async fn oversized_files_are_413() {
    let server = TestServer::start_with(|config| config.media_max_bytes = 1000).await;
    let ada = server.user("ada").await;
    let post = ada.post("big").await;
    let err = ada
        .client
        .upload_post_images(
            post.id,
            vec![UploadFile::bytes("big.png", common::png(1001))],
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::PayloadTooLarge));
    assert!(
        ada.client
            .upload_post_images(
                post.id,
                vec![UploadFile::bytes("fits.png", common::png(1000))]
            )
            .await
            .is_ok()
    );
    let err = ada
        .client
        .upload_pfp(UploadFile::bytes("big.png", common::png(1500)))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(413));
    assert_eq!(
        server
            .query_i64("SELECT count(*) FROM post_attachments")
            .await,
        1
    );
}

/// Sends a raw HTTP request and reads the status line of the answer.
async fn raw_status(server: &TestServer, head: &str, body_chunks: &[Vec<u8>]) -> String {
    let address = server.url.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    stream.write_all(head.as_bytes()).await.unwrap();
    for chunk in body_chunks {
        // The server may stop reading once it has refused the upload.
        if stream.write_all(chunk).await.is_err() {
            break;
        }
    }
    let mut answer = vec![0; 512];
    let read = tokio::time::timeout(std::time::Duration::from_secs(10), stream.read(&mut answer))
        .await
        .expect("an answer")
        .unwrap();
    String::from_utf8_lossy(&answer[..read])
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn huge_uploads_are_refused_before_they_are_read() {
    let server = TestServer::start_with(|config| config.media_max_bytes = 1000).await;
    let ada = server.user("ada").await;
    let post = ada.post("big").await;
    let token = &ada.tokens.access_token;
    let multipart_head = "--XyZ\r\nContent-Disposition: form-data; name=\"images\"; \
                          filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n";

    // A declared length beyond ten files and the slack: refused at once, unread.
    let head = format!(
        "POST /posts/{}/img/ HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: multipart/form-data; boundary=XyZ\r\nContent-Length: 50000000\r\n\r\n",
        post.id
    );
    assert_eq!(
        raw_status(&server, &head, &[]).await,
        "HTTP/1.1 413 Payload Too Large"
    );

    // No declared length: refused as soon as too much has arrived.
    let head = format!(
        "POST /posts/{}/img/ HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: multipart/form-data; boundary=XyZ\r\nTransfer-Encoding: chunked\r\n\r\n",
        post.id
    );
    let chunk = |data: &[u8]| {
        let mut framed = format!("{:x}\r\n", data.len()).into_bytes();
        framed.extend_from_slice(data);
        framed.extend_from_slice(b"\r\n");
        framed
    };
    let mut chunks = vec![chunk(multipart_head.as_bytes()), chunk(&common::png(1000))];
    // 10 × 1000 bytes of files plus 64 KiB of slack is the most this route reads.
    chunks.extend((0..76).map(|_| chunk(&[7; 1000])));
    assert_eq!(
        raw_status(&server, &head, &chunks).await,
        "HTTP/1.1 413 Payload Too Large"
    );
    assert_eq!(
        server
            .query_i64("SELECT count(*) FROM post_attachments")
            .await,
        0
    );
}

#[tokio::test]
async fn a_post_has_at_most_ten_images() {
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    let post = ada.post("album").await;
    let images = |n: usize| {
        (0..n)
            .map(|i| UploadFile::bytes(format!("{i}.png"), common::png(20)))
            .collect()
    };
    assert_eq!(
        refusal(ada.client.upload_post_images(post.id, images(11)).await),
        (400, "a post can have at most 10 attachments".into())
    );
    ada.client
        .upload_post_images(post.id, images(7))
        .await
        .unwrap();
    let err = ada
        .client
        .upload_post_images(post.id, images(4))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(400));
    let shown = ada
        .client
        .upload_post_images(post.id, images(3))
        .await
        .unwrap();
    assert_eq!(shown.attachments.unwrap().len(), 10);
    assert_eq!(std::fs::read_dir(media_dir(&server)).unwrap().count(), 10);
    let err = ada
        .client
        .upload_post_images(post.id, images(1))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(400));
    // No file at all is a 422.
    let empty = server
        .raw()
        .post(server.at(&format!("/posts/{}/img/", post.id)))
        .bearer_auth(&ada.tokens.access_token)
        .multipart(reqwest::multipart::Form::new().text("other", "x"))
        .send()
        .await
        .unwrap();
    assert_eq!(empty.status(), 422);
}

#[tokio::test]
async fn only_the_author_adds_or_removes_images() {
    // Upstream bug 27: these refusals were 401.
    let (_server, [ada, bob]) = TestServer::with_users(["ada", "bob"]).await;
    let post = ada.post("mine").await;
    assert_eq!(
        refusal(
            bob.client
                .upload_post_images(post.id, vec![UploadFile::bytes("x.png", common::png(20))])
                .await
        ),
        (
            403,
            "you are not allowed to upload an image to a post you do not own".into()
        )
    );
    let shown = ada
        .client
        .upload_post_images(post.id, vec![UploadFile::bytes("x.png", common::png(20))])
        .await
        .unwrap();
    let attachment = shown.attachments.unwrap()[0].id;
    let err = bob
        .client
        .delete_post_image(post.id, attachment)
        .await
        .unwrap_err();
    assert_eq!(
        (err.status(), err.body().unwrap().detail.as_str()),
        (Some(403), "you are not allowed to delete this attachment")
    );
    let err = ada
        .client
        .delete_post_image(post.id, AttachmentId(999))
        .await
        .unwrap_err();
    assert_eq!(
        (err.status(), err.body().unwrap().detail.as_str()),
        (Some(404), "this attachment does not exist")
    );
    // An attachment belongs to its own post.
    let other = ada.post("other").await;
    assert_eq!(
        ada.client
            .delete_post_image(other.id, attachment)
            .await
            .unwrap_err()
            .status(),
        Some(404)
    );
}

#[tokio::test]
async fn deleting_an_image_or_its_post_deletes_the_stored_files() {
    // Upstream bug 24: deleting a post left its files behind.
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    let post = ada.post("temporary").await;
    let shown = ada
        .client
        .upload_post_images(
            post.id,
            vec![
                UploadFile::bytes("1.png", common::png(20)),
                UploadFile::bytes("2.png", common::png(30)),
            ],
        )
        .await
        .unwrap();
    let attachments = shown.attachments.unwrap();
    let (first, second) = (&attachments[0], &attachments[1]);
    assert!(stored(&server, &first.file_public_id) && stored(&server, &second.file_public_id));

    let done = ada
        .client
        .delete_post_image(post.id, first.id)
        .await
        .unwrap();
    assert_eq!(done.detail, "the attachment has been deleted successfully");
    assert!(!stored(&server, &first.file_public_id));
    assert!(stored(&server, &second.file_public_id));
    assert_eq!(
        ada.client
            .view_post(post.id)
            .await
            .unwrap()
            .attachments
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        server
            .client()
            .get_media(&first.file_public_id)
            .await
            .unwrap_err()
            .status(),
        Some(404)
    );

    ada.client.delete_post(post.id).await.unwrap();
    assert!(!stored(&server, &second.file_public_id));
    assert_eq!(
        server
            .query_i64("SELECT count(*) FROM post_attachments")
            .await,
        0
    );
}

#[tokio::test]
async fn uploads_stream_from_a_file_on_disk() {
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("holiday.webp");
    std::fs::write(&path, common::webp()).unwrap();
    let post = ada.post("from disk").await;
    let shown = ada
        .client
        .upload_post_images(post.id, vec![UploadFile::path(&path)])
        .await
        .unwrap();
    let key = shown.attachments.unwrap()[0].file_public_id.clone();
    assert_eq!(
        std::fs::read(media_dir(&server).join(&key)).unwrap(),
        common::webp()
    );
    let me = ada
        .client
        .upload_pfp(UploadFile::path(&path))
        .await
        .unwrap();
    assert!(me.pfp.unwrap().ends_with(".webp"));
    let err = ada
        .client
        .upload_pfp(UploadFile::path(folder.path().join("missing.png")))
        .await
        .unwrap_err();
    assert!(
        matches!(err, socmel_client::ClientError::Io { .. }),
        "{err}"
    );
}

#[tokio::test]
async fn a_new_profile_picture_replaces_and_deletes_the_old_one() {
    // Upstream bug 47: the old picture was destroyed before the upload, and a failed
    // destroy left the profile pointing at a picture that was gone.
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    let first = ada
        .client
        .upload_pfp(UploadFile::bytes("me.png", common::png(40)))
        .await
        .unwrap();
    let first_url = first.pfp.clone().unwrap();
    assert_eq!(first_url, format!("/media/{}", key_of(&first_url)));
    assert!(stored(&server, key_of(&first_url)));
    assert_same_picture(
        &server
            .client()
            .get_media(key_of(&first_url))
            .await
            .unwrap()
            .bytes,
        &common::png(40),
    );

    let second = ada
        .client
        .upload_pfp(UploadFile::bytes("me.jpg", common::jpeg()))
        .await
        .unwrap();
    let second_url = second.pfp.clone().unwrap();
    assert_ne!(first_url, second_url);
    assert!(
        !stored(&server, key_of(&first_url)),
        "the old picture is deleted"
    );
    assert!(stored(&server, key_of(&second_url)));
    assert_eq!(
        ada.client.get_me().await.unwrap().pfp,
        Some(second_url.clone())
    );

    // A refused upload leaves the picture as it was.
    let err = ada
        .client
        .upload_pfp(UploadFile::bytes("me.txt", b"text".to_vec()))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(415));
    assert_eq!(
        ada.client.get_me().await.unwrap().pfp,
        Some(second_url.clone())
    );

    let cleared = ada.client.delete_pfp().await.unwrap();
    assert_eq!(cleared.pfp, None);
    assert!(!stored(&server, key_of(&second_url)));
    assert_eq!(
        ada.client.delete_pfp().await.unwrap().pfp,
        None,
        "nothing to remove is fine"
    );
}

#[tokio::test]
async fn a_failed_upload_leaves_the_old_picture_and_a_lost_file_does_not_block_removal() {
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    let current = ada
        .client
        .upload_pfp(UploadFile::bytes("me.png", common::png(40)))
        .await
        .unwrap();
    let url = current.pfp.unwrap();

    // The storage breaks: the media folder is no longer a folder.
    let folder = media_dir(&server);
    let aside = server.data_dir.path().join("media-aside");
    std::fs::rename(&folder, &aside).unwrap();
    std::fs::write(&folder, b"not a folder").unwrap();
    let err = ada
        .client
        .upload_pfp(UploadFile::bytes("new.png", common::png(50)))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(ada.client.get_me().await.unwrap().pfp, Some(url.clone()));
    std::fs::remove_file(&folder).unwrap();
    std::fs::rename(&aside, &folder).unwrap();
    assert_eq!(ada.client.get_me().await.unwrap().pfp, Some(url.clone()));
    assert!(stored(&server, key_of(&url)));

    // The stored file vanished behind our back: removal still clears the profile.
    std::fs::remove_file(folder.join(key_of(&url))).unwrap();
    assert_eq!(ada.client.delete_pfp().await.unwrap().pfp, None);
}

/// The first bytes name a format; the whole file must decode as it. A GIF header
/// followed by HTML is refused, and so is a PNG declaring 100,000 × 100,000 pixels.
#[tokio::test]
async fn polyglots_and_pixel_bombs_are_refused() {
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    // A 1 × 1 screen, then a page instead of pixels.
    let polyglot = b"GIF89a\x01\x00\x01\x00<html><script>alert(1)</script></html>".to_vec();
    let err = ada
        .client
        .upload_pfp(UploadFile::bytes("cat.gif", polyglot))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(415));

    let mut bomb = common::png(0);
    bomb[16..20].copy_from_slice(&100_000_u32.to_be_bytes());
    bomb[20..24].copy_from_slice(&100_000_u32.to_be_bytes());
    let crc = crc32(&bomb[12..29]);
    bomb[29..33].copy_from_slice(&crc.to_be_bytes());
    let err = ada
        .client
        .upload_pfp(UploadFile::bytes("huge.png", bomb))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(413));
    assert!(
        ada.client.current_user().await.unwrap().pfp.is_none(),
        "nothing was stored"
    );
}

/// PNG's chunk checksum, to forge a header the decoder accepts.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFF_u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// Uploads `bytes` as a post image and reads back what was stored.
async fn stored_copy(
    server: &TestServer,
    ada: &common::TestUser,
    name: &str,
    bytes: Vec<u8>,
) -> Vec<u8> {
    let post = ada.client.create_post(&new_post(name)).await.unwrap();
    let shown = ada
        .client
        .upload_post_images(post.id, vec![UploadFile::bytes(name, bytes)])
        .await
        .unwrap();
    let key = shown.attachments.unwrap()[0].file_public_id.clone();
    let served = server.client().get_media(&key).await.unwrap();
    assert_eq!(
        served.bytes,
        std::fs::read(media_dir(server).join(&key)).unwrap()
    );
    served.bytes.to_vec()
}

/// Both files decode to the same pixels.
fn assert_same_picture(stored: &[u8], sent: &[u8]) {
    let stored = image::load_from_memory(stored).unwrap().to_rgba8();
    let sent = image::load_from_memory(sent).unwrap().to_rgba8();
    assert_eq!(stored, sent);
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

fn encoded(image: &image::DynamicImage, format: image::ImageFormat) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    image.write_to(&mut out, format).unwrap();
    out.into_inner()
}

/// An EXIF block (big-endian TIFF) with an orientation and a GPS position: latitude
/// 48° 51' 24" N, the kind of thing a phone writes into every photo.
fn exif_with_gps(orientation: u16) -> Vec<u8> {
    let mut tiff = b"MM\0\x2a\0\0\0\x08".to_vec();
    // IFD0 at 8: two entries (orientation, GPS IFD pointer), then no next IFD.
    tiff.extend_from_slice(&2_u16.to_be_bytes());
    tiff.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1]);
    tiff.extend_from_slice(&orientation.to_be_bytes());
    tiff.extend_from_slice(&[0, 0]);
    let gps_ifd = 8 + 2 + 2 * 12 + 4;
    tiff.extend_from_slice(&[0x88, 0x25, 0, 4, 0, 0, 0, 1]);
    tiff.extend_from_slice(&(gps_ifd as u32).to_be_bytes());
    tiff.extend_from_slice(&0_u32.to_be_bytes());
    // The GPS IFD: latitude reference "N", latitude as three rationals after it.
    let rationals = gps_ifd + 2 + 2 * 12 + 4;
    tiff.extend_from_slice(&2_u16.to_be_bytes());
    tiff.extend_from_slice(&[0, 1, 0, 2, 0, 0, 0, 2, b'N', 0, 0, 0]);
    tiff.extend_from_slice(&[0, 2, 0, 5, 0, 0, 0, 3]);
    tiff.extend_from_slice(&(rationals as u32).to_be_bytes());
    tiff.extend_from_slice(&0_u32.to_be_bytes());
    for value in [48_u32, 51, 24] {
        tiff.extend_from_slice(&value.to_be_bytes());
        tiff.extend_from_slice(&1_u32.to_be_bytes());
    }
    let mut exif = b"Exif\0\0".to_vec();
    exif.extend_from_slice(&tiff);
    exif
}

/// A JPEG with an APP1 (EXIF) segment right after its start marker.
fn jpeg_with_exif(image: &image::DynamicImage, exif: &[u8]) -> Vec<u8> {
    let plain = encoded(image, image::ImageFormat::Jpeg);
    let mut out = plain[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&u16::try_from(exif.len() + 2).unwrap().to_be_bytes());
    out.extend_from_slice(exif);
    out.extend_from_slice(&plain[2..]);
    out
}

#[tokio::test]
async fn a_photos_exif_gps_position_is_not_stored() {
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    let photo = image::DynamicImage::new_rgb8(40, 20);
    let sent = jpeg_with_exif(&photo, &exif_with_gps(1));
    // The decoder sees the EXIF block in what was sent.
    assert!(contains(&sent, b"Exif\0\0"));
    let stored = stored_copy(&server, &ada, "gps.jpg", sent).await;
    assert!(!contains(&stored, b"Exif"), "the EXIF block is gone");
    assert!(!contains(&stored, &[0xFF, 0xE1]), "no APP1 segment at all");
    let back = image::load_from_memory_with_format(&stored, image::ImageFormat::Jpeg).unwrap();
    assert_eq!((back.width(), back.height()), (40, 20));
}

/// A photo taken with the phone turned is stored upright, since the EXIF tag that
/// told viewers to turn it is gone.
#[tokio::test]
async fn a_photos_orientation_is_applied_before_its_exif_goes() {
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    // Left half red, right half blue; orientation 6: turn 90° clockwise to view.
    let photo = image::RgbImage::from_fn(40, 20, |x, _| {
        if x < 20 {
            image::Rgb([255, 0, 0])
        } else {
            image::Rgb([0, 0, 255])
        }
    });
    let sent = jpeg_with_exif(&photo.into(), &exif_with_gps(6));
    let stored = stored_copy(&server, &ada, "turned.jpg", sent).await;
    assert!(!contains(&stored, b"Exif"));
    let back = image::load_from_memory_with_format(&stored, image::ImageFormat::Jpeg)
        .unwrap()
        .to_rgb8();
    assert_eq!(back.dimensions(), (20, 40), "stored upright");
    // Turned clockwise, the left half is on top.
    let top = back.get_pixel(10, 5);
    let bottom = back.get_pixel(10, 35);
    assert!(top[0] > 200 && top[2] < 60, "top is red: {top:?}");
    assert!(
        bottom[2] > 200 && bottom[0] < 60,
        "bottom is blue: {bottom:?}"
    );
}

/// Inserts a PNG chunk before `IEND`.
fn with_png_chunk(png: &[u8], kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let iend = png.len() - 12;
    let mut out = png[..iend].to_vec();
    out.extend_from_slice(&u32::try_from(data.len()).unwrap().to_be_bytes());
    let mut body = kind.to_vec();
    body.extend_from_slice(data);
    out.extend_from_slice(&body);
    out.extend_from_slice(&crc32(&body).to_be_bytes());
    out.extend_from_slice(&png[iend..]);
    out
}

#[tokio::test]
async fn a_pngs_text_chunks_and_trailing_bytes_are_not_stored_and_its_pixels_are() {
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    // Transparent on the left, opaque green on the right.
    let picture = image::RgbaImage::from_fn(8, 4, |x, _| {
        if x < 4 {
            image::Rgba([0, 0, 0, 0])
        } else {
            image::Rgba([0, 200, 0, 255])
        }
    });
    let plain = encoded(&picture.clone().into(), image::ImageFormat::Png);
    let mut sent = with_png_chunk(&plain, b"tEXt", b"Comment\0taken at 12 Quiet Street");
    sent.extend_from_slice(b"<html><script>alert(1)</script></html>");
    let stored = stored_copy(&server, &ada, "polyglot.png", sent).await;
    assert!(!contains(&stored, b"tEXt"), "the text chunk is gone");
    assert!(!contains(&stored, b"Quiet Street"));
    assert!(
        !contains(&stored, b"<html"),
        "nothing after the image's end"
    );
    assert!(
        stored.ends_with(b"IEND\xAE\x42\x60\x82"),
        "the file ends with IEND"
    );
    let back = image::load_from_memory_with_format(&stored, image::ImageFormat::Png).unwrap();
    assert_eq!(
        back.to_rgba8(),
        picture,
        "the same pixels, transparency included"
    );
}

#[tokio::test]
async fn an_animated_gif_keeps_its_frames_and_loses_its_comments() {
    use image::AnimationDecoder;
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    let frames = [image::Rgba([255, 0, 0, 255]), image::Rgba([0, 0, 255, 255])].map(|colour| {
        image::Frame::from_parts(
            image::RgbaImage::from_pixel(6, 6, colour),
            0,
            0,
            image::Delay::from_numer_denom_ms(100, 1),
        )
    });
    let mut plain = Vec::new();
    {
        let mut encoder = image::codecs::gif::GifEncoder::new(&mut plain);
        encoder
            .set_repeat(image::codecs::gif::Repeat::Infinite)
            .unwrap();
        encoder.encode_frames(frames).unwrap();
    }
    // A comment extension before the trailer, and a page after it.
    let trailer = plain.len() - 1;
    let mut sent = plain[..trailer].to_vec();
    sent.extend_from_slice(b"\x21\xFE\x11taken at my house\x00");
    sent.push(0x3B);
    sent.extend_from_slice(b"<html></html>");
    let stored = stored_copy(&server, &ada, "loop.gif", sent).await;
    assert!(!contains(&stored, b"my house"), "the comment is gone");
    assert!(!contains(&stored, b"<html"));
    assert_eq!(stored.last(), Some(&0x3B), "the file ends with the trailer");
    assert!(contains(&stored, b"NETSCAPE2.0"), "it still loops");
    let decoder = image::codecs::gif::GifDecoder::new(std::io::Cursor::new(stored)).unwrap();
    let frames: Vec<_> = decoder.into_frames().collect::<Result<_, _>>().unwrap();
    assert_eq!(frames.len(), 2, "still two frames");
    assert_eq!(
        frames[0].buffer().get_pixel(0, 0),
        &image::Rgba([255, 0, 0, 255])
    );
    assert_eq!(
        frames[1].buffer().get_pixel(0, 0),
        &image::Rgba([0, 0, 255, 255])
    );
}
