//! `registry-config`: registry credentials for every container tool, never on
//! disk in plaintext. See `registry-config --help`.

mod bounded;
mod cli;
mod commands;
mod guardian;
mod host;
mod inputs;
mod memfs;
mod private_mount;
mod registry_client;
mod source;
mod user_docker;
mod verify;

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
        Err(err) => return usage_error(err),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(err) => return usage_error(err),
    };
    let (_, sub) = matches.subcommand().expect("clap requires a subcommand");
    match std::time::Duration::try_from_secs_f64(cli.source_timeout) {
        Ok(timeout) if !timeout.is_zero() => source::set_command_timeout(timeout),
        _ => {
            eprintln!(
                "registry-config: error: --source-timeout must be a positive number of seconds"
            );
            return ExitCode::from(exit::BAD_INPUT);
        }
    }
    let result = match &cli.command {
        Command::Render(args) => commands::render::run(args, sub).map(|()| 0),
        Command::Exec(args) => commands::exec::run(args, sub),
        Command::Check(args) => commands::check::run(args, sub),
        Command::Import(args) => commands::import::run(args).map(|()| 0),
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

/// Help and version go to stdout as clap writes them; a usage error becomes
/// one line on stderr, like every other error, with exit status 2.
fn usage_error(err: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        err.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        err.exit();
    }
    eprintln!(
        "registry-config: error: {} (see --help)",
        usage_message(&err)
    );
    ExitCode::from(exit::BAD_INPUT)
}

/// clap's message on one line, without echoing a value the user typed: a
/// misplaced argument may well be a pasted secret.
fn usage_message(err: &clap::Error) -> String {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let context = |kind| match err.get(kind) {
        Some(ContextValue::String(text)) => text.clone(),
        Some(ContextValue::Strings(texts)) => texts.join(", "),
        _ => String::new(),
    };
    match err.kind() {
        ErrorKind::InvalidValue => {
            let valid = context(ContextKind::ValidValue);
            let valid = if valid.is_empty() {
                valid
            } else {
                format!("; expected one of: {valid}")
            };
            format!(
                "invalid value for {}{valid}",
                context(ContextKind::InvalidArg)
            )
        }
        ErrorKind::UnknownArgument | ErrorKind::InvalidSubcommand => {
            let arg = context(ContextKind::InvalidArg);
            match arg.strip_prefix('-') {
                Some(_) => format!(
                    "unknown option {}",
                    arg.split('=').next().unwrap_or_default()
                ),
                None => "unexpected argument (not shown: it may be a secret)".to_owned(),
            }
        }
        _ => {
            let text = err.render().to_string();
            let lines: Vec<&str> = text
                .lines()
                .map(str::trim)
                .filter(|line| !line.is_empty() && !line.starts_with("For more information"))
                .collect();
            let joined = lines.join(" ");
            joined.strip_prefix("error: ").unwrap_or(&joined).to_owned()
        }
    }
}

/// Bad input is any error from the core's validation, a secret source, a
/// Docker config's content or the flags themselves. A credential helper that
/// gives nothing is a failure (1).
fn exit_status(err: &eyre::Report) -> u8 {
    let bad_input = err.downcast_ref::<registry_config::Error>().is_some()
        || err
            .downcast_ref::<registry_config::HostConfigError>()
            .is_some()
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
