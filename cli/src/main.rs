//! `registry-config`: registry credentials for every container tool, never on
//! disk in plaintext. See `registry-config --help`.

mod bounded;
mod certs_d;
mod cli;
mod commands;
#[cfg(unix)]
mod helper_channel;
// exec's guardian of its private directory (commands/exec.rs, Linux).
#[cfg(target_os = "linux")]
mod guardian;
mod host;
mod inputs;
// tmpfs, mount namespaces: Linux only. Elsewhere exec runs in helper mode
// (commands/exec_elsewhere.rs).
#[cfg(target_os = "linux")]
mod memfs;
#[cfg(unix)]
mod private_files;
#[cfg(target_os = "linux")]
mod private_mount;
mod registry_client;
mod source;
#[cfg(unix)]
mod terminal;
mod tls;
#[cfg(unix)]
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
    #[cfg(unix)]
    {
        let args: Vec<_> = std::env::args_os().collect();
        if commands::credential_helper::is_invoked_as_helper(args.first()) {
            return commands::credential_helper::main(&args[1..]);
        }
    }
    let matches = match Cli::command().try_get_matches() {
        Ok(matches) => matches,
        Err(err) => return usage_error(err),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(err) => return usage_error(err),
    };
    let (_, sub) = matches.subcommand().expect("clap requires a subcommand");
    source::set_command_timeout(cli.source_timeout);
    let result = match &cli.command {
        // Checked before any file is opened, which could take over fd 1.
        Command::Render(_) | Command::Import(_) | Command::Check(_) if !stdout_is_open() => {
            Err(eyre::eyre!("stdout is closed: nothing could be printed"))
        }
        Command::Render(args) => commands::render::run(args, sub).map(|()| 0),
        Command::Exec(args) => commands::exec::run(args, sub),
        Command::Check(args) => commands::check::run(args, sub),
        Command::Import(args) => commands::import::run(args).map(|()| 0),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        // One line: the cause chain joined, as `eyre`'s `{:#}` does. When
        // even that cannot be written, the status alone says it failed.
        Err(err) => match print_error(&format!("registry-config: error: {err:#}")) {
            Ok(()) => ExitCode::from(exit_status(&err)),
            Err(_) => ExitCode::from(exit::FAILURE),
        },
    }
}

/// False when the caller closed file descriptor 1 (`render >&-`). Rust's
/// runtime reopens a closed standard descriptor on /dev/null, read-write,
/// before `main`, so a closed stdout looks like a sink that takes everything:
/// that is told apart from `>/dev/null`, which shells open write-only.
#[cfg(unix)]
fn stdout_is_open() -> bool {
    use nix::fcntl::{fcntl, FcntlArg, OFlag};
    use std::os::fd::AsFd;
    let stdout = std::io::stdout();
    let Ok(flags) = fcntl(stdout.as_fd(), FcntlArg::F_GETFL) else {
        return false;
    };
    let read_write = OFlag::from_bits_truncate(flags) & OFlag::O_ACCMODE == OFlag::O_RDWR;
    let null = nix::sys::stat::fstat(stdout.as_fd())
        .ok()
        .zip(nix::sys::stat::stat("/dev/null").ok())
        .is_some_and(|(fd, null)| fd.st_rdev == null.st_rdev && fd.st_mode == null.st_mode);
    !(read_write && null)
}

/// Windows: a closed standard handle is not reopened on a null device, so a
/// write to it fails and is reported there.
#[cfg(not(unix))]
fn stdout_is_open() -> bool {
    true
}

/// Set once a warning could not be written to stderr: commands that print a
/// file then stop before printing it (exit status 1), so that nothing is
/// half-reported.
static STDERR_FAILED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Writes one line to stderr, without `eprintln!`'s panic when it cannot.
fn print_error(line: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut stderr = std::io::stderr().lock();
    writeln!(stderr, "{line}").and_then(|()| stderr.flush())
}

/// An error when a warning could not be written to stderr.
fn check_stderr() -> eyre::Result<()> {
    match STDERR_FAILED.load(std::sync::atomic::Ordering::SeqCst) {
        true => Err(eyre::eyre!(
            "cannot write warnings to stderr; nothing was printed"
        )),
        false => Ok(()),
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
    let line = format!(
        "registry-config: error: {} (see --help)",
        usage_message(&err)
    );
    match print_error(&line) {
        Ok(()) => ExitCode::from(exit::BAD_INPUT),
        Err(_) => ExitCode::from(exit::FAILURE),
    }
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
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(err)
                .map(|source| format!(": {source}"))
                .unwrap_or_default();
            format!(
                "invalid value for {}{why}",
                context(ContextKind::InvalidArg)
            )
        }
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues => {
            format!("{} takes no value here", context(ContextKind::InvalidArg))
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
            let mut text = err.render().to_string();
            // Whatever else the kind, a value the user typed is not repeated.
            if let Some(ContextValue::String(value)) = err.get(ContextKind::InvalidValue) {
                if !value.is_empty() {
                    text = text.replace(value.as_str(), "(value not shown)");
                }
            }
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

/// Bad input is what the core classes as such ([`registry_config::Error::is_bad_input`]),
/// a secret source, a Docker config's content or the flags themselves. A
/// credential helper that gives nothing is a failure (1).
fn exit_status(err: &eyre::Report) -> u8 {
    let bad_input = match err.downcast_ref::<registry_config::Error>() {
        Some(err) => err.is_bad_input(),
        None => {
            err.downcast_ref::<source::SourceError>().is_some()
                || err.downcast_ref::<inputs::InputError>().is_some()
        }
    };
    if bad_input {
        exit::BAD_INPUT
    } else {
        exit::FAILURE
    }
}

/// Prints a warning on stderr; remembers when it could not.
fn warn(message: &impl std::fmt::Display) {
    if print_error(&format!("registry-config: warning: {message}")).is_err() {
        STDERR_FAILED.store(true, std::sync::atomic::Ordering::SeqCst);
    }
}
