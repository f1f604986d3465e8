//! This machine's Docker credentials, credential helpers included: `import`
//! and `--from-host`. The core decides which registry comes from where
//! ([`ResolutionPlan`]); this module reads the file and runs the helpers.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use eyre::WrapErr;
use registry_config::{
    Credential, CredentialHelper, HelperError, HelperProblem, PlannedSource, RegistryAddress,
    ResolutionPlan,
};
use zeroize::Zeroizing;

use crate::inputs::{read_docker_config, InputError};
use crate::source::command_timeout;
use crate::warn;

/// The most a helper may print for `get`: a 64 KiB secret, JSON-escaped, and its fields.
const GET_LIMIT: usize = 512 * 1024;
/// The most a helper may print for `list`.
const LIST_LIMIT: usize = 4 * 1024 * 1024;
/// How much of a helper's stderr is kept (for its first line, on failure).
const STDERR_KEPT: usize = 4 * 1024;

/// One registry's credential, resolved.
pub struct HostCredential {
    /// The key as the Docker config wrote it.
    pub server_url: String,
    pub credential: Credential,
}

/// A registry that got no credential: exit status 1 (a failure, not bad input).
#[derive(Debug, thiserror::Error)]
pub enum Unresolved {
    /// A helper was missing, failed, or returned nothing.
    #[error(transparent)]
    Helper(#[from] HelperError),
    /// `--registry` named a registry that the config has nothing for.
    #[error("no credential for {registry} in {config}")]
    NotInConfig { registry: String, config: String },
}

/// The Docker config `import` reads when no `--from` is given, and `--from-host` always:
/// `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`.
pub fn default_config_path() -> Result<PathBuf, InputError> {
    if let Some(dir) = std::env::var_os("DOCKER_CONFIG").filter(|dir| !dir.is_empty()) {
        return Ok(PathBuf::from(dir).join("config.json"));
    }
    match std::env::var_os("HOME").filter(|home| !home.is_empty()) {
        Some(home) => Ok(PathBuf::from(home).join(".docker/config.json")),
        None => Err(InputError(
            "cannot find the Docker config: neither DOCKER_CONFIG nor HOME is set".into(),
        )),
    }
}

/// Reads the Docker config at `path` (`-` for stdin; `None` for the default),
/// and resolves the credentials of every registry in `only` (all when empty).
/// `flag` names the option in errors (`--from`, `--from-host`).
pub fn resolve(
    flag: &str,
    path: Option<&str>,
    only: &[RegistryAddress],
    skip_unresolved: bool,
) -> eyre::Result<Vec<HostCredential>> {
    let path = match path {
        Some(path) => path.to_owned(),
        None => default_config_path()?.display().to_string(),
    };
    let shown = format!("{flag} {path}");
    let base = read_docker_config(&shown, &path)?;
    let unresolved = |err: Unresolved, registry: &str| -> eyre::Result<()> {
        if skip_unresolved {
            warn(&format!("left {registry} out (--skip-unresolved): {err}"));
            Ok(())
        } else {
            Err(err.into())
        }
    };

    let mut listed = Vec::new();
    if let Some(store) = ResolutionPlan::store_to_list(&base, only).wrap_err(shown.clone())? {
        let output = run_helper(&store, "list", b"", LIST_LIMIT)
            .map_err(|problem| HelperError::list(&store, problem));
        match output.and_then(|output| store.parse_list(&output)) {
            Ok(urls) => listed = urls,
            Err(err) if skip_unresolved => warn(&format!(
                "{err}; only the registries the Docker config names are imported"
            )),
            Err(err) => return Err(Unresolved::from(err).into()),
        }
    }
    let plan = ResolutionPlan::new(&base, &listed, only).wrap_err(shown)?;
    drop(base);
    plan.warnings().iter().for_each(warn);

    let mut resolved = Vec::with_capacity(plan.entries().len());
    for entry in plan.into_entries() {
        let server_url = entry.server_url;
        let credential = match entry.source {
            PlannedSource::Plain(credential) => credential,
            PlannedSource::Helper(helper) => match get(&helper, &server_url) {
                Ok(credential) => credential,
                Err(err) => {
                    unresolved(err.into(), &server_url)?;
                    continue;
                }
            },
            _ => {
                let err = Unresolved::NotInConfig {
                    registry: server_url.clone(),
                    config: path.clone(),
                };
                unresolved(err, &server_url)?;
                continue;
            }
        };
        resolved.push(HostCredential {
            server_url,
            credential,
        });
    }
    if resolved.is_empty() {
        warn(&format!("no credential was found in {path}"));
    }
    Ok(resolved)
}

/// `docker-credential-NAME get`, with `server_url` on stdin.
fn get(helper: &CredentialHelper, server_url: &str) -> Result<Credential, HelperError> {
    let output = run_helper(helper, "get", server_url.as_bytes(), GET_LIMIT)
        .map_err(|problem| HelperError::get(helper, server_url, problem))?;
    helper.parse_get(server_url, &output)
}

/// What a reader thread sends back: which pipe, what it read, whether it overflowed.
type PipeRead = (Pipe, std::io::Result<(Zeroizing<Vec<u8>>, bool)>);

#[derive(Clone, Copy, PartialEq, Eq)]
enum Pipe {
    Stdout,
    Stderr,
}

/// Runs `docker-credential-NAME ACTION` with `input` on stdin, within the
/// `cmd:` sources' time limit, and returns its stdout. Its stderr is kept, not
/// echoed: only its first line, and only when the helper fails, reaches the
/// error message.
fn run_helper(
    helper: &CredentialHelper,
    action: &str,
    input: &[u8],
    limit: usize,
) -> Result<Zeroizing<Vec<u8>>, HelperProblem> {
    let spawned = Command::new(helper.program())
        .arg(action)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match spawned {
        Ok(child) => child,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            return Err(HelperProblem::NotInstalled)
        }
        Err(err) => return Err(HelperProblem::CannotRun(err.to_string())),
    };
    let deadline = Instant::now() + command_timeout();
    let (sender, receiver) = mpsc::channel::<PipeRead>();
    for (pipe, reader, keep) in [
        (
            Pipe::Stdout,
            Box::new(child.stdout.take().expect("stdout is piped")) as Box<dyn Read + Send>,
            limit,
        ),
        (
            Pipe::Stderr,
            Box::new(child.stderr.take().expect("stderr is piped")),
            STDERR_KEPT,
        ),
    ] {
        let sender = sender.clone();
        std::thread::spawn(move || {
            let _ = sender.send((pipe, drain(reader, keep)));
        });
    }
    drop(sender);
    // The input is one short line: it fits the pipe's buffer, so this cannot
    // block. A helper that exits without reading it gives EPIPE, ignored.
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(input);
    }

    let kill = |child: &mut std::process::Child| {
        let _ = child.kill();
        let _ = child.wait();
        HelperProblem::TimedOut(command_timeout().as_secs())
    };
    let (mut stdout, mut stderr) = (None, None);
    while stdout.is_none() || stderr.is_none() {
        let left = deadline.saturating_duration_since(Instant::now());
        let Ok((pipe, read)) = receiver.recv_timeout(left) else {
            // Timed out; a grandchild may still hold a pipe open, so its reader is left behind.
            return Err(kill(&mut child));
        };
        let read = read.map_err(|err| HelperProblem::CannotRun(err.to_string()))?;
        match pipe {
            Pipe::Stdout => stdout = Some(read),
            Pipe::Stderr => stderr = Some(read),
        }
    }
    let status = wait_until(&mut child, deadline)
        .map_err(|err| HelperProblem::CannotRun(err.to_string()))?;
    let Some(status) = status else {
        return Err(kill(&mut child));
    };
    let ((stdout, overflowed), (stderr, _)) = (stdout.unwrap(), stderr.unwrap());
    if !status.success() {
        // Helpers print their errors on stdout; fall back to stderr.
        let said = |bytes: &[u8]| bytes.iter().any(|b| !b.is_ascii_whitespace());
        let message = if said(&stdout) { &stdout } else { &stderr };
        return Err(HelperProblem::failed(status.to_string(), message));
    }
    if overflowed {
        return Err(HelperProblem::TooLarge(limit));
    }
    Ok(stdout)
}

