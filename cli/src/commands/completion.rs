//! `socmel completion SHELL`: completion scripts generated from the command tree.

use clap::{Args, CommandFactory};
use clap_complete::Shell;

use crate::{cli::Cli, error::CliResult, output::write_stdout};

#[derive(Debug, Args)]
#[command(after_help = "Install, e.g.:\n  \
    socmel completion bash > ~/.local/share/bash-completion/completions/socmel\n  \
    socmel completion zsh > \"${fpath[1]}/_socmel\"\n  \
    socmel completion fish > ~/.config/fish/completions/socmel.fish")]
pub struct CompletionArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: Shell,
}

pub fn run(args: CompletionArgs) -> CliResult {
    let mut command = Cli::command();
    // Generated in memory: written straight to stdout, a closed pipe would panic inside
    // the generator; `write_stdout` ends quietly instead.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "socmel", &mut script);
    write_stdout(&script)
}
