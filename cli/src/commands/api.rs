//! `socmel api METHOD PATH`: any request, with the stored token and automatic refresh.
//! Like `gh api`: `-f`/`-F` fields (the query of a GET or DELETE, a JSON body
//! otherwise), `-i` for the status line and headers, `--paginate` to follow every page.

use std::str::FromStr;

use clap::Args;
use serde_json::{Map, Value};
use socmel_client::{Method, RawResponse};

use crate::{
    context::Ctx,
    error::{CliError, CliResult},
    output::println_stdout,
    text,
};

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    socmel api GET /users/me/\n  \
    socmel api POST /spaces/create -f name=lounge\n  \
    socmel api POST /notifications/read/ -F 'ids=[1,2]'\n  \
    socmel api POST /spaces/create --data @space.json\n  \
    socmel api GET /spaces/ -f q=lou -F limit=5 --jq '.items[].name'\n  \
    socmel api GET /posts/feed/ --paginate --jq 'length'\n  \
    socmel api -i GET /health")]
pub struct ApiArgs {
    /// GET, POST, PUT, PATCH, DELETE…
    pub method: String,
    /// Path as published, query string included (e.g. /users/me/)
    pub path: String,
    /// JSON body: inline, @FILE, or - for stdin
    #[arg(long, short, conflicts_with_all = ["field", "raw_field"])]
    pub data: Option<String>,
    /// A string field KEY=VALUE (repeat for more): query parameter of a GET or DELETE,
    /// JSON body member otherwise
    #[arg(short = 'f', long = "raw-field", value_name = "KEY=VALUE")]
    pub raw_field: Vec<String>,
    /// A typed field KEY=VALUE: true, false, null, numbers and JSON arrays/objects keep
    /// their type; @FILE reads a file's text, - reads stdin
    #[arg(short = 'F', long = "field", value_name = "KEY=VALUE")]
    pub field: Vec<String>,
    /// Print the status line and the headers before the body
    #[arg(short = 'i', long)]
    pub include: bool,
    /// Follow every page (a `next_cursor` in the body, or the X-Next-Cursor header) and
    /// print the items of all of them as one listing
    #[arg(long)]
    pub paginate: bool,
}

pub async fn run(ctx: &mut Ctx, args: ApiArgs) -> CliResult {
    let method = Method::from_str(&args.method.to_ascii_uppercase())
        .map_err(|_| CliError::Usage(format!("'{}' is not an HTTP method", args.method)))?;
    if !args.path.starts_with('/') {
        return Err(CliError::Usage(format!(
            "the path must start with '/': {}",
            args.path
        )));
    }
    let fields = fields(&args)?;
    let in_query = matches!(method, Method::GET | Method::DELETE | Method::HEAD);
    let (path, body) = match (args.data.as_deref(), fields.is_empty()) {
        (Some(data), _) => (args.path.clone(), Some(parse_body(data)?)),
        (None, true) => (args.path.clone(), None),
        (None, false) if in_query => (with_query(&args.path, &fields), None),
        (None, false) => (args.path.clone(), Some(Value::Object(fields))),
    };

    let mut path = path;
    let mut pages: Vec<Value> = Vec::new();
    loop {
        let response = send(ctx, &method, &path, body.as_ref()).await?;
        if args.include {
            print_head(&response)?;
        }
        if let Some(err) = response.error() {
            // With -i the refusal is shown as it came (status, headers, body) on
            // stdout; either way it is the command's error, with its exit code.
            if args.include {
                println_stdout(String::from_utf8_lossy(&response.body).trim_end())?;
            }
            return Err(err.into());
        }
        let text = String::from_utf8_lossy(&response.body).into_owned();
        let value = serde_json::from_str::<Value>(&text).ok();
        let Some(value) = value else {
            if !text.is_empty() {
                println_stdout(text.trim_end_matches('\n'))?;
            }
            return Ok(());
        };
        if !args.paginate {
            return ctx.out.print_json(&value);
        }
        let next = next_cursor(&response, &value);
        pages.push(value);
        match next {
            Some(cursor) => path = with_query(&path, &cursor_field(&cursor)),
            None => break,
        }
    }
    ctx.out.print_json(&merge(pages))
}

/// The answer, whatever its status; a 401 goes through `ctx.call` as an error, so a
/// stored session is refreshed and the request sent again.
async fn send(
    ctx: &mut Ctx,
    method: &Method,
    path: &str,
    body: Option<&Value>,
) -> CliResult<RawResponse> {
    ctx.call(|c| async move {
        let response = c.raw_any(method.clone(), path, body).await?;
        match response.error() {
            Some(err) if response.status == 401 => Err(err),
            _ => Ok(response),
        }
    })
    .await
}

fn print_head(response: &RawResponse) -> CliResult {
    println_stdout(&format!("HTTP {}", response.status))?;
    for (name, value) in &response.headers {
        println_stdout(&format!("{name}: {value}"))?;
    }
    println_stdout("")
}

/// The next page's cursor: `next_cursor` of a `{items, next_cursor}` page, or the
/// `X-Next-Cursor` header of an upstream bare array.
fn next_cursor(response: &RawResponse, value: &Value) -> Option<String> {
    if let Some(cursor) = value.get("next_cursor") {
        return cursor.as_str().map(str::to_owned);
    }
    response
        .headers
        .iter()
        .find(|(name, _)| name == "x-next-cursor")
        .map(|(_, value)| value.clone())
}

