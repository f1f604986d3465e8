//! This machine's Docker credentials, credential helpers included: `import`
//! and `--from-host`. The core decides which registry comes from where
//! ([`ResolutionPlan`]); this module reads the file and runs the helpers.

use std::path::PathBuf;
use std::process::Command;

use eyre::WrapErr;
use registry_config::{
    Credential, CredentialHelper, HelperError, HelperProblem, PlannedSource, RegistryAddress,
    ResolutionPlan,
};
use zeroize::Zeroizing;

use crate::bounded::{self, RunError};
use crate::inputs::{read_docker_config, InputError};
use crate::source::command_timeout;
use crate::warn;

/// The most a helper may print for `get`: a 64 KiB secret, JSON-escaped, and its fields.
const GET_LIMIT: usize = 512 * 1024;
/// The most a helper may print for `list`.
const LIST_LIMIT: usize = 4 * 1024 * 1024;

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
///
/// Helpers are run by name, `docker-credential-NAME`: on Windows the standard
/// library finds `docker-credential-NAME.exe` on PATH (Docker Desktop's
/// `desktop` and `wincred`), as Docker does.
pub fn default_config_path() -> Result<PathBuf, InputError> {
    docker_dir()
        .map(|dir| dir.join("config.json"))
        .ok_or_else(|| {
            InputError(format!(
                "cannot find the Docker config: neither DOCKER_CONFIG nor {HOME_VAR} is set"
            ))
        })
}

/// The user's Docker directory, as docker finds it: `$DOCKER_CONFIG`, else
/// `.docker` in the home folder; `None` when neither variable is set.
pub fn docker_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("DOCKER_CONFIG").filter(|dir| !dir.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    std::env::var_os(HOME_VAR)
        .filter(|home| !home.is_empty())
        .map(|home| PathBuf::from(home).join(".docker"))
}

/// The variable naming the user's home folder, where Docker looks (Go's
/// `os.UserHomeDir`): `%USERPROFILE%\.docker` on Windows.
#[cfg(windows)]
const HOME_VAR: &str = "USERPROFILE";
#[cfg(not(windows))]
const HOME_VAR: &str = "HOME";

/// Reads the Docker config at `path` (`-` for stdin; `None` for the default),
/// and resolves the credentials of every registry in `only` (all when empty).
/// `flag` names the option in errors (`--from`, `--from-host`); without
/// one, errors name the file alone (`import` with no `--from`).
pub fn resolve(
    flag: Option<&str>,
    path: Option<&str>,
    only: &[RegistryAddress],
    skip_unresolved: bool,
) -> eyre::Result<Vec<HostCredential>> {
    let path = match path {
        Some(path) => path.to_owned(),
        None => default_config_path()?.display().to_string(),
    };
    let shown = match flag {
        Some(flag) => format!("{flag} {path}"),
        None => path.clone(),
    };
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
    let store = ResolutionPlan::store_to_list(&base, only).map_err(registry_config::Error::from);
    if let Some(store) = store.wrap_err(shown.clone())? {
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
    let plan = ResolutionPlan::new(&base, &listed, only).map_err(registry_config::Error::from);
    let plan = plan.wrap_err(shown)?;
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

/// Runs `docker-credential-NAME ACTION` with `input` on stdin, within
/// `--source-timeout`, and returns its stdout. Its stderr is kept, not
/// echoed: only its first line, and only when the helper fails, reaches the
/// error message.
fn run_helper(
    helper: &CredentialHelper,
    action: &str,
    input: &[u8],
    limit: usize,
) -> Result<Zeroizing<Vec<u8>>, HelperProblem> {
    let mut command = Command::new(helper.program());
    command.arg(action);
    let finished = match bounded::run(command, Some(input), limit, true) {
        Ok(finished) => finished,
        Err(RunError::NotFound) => return Err(HelperProblem::NotInstalled),
        Err(RunError::Io(err)) => return Err(HelperProblem::CannotRun(err.to_string())),
        Err(RunError::TimedOut) => return Err(HelperProblem::TimedOut(command_timeout())),
    };
    if !finished.status.success() {
        // Helpers print their errors on stdout; fall back to stderr.
        let said = |bytes: &[u8]| bytes.iter().any(|b| !b.is_ascii_whitespace());
        let message = if said(&finished.stdout) {
            &finished.stdout
        } else {
            &finished.stderr
        };
        return Err(HelperProblem::failed(finished.status.to_string(), message));
    }
    if finished.overflowed {
        return Err(HelperProblem::TooLarge(limit));
    }
    Ok(finished.stdout)
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
