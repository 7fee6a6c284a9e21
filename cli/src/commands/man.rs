//! `socmel man`: man pages generated from the command tree.

use std::path::PathBuf;

use clap::{Args, CommandFactory};

use crate::{
    cli::Cli,
    error::{CliError, CliResult},
};

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    socmel man | man -l -\n  \
    socmel man --dir ~/.local/share/man/man1")]
pub struct ManArgs {
    /// Write socmel.1 and one page per subcommand (socmel-space-create.1, …) here
    #[arg(long)]
    pub dir: Option<PathBuf>,
}

pub fn run(args: ManArgs) -> CliResult {
    let command = Cli::command();
    match args.dir {
        Some(dir) => {
            std::fs::create_dir_all(&dir)
                .map_err(|err| CliError::Other(format!("creating {}: {err}", dir.display())))?;
            clap_mangen::generate_to(command, &dir)
                .map_err(|err| CliError::Other(format!("writing man pages: {err}")))?;
            eprintln!("Wrote the man pages to {}.", dir.display());
            Ok(())
        }
        None => {
            let mut page = Vec::new();
            clap_mangen::Man::new(command).render(&mut page)?;
            crate::output::write_stdout(&page)
        }
    }
}
