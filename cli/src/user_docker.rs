//! The user's own Docker config directory, found as docker finds it, so that
//! docker under `exec` keeps the user's contexts, CLI plugins, buildx
//! builders and `config.json` settings: only the credentials change.

use std::ffi::OsString;
use std::path::PathBuf;

use eyre::WrapErr;
use registry_config::{BaseConfig, Format};

use crate::inputs;

/// What exec takes from the user's Docker directory.
#[derive(Default)]
pub struct UserDocker {
    /// Its `config.json` (empty when there is none), whose settings, not
    /// its credentials, are kept.
    pub config: BaseConfig,
    /// Its other entries, by name, each with the path to link it to.
    pub entries: Vec<(OsString, PathBuf)>,
}

/// Reads the user's Docker directory; like docker, goes on without it (with
/// a warning) when it cannot be read.
pub fn read_or_warn() -> UserDocker {
    read().unwrap_or_else(|err| {
        crate::warn(&format_args!(
            "{err:#}; the command runs without the user's docker settings"
        ));
        UserDocker::default()
    })
}

/// Reads the user's Docker directory, if there is one.
fn read() -> eyre::Result<UserDocker> {
    let Some(dir) = dir() else {
        return Ok(UserDocker::default());
    };
    let listing = match std::fs::read_dir(&dir) {
        Ok(listing) => listing,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            return Ok(UserDocker::default());
        }
        Err(err) => return Err(err).wrap_err_with(|| format!("cannot read {}", dir.display())),
    };
    let mut user = UserDocker::default();
    for entry in listing {
        let name = entry
            .wrap_err_with(|| format!("cannot read {}", dir.display()))?
            .file_name();
        // exec's own two files take these names.
        let taken = [Format::Docker, Format::Containers].map(|f| f.file_name());
        if !taken.iter().any(|taken| name == *taken) {
            user.entries.push((name.clone(), dir.join(&name)));
        }
    }
    user.entries.sort();
    let config = dir.join(Format::Docker.file_name());
    if config.exists() {
        let shown = config.display().to_string();
        let path = config
            .to_str()
            .ok_or_else(|| eyre::eyre!("{shown}: the path is not UTF-8"))?;
        user.config = inputs::read_docker_config(&shown, path)?;
    }
    Ok(user)
}

/// `$DOCKER_CONFIG`, else `~/.docker` (as `import` finds it), else `.docker`
/// in the user's home directory in the password database; made absolute
/// (the command may change directory). `None` when there is no home to look in.
fn dir() -> Option<PathBuf> {
    let dir = crate::host::docker_dir().or_else(|| {
        let user = nix::unistd::User::from_uid(nix::unistd::getuid()).ok()??;
        Some(user.dir.join(".docker"))
    })?;
    std::path::absolute(dir).ok()
}
