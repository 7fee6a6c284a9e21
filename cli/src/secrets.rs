//! Passwords never come from flag values (they would show in `ps` and shell history).
//! In order: `--password-stdin` (one line per secret), an environment variable, a
//! prompt on the terminal. Without any of them and without a terminal, the command
//! fails at once with a usage error instead of waiting for input that cannot come.

use std::io::{BufRead, IsTerminal};

use crate::error::{CliError, CliResult};

pub const PASSWORD_ENV: &str = "SOCMEL_PASSWORD";
pub const NEW_PASSWORD_ENV: &str = "SOCMEL_NEW_PASSWORD";

/// One secret a command needs.
pub struct Want {
    /// What it is, for prompts and messages ("password", "new password").
    pub what: &'static str,
    pub env: &'static str,
    /// Ask twice on a terminal (a password being chosen).
    pub confirm: bool,
}

pub struct Secrets {
    stdin_lines: Option<std::vec::IntoIter<String>>,
}

impl Secrets {
    /// With `password_stdin`, stdin is read now, one secret per line, in the order the
    /// command asks for them.
    pub fn new(password_stdin: bool) -> CliResult<Self> {
        let stdin_lines = if password_stdin {
            let lines = std::io::stdin()
                .lock()
                .lines()
                .collect::<Result<Vec<_>, _>>()
                .map_err(|err| CliError::Usage(format!("reading stdin: {err}")))?;
            Some(lines.into_iter())
        } else {
            None
        };
        Ok(Self { stdin_lines })
    }

    pub fn get(&mut self, want: &Want) -> CliResult<String> {
        if let Some(lines) = &mut self.stdin_lines {
            return match lines
                .next()
                .map(|line| line.trim_end_matches('\r').to_owned())
            {
                Some(line) if !line.is_empty() => Ok(line),
                _ => Err(CliError::Usage(format!(
                    "--password-stdin: no {} on stdin (one secret per line)",
                    want.what
                ))),
            };
        }
        if let Some(value) = std::env::var(want.env).ok().filter(|v| !v.is_empty()) {
            return Ok(value);
        }
        if !std::io::stdin().is_terminal() {
            return Err(CliError::Usage(format!(
                "a {} is needed and there is no terminal to ask on: pass --password-stdin or set {}",
                want.what, want.env
            )));
        }
        let prompt = |label: &str| {
            rpassword::prompt_password(label).map_err(|err| CliError::Usage(err.to_string()))
        };
        let first = prompt(&format!("{}: ", capitalise(want.what)))?;
        if first.is_empty() {
            return Err(CliError::Usage(format!(
                "the {} cannot be empty",
                want.what
            )));
        }
        if want.confirm && prompt(&format!("Repeat the {}: ", want.what))? != first {
            return Err(CliError::Usage(format!("the two {}s differ", want.what)));
        }
        Ok(first)
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
