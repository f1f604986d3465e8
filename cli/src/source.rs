//! Secret sources: `env:NAME`, `file:PATH`, `cmd:COMMAND` and `stdin`, the
//! words `dagger call` uses. A secret is never taken from the command line,
//! where `ps` and shell history would show it.

use std::io::Read;
use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

use registry_config::{Secret, MAX_SECRET_LEN};
use zeroize::Zeroizing;

use crate::bounded::{self, RunError};

/// How long a `cmd:` source or a credential helper may run before it is
/// killed, unless `--source-timeout` says otherwise.
pub const DEFAULT_COMMAND_TIMEOUT: Duration = Duration::from_secs(30);

static COMMAND_TIMEOUT: OnceLock<Duration> = OnceLock::new();

/// Sets the time limit of `cmd:` sources and credential helpers, once, from
/// `--source-timeout`.
pub fn set_command_timeout(timeout: Duration) {
    let _ = COMMAND_TIMEOUT.set(timeout);
}

/// The time limit of `cmd:` sources and credential helpers.
pub fn command_timeout() -> Duration {
    *COMMAND_TIMEOUT.get().unwrap_or(&DEFAULT_COMMAND_TIMEOUT)
}

/// Where one secret comes from.
#[derive(Debug, PartialEq, Eq)]
pub enum Source {
    /// An environment variable of this process.
    Env(String),
    /// A file's content, one trailing line break trimmed.
    File(PathBuf),
    /// A shell command's stdout, one trailing line break trimmed.
    Cmd(String),
    /// This process's standard input, one trailing line break trimmed.
    Stdin,
}

/// The prefixes a source starts with, in the words of the help text.
pub const SOURCE_FORMS: &str = "env:NAME, file:PATH, cmd:COMMAND or stdin";

impl Source {
    /// Parses a source; `None` when `text` is not one (a literal secret, most likely).
    pub fn parse(text: &str) -> Option<Self> {
        if text == "stdin" {
            return Some(Source::Stdin);
        }
        let (kind, rest) = text.split_once(':')?;
        match kind {
            "env" if !rest.is_empty() => Some(Source::Env(rest.to_owned())),
            "file" if !rest.is_empty() => Some(Source::File(PathBuf::from(rest))),
            "cmd" if !rest.is_empty() => Some(Source::Cmd(rest.to_owned())),
            _ => None,
        }
    }

    /// Reads the secret. `stdin` is passed in so that tests and callers
    /// control it; `registry` only names the entry in errors.
    pub fn read(&self, registry: &str, stdin: &mut dyn Read) -> Result<Secret, SourceError> {
        let fail = |problem| SourceError {
            registry: registry.to_owned(),
            source_kind: self.describe(),
            problem,
        };
        let bytes = match self {
            Source::Env(name) => {
                let value = std::env::var_os(name).ok_or_else(|| fail(Problem::EnvUnset))?;
                Zeroizing::new(value.into_encoded_bytes())
            }
            Source::File(path) => {
                let file = std::fs::File::open(path).map_err(|e| fail(Problem::Io(e)))?;
                trim_line_break(read_limited(file).map_err(&fail)?)
            }
            Source::Cmd(command) => trim_line_break(run(command).map_err(&fail)?),
            Source::Stdin => trim_line_break(read_limited(stdin).map_err(&fail)?),
        };
        into_secret(bytes).map_err(fail)
    }

    /// Names the source without its secret: safe in messages.
    fn describe(&self) -> String {
        match self {
            Source::Env(name) => format!("env:{name}"),
            Source::File(path) => format!("file:{}", path.display()),
            // The command line itself may hold a secret (`cmd:echo hunter2`).
            Source::Cmd(_) => "cmd:…".to_owned(),
            Source::Stdin => "stdin".to_owned(),
        }
    }
}

/// Reads at most one byte over the limit, so an oversized input is refused
/// without being held whole.
pub fn read_limited(reader: impl Read) -> Result<Zeroizing<Vec<u8>>, Problem> {
    read_up_to(reader, MAX_SECRET_LEN + 2)
        .map_err(Problem::Io)?
        .ok_or(Problem::TooLarge)
}

