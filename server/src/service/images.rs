//! Whether uploaded bytes are really the image their first bytes claim, and not too
//! many pixels, and what is stored of them: the pixels only. The header is read first
//! (dimensions capped before anything is decoded, so a small file declaring 100,000 ×
//! 100,000 pixels costs nothing), then the whole image is decoded and written anew,
//! so nothing but the picture survives: no EXIF (a phone's GPS position of someone's
//! home), XMP, comments or text chunks, and nothing appended after the image's end
//! (an HTML polyglot). A file that only starts like an image does not decode and is
//! refused.
//!
//! How each format is written anew, and why:
//! - **JPEG** is decoded and encoded again (`jpeg-encoder`: quality 90, 4:2:0, lossy like
//!   every service that strips photos), after its EXIF orientation is applied to the
//!   pixels, so a photo taken sideways stays upright once the orientation tag is gone.
//!   Its ICC colour profile is kept: it is colour, not a fact about the person.
//! - **PNG** is decoded and encoded again losslessly with `png`, in its own colour type
//!   and bit depth (a palette stays a palette, transparency stays), keeping only the
//!   colour chunks (ICC, sRGB, gamma, chromaticities). An animated PNG keeps its still
//!   image.
//! - **GIF** is decoded frame by frame with `gif` and encoded again with the same
//!   palettes, positions, delays, disposal, transparency and loop count, so an
//!   animation stays animated and exact; comments, XMP and other application blocks
//!   go. (`image` would turn every frame into a full-size RGBA picture and quantise it
//!   again: larger and no longer exact.)
//! - **WebP** is decoded to prove it is one, then its RIFF chunks are filtered: the
//!   picture's own chunks (`VP8 `, `VP8L`, `ALPH`, `ANIM`, `ANMF`, `ICCP`) are kept
//!   byte for byte, `EXIF`, `XMP ` and unknown chunks and anything after the RIFF
//!   container are dropped, and the `VP8X` flags are made to match. `image` encodes
//!   WebP losslessly only and without animation, which would multiply a photo's size
//!   and stop animations.

use std::io::Cursor;
use std::num::NonZeroU64;

use image::{ImageDecoder, ImageFormat, ImageReader, Limits};

use super::media::ImageKind;

/// Longest side accepted, in pixels.
pub const MAX_SIDE: u32 = 12_000;
/// Most pixels accepted (an animation's frames together): 50 megapixels, what the
/// largest phone cameras take.
pub const MAX_PIXELS: u64 = 50_000_000;
/// The quality JPEGs are written again at: visually lossless for photos.
const JPEG_QUALITY: u8 = 90;

/// Why an upload is refused.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// It does not decode as the format its first bytes name.
    NotAnImage,
    /// Past [`MAX_SIDE`] or [`MAX_PIXELS`].
    TooManyPixels,
}

/// Checks `bytes`, sniffed as `kind`, and writes the image anew without metadata (see
/// the module). CPU-bound: call it on a blocking thread.
pub fn clean(kind: ImageKind, bytes: &[u8]) -> Result<Vec<u8>, Refusal> {
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
    match kind {
        ImageKind::Jpeg => jpeg(reader().into_decoder().map_err(refusal)?),
        ImageKind::Png => png(bytes),
        ImageKind::Gif => gif(bytes, pixels),
        ImageKind::Webp => {
            reader().decode().map_err(refusal)?;
            webp(bytes)
        }
    }
}

fn jpeg(mut decoder: impl ImageDecoder) -> Result<Vec<u8>, Refusal> {
    let orientation = decoder.orientation().map_err(refusal)?;
    let icc = decoder.icc_profile().ok().flatten();
    let mut image = image::DynamicImage::from_decoder(decoder).map_err(refusal)?;
    image.apply_orientation(orientation);
    let (width, height) = (image.width(), image.height());
    // JPEG holds 8-bit grey or RGB only.
    let (pixels, color) = match image {
        image::DynamicImage::ImageLuma8(grey) => (grey.into_raw(), jpeg_encoder::ColorType::Luma),
        other if !other.color().has_color() => {
            (other.to_luma8().into_raw(), jpeg_encoder::ColorType::Luma)
        }
        other => (other.to_rgb8().into_raw(), jpeg_encoder::ColorType::Rgb),
    };
    let mut out = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, JPEG_QUALITY);
    // 4:2:0, as cameras and phones write their photos.
    encoder.set_sampling_factor(jpeg_encoder::SamplingFactor::F_2_2);
    if let Some(icc) = icc {
        // A profile too large for the format is dropped rather than refusing the photo.
        let _ = encoder.add_icc_profile(&icc);
    }
    let side = |side: u32| u16::try_from(side).map_err(|_| Refusal::TooManyPixels);
    encoder
        .encode(&pixels, side(width)?, side(height)?, color)
        .map_err(|_| Refusal::NotAnImage)?;
    Ok(out)
}

