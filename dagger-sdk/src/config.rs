//! The builder: ordered operations holding Dagger secrets, turned into the
//! core's config only when a file is rendered.

use std::fmt;

use dagger_sdk::{Query, Secret};
use registry_config::{validate_username, Format, RegistryAddress, RegistryConfig as CoreConfig};

use crate::render::{config_secret, read_plaintext};
use crate::{Error, SecretMount};

/// Registry credentials, rendered on demand as a Docker `config.json` or a
/// containers `auth.json` and handed to the engine as a Dagger secret.
///
/// The builder calls are kept in order, as the Dagger module keeps them: a
/// later entry for the same registry (however its address is spelled)
/// replaces an earlier one, and a removal removes what is there by then.
/// Addresses and usernames are checked when the call is made; secrets are
/// read only when a file is rendered.
///
/// ```
/// # use dagger_sdk::{Query, Secret};
/// # fn config(token: &Secret) -> Result<(), registry_config_dagger::Error> {
/// use registry_config_dagger::RegistryConfig;
///
/// let config = RegistryConfig::new()
///     .with_registry_auth("https://GHCR.io/v2/", "octocat", token)?
///     .with_registry_token("registry.example.com:5000", token)?
///     .without_registry_auth("ghcr.io")?;
/// assert_eq!(config.len(), 3);
/// assert!(RegistryConfig::new().with_registry_auth("ghcr.io", "a:b", token).is_err());
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Default)]
pub struct RegistryConfig {
    operations: Vec<Operation>,
}

/// One builder call, waiting for its secret to be read: the core's call,
/// holding a Dagger secret.
type Operation = registry_config::Operation<Secret>;

impl RegistryConfig {
    /// No credentials: renders as `{"auths": {}}`.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a username and password (or access token) for a registry, in any
    /// spelling tools use (`ghcr.io`, `https://ghcr.io/v2/`, `docker.io`,
    /// `localhost:5000`). The address and the username (non-empty, no `:`)
    /// are checked now by the core.
    pub fn with_registry_auth(
        self,
        address: &str,
        username: &str,
        secret: &Secret,
    ) -> Result<Self, Error> {
        let parsed = RegistryAddress::parse(address)?;
        validate_username(parsed.canonical(), username)?;
        Ok(self.with(Operation::Auth {
            address: address.to_owned(),
            username: username.to_owned(),
            secret: secret.clone(),
        }))
    }

    /// Removes the credentials added so far for a registry, by normalised
    /// address (`https://ghcr.io` removes `ghcr.io`), base config included.
    pub fn without_registry_auth(self, address: &str) -> Result<Self, Error> {
        RegistryAddress::parse(address)?;
        Ok(self.with(Operation::Remove {
            address: address.to_owned(),
        }))
    }

    /// Adds an identity token (OAuth2 refresh token) for a registry, written
    /// as `identitytoken`.
    pub fn with_identity_token(self, address: &str, token: &Secret) -> Result<Self, Error> {
        RegistryAddress::parse(address)?;
        Ok(self.with(Operation::IdentityToken {
            address: address.to_owned(),
            token: token.clone(),
        }))
    }

    /// Adds a registry token (sent as a bearer token) for a registry, written
    /// as `registrytoken`.
    pub fn with_registry_token(self, address: &str, token: &Secret) -> Result<Self, Error> {
        RegistryAddress::parse(address)?;
        Ok(self.with(Operation::RegistryToken {
            address: address.to_owned(),
            token: token.clone(),
        }))
    }

    /// Starts from an existing Docker `config.json`: its `auths` are kept
    /// unless replaced or removed by other calls; `credsStore` and the
    /// `credHelpers` of rendered registries are dropped (with a `tracing`
    /// warning). Read and checked when a file is rendered.
    pub fn with_config(self, config: &Secret) -> Self {
        self.with(Operation::Base {
            config: config.clone(),
        })
    }

    /// Renders the config in `format` and returns it as a Dagger secret named
    /// `name`, or by default `registry-config-` and 32 hex digits of argon2id
    /// over the file (stable across runs, slow to test guesses against). An
    /// empty name counts as none.
    ///
    /// The secret is created now (one `setSecret` query), so an error shows
    /// here and the plaintext is sent once however often the secret is used.
    pub async fn secret(
        &self,
        query: &Query,
        name: Option<&str>,
        format: Format,
    ) -> Result<Secret, Error> {
        let config = self.read().await?;
        let id = config_secret(query, &config, format, name).await?;
        Ok(query.r#ref::<Secret>(id))
    }

    /// Describes how to mount the Docker-format config into containers; call
    /// [`SecretMount::mount`] on the result.
    ///
    /// `secret_name`: the secret's name (default: derived from the file).
    /// `skip_on_empty`: leave containers unchanged when no operation was
    /// added. `owner`: a `user:group` owning the file (IDs or names). `mode`:
    /// the file's permissions, such as `0o600` (the engine applies it only
    /// with an owner). An empty name or owner and a mode of 0 count as unset,
    /// as in the Dagger module.
    pub fn secret_mount(
        &self,
        path: &str,
        secret_name: Option<&str>,
        skip_on_empty: bool,
        owner: Option<&str>,
        mode: Option<u16>,
    ) -> SecretMount {
        SecretMount::new(self.clone(), path, secret_name, skip_on_empty, owner, mode)
    }

    /// How many builder calls were made.
    pub fn len(&self) -> usize {
        self.operations.len()
    }

    /// True when no builder call was made.
    pub fn is_empty(&self) -> bool {
        self.operations.is_empty()
    }

    /// Reads every secret, in order, and applies the operations to the core's
    /// config. Stops at the first failure, before reading later secrets.
    pub(crate) async fn read(&self) -> Result<CoreConfig, Error> {
        let mut config = CoreConfig::new();
        for operation in &self.operations {
            let read = match operation.secret() {
                Some(secret) => {
                    let plaintext = read_plaintext(secret, operation.describe()).await?;
                    operation.clone().map_secret(|_| plaintext)
                }
                // A call without a secret has none to convert.
                None => operation.clone().map_secret(|_| unreachable!()),
            };
            read.apply(&mut config)?;
        }
        Ok(config)
    }

    /// A copy with one more operation.
    fn with(mut self, operation: Operation) -> Self {
        self.operations.push(operation);
        self
    }
}

/// Lists the operations; secrets show as `[secret]` (a `dagger_sdk::Secret`
/// is only a query, but there is nothing to learn from it).
impl fmt::Debug for RegistryConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.operations.iter().map(Operation::describe))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_describe_no_secret_and_debug_lists_them() {
        let op = Operation::Remove {
            address: "ghcr.io".into(),
        };
        assert_eq!(op.describe(), "removal of ghcr.io");
        let config = RegistryConfig::new()
            .without_registry_auth("docker.io")
            .unwrap();
        assert_eq!(format!("{config:?}"), r#"["removal of docker.io"]"#);
        assert_eq!(config.len(), 1);
        assert!(!config.is_empty());
    }

    #[test]
    fn addresses_are_checked_at_once() {
        let err = RegistryConfig::new()
            .without_registry_auth("ghcr.io/a b")
            .unwrap_err();
        assert!(
            matches!(err, Error::Core(registry_config::Error::Address(_))),
            "{err:?}"
        );
        assert!(err.to_string().contains("ghcr.io/a b"), "{err}");
    }
}
