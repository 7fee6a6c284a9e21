//! `socmel api METHOD PATH`: any request, with the stored token and automatic refresh.

use std::{io::Read, str::FromStr};

use clap::Args;
use socmel_client::Method;

use crate::{
    context::Ctx,
    error::{CliError, CliResult},
    output::println_stdout,
};

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    socmel api GET /users/me/\n  \
    socmel api POST /spaces/create --data '{\"name\":\"lounge\"}'\n  \
    socmel api GET '/spaces/?q=lou&limit=5' | jq '.items[].name'")]
pub struct ApiArgs {
    /// GET, POST, PUT, PATCH, DELETE…
    pub method: String,
    /// Path as published, query string included (e.g. /users/me/)
    pub path: String,
    /// JSON body: inline, @FILE, or - for stdin
    #[arg(long, short)]
    pub data: Option<String>,
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
    let body = match args.data.as_deref() {
        None => None,
        Some(data) => Some(parse_body(data)?),
    };
    let (method, path, body) = (&method, args.path.as_str(), body.as_ref());
    let response = ctx
        .call(|c| async move { c.raw(method.clone(), path, body).await })
        .await?;
    let text = String::from_utf8_lossy(&response.body);
    if text.is_empty() {
        return Ok(());
    }
    match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(value) => ctx.out.print_json(&value),
        Err(_) => println_stdout(text.trim_end_matches('\n')),
    }
}

fn parse_body(data: &str) -> CliResult<serde_json::Value> {
    let text = if data == "-" {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text)?;
        text
    } else if let Some(file) = data.strip_prefix('@') {
        std::fs::read_to_string(file)
            .map_err(|err| CliError::Usage(format!("--data @{file}: {err}")))?
    } else {
        data.to_owned()
    };
    serde_json::from_str(&text)
        .map_err(|err| CliError::Usage(format!("--data is not valid JSON: {err}")))
}
