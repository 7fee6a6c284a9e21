//! Upload progress: a bar on stderr while files stream from disk, hidden when stderr
//! is not a terminal (scripts, pipes, tests), so it never mixes with data.

use std::{
    io::{IsTerminal, Read},
    path::{Path, PathBuf},
    sync::Arc,
};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use socmel_client::{Progress, UploadFile};

use crate::{
    error::{CliError, CliResult},
    output::human_size,
};

pub struct UploadBar {
    bar: ProgressBar,
}

impl UploadBar {
    /// A bar for `total` bytes, drawn only on a terminal.
    pub fn new(total: u64, label: &str) -> Self {
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
        if std::io::stderr().is_terminal() {
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
        if let Ok(style) = ProgressStyle::with_template(
            "{msg} [{bar:30}] {binary_bytes}/{binary_total_bytes} ({binary_bytes_per_sec})",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(label.to_owned());
        Self { bar }
    }

    /// What the client calls with each chunk sent. A retried request starts over.
    pub fn progress(&self) -> Progress {
        let bar = self.bar.clone();
        Arc::new(move |bytes| bar.inc(bytes))
    }

    /// Back to zero, before a request is sent (again).
    pub fn reset(&self) {
        self.bar.set_position(0);
    }

    pub fn finish(self) {
        self.bar.finish_and_clear();
    }
}

/// The files as uploads, with their total size. Every file is checked first (there,
/// a file, readable, an image by its first bytes), and every bad one is reported at
/// once, before anything is uploaded.
pub async fn files(paths: &[PathBuf]) -> CliResult<(Vec<UploadFile>, u64)> {
    let mut uploads = Vec::new();
    let mut problems = Vec::new();
    let mut total = 0;
    for path in paths {
        match check(path) {
            Ok(size) => {
                total += size;
                uploads.push(UploadFile::path(path));
            }
            Err(problem) => problems.push(format!("{}: {problem}", path.display())),
        }
    }
    match problems.as_slice() {
        [] => Ok((uploads, total)),
        [one] => Err(CliError::Usage(format!("{one}; nothing was uploaded"))),
        several => Err(CliError::Usage(format!(
            "{} files cannot be uploaded, so none was:\n  {}",
            several.len(),
            several.join("\n  ")
        ))),
    }
}

/// The file's size, or what is wrong with it.
fn check(path: &Path) -> Result<u64, String> {
    let meta = std::fs::metadata(path).map_err(|err| io_reason(&err))?;
    if !meta.is_file() {
        return Err("not a file".into());
    }
    if meta.len() == 0 {
        return Err("empty file".into());
    }
    let mut head = [0u8; 12];
    let mut file = std::fs::File::open(path).map_err(|err| io_reason(&err))?;
    let read = file.read(&mut head).map_err(|err| io_reason(&err))?;
    if image_kind(&head[..read]).is_none() {
        return Err(format!(
            "not a PNG, JPEG, GIF or WebP image ({})",
            human_size(meta.len())
        ));
    }
    Ok(meta.len())
}

fn io_reason(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => err.to_string(),
    }
}

/// The image format the first bytes announce (the server checks the whole file).
fn image_kind(head: &[u8]) -> Option<&'static str> {
    if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("png")
    } else if head.starts_with(&[0xff, 0xd8, 0xff]) {
        Some("jpeg")
    } else if head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a") {
        Some("gif")
    } else if head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        Some("webp")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_kinds_are_told_by_their_first_bytes() {
        assert_eq!(image_kind(b"\x89PNG\r\n\x1a\n...."), Some("png"));
        assert_eq!(image_kind(&[0xff, 0xd8, 0xff, 0xe0]), Some("jpeg"));
        assert_eq!(image_kind(b"GIF89a"), Some("gif"));
        assert_eq!(image_kind(b"RIFF\0\0\0\0WEBP"), Some("webp"));
        assert_eq!(image_kind(b"hello"), None);
    }
}