fn png(bytes: &[u8]) -> Result<Vec<u8>, Refusal> {
    let mut decoder = ::png::Decoder::new_with_limits(
        Cursor::new(bytes),
        ::png::Limits {
            bytes: max_alloc_bytes(),
        },
    );
    // The stored samples as they are: palette indices, bit depth, transparency.
    decoder.set_transformations(::png::Transformations::IDENTITY);
    decoder.set_ignore_text_chunk(true);
    let mut reader = decoder.read_info().map_err(png_refusal)?;
    let size = reader.output_buffer_size().ok_or(Refusal::TooManyPixels)?;
    let mut pixels = vec![0; size];
    let frame = reader.next_frame(&mut pixels).map_err(png_refusal)?;
    pixels.truncate(frame.buffer_size());
    let source = reader.info();
    // Only the picture and its colour: the palette, transparency and the colour-space
    // chunks. Text, EXIF, time and every other chunk are left behind.
    let mut info = ::png::Info::with_size(frame.width, frame.height);
    info.color_type = frame.color_type;
    info.bit_depth = frame.bit_depth;
    info.palette.clone_from(&source.palette);
    info.trns.clone_from(&source.trns);
    info.srgb = source.srgb;
    info.source_gamma = source.source_gamma;
    info.source_chromaticities = source.source_chromaticities;
    info.icc_profile.clone_from(&source.icc_profile);
    let mut out = Vec::new();
    let mut encoder = ::png::Encoder::with_info(&mut out, info).map_err(|_| Refusal::NotAnImage)?;
    encoder.set_compression(::png::Compression::Balanced);
    let mut writer = encoder.write_header().map_err(|_| Refusal::NotAnImage)?;
    writer
        .write_image_data(&pixels)
        .map_err(|_| Refusal::NotAnImage)?;
    writer.finish().map_err(|_| Refusal::NotAnImage)?;
    Ok(out)
}

fn png_refusal(err: ::png::DecodingError) -> Refusal {
    match err {
        ::png::DecodingError::LimitsExceeded => Refusal::TooManyPixels,
        _ => Refusal::NotAnImage,
    }
}

fn gif(bytes: &[u8], canvas_pixels: u64) -> Result<Vec<u8>, Refusal> {
    let mut options = ::gif::DecodeOptions::new();
    options.set_color_output(::gif::ColorOutput::Indexed);
    options.set_memory_limit(::gif::MemoryLimit::Bytes(
        NonZeroU64::new(max_alloc_bytes() as u64).unwrap_or(NonZeroU64::MIN),
    ));
    let mut decoder = options.read_info(Cursor::new(bytes)).map_err(gif_refusal)?;
    let global_palette = decoder.global_palette().unwrap_or_default().to_vec();
    let mut encoder = ::gif::Encoder::new(
        Vec::new(),
        decoder.width(),
        decoder.height(),
        &global_palette,
    )
    .map_err(|_| Refusal::NotAnImage)?;
    let mut frames = 0_u64;
    while let Some(info) = decoder.next_frame_info().map_err(gif_refusal)? {
        let mut frame = info.clone();
        frames += 1;
        // Every frame counts as a full canvas: that is what a viewer composes.
        if frames * canvas_pixels > MAX_PIXELS {
            return Err(Refusal::TooManyPixels);
        }
        if frames == 1 {
            // The loop count comes before the first frame; without one a GIF plays
            // once, which `Finite(0)` stands for (written, it would mean forever).
            let repeat = decoder.repeat();
            if repeat != ::gif::Repeat::Finite(0) {
                encoder
                    .set_repeat(repeat)
                    .map_err(|_| Refusal::NotAnImage)?;
            }
        }
        let mut buffer = vec![0; decoder.buffer_size()];
        decoder.read_into_buffer(&mut buffer).map_err(gif_refusal)?;
        frame.buffer = buffer.into();
        encoder
            .write_frame(&frame)
            .map_err(|_| Refusal::NotAnImage)?;
    }
    if frames == 0 {
        return Err(Refusal::NotAnImage);
    }
    encoder.into_inner().map_err(|_| Refusal::NotAnImage)
}

fn gif_refusal(err: ::gif::DecodingError) -> Refusal {
    match err {
        ::gif::DecodingError::MemoryLimit => Refusal::TooManyPixels,
        _ => Refusal::NotAnImage,
    }
}
/// The picture's own chunks in a WebP file; everything else is metadata or unknown.
const WEBP_KEPT: [&[u8; 4]; 7] = [
    b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ANIM", b"ANMF", b"ICCP",
];
/// `VP8X` flags: ICC profile, alpha, animation. EXIF, XMP and the reserved bits go.
const VP8X_KEPT_FLAGS: u8 = 0x20 | 0x10 | 0x02;

