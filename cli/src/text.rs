//! Long text arguments (post and comment bodies, messages, notes, bios): given as is,
//! `-` to read stdin, or `@FILE` to read a file, so a text of any size never meets the
//! shell's argument limit. `@@…` stands for a text that starts with `@`.

use std::io::{IsTerminal, Read};

use crate::error::{CliError, CliResult};

/// `arg` as the text it stands for; `what` names it in errors ("message", "content").
pub fn expand(arg: String, what: &str) -> CliResult<String> {
    if arg == "-" {
        return read_stdin(what);
    }
    if let Some(rest) = arg.strip_prefix("@@") {
        return Ok(format!("@{rest}"));
    }
    if let Some(path) = arg.strip_prefix('@') {
        let text = std::fs::read_to_string(path).map_err(|err| {
            CliError::Usage(format!(
                "the {what} @{path}: cannot read {path}: {err} (to start the text with @, write @@)"
            ))
        })?;
        return non_empty(trim_newline(text), what, path);
    }
    Ok(arg)
}

/// As [`expand`], where a missing argument means stdin (when it is not a terminal).
pub fn expand_or_stdin(arg: Option<String>, what: &str) -> CliResult<String> {
    match arg {
        Some(arg) => expand(arg, what),
        None if std::io::stdin().is_terminal() => Err(CliError::Usage(format!(
            "no {what}: give it as an argument, `-` or @FILE, or pipe it on stdin"
        ))),
        None => read_stdin(what),
    }
}

/// An optional text flag (`--content`, `--bio`), expanded when given.
pub fn expand_opt(arg: Option<String>, what: &str) -> CliResult<Option<String>> {
    arg.map(|arg| expand(arg, what)).transpose()
}

fn read_stdin(what: &str) -> CliResult<String> {
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .map_err(|err| CliError::Usage(format!("reading the {what} from stdin: {err}")))?;
    non_empty(trim_newline(text), what, "stdin")
}

fn trim_newline(mut text: String) -> String {
    let kept = text.trim_end_matches(['\n', '\r']).len();
    text.truncate(kept);
    text
}

fn non_empty(text: String, what: &str, source: &str) -> CliResult<String> {
    if text.is_empty() {
        Err(CliError::Usage(format!(
            "the {what} from {source} is empty"
        )))
    } else {
        Ok(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_and_escapes_expand() {
        let dir = std::env::temp_dir().join(format!("socmel-text-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("body.md");
        std::fs::write(&file, "# Title\nbody\n\n").unwrap();
        let at = format!("@{}", file.display());
        assert_eq!(expand(at, "content").unwrap(), "# Title\nbody");
        assert_eq!(expand("@@bob hi".into(), "message").unwrap(), "@bob hi");
        assert_eq!(expand("plain".into(), "message").unwrap(), "plain");
        let missing = expand("@no/such/file".into(), "content").unwrap_err();
        assert!(missing.to_string().contains("write @@"), "{missing}");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
