//! Everything printed: data on stdout (JSON or human), diagnostics on stderr.
//!
//! Human output is for a person at a terminal: aligned tables with headers and relative
//! times. When stdout is not a terminal (a pipe, a file) and `--json` is not given, the
//! same tables come out as tab-separated lines under a header line, with RFC 3339 times,
//! so `cut`/`awk` work (`tail -n +2` skips the header). `--json` prints the API object
//! unchanged: pretty on a terminal, one compact line otherwise; `--jq EXPR` filters it.

use std::io::{IsTerminal, Write};

use serde::Serialize;
use socmel_client::types::{Page, Timestamp, page::PageItem};

use crate::error::{CliError, CliResult};

#[derive(Debug, Clone)]
pub struct Output {
    pub json: bool,
    /// Whether stdout is a terminal.
    pub tty: bool,
    /// `--jq`: the filter every JSON output goes through.
    pub jq: Option<String>,
}

impl Output {
    pub fn new(json: bool, jq: Option<String>) -> Self {
        Self {
            json: json || jq.is_some(),
            tty: std::io::stdout().is_terminal(),
            jq,
        }
    }

    /// Prints `value` as JSON (pretty on a terminal, compact otherwise), or what the
    /// `--jq` filter makes of it.
    pub fn print_json<T: Serialize + ?Sized>(&self, value: &T) -> CliResult {
        if let Some(expr) = &self.jq {
            let value = serde_json::to_value(value)
                .map_err(|err| CliError::Other(format!("encoding JSON: {err}")))?;
            for line in crate::jq::run(expr, &value)? {
                println_stdout(&line)?;
            }
            return Ok(());
        }
        let text = if self.tty {
            serde_json::to_string_pretty(value)
        } else {
            serde_json::to_string(value)
        }
        .map_err(|err| CliError::Other(format!("encoding JSON: {err}")))?;
        println_stdout(&text)
    }

    /// `--json`: the value; otherwise the human rendering.
    pub fn show<T: Serialize + ?Sized>(&self, value: &T, human: impl FnOnce(&Self)) -> CliResult {
        if self.json {
            self.print_json(value)
        } else {
            human(self);
            Ok(())
        }
    }

    /// A created object: `--json` prints it; otherwise its id on stdout (so commands
    /// chain) and a sentence on stderr.
    pub fn created<T: Serialize>(
        &self,
        value: &T,
        id: impl std::fmt::Display,
        sentence: &str,
    ) -> CliResult {
        if self.json {
            self.print_json(value)
        } else {
            println_stdout(&id.to_string())?;
            eprintln!("{sentence}");
            Ok(())
        }
    }

    /// An acknowledgement (`{"detail": …}` / `{"message": …}`): `--json` prints it;
    /// otherwise the sentence goes to stderr, as it is not data.
    pub fn ack<T: Serialize>(&self, value: &T, sentence: &str) -> CliResult {
        if self.json {
            self.print_json(value)
        } else {
            eprintln!("{sentence}");
            Ok(())
        }
    }

    /// A page of a listing: `--json` prints `{"items", "next_cursor"}`; otherwise the
    /// table, and how to get the next page on stderr.
    pub fn page<T: Serialize + PageItem>(&self, page: &Page<T>, table: Table) -> CliResult {
        if self.json {
            return self.print_json(page);
        }
        table.print(self);
        if let Some(cursor) = &page.next_cursor {
            eprintln!("(more: pass --cursor {cursor}, or --all for every page)");
        }
        Ok(())
    }

    /// A time: relative on a terminal ("5m ago"), RFC 3339 otherwise.
    pub fn time(&self, at: Timestamp) -> String {
        if self.tty {
            relative(at, chrono::Utc::now())
        } else {
            at.to_string()
        }
    }

    pub fn opt_time(&self, at: Option<Timestamp>) -> String {
        at.map(|at| self.time(at)).unwrap_or_else(|| "-".into())
    }
}

/// Writes a line to stdout; a closed pipe (`socmel … | head`) is not an error worth a
/// panic, so it ends quietly.
pub fn println_stdout(line: &str) -> CliResult {
    let mut text = String::with_capacity(line.len() + 1);
    text.push_str(line);
    text.push('\n');
    write_stdout(text.as_bytes())
}

/// Writes bytes to stdout. A reader that went away (`socmel … | head -1`) ends the
/// program at once with exit 0: what it wanted, it has.
pub fn write_stdout(bytes: &[u8]) -> CliResult {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => Ok(()),
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(err) => Err(err.into()),
    }
}

/// A byte count as people read it: 512 B, 1.5 KiB, 8.0 MiB.
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

/// "just now", "42s ago", "5m ago", "3h ago", "2d ago", then the date; "in 3h" ahead.
pub fn relative(at: Timestamp, now: chrono::DateTime<chrono::Utc>) -> String {
    let seconds = (now - at.0).num_seconds();
    let (ahead, span) = (seconds < 0, seconds.unsigned_abs());
    let amount = match span {
        0..=4 => return "just now".into(),
        5..=59 => format!("{span}s"),
        60..=3_599 => format!("{}m", span / 60),
        3_600..=86_399 => format!("{}h", span / 3_600),
        86_400..=2_591_999 => format!("{}d", span / 86_400),
        _ => return at.0.format("%Y-%m-%d").to_string(),
    };
    if ahead {
        format!("in {amount}")
    } else {
        format!("{amount} ago")
    }
}

