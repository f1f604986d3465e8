//! `registry-config`: registry credentials for every container tool, never on
//! disk in plaintext. See `registry-config --help`.

mod cli;
mod commands;
mod inputs;
mod memfs;
mod source;

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

use crate::cli::{Cli, Command};

/// Exit statuses, as documented in `--help`.
mod exit {
    /// Something failed that was not the caller's input.
    pub const FAILURE: u8 = 1;
    /// Bad input: an address, a credential, a source, a flag.
    pub const BAD_INPUT: u8 = 2;
}

fn main() -> ExitCode {
    let matches = match Cli::command().try_get_matches() {
        Ok(matches) => matches,
        Err(err) => err.exit(),
    };
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|err| err.exit());
    let (_, sub) = matches.subcommand().expect("clap requires a subcommand");
    let result = match &cli.command {
        Command::Render(args) => commands::render::run(args, sub).map(|()| 0),
        Command::Exec(args) => commands::exec::run(args, sub),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            // One line: the cause chain joined, as `eyre`'s `{:#}` does.
            eprintln!("registry-config: error: {err:#}");
            ExitCode::from(exit_status(&err))
        }
    }
}

/// Bad input is any error from the core's validation, a secret source or the
/// flags themselves.
fn exit_status(err: &eyre::Report) -> u8 {
    let bad_input = err.downcast_ref::<registry_config::Error>().is_some()
        || err.downcast_ref::<source::SourceError>().is_some()
        || err.downcast_ref::<inputs::InputError>().is_some();
    if bad_input {
        exit::BAD_INPUT
    } else {
        exit::FAILURE
    }
}

/// Prints a warning on stderr.
fn warn(message: &impl std::fmt::Display) {
    eprintln!("registry-config: warning: {message}");
}
