//! Whether uploaded bytes are really the image their first bytes claim, and not too
//! many pixels: the header is read first (dimensions capped before anything is
//! decoded, so a small file declaring 100,000 × 100,000 pixels costs nothing), then
//! the whole image is decoded. A file that only starts like an image (a GIF header
//! followed by HTML, say) does not decode and is refused.

use std::io::Cursor;

use image::{AnimationDecoder, ImageFormat, ImageReader, Limits, codecs::gif::GifDecoder};

use super::media::ImageKind;

/// Longest side accepted, in pixels.
pub const MAX_SIDE: u32 = 12_000;
/// Most pixels accepted (an animation's frames together): 50 megapixels, what the
/// largest phone cameras take.
pub const MAX_PIXELS: u64 = 50_000_000;

/// Why an upload is refused.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// It does not decode as the format its first bytes name.
    NotAnImage,
    /// Past [`MAX_SIDE`] or [`MAX_PIXELS`].
    TooManyPixels,
}

/// Checks `bytes`, sniffed as `kind` (see the module). CPU-bound: call it on a blocking
/// thread.
pub fn check(kind: ImageKind, bytes: &[u8]) -> Result<(), Refusal> {
    let format = match kind {
        ImageKind::Png => ImageFormat::Png,
        ImageKind::Jpeg => ImageFormat::Jpeg,
        ImageKind::Gif => ImageFormat::Gif,
        ImageKind::Webp => ImageFormat::WebP,
    };
    let reader = || {
        let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
        reader.limits(limits());
        reader
    };
    let (width, height) = reader().into_dimensions().map_err(refusal)?;
    if width == 0 || height == 0 {
        return Err(Refusal::NotAnImage);
    }
    let pixels = u64::from(width) * u64::from(height);
    if width > MAX_SIDE || height > MAX_SIDE || pixels > MAX_PIXELS {
        return Err(Refusal::TooManyPixels);
    }
    if kind == ImageKind::Gif {
        // Every frame, counted as it is decoded.
        let decoder = GifDecoder::new(Cursor::new(bytes)).map_err(refusal)?;
        let mut total = 0_u64;
        for frame in decoder.into_frames() {
            let frame = frame.map_err(refusal)?;
            let (w, h) = frame.buffer().dimensions();
            total += u64::from(w) * u64::from(h);
            if total > MAX_PIXELS {
                return Err(Refusal::TooManyPixels);
            }
        }
        return if total == 0 {
            Err(Refusal::NotAnImage)
        } else {
            Ok(())
        };
    }
    reader().decode().map(drop).map_err(refusal)
}

fn limits() -> Limits {
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    // Four bytes a pixel, and the decoders' own buffers.
    limits.max_alloc = Some(MAX_PIXELS * 4 + (64 << 20));
    limits
}

fn refusal(err: image::ImageError) -> Refusal {
    match err {
        image::ImageError::Limits(_) => Refusal::TooManyPixels,
        _ => Refusal::NotAnImage,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(format: ImageFormat, width: u32, height: u32) -> Vec<u8> {
        let image = image::DynamicImage::new_rgb8(width, height);
        let mut out = Cursor::new(Vec::new());
        image.write_to(&mut out, format).unwrap();
        out.into_inner()
    }

    #[test]
    fn real_images_of_each_format_pass() {
        for (kind, format) in [
            (ImageKind::Png, ImageFormat::Png),
            (ImageKind::Jpeg, ImageFormat::Jpeg),
            (ImageKind::Gif, ImageFormat::Gif),
            (ImageKind::Webp, ImageFormat::WebP),
        ] {
            assert_eq!(check(kind, &encoded(format, 3, 2)), Ok(()), "{kind:?}");
        }
    }

    #[test]
    fn a_header_followed_by_something_else_is_not_an_image() {
        let polyglot = b"GIF89a\x01\x00\x01\x00<html><script>alert(1)</script></html>";
        assert_eq!(check(ImageKind::Gif, polyglot), Err(Refusal::NotAnImage));
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend_from_slice(b"<html></html>");
        assert_eq!(check(ImageKind::Png, &png), Err(Refusal::NotAnImage));
    }

    /// A PNG header declaring 100,000 × 100,000 pixels, nothing decoded.
    #[test]
    fn declared_dimensions_are_capped_before_decoding() {
        let mut png = encoded(ImageFormat::Png, 1, 1);
        // IHDR's width and height, then its CRC, which the decoder checks.
        png[16..20].copy_from_slice(&100_000_u32.to_be_bytes());
        png[20..24].copy_from_slice(&100_000_u32.to_be_bytes());
        let crc = crc32(&png[12..29]);
        png[29..33].copy_from_slice(&crc.to_be_bytes());
        assert_eq!(check(ImageKind::Png, &png), Err(Refusal::TooManyPixels));
    }

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
}
