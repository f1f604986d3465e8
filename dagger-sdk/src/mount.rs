//! Putting rendered configs into containers: [`SecretMount`] for one file at
//! a path of the caller's choosing, [`RegistryConfig::apply`] for both
//! formats at fixed paths with the variables that point tools at them.

use dagger_sdk::{Container, ContainerWithMountedSecretOpts, Query};
use registry_config::Format;

use crate::render::{config_secret, render, rendered_secret};
use crate::{Error, RegistryConfig};

/// The folder [`RegistryConfig::apply`] mounts both files in (the Dagger
/// module's `APPLY_DIR`), and the value of `DOCKER_CONFIG`.
pub const APPLY_DIR: &str = "/run/registry-config";

/// Where [`RegistryConfig::apply`] mounts the Docker format, and the value of
/// `HELM_REGISTRY_CONFIG`.
pub const APPLY_DOCKER_CONFIG: &str = "/run/registry-config/config.json";

/// Where [`RegistryConfig::apply`] mounts the containers format, and the value
/// of `REGISTRY_AUTH_FILE`.
pub const APPLY_AUTH_FILE: &str = "/run/registry-config/auth.json";

/// A Docker-format config to mount as a secret file into containers, made by
/// [`RegistryConfig::secret_mount`].
#[derive(Clone, Debug)]
pub struct SecretMount {
    config: RegistryConfig,
    path: String,
    secret_name: Option<String>,
    skip_on_empty: bool,
    owner: Option<String>,
    mode: Option<u16>,
}

impl SecretMount {
    pub(crate) fn new(
        config: RegistryConfig,
        path: &str,
        secret_name: Option<&str>,
        skip_on_empty: bool,
        owner: Option<&str>,
        mode: Option<u16>,
    ) -> Self {
        let set = |value: Option<&str>| value.filter(|v| !v.is_empty()).map(str::to_owned);
        Self {
            config,
            path: path.to_owned(),
            secret_name: set(secret_name),
            skip_on_empty,
            owner: set(owner),
            mode: mode.filter(|&mode| mode != 0),
        }
    }

    /// Mounts the config into `container` (`withMountedSecret` with the path,
    /// owner and mode given), or returns it unchanged when `skip_on_empty` was
    /// set and the config holds no registry (none added, or all removed again).
    pub async fn mount(&self, container: &Container) -> Result<Container, Error> {
        if self.skip_on_empty && self.config.is_empty() {
            return Ok(container.clone());
        }
        let config = self.config.read().await?;
        let rendered = render(&config, Format::Docker)?;
        if self.skip_on_empty && rendered.entries() == 0 {
            return Ok(container.clone());
        }
        let secret =
            rendered_secret(&root(container), &rendered, self.secret_name.as_deref()).await?;
        let opts = mount_opts(self.owner.as_deref(), self.mode);
        Ok(container.with_mounted_secret_opts(self.path.as_str(), secret, opts))
    }
}

impl RegistryConfig {
    /// Mounts both formats under [`APPLY_DIR`] — `config.json` (Docker
    /// format) and `auth.json` (containers format) — and points
    /// `DOCKER_CONFIG`, `REGISTRY_AUTH_FILE` and `HELM_REGISTRY_CONFIG` at
    /// them: docker, buildkit, crane, oras, helm, podman, skopeo and buildah
    /// all find their credentials. `owner`: a `user:group` owning both files
    /// (default: root; empty counts as unset).
    pub async fn apply(
        &self,
        container: &Container,
        owner: Option<&str>,
    ) -> Result<Container, Error> {
        let query = root(container);
        let config = self.read().await?;
        let docker = config_secret(&query, &config, Format::Docker, None).await?;
        let containers = config_secret(&query, &config, Format::Containers, None).await?;
        let owner = owner.filter(|owner| !owner.is_empty());
        Ok(container
            .with_mounted_secret_opts(APPLY_DOCKER_CONFIG, docker, mount_opts(owner, None))
            .with_mounted_secret_opts(APPLY_AUTH_FILE, containers, mount_opts(owner, None))
            .with_env_variable("DOCKER_CONFIG", APPLY_DIR)
            .with_env_variable("REGISTRY_AUTH_FILE", APPLY_AUTH_FILE)
            .with_env_variable("HELM_REGISTRY_CONFIG", APPLY_DOCKER_CONFIG))
    }
}

fn mount_opts(owner: Option<&str>, mode: Option<u16>) -> ContainerWithMountedSecretOpts<'_> {
    ContainerWithMountedSecretOpts {
        owner,
        mode: mode.map(|mode| mode as isize),
        expand: None,
        inherit_owner: None,
    }
}

/// The root query of the client `container` belongs to, for `setSecret`
/// (the SDK's own `sync` starts over from `selection.root()` the same way).
fn root(container: &Container) -> Query {
    Query {
        proc: container.proc.clone(),
        selection: container.selection.root(),
        graphql_client: container.graphql_client.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apply_paths_are_the_formats_file_names_in_apply_dir() {
        assert_eq!(
            APPLY_DOCKER_CONFIG,
            format!("{APPLY_DIR}/{}", Format::Docker.file_name())
        );
        assert_eq!(
            APPLY_AUTH_FILE,
            format!("{APPLY_DIR}/{}", Format::Containers.file_name())
        );
    }

    #[test]
    fn empty_name_owner_and_zero_mode_count_as_unset() {
        let mount = SecretMount::new(
            RegistryConfig::new(),
            "/p",
            Some(""),
            true,
            Some(""),
            Some(0),
        );
        assert_eq!(mount.secret_name, None);
        assert_eq!(mount.owner, None);
        assert_eq!(mount.mode, None);
        let mount = SecretMount::new(
            RegistryConfig::new(),
            "/p",
            Some("n"),
            false,
            Some("1000:1000"),
            Some(0o600),
        );
        assert_eq!(mount.secret_name.as_deref(), Some("n"));
        assert_eq!(mount.owner.as_deref(), Some("1000:1000"));
        assert_eq!(mount.mode, Some(0o600));
    }
}
