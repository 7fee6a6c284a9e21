//! The one JSON document a run prints: the machine, the server, the seed data and, per
//! scenario, its parameters, its measured phases and other figures, and each target
//! with its threshold, the measured value and whether it was met.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::{machine::Machine, rss::Rss, seed::SeedReport, stats::Summary};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// The sizes and rates the targets are stated for.
    Full,
    /// Everything shrunk to keep the bench working in CI; `met` means nothing here.
    Smoke,
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub tool: &'static str,
    pub version: &'static str,
    pub started_at: String,
    pub mode: Mode,
    pub machine: Machine,
    pub server: ServerInfo,
    /// The shared data set, when a scenario needed it.
    pub seed: Option<SeedReport>,
    pub scenarios: Vec<ScenarioReport>,
}

#[derive(Debug, Serialize)]
pub struct ServerInfo {
    pub url: String,
    pub started_by_bench: bool,
    pub pid: Option<u32>,
    /// As `GET /health` names it.
    pub database: Option<String>,
    pub version: Option<String>,
    /// Of the working copy the bench ran from, if it is one.
    pub git_revision: Option<String>,
    /// The server's memory when the last scenario ended (needs the pid).
    pub rss_at_end: Option<Rss>,
}

#[derive(Debug, Serialize)]
pub struct ScenarioReport {
    pub name: &'static str,
    pub parameters: Map<String, Value>,
    /// Latency and throughput, one entry per measured phase, in the order run.
    pub phases: Vec<Phase>,
    /// Anything else measured (memory, counts).
    pub figures: Map<String, Value>,
    pub targets: Vec<Target>,
    /// Why the scenario stopped, if it failed; its other fields hold what it had.
    pub error: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Phase {
    pub name: String,
    #[serde(flatten)]
    pub summary: Summary,
}

impl ScenarioReport {
    pub fn new(name: &'static str) -> Self {
        Self {
            name,
            parameters: Map::new(),
            phases: Vec::new(),
            figures: Map::new(),
            targets: Vec::new(),
            error: None,
        }
    }

    pub fn failed(name: &'static str, error: &anyhow::Error) -> Self {
        Self {
            error: Some(format!("{error:#}")),
            ..Self::new(name)
        }
    }

    pub fn parameter(&mut self, key: &str, value: impl Serialize) -> &mut Self {
        self.parameters.insert(key.into(), to_value(value));
        self
    }

    pub fn phase(&mut self, name: impl Into<String>, summary: Summary) -> &mut Self {
        self.phases.push(Phase {
            name: name.into(),
            summary,
        });
        self
    }

    pub fn figure(&mut self, key: &str, value: impl Serialize) -> &mut Self {
        self.figures.insert(key.into(), to_value(value));
        self
    }

    pub fn target(&mut self, target: Target) -> &mut Self {
        self.targets.push(target);
        self
    }
}

fn to_value(value: impl Serialize) -> Value {
    // Report values are plain numbers, strings and structs: they always serialise.
    serde_json::to_value(value).unwrap_or(Value::Null)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Comparison {
    #[serde(rename = ">=")]
    AtLeast,
    #[serde(rename = "<=")]
    AtMost,
}

/// A goal from the performance targets and how the run fared against it. `measured`
/// (and so `met`) is `null` when the run could not measure it, e.g. memory without the
/// server's pid.
#[derive(Debug, Clone, Serialize)]
pub struct Target {
    pub name: &'static str,
    pub comparison: Comparison,
    pub threshold: f64,
    pub unit: &'static str,
    pub measured: Option<f64>,
    pub met: Option<bool>,
}

impl Target {
    pub fn at_least(
        name: &'static str,
        threshold: f64,
        unit: &'static str,
        measured: Option<f64>,
    ) -> Self {
        Self::new(name, Comparison::AtLeast, threshold, unit, measured)
    }

    pub fn at_most(
        name: &'static str,
        threshold: f64,
        unit: &'static str,
        measured: Option<f64>,
    ) -> Self {
        Self::new(name, Comparison::AtMost, threshold, unit, measured)
    }

    fn new(
        name: &'static str,
        comparison: Comparison,
        threshold: f64,
        unit: &'static str,
        measured: Option<f64>,
    ) -> Self {
        let met = measured.map(|value| match comparison {
            Comparison::AtLeast => value >= threshold,
            Comparison::AtMost => value <= threshold,
        });
        Self {
            name,
            comparison,
            threshold,
            unit,
            measured,
            met,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_compare_in_their_direction() {
        assert_eq!(
            Target::at_least("rate", 10.0, "/s", Some(12.0)).met,
            Some(true)
        );
        assert_eq!(
            Target::at_most("p99", 10.0, "ms", Some(12.0)).met,
            Some(false)
        );
        assert_eq!(Target::at_most("rss", 30.0, "MiB", None).met, None);
    }
}
