//! The machine the figures were measured on: they mean little without it.

use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Machine {
    pub cores: usize,
    pub cpu_model: Option<String>,
    pub memory_mib: Option<u64>,
    pub kernel: Option<String>,
}

impl Machine {
    pub fn describe() -> Self {
        Self {
            cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
            cpu_model: proc_field("/proc/cpuinfo", "model name"),
            memory_mib: proc_field("/proc/meminfo", "MemTotal")
                .and_then(|total| total.trim_end_matches("kB").trim().parse::<u64>().ok())
                .map(|kib| kib / 1024),
            kernel: std::fs::read_to_string("/proc/sys/kernel/osrelease")
                .ok()
                .map(|release| release.trim().to_owned()),
        }
    }
}

/// The first `name: value` line of a `/proc` file.
fn proc_field(path: &str, name: &str) -> Option<String> {
    std::fs::read_to_string(path)
        .ok()?
        .lines()
        .find_map(|line| {
            let (key, value) = line.split_once(':')?;
            (key.trim() == name).then(|| value.trim().to_owned())
        })
}
