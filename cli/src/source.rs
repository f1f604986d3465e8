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
    /// A file's content.
    File(PathBuf),
    /// A shell command's stdout.
    Cmd(String),
    /// This process's standard input.
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
    /// control it; `entry` names the flag, its position and the registry in
    /// errors (`--auth #2 for ghcr.io`). The trailing line break is the
    /// core's to remove, as for every secret.
    pub fn read(&self, entry: &str, stdin: &mut dyn Read) -> Result<Secret, SourceError> {
        let fail = |problem| SourceError {
            entry: entry.to_owned(),
            source_kind: self.kind(),
            problem,
        };
        let bytes = match self {
            Source::Env(name) => {
                let value = std::env::var_os(name).ok_or_else(|| fail(Problem::EnvUnset))?;
                Zeroizing::new(value.into_encoded_bytes())
            }
            Source::File(path) => {
                let file = std::fs::File::open(path).map_err(|e| fail(Problem::File(e)))?;
                read_limited(file).map_err(&fail)?
            }
            Source::Cmd(command) => run(command).map_err(&fail)?,
            Source::Stdin => read_limited(stdin).map_err(&fail)?,
        };
        into_secret(bytes).map_err(fail)
    }

    /// The kind of source, without what follows the prefix: a variable's
    /// name, a path or a command line may be the secret itself, pasted in
    /// the wrong place (`env:$GITHUB_TOKEN`).
    fn kind(&self) -> &'static str {
        match self {
            Source::Env(_) => "env:…",
            Source::File(_) => "file:…",
            Source::Cmd(_) => "cmd:…",
            Source::Stdin => "stdin",
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
            RunError::TimedOut => Problem::CommandTimedOut(command_timeout()),
        })?;
    if !finished.status.success() {
        return Err(Problem::CommandFailed(finished.status.to_string()));
    }
    if finished.overflowed {
        return Err(Problem::TooLarge);
    }
    Ok(finished.stdout)
}

/// A secret that could not be read. Names the flag, its position and the
/// registry, never what follows the source's prefix.
#[derive(Debug, thiserror::Error)]
#[error("cannot read the secret of {entry} ({source_kind}): {problem}")]
pub struct SourceError {
    entry: String,
    source_kind: &'static str,
    problem: Problem,
}

/// Why a source gave no secret.
#[derive(Debug, thiserror::Error)]
pub enum Problem {
    /// `env:NAME` with NAME unset.
    #[error("the environment variable named after env: is not set; what follows env: must be a variable's name, never the secret itself")]
    EnvUnset,
    /// `file:PATH` that cannot be opened.
    #[error("cannot open the file named after file: ({0}); what follows file: must be a path, never the secret itself")]
    File(std::io::Error),
    /// A read failed.
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
    /// `cmd:` ran past [`command_timeout`].
    #[error("the command did not finish within {} (--source-timeout); it was killed with its children", registry_config::seconds(*.0))]
    CommandTimedOut(Duration),
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
    fn a_value_after_env_or_file_is_never_shown() {
        let canary = "ghp_canary0123456789";
        for source in [Source::Env(canary.into()), Source::File(canary.into())] {
            let err = source
                .read("--auth #2 for ghcr.io", &mut &b""[..])
                .unwrap_err();
            let message = err.to_string();
            assert!(!message.contains("canary"), "{message}");
            assert!(
                message.starts_with("cannot read the secret of --auth #2 for ghcr.io"),
                "{message}"
            );
            assert!(message.contains("never the secret itself"), "{message}");
        }
    }

    #[test]
    fn oversized_input_is_refused() {
        let big = vec![b'x'; MAX_SECRET_LEN + 3];
        let err = Source::Stdin
            .read("--auth #1 for ghcr.io", &mut &big[..])
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot read the secret of --auth #1 for ghcr.io (stdin): it is larger than 64 KiB"
        );
    }
}
