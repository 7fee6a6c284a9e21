//! Latency and error accounting: each worker fills its own [`Recorder`], the phase
//! merges them and reports one [`Summary`]. Failures are counted by kind, never dropped.

use std::{collections::BTreeMap, time::Duration};

use hdrhistogram::Histogram;
use serde::Serialize;
use socmel_client::ClientError;

/// Latencies are kept in microseconds, from 1 µs to one minute, to three significant
/// digits: enough resolution for sub-millisecond reads without growing the histogram.
const LOWEST_MICROS: u64 = 1;
const HIGHEST_MICROS: u64 = 60_000_000;
const SIGNIFICANT_DIGITS: u8 = 3;

/// A failure, reduced to a short name to count it under.
pub trait Failure {
    fn kind(&self) -> String;
}

impl Failure for ClientError {
    fn kind(&self) -> String {
        match self {
            Self::Api { status, .. } => format!("http {status}"),
            Self::Http(err) if err.is_timeout() => "timeout".into(),
            Self::Http(err) if err.is_connect() => "connect".into(),
            Self::Http(_) => "transport".into(),
            Self::Decode(_) => "decode".into(),
            Self::WebSocket(_) => "websocket".into(),
            Self::SessionRevoked => "session revoked".into(),
            Self::Json(_) => "frame".into(),
            Self::Io { .. } => "io".into(),
        }
    }
}

impl Failure for anyhow::Error {
    fn kind(&self) -> String {
        self.to_string()
    }
}

/// Successful latencies and failures of one worker (or of a merged phase).
#[derive(Clone)]
pub struct Recorder {
    latencies: Histogram<u64>,
    failures: BTreeMap<String, u64>,
}

impl Default for Recorder {
    fn default() -> Self {
        Self {
            latencies: Histogram::new_with_bounds(
                LOWEST_MICROS,
                HIGHEST_MICROS,
                SIGNIFICANT_DIGITS,
            )
            .expect("constant histogram bounds are valid"),
            failures: BTreeMap::new(),
        }
    }
}

impl Recorder {
    pub fn success(&mut self, latency: Duration) {
        let micros = u64::try_from(latency.as_micros()).unwrap_or(u64::MAX);
        // Anything past the top bucket is clamped rather than lost.
        self.latencies.saturating_record(micros.max(LOWEST_MICROS));
    }

    pub fn failure(&mut self, kind: impl Into<String>) {
        *self.failures.entry(kind.into()).or_default() += 1;
    }

    /// Records an operation's outcome: its latency if it succeeded, its kind if not.
    pub fn outcome<E: Failure>(&mut self, latency: Duration, result: &Result<(), E>) {
        match result {
            Ok(()) => self.success(latency),
            Err(err) => self.failure(err.kind()),
        }
    }

    pub fn merge(&mut self, other: &Recorder) {
        self.latencies
            .add(&other.latencies)
            .expect("recorders share their bounds");
        for (kind, count) in &other.failures {
            *self.failures.entry(kind.clone()).or_default() += count;
        }
    }

    /// The figures of a phase that ran for `elapsed`.
    pub fn summary(&self, elapsed: Duration) -> Summary {
        let count = self.latencies.len();
        let seconds = elapsed.as_secs_f64();
        let quantile = |q: f64| (count > 0).then(|| millis(self.latencies.value_at_quantile(q)));
        Summary {
            count,
            errors: self.failures.values().sum(),
            error_kinds: self.failures.clone(),
            seconds: round3(seconds),
            per_second: round3(if seconds > 0.0 {
                count as f64 / seconds
            } else {
                0.0
            }),
            mean_ms: (count > 0).then(|| round3(self.latencies.mean() / 1000.0)),
            p50_ms: quantile(0.50),
            p90_ms: quantile(0.90),
            p99_ms: quantile(0.99),
            p999_ms: quantile(0.999),
            max_ms: (count > 0).then(|| millis(self.latencies.max())),
        }
    }
}

/// What one phase measured. Percentiles are of successful operations only; `null`
/// when none succeeded.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// Successful operations.
    pub count: u64,
    /// Failed operations, all kinds together.
    pub errors: u64,
    pub error_kinds: BTreeMap<String, u64>,
    pub seconds: f64,
    /// Successful operations per second.
    pub per_second: f64,
    pub mean_ms: Option<f64>,
    pub p50_ms: Option<f64>,
    pub p90_ms: Option<f64>,
    pub p99_ms: Option<f64>,
    pub p999_ms: Option<f64>,
    pub max_ms: Option<f64>,
}

fn millis(micros: u64) -> f64 {
    round3(micros as f64 / 1000.0)
}

/// Three decimals keep the JSON readable without hiding anything a histogram with
/// three significant digits could tell.
pub fn round3(value: f64) -> f64 {
    (value * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merged_recorders_count_successes_and_failures() {
        let mut a = Recorder::default();
        a.success(Duration::from_millis(2));
        a.failure("http 500");
        let mut b = Recorder::default();
        b.success(Duration::from_millis(4));
        b.failure("http 500");
        b.failure("timeout");
        a.merge(&b);

        let summary = a.summary(Duration::from_secs(2));
        assert_eq!(summary.count, 2);
        assert_eq!(summary.errors, 3);
        assert_eq!(summary.error_kinds["http 500"], 2);
        assert_eq!(summary.per_second, 1.0);
        // Three significant digits: 4 ms reads back as its bucket's top, 4.001 ms.
        assert!((summary.max_ms.unwrap() - 4.0).abs() < 0.01);
    }

    #[test]
    fn an_empty_phase_has_no_percentiles() {
        let summary = Recorder::default().summary(Duration::from_secs(1));
        assert_eq!(summary.count, 0);
        assert_eq!(summary.p99_ms, None);
    }
}
