//! `socmel`: the SocMel command line. Parses, dispatches to one module per noun, and
//! turns every failure into a message on stderr and a documented exit code.

mod cli;
mod commands;
mod config;
mod context;
mod error;
mod jq;
mod names;
mod output;
mod people;
mod progress;
mod secrets;
mod text;

use std::ffi::OsString;

use clap::{CommandFactory, FromArgMatches, parser::ValueSource};

use crate::{
    cli::Cli,
    error::{CliError, exit},
};

fn main() {
    quiet_on_closed_pipes();
    // reqwest and tungstenite both rely on the process-wide rustls provider for wss/https.
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    std::process::exit(run(std::env::args_os().collect()));
}

fn run(args: Vec<OsString>) -> i32 {
    let json = args
        .iter()
        .skip(1)
        .any(|arg| arg == "--json" || arg == "--jq" || arg.to_string_lossy().starts_with("--jq="));
    let matches = match Cli::command().try_get_matches_from(&args) {
        Ok(matches) => matches,
        Err(err) => return usage_error(err, json),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(err) => return usage_error(err, json),
    };
    error::set_command(&matches);
    if let Some(expr) = &cli.global.jq
        && let Err(err) = jq::check(expr)
    {
        output::print_error(&err, json);
        return err.exit_code();
    }
    let token_from_env = matches.value_source("token") == Some(ValueSource::EnvVariable);
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            output::print_error(&CliError::Other(err.to_string()), json);
            return exit::ERROR;
        }
    };
    match runtime.block_on(commands::run(cli, token_from_env)) {
        Ok(()) => exit::OK,
        Err(err) => {
            output::print_error(&err, json);
            err.exit_code()
        }
    }
}

/// A reader that went away (`socmel … 2>&1 | head -1`) makes `eprintln!` (or any
/// `println!`, ours or a library's) panic on the broken pipe: that ends the program
/// quietly with exit 0 instead, as `output::write_stdout` does for data.
fn quiet_on_closed_pipes() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or_default();
        if message.starts_with("failed printing to std") && message.contains("Broken pipe") {
            std::process::exit(exit::OK);
        }
        default(info);
    }));
}

/// clap's own errors (and `--help`/`--version`, which it reports the same way).
fn usage_error(err: clap::Error, json: bool) -> i32 {
    if json && err.use_stderr() {
        let text = err.render().to_string();
        let first = text.lines().next().unwrap_or_default();
        let message = first.strip_prefix("error: ").unwrap_or(first);
        output::print_error(&CliError::Usage(message.to_owned()), true);
        return exit::USAGE;
    }
    let _ = err.print();
    err.exit_code()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_tree_is_consistent() {
        Cli::command().debug_assert();
    }

    /// clap merges an argument with a global one of the same id: a positional named
    /// `token` once swallowed `--token`'s value (and sent an invitation as the bearer).
    #[test]
    fn no_subcommand_argument_shadows_a_global_one() {
        fn walk(command: &clap::Command, path: &str) {
            for sub in command.get_subcommands() {
                let path = format!("{path} {}", sub.get_name());
                for arg in sub.get_arguments() {
                    let id = arg.get_id().as_str();
                    assert!(
                        !["server", "token", "profile", "json", "jq"].contains(&id),
                        "`{path}` declares `{id}`, which is a global option's id"
                    );
                }
                walk(sub, &path);
            }
        }
        walk(&Cli::command(), "socmel");
    }

    /// `socmel <noun> <verb> --help` explains every argument, and only `socmel
    /// --version` prints the version.
    #[test]
    fn every_argument_has_help_and_only_the_top_has_a_version() {
        fn walk(command: &clap::Command, path: &str, missing: &mut Vec<String>) {
            for arg in command.get_arguments() {
                let id = arg.get_id().as_str();
                if arg.is_hide_set() || ["help", "version"].contains(&id) {
                    continue;
                }
                if arg.get_help().is_none() && arg.get_long_help().is_none() {
                    missing.push(format!("{path} {id}"));
                }
            }
            for sub in command.get_subcommands() {
                assert!(
                    sub.get_version().is_none(),
                    "{path} {} has --version",
                    sub.get_name()
                );
                walk(sub, &format!("{path} {}", sub.get_name()), missing);
            }
        }
        let mut command = Cli::command();
        command.build();
        let mut missing = Vec::new();
        walk(&command, "socmel", &mut missing);
        assert!(missing.is_empty(), "arguments without help: {missing:#?}");
    }

    /// Invitation tokens are base64url and message texts are free: either may start
    /// with '-' and must not be read as an option.
    #[test]
    fn values_may_start_with_a_hyphen() {
        use clap::Parser;
        for args in [
            &["socmel", "invite", "join", "1", "-ol7GZlYiw_4oNy4nPE3K"][..],
            &["socmel", "dm", "send", "2", "-1 for that"],
            &["socmel", "msg", "send", "--user", "2", "-1 for that"],
            &["socmel", "user", "edit", "--bio", "-"],
            &["socmel", "msg", "edit", "dm", "3", "-fixed"],
            &["socmel", "msg", "edit", "--user", "bob", "3", "-fixed"],
            &["socmel", "post", "create", "Title", "-1 for that"],
            &["socmel", "post", "edit", "1", "--content", "-fixed"],
            &["socmel", "comment", "add", "1", "-1 for that"],
            &["socmel", "comment", "reply", "1", "2", "-1"],
            &["socmel", "note", "set", "-away"],
        ] {
            assert!(Cli::try_parse_from(args).is_ok(), "{args:?}");
        }
    }
}