/// Waits for the child, which has closed its pipes and so is exiting, until `deadline`.
fn wait_until(
    child: &mut std::process::Child,
    deadline: Instant,
) -> std::io::Result<Option<ExitStatus>> {
    let mut pause = Duration::from_micros(50);
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Some(status));
        }
        if Instant::now() >= deadline {
            return Ok(None);
        }
        std::thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(5));
    }
}

/// Reads `reader` to its end, keeping the first `keep` bytes in a buffer
/// allocated once (no stray copies of a secret) and discarding the rest, so
/// that the helper never blocks on a full pipe. Returns whether anything was
/// discarded.
fn drain(mut reader: impl Read, keep: usize) -> std::io::Result<(Zeroizing<Vec<u8>>, bool)> {
    let mut kept = Zeroizing::new(vec![0u8; keep]);
    let mut filled = 0;
    let mut overflowed = false;
    let mut scratch = Zeroizing::new([0u8; 4096]);
    loop {
        let buffer: &mut [u8] = if filled < keep {
            &mut kept[filled..]
        } else {
            &mut scratch[..]
        };
        match reader.read(buffer) {
            Ok(0) => break,
            Ok(n) if filled < keep => filled += n,
            Ok(_) => overflowed = true,
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => {}
            Err(err) => return Err(err),
        }
    }
    kept.truncate(filled);
    Ok((kept, overflowed))
}

/// `--registry` values, normalised; bad input when one is not an address.
pub fn parse_registries(values: &[String]) -> eyre::Result<Vec<RegistryAddress>> {
    values
        .iter()
        .map(|value| {
            RegistryAddress::parse(value).map_err(|err| registry_config::Error::from(err).into())
        })
        .collect()
}

/// Inserts host credentials into `config`, before any flag's.
pub fn insert_all(
    config: &mut registry_config::RegistryConfig,
    credentials: Vec<HostCredential>,
) -> eyre::Result<()> {
    for host in credentials {
        config.insert(&host.server_url, host.credential)?;
    }
    Ok(())
}
