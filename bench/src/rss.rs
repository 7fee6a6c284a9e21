//! A process's memory as the kernel counts it, from `/proc/<pid>/status`: the resident
//! set now (`VmRSS`) and at its peak (`VmHWM`), and how much of it is anonymous (heap,
//! stacks: what the process itself allocated) versus file pages (the binary, and the
//! database when it is memory-mapped), which the kernel can drop and share.

use anyhow::Context;
use serde::Serialize;

#[derive(Debug, Clone, Copy, Serialize)]
pub struct Rss {
    pub rss_kib: u64,
    pub peak_kib: u64,
    pub anon_kib: u64,
    pub file_kib: u64,
}

impl Rss {
    pub fn rss_mib(&self) -> f64 {
        self.rss_kib as f64 / 1024.0
    }
}

pub fn read(pid: u32) -> anyhow::Result<Rss> {
    let path = format!("/proc/{pid}/status");
    let status = std::fs::read_to_string(&path).with_context(|| format!("reading {path}"))?;
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name)?.strip_prefix(':'))
            .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
            .with_context(|| format!("{path} has no {name}"))
    };
    Ok(Rss {
        rss_kib: field("VmRSS")?,
        peak_kib: field("VmHWM")?,
        anon_kib: field("RssAnon")?,
        file_kib: field("RssFile")?,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_its_own_process() {
        let rss = super::read(std::process::id()).unwrap();
        assert!(rss.rss_kib > 0 && rss.peak_kib >= rss.rss_kib);
        assert!(rss.anon_kib + rss.file_kib <= rss.rss_kib);
    }
}
