//! Putting rendered configs into containers: [`SecretMount`] for one file at
//! a path of the caller's choosing, [`RegistryConfig::apply`] for both
//! formats at fixed paths with the variables that point tools at them.

use dagger_sdk::{Container, ContainerWithMountedSecretOpts, Query};
use registry_config::{apply_path, Format, APPLY_ENV};

use crate::render::{config_secret, render, rendered_secret};
use crate::{Error, RegistryConfig};

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
    /// Mounts both formats under [`APPLY_DIR`](crate::APPLY_DIR) — `config.json` (Docker
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
        let mounted = container
            .with_mounted_secret_opts(apply_path(Format::Docker), docker, mount_opts(owner, None))
            .with_mounted_secret_opts(
                apply_path(Format::Containers),
                containers,
                mount_opts(owner, None),
            );
        Ok(APPLY_ENV.iter().fold(mounted, |container, (name, value)| {
            container.with_env_variable(*name, *value)
        }))
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
