//! `socmel completion SHELL`: completion scripts generated from the command tree.

use clap::{Args, CommandFactory};
use clap_complete::Shell;

use crate::{cli::Cli, error::CliResult};

#[derive(Debug, Args)]
#[command(after_help = "Install, e.g.:\n  \
    socmel completion bash > ~/.local/share/bash-completion/completions/socmel\n  \
    socmel completion zsh > \"${fpath[1]}/_socmel\"\n  \
    socmel completion fish > ~/.config/fish/completions/socmel.fish")]
pub struct CompletionArgs {
    #[arg(value_enum)]
    pub shell: Shell,
}

pub fn run(args: CompletionArgs) -> CliResult {
    let mut command = Cli::command();
    clap_complete::generate(args.shell, &mut command, "socmel", &mut std::io::stdout());
    Ok(())
}