/// Pages as one: their items under `items` (with `next_cursor: null`), or one array.
fn merge(pages: Vec<Value>) -> Value {
    if pages.iter().all(Value::is_array) {
        return Value::Array(
            pages
                .into_iter()
                .flat_map(|page| match page {
                    Value::Array(items) => items,
                    _ => Vec::new(),
                })
                .collect(),
        );
    }
    let items: Vec<Value> = pages
        .into_iter()
        .flat_map(|mut page| match page.get_mut("items").map(Value::take) {
            Some(Value::Array(items)) => items,
            _ => vec![page],
        })
        .collect();
    serde_json::json!({ "items": items, "next_cursor": null })
}

fn cursor_field(cursor: &str) -> Map<String, Value> {
    let mut map = Map::new();
    map.insert("cursor".into(), Value::String(cursor.to_owned()));
    map
}

/// `path` with `fields` in its query string (a field already there is replaced).
fn with_query(path: &str, fields: &Map<String, Value>) -> String {
    let (base, query) = path.split_once('?').unwrap_or((path, ""));
    let mut pairs: Vec<(String, String)> = url_pairs(query)
        .into_iter()
        .filter(|(key, _)| !fields.contains_key(key))
        .collect();
    for (key, value) in fields {
        let value = match value {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        };
        pairs.push((key.clone(), value));
    }
    let query: Vec<String> = pairs
        .iter()
        .map(|(key, value)| format!("{}={}", encode(key), encode(value)))
        .collect();
    if query.is_empty() {
        base.to_owned()
    } else {
        format!("{base}?{}", query.join("&"))
    }
}

/// The pairs of a query string, as given (kept encoded: they are sent back as is).
fn url_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(key), decode(value))
        })
        .collect()
}

fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(byte) => {
                        out.push(byte);
                        i += 3;
                        continue;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b'+' => out.push(b' '),
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `-f` fields as strings, `-F` fields typed, in the order given.
fn fields(args: &ApiArgs) -> CliResult<Map<String, Value>> {
    let mut map = Map::new();
    for field in &args.raw_field {
        let (key, value) = split_field(field, "-f")?;
        map.insert(key.to_owned(), Value::String(value.to_owned()));
    }
    for field in &args.field {
        let (key, value) = split_field(field, "-F")?;
        map.insert(key.to_owned(), typed(value)?);
    }
    Ok(map)
}

fn split_field<'a>(field: &'a str, flag: &str) -> CliResult<(&'a str, &'a str)> {
    match field.split_once('=') {
        Some((key, value)) if !key.is_empty() => Ok((key, value)),
        _ => Err(CliError::Usage(format!(
            "{flag} {field}: a field is KEY=VALUE"
        ))),
    }
}

/// A `-F` value: JSON literals (true, 12, [1,2], {"a":1}) keep their type; @FILE and -
/// read text; anything else is a string.
fn typed(value: &str) -> CliResult<Value> {
    if value == "-" || (value.starts_with('@') && !value.starts_with("@@")) {
        return text::expand(value.to_owned(), "field").map(Value::String);
    }
    if let Some(rest) = value.strip_prefix("@@") {
        return Ok(Value::String(format!("@{rest}")));
    }
    let looks_json = matches!(value, "true" | "false" | "null")
        || value.starts_with(['[', '{'])
        || value.parse::<f64>().is_ok();
    if looks_json && let Ok(parsed) = serde_json::from_str(value) {
        return Ok(parsed);
    }
    Ok(Value::String(value.to_owned()))
}

fn parse_body(data: &str) -> CliResult<Value> {
    let text = text::expand(data.to_owned(), "--data")?;
    serde_json::from_str(&text)
        .map_err(|err| CliError::Usage(format!("--data is not valid JSON: {err}")))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn typed_fields_keep_their_type() {
        assert_eq!(typed("true").unwrap(), json!(true));
        assert_eq!(typed("12").unwrap(), json!(12));
        assert_eq!(typed("[1,2]").unwrap(), json!([1, 2]));
        assert_eq!(typed("lounge").unwrap(), json!("lounge"));
        assert_eq!(typed("@@bob").unwrap(), json!("@bob"));
        assert_eq!(typed("1e999x").unwrap(), json!("1e999x"));
    }

    #[test]
    fn fields_join_the_query() {
        let mut fields = Map::new();
        fields.insert("q".into(), json!("a b&c"));
        fields.insert("limit".into(), json!(5));
        assert_eq!(
            with_query("/spaces/?limit=2&x=1", &fields),
            "/spaces/?x=1&limit=5&q=a%20b%26c"
        );
        assert_eq!(with_query("/spaces/", &Map::new()), "/spaces/");
        assert_eq!(decode("a%20b+c%2"), "a b c%2");
    }

    #[test]
    fn pages_merge_into_one_listing() {
        let merged = merge(vec![
            json!({"items": [1, 2], "next_cursor": "x"}),
            json!({"items": [3], "next_cursor": null}),
        ]);
        assert_eq!(merged, json!({"items": [1, 2, 3], "next_cursor": null}));
        assert_eq!(merge(vec![json!([1]), json!([2, 3])]), json!([1, 2, 3]));
    }
}
