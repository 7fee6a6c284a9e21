//! Upload progress: a bar on stderr while files stream from disk, hidden when stderr
//! is not a terminal (scripts, pipes, tests), so it never mixes with data.

use std::{io::IsTerminal, path::PathBuf, sync::Arc};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use socmel_client::{Progress, UploadFile};

use crate::error::{CliError, CliResult};

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

/// The files as uploads, with their total size; a missing file is refused up front.
pub async fn files(paths: &[PathBuf]) -> CliResult<(Vec<UploadFile>, u64)> {
    let mut uploads = Vec::new();
    let mut total = 0;
    for path in paths {
        let meta = std::fs::metadata(path)
            .map_err(|err| CliError::Other(format!("{}: {err}", path.display())))?;
        if !meta.is_file() {
            return Err(CliError::Other(format!("{}: not a file", path.display())));
        }
        let upload = UploadFile::path(path);
        total += upload.size().await?;
        uploads.push(upload);
    }
    Ok((uploads, total))
}