/// Reads `reader` to its end unless it holds more than `limit` bytes (`None`).
/// The buffer never grows past its first allocation, so no copy of the secret
/// is left behind in freed memory.
pub fn read_up_to(reader: impl Read, limit: usize) -> std::io::Result<Option<Zeroizing<Vec<u8>>>> {
    let mut buffer = Zeroizing::new(vec![0; limit + 1]);
    let mut filled = 0;
    let mut reader = reader;
    while filled < buffer.len() {
        match reader.read(&mut buffer[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    if filled > limit {
        return Ok(None);
    }
    buffer.truncate(filled);
    Ok(Some(buffer))
}

fn trim_line_break(mut bytes: Zeroizing<Vec<u8>>) -> Zeroizing<Vec<u8>> {
    if bytes.ends_with(b"\n") {
        bytes.pop();
        if bytes.ends_with(b"\r") {
            bytes.pop();
        }
    }
    bytes
}

fn into_secret(bytes: Zeroizing<Vec<u8>>) -> Result<Secret, Problem> {
    let text = std::str::from_utf8(&bytes).map_err(|_| Problem::NotUtf8)?;
    let mut owned = String::with_capacity(text.len());
    owned.push_str(text);
    Ok(Secret::new(owned))
}

/// Runs `sh -c COMMAND`, collecting its stdout; stderr goes to ours.
fn run(command: &str) -> Result<Zeroizing<Vec<u8>>, Problem> {
    let mut shell = Command::new("sh");
    shell.arg("-c").arg(command);
    let finished =
        bounded::run(shell, None, MAX_SECRET_LEN + 2, false).map_err(|err| match err {
            RunError::NotFound => Problem::Io(std::io::ErrorKind::NotFound.into()),
            RunError::Io(err) => Problem::Io(err),
            RunError::TimedOut => Problem::CommandTimedOut(command_timeout().as_secs_f64()),
        })?;
    if !finished.status.success() {
        return Err(Problem::CommandFailed(finished.status.to_string()));
    }
    if finished.overflowed {
        return Err(Problem::TooLarge);
    }
    Ok(finished.stdout)
}

/// A secret that could not be read. Names the registry and the source, never
/// the value or a `cmd:` command line.
#[derive(Debug, thiserror::Error)]
#[error("cannot read the secret for {registry} ({source_kind}): {problem}")]
pub struct SourceError {
    registry: String,
    source_kind: String,
    problem: Problem,
}

/// Why a source gave no secret.
#[derive(Debug, thiserror::Error)]
pub enum Problem {
    /// `env:NAME` with NAME unset.
    #[error("the environment variable is not set")]
    EnvUnset,
    /// Open or read failed.
    #[error("{0}")]
    Io(std::io::Error),
    /// Over the size limit.
    #[error("it is larger than 64 KiB")]
    TooLarge,
    /// Not UTF-8.
    #[error("it is not UTF-8 text")]
    NotUtf8,
    /// `cmd:` exited non-zero.
    #[error("the command failed ({0})")]
    CommandFailed(String),
    /// `cmd:` ran past [`command_timeout`] (seconds).
    #[error("the command did not finish within {0} seconds (--source-timeout)")]
    CommandTimedOut(f64),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_four_forms_and_nothing_else() {
        assert_eq!(
            Source::parse("env:TOKEN"),
            Some(Source::Env("TOKEN".into()))
        );
        assert_eq!(
            Source::parse("file:/a:b"),
            Some(Source::File("/a:b".into()))
        );
        assert_eq!(
            Source::parse("cmd:gh auth token"),
            Some(Source::Cmd("gh auth token".into()))
        );
        assert_eq!(Source::parse("stdin"), Some(Source::Stdin));
        for literal in ["hunter2", "env:", "file:", "cmd:", "ENV:X", "stdin:x", ""] {
            assert_eq!(Source::parse(literal), None, "{literal}");
        }
    }

    #[test]
    fn stdin_is_trimmed_of_one_line_break() {
        let secret = Source::Stdin.read("r", &mut &b"tok\r\n"[..]).unwrap();
        assert_eq!(secret.expose(), "tok");
        let secret = Source::Stdin.read("r", &mut &b"tok\n\n"[..]).unwrap();
        assert_eq!(secret.expose(), "tok\n");
    }

    #[test]
    fn oversized_input_is_refused() {
        let big = vec![b'x'; MAX_SECRET_LEN + 3];
        let err = Source::Stdin.read("ghcr.io", &mut &big[..]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot read the secret for ghcr.io (stdin): it is larger than 64 KiB"
        );
    }
}