/// A decoded WebP's RIFF container with only [`WEBP_KEPT`] chunks (see the module).
fn webp(bytes: &[u8]) -> Result<Vec<u8>, Refusal> {
    let declared = bytes
        .get(4..8)
        .map(|size| u32::from_le_bytes(size.try_into().expect("four bytes")) as usize)
        .ok_or(Refusal::NotAnImage)?;
    // What follows the container is not the image's.
    let body = bytes
        .get(12..declared.saturating_add(8).min(bytes.len()))
        .ok_or(Refusal::NotAnImage)?;
    let mut out = b"RIFF\0\0\0\0WEBP".to_vec();
    let mut rest = body;
    while rest.len() >= 8 {
        let (fourcc, size) = rest.split_at(4);
        let size = u32::from_le_bytes(size[..4].try_into().expect("four bytes")) as usize;
        // Chunks are padded to an even size.
        let end = 8 + size + size % 2;
        let chunk = &rest[..end.min(rest.len())];
        if chunk.len() < 8 + size {
            return Err(Refusal::NotAnImage);
        }
        if WEBP_KEPT.iter().any(|kept| &kept[..] == fourcc) {
            let start = out.len();
            out.extend_from_slice(&chunk[..8 + size]);
            if size % 2 == 1 {
                out.push(0);
            }
            if fourcc == b"VP8X" && size >= 1 {
                out[start + 8] &= VP8X_KEPT_FLAGS;
            }
        }
        rest = &rest[chunk.len()..];
    }
    let riff_size = u32::try_from(out.len() - 8).map_err(|_| Refusal::NotAnImage)?;
    out[4..8].copy_from_slice(&riff_size.to_le_bytes());
    Ok(out)
}

/// What a decoder may allocate: four bytes a pixel, and its own buffers.
fn max_alloc_bytes() -> usize {
    usize::try_from(MAX_PIXELS * 4 + (64 << 20)).unwrap_or(usize::MAX)
}

fn limits() -> Limits {
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(max_alloc_bytes() as u64);
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
            let cleaned = clean(kind, &encoded(format, 3, 2)).expect("accepted");
            let again = image::load_from_memory_with_format(&cleaned, format).expect("decodes");
            assert_eq!((again.width(), again.height()), (3, 2), "{kind:?}");
        }
    }

    #[test]
    fn a_header_followed_by_something_else_is_not_an_image() {
        let polyglot = b"GIF89a\x01\x00\x01\x00<html><script>alert(1)</script></html>";
        assert_eq!(clean(ImageKind::Gif, polyglot), Err(Refusal::NotAnImage));
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend_from_slice(b"<html></html>");
        assert_eq!(clean(ImageKind::Png, &png), Err(Refusal::NotAnImage));
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
        assert_eq!(clean(ImageKind::Png, &png), Err(Refusal::TooManyPixels));
    }

    /// A WebP with a `VP8X` header announcing EXIF, an `EXIF` chunk, and a page after
    /// the container.
    #[test]
    fn a_webps_exif_chunk_and_trailing_bytes_go_and_its_picture_stays() {
        let plain = encoded(ImageFormat::WebP, 5, 3);
        let mut chunks = b"VP8X\x0a\0\0\0\x08\0\0\0\x04\0\0\x02\0\0".to_vec();
        chunks.extend_from_slice(&plain[12..]);
        chunks.extend_from_slice(b"EXIF\x05\0\0\0GPS!!\0");
        let mut sent = b"RIFF".to_vec();
        sent.extend_from_slice(&(u32::try_from(chunks.len()).unwrap() + 4).to_le_bytes());
        sent.extend_from_slice(b"WEBP");
        sent.extend_from_slice(&chunks);
        sent.extend_from_slice(b"<html></html>");
        let cleaned = clean(ImageKind::Webp, &sent).expect("accepted");
        assert!(!cleaned.windows(4).any(|w| w == b"EXIF" || w == b"GPS!"));
        assert!(!cleaned.windows(5).any(|w| w == b"<html"));
        assert_eq!(cleaned[20] & 0x08, 0, "VP8X no longer announces EXIF");
        let riff = u32::from_le_bytes(cleaned[4..8].try_into().unwrap()) as usize;
        assert_eq!(riff + 8, cleaned.len());
        let back = image::load_from_memory_with_format(&cleaned, ImageFormat::WebP).unwrap();
        assert_eq!((back.width(), back.height()), (5, 3));
    }

    #[test]
    fn a_palette_png_stays_a_palette_png() {
        let mut out = Vec::new();
        let mut encoder = ::png::Encoder::new(&mut out, 4, 1);
        encoder.set_color(::png::ColorType::Indexed);
        encoder.set_palette(vec![255, 0, 0, 0, 0, 255]);
        encoder.set_trns(vec![0, 255]);
        let mut writer = encoder.write_header().unwrap();
        writer.write_image_data(&[0, 1, 0, 1]).unwrap();
        writer.finish().unwrap();
        let cleaned = clean(ImageKind::Png, &out).expect("accepted");
        let reader = ::png::Decoder::new(Cursor::new(&cleaned))
            .read_info()
            .unwrap();
        assert_eq!(reader.info().color_type, ::png::ColorType::Indexed);
        assert_eq!(reader.info().trns.as_deref(), Some(&[0, 255][..]));
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
