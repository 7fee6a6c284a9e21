//! The readable side of a run: a table of phases and one of targets on stderr, next to
//! the JSON document on stdout.

use crate::report::{Comparison, Report, Target};

pub fn print(report: &Report) {
    eprintln!();
    eprintln!(
        "{:<10} {:<22} {:>9} {:>7} {:>10} {:>8} {:>8} {:>8} {:>8}",
        "scenario", "phase", "ok", "errors", "per s", "p50 ms", "p90 ms", "p99 ms", "max ms"
    );
    for scenario in &report.scenarios {
        for phase in &scenario.phases {
            let s = &phase.summary;
            eprintln!(
                "{:<10} {:<22} {:>9} {:>7} {:>10.1} {:>8} {:>8} {:>8} {:>8}",
                scenario.name,
                phase.name,
                s.count,
                s.errors,
                s.per_second,
                ms(s.p50_ms),
                ms(s.p90_ms),
                ms(s.p99_ms),
                ms(s.max_ms)
            );
        }
        if let Some(error) = &scenario.error {
            eprintln!("{:<10} failed: {error}", scenario.name);
        }
    }
    eprintln!();
    eprintln!(
        "{:<10} {:<38} {:>12} {:>14}  met",
        "scenario", "target", "measured", "threshold"
    );
    for scenario in &report.scenarios {
        for target in &scenario.targets {
            eprintln!(
                "{:<10} {:<38} {:>12} {:>14}  {}",
                scenario.name,
                target.name,
                target
                    .measured
                    .map_or_else(|| "n/a".to_owned(), |value| format!("{value:.1}")),
                threshold(target),
                match target.met {
                    Some(true) => "yes",
                    Some(false) => "NO",
                    None => "-",
                }
            );
        }
    }
    if report.mode == crate::report::Mode::Smoke {
        eprintln!("(smoke mode: sizes are shrunk, so whether a target is met means nothing)");
    }
}

fn ms(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_owned(), |value| format!("{value:.2}"))
}

fn threshold(target: &Target) -> String {
    let sign = match target.comparison {
        Comparison::AtLeast => ">=",
        Comparison::AtMost => "<=",
    };
    format!("{sign} {} {}", target.threshold, target.unit)
}