/// Rows under headers: aligned with a header on a terminal, tab-separated otherwise.
pub struct Table {
    headers: Vec<&'static str>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(headers: &[&'static str]) -> Self {
        Self {
            headers: headers.to_vec(),
            rows: Vec::new(),
        }
    }

    pub fn row(&mut self, cells: Vec<String>) -> &mut Self {
        self.rows.push(cells);
        self
    }

    /// One object as `field  value` lines.
    pub fn fields(pairs: &[(&'static str, String)]) -> Self {
        let mut table = Self::new(&[]);
        for (key, value) in pairs {
            table.rows.push(vec![(*key).to_owned(), value.clone()]);
        }
        table
    }

    pub fn render(&self, tty: bool) -> String {
        let mut lines = Vec::new();
        if !tty {
            if !self.headers.is_empty() {
                lines.push(self.headers.join("\t"));
            }
            for row in &self.rows {
                let cells: Vec<String> = row.iter().map(|cell| one_line(cell)).collect();
                lines.push(cells.join("\t"));
            }
            return lines.join("\n");
        }
        let columns = self
            .rows
            .iter()
            .map(Vec::len)
            .chain([self.headers.len()])
            .max()
            .unwrap_or(0);
        let mut widths = vec![0; columns];
        let header: Vec<String> = self.headers.iter().map(|h| (*h).to_owned()).collect();
        let with_header = !header.is_empty();
        let all = with_header
            .then_some(&header)
            .into_iter()
            .chain(self.rows.iter());
        for row in all.clone() {
            for (i, cell) in row.iter().enumerate() {
                widths[i] = widths[i].max(one_line(cell).chars().count());
            }
        }
        for row in all {
            let last = row.len().saturating_sub(1);
            let mut line = String::new();
            for (i, cell) in row.iter().enumerate() {
                let cell = one_line(cell);
                line.push_str(&cell);
                if i < last {
                    let pad = widths[i] - cell.chars().count() + 2;
                    line.push_str(&" ".repeat(pad));
                }
            }
            lines.push(line);
        }
        if !with_header && self.rows.is_empty() {
            return String::new();
        }
        lines.join("\n")
    }

    pub fn print(&self, out: &Output) {
        if self.rows.is_empty() && !self.headers.is_empty() {
            eprintln!("(none)");
            return;
        }
        let text = self.render(out.tty);
        if !text.is_empty() {
            // Printing can only fail on a closed pipe, which exits quietly.
            let _ = println_stdout(&text);
        }
    }
}

/// Cells stay on one line so a row is a line.
fn one_line(cell: &str) -> String {
    cell.replace(['\n', '\t'], " ")
}

pub fn opt<T: std::fmt::Display>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_else(|| "-".into())
}

/// Prints a failure on stderr: a JSON object with `--json`, a sentence otherwise.
pub fn print_error(err: &CliError, json: bool) {
    if json {
        let mut error = serde_json::json!({
            "code": err.code(),
            "status": err.status(),
            "detail": err.to_string(),
        });
        if let Some(fields) = err.body().and_then(|body| body.fields.as_ref()) {
            error["fields"] = serde_json::to_value(fields).unwrap_or_default();
        }
        if let Some(wait) = err.retry_after() {
            error["retry_after"] = wait.into();
        }
        if let Some(hint) = err.hint() {
            error["hint"] = hint.into();
        }
        eprintln!("{}", serde_json::json!({ "error": error }));
        return;
    }
    match err.status() {
        Some(status) => eprintln!("error: {err} ({}, HTTP {status})", err.code()),
        None => eprintln!("error: {err}"),
    }
    // A 422's detail already names each field; the list adds only what it lacks.
    if let Some(fields) = err.body().and_then(|body| body.fields.as_ref()) {
        let detail = err.to_string();
        for field in fields {
            if !detail.contains(&field.message) {
                eprintln!("  {}: {}", field.field, field.message);
            }
        }
    }
    if let Some(hint) = err.hint() {
        eprintln!("hint: {hint}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_times_read_naturally() {
        let now = chrono::Utc::now();
        let ago = |secs: i64| relative(Timestamp(now - chrono::Duration::seconds(secs)), now);
        assert_eq!(ago(2), "just now");
        assert_eq!(ago(42), "42s ago");
        assert_eq!(ago(5 * 60 + 3), "5m ago");
        assert_eq!(ago(3 * 3600), "3h ago");
        assert_eq!(ago(2 * 86_400), "2d ago");
        assert_eq!(ago(-3 * 3600), "in 3h");
        let old = Timestamp::from_millis(1_700_000_000_000);
        assert_eq!(relative(old, now), "2023-11-14");
    }

    #[test]
    fn tables_align_on_a_terminal_and_tab_separate_otherwise() {
        let mut table = Table::new(&["ID", "NAME"]);
        table
            .row(vec!["1".into(), "general".into()])
            .row(vec!["10".into(), "two\nlines".into()]);
        assert_eq!(table.render(true), "ID  NAME\n1   general\n10  two lines");
        assert_eq!(table.render(false), "ID\tNAME\n1\tgeneral\n10\ttwo lines");
        assert_eq!(Table::fields(&[("id", "1".into())]).render(false), "id\t1");
    }

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(human_size(512), "512 B");
        assert_eq!(human_size(1536), "1.5 KiB");
        assert_eq!(human_size(8 * 1024 * 1024), "8.0 MiB");
    }
}
