//! `--jq EXPR`: a jq filter over what `--json` prints, run by jaq (a maintained jq
//! implementation: jaq-core, its standard library jaq-std and JSON values jaq-json).
//!
//! Like `gh --jq`: each result goes on its own line, strings raw (no quotes), anything
//! else as compact JSON.

use jaq_core::{
    Compiler, Ctx, Vars, data,
    load::{Arena, File, Loader},
    unwrap_valr,
};
use jaq_json::Val;

use crate::error::{CliError, CliResult};

/// Checks `expr` before anything is sent, so a typo never follows a write.
pub fn check(expr: &str) -> CliResult {
    run(expr, &serde_json::Value::Null)
        .map(drop)
        .or_else(|err| {
            // Only compile errors count here; running on `null` may fail legitimately.
            if err.to_string().starts_with("--jq: ") {
                Err(err)
            } else {
                Ok(())
            }
        })
}

/// The lines `expr` makes of `input`.
pub fn run(expr: &str, input: &serde_json::Value) -> CliResult<Vec<String>> {
    let text = serde_json::to_string(input)
        .map_err(|err| CliError::Other(format!("encoding JSON: {err}")))?;
    let input = jaq_json::read::parse_single(text.as_bytes())
        .map_err(|err| CliError::Other(format!("reading JSON for --jq: {err:?}")))?;

    let defs = jaq_core::defs()
        .chain(jaq_std::defs())
        .chain(jaq_json::defs());
    let funs = jaq_core::funs()
        .chain(jaq_std::funs())
        .chain(jaq_json::funs());
    let loader = Loader::new(defs);
    let arena = Arena::default();
    let program = File {
        code: expr,
        path: (),
    };
    let modules = loader
        .load(&arena, program)
        .map_err(|errs| CliError::Usage(format!("--jq: {}", load_errors(errs))))?;
    let filter = Compiler::default()
        .with_funs(funs)
        .compile(modules)
        .map_err(|errs| {
            let names: Vec<String> = errs
                .into_iter()
                .flat_map(|(_, errs)| errs)
                .map(|(name, undefined)| format!("{} {name} is not defined", undefined.as_str()))
                .collect();
            CliError::Usage(format!("--jq: {}", names.join("; ")))
        })?;
    let ctx = Ctx::<data::JustLut<Val>>::new(&filter.lut, Vars::new([]));
    let mut lines = Vec::new();
    for value in filter.id.run((ctx, input)).map(unwrap_valr) {
        let value = value.map_err(|err| CliError::Other(format!("jq: {err}")))?;
        lines.push(match &value {
            Val::TStr(bytes) | Val::BStr(bytes) => String::from_utf8_lossy(bytes).into_owned(),
            other => other.to_string(),
        });
    }
    Ok(lines)
}

fn load_errors(errs: jaq_core::load::Errors<&str, ()>) -> String {
    use jaq_core::load::Error;
    let mut parts = Vec::new();
    for (_, err) in errs {
        match err {
            Error::Io(items) => parts.extend(
                items
                    .into_iter()
                    .map(|(path, msg)| format!("{path}: {msg}")),
            ),
            Error::Lex(items) => parts.extend(
                items
                    .into_iter()
                    .map(|(expect, at)| format!("expected {} at '{at}'", expect.as_str())),
            ),
            Error::Parse(items) => parts.extend(items.into_iter().map(|(expect, at)| {
                let at = if at.is_empty() { "the end" } else { at };
                format!("expected {} at '{at}'", expect.as_str())
            })),
        }
    }
    if parts.is_empty() {
        "invalid expression".into()
    } else {
        parts.join("; ")
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn strings_come_out_raw_and_the_rest_as_json() {
        let input = json!({"items": [{"title": "Hello", "n": 1}, {"title": "News", "n": 2}]});
        assert_eq!(run(".items[].title", &input).unwrap(), ["Hello", "News"]);
        assert_eq!(run(".items | length", &input).unwrap(), ["2"]);
        assert_eq!(run("[.items[].n]", &input).unwrap(), ["[1,2]"]);
        assert_eq!(
            run(".items[0] | keys", &input).unwrap(),
            [r#"["n","title"]"#]
        );
        assert!(check(".items[").is_err());
        assert!(check("nosuchfunction").is_err());
        assert!(check(".items[].title").is_ok());
    }
}
