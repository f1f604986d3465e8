//! The builder calls every driver records (the Dagger module, the dagger-sdk
//! crate, the wasm build) and their replay onto a [`RegistryConfig`], in
//! one place: a driver holds the secrets however it must (a Dagger secret
//! until it is read, a [`Secret`] once it is) and converts them, and the
//! core applies the calls in order.

use crate::{BaseConfig, Credential, Error, RegistryConfig, Secret};

/// One builder call, holding its secret as `S`.
///
/// Applied in order: a later entry for the same registry (however its
/// address is spelled) replaces the earlier one, and a removal removes what
/// is there by then, base config included.
///
/// ```
/// use registry_config::{Format, Operation, RegistryConfig, Secret};
///
/// let operations = [
///     Operation::Auth { address: "https://GHCR.io/v2/".into(), username: "me".into(), secret: "old" },
///     Operation::RegistryToken { address: "quay.io".into(), token: "t" },
///     Operation::Remove { address: "quay.io".into() },
///     Operation::Auth { address: "ghcr.io".into(), username: "me".into(), secret: "new" },
/// ];
/// let config = RegistryConfig::from_operations(
///     operations.into_iter().map(|op| op.map_secret(|s| Secret::new(s.to_owned()))),
/// )?;
/// assert_eq!(config.registries().map(|a| a.canonical()).collect::<Vec<_>>(), ["ghcr.io"]);
/// # Ok::<(), registry_config::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Operation<S> {
    /// A username with a password or access token.
    Auth {
        /// The registry, as the caller wrote it.
        address: String,
        /// The username.
        username: String,
        /// The password or token.
        secret: S,
    },
    /// An OAuth2 refresh token (`identitytoken`).
    IdentityToken {
        /// The registry, as the caller wrote it.
        address: String,
        /// The refresh token.
        token: S,
    },
    /// A bearer token (`registrytoken`).
    RegistryToken {
        /// The registry, as the caller wrote it.
        address: String,
        /// The bearer token.
        token: S,
    },
    /// Removes a registry's entry, by normalised address.
    Remove {
        /// The registry, as the caller wrote it.
        address: String,
    },
    /// A Docker `config.json` to start from.
    Base {
        /// The file's text.
        config: S,
    },
}

impl<S> Operation<S> {
    /// The secret the operation carries (none for a removal).
    pub fn secret(&self) -> Option<&S> {
        match self {
            Operation::Auth { secret, .. } => Some(secret),
            Operation::IdentityToken { token, .. } | Operation::RegistryToken { token, .. } => {
                Some(token)
            }
            Operation::Base { config } => Some(config),
            Operation::Remove { .. } => None,
        }
    }

    /// The same call with its secret converted (read, for instance).
    pub fn map_secret<T>(self, f: impl FnOnce(S) -> T) -> Operation<T> {
        match self {
            Operation::Auth {
                address,
                username,
                secret,
            } => Operation::Auth {
                address,
                username,
                secret: f(secret),
            },
            Operation::IdentityToken { address, token } => Operation::IdentityToken {
                address,
                token: f(token),
            },
            Operation::RegistryToken { address, token } => Operation::RegistryToken {
                address,
                token: f(token),
            },
            Operation::Remove { address } => Operation::Remove { address },
            Operation::Base { config } => Operation::Base { config: f(config) },
        }
    }

    /// What the call is, for messages: names the registry, never the secret.
    ///
    /// ```
    /// use registry_config::Operation;
    /// let op = Operation::<()>::Remove { address: "ghcr.io".into() };
    /// assert_eq!(op.describe(), "removal of ghcr.io");
    /// ```
    pub fn describe(&self) -> String {
        match self {
            Operation::Auth { address, .. } => format!("registry auth for {address}"),
            Operation::IdentityToken { address, .. } => format!("identity token for {address}"),
            Operation::RegistryToken { address, .. } => format!("registry token for {address}"),
            Operation::Remove { address } => format!("removal of {address}"),
            Operation::Base { .. } => "base config".to_owned(),
        }
    }
}

impl Operation<Secret> {
    /// Applies the call to `config`: checks the address and the credential,
    /// or parses the base config.
    pub fn apply(self, config: &mut RegistryConfig) -> Result<(), Error> {
        match self {
            Operation::Auth {
                address,
                username,
                secret,
            } => config.insert(&address, Credential::basic(username, secret)),
            Operation::IdentityToken { address, token } => {
                config.insert(&address, Credential::identity_token(token))
            }
            Operation::RegistryToken { address, token } => {
                config.insert(&address, Credential::registry_token(token))
            }
            Operation::Remove { address } => config.remove(&address).map(drop),
            Operation::Base { config: base } => {
                config.set_base(BaseConfig::parse(base.expose().as_bytes())?);
                Ok(())
            }
        }
    }
}

impl RegistryConfig {
    /// A config from builder calls, applied in order; stops at the first
    /// call refused.
    pub fn from_operations(
        operations: impl IntoIterator<Item = Operation<Secret>>,
    ) -> Result<Self, Error> {
        let mut config = RegistryConfig::new();
        for operation in operations {
            operation.apply(&mut config)?;
        }
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Format;

    fn secret(s: &str) -> Secret {
        Secret::new(s.to_owned())
    }

    #[test]
    fn calls_apply_in_order_and_removal_reaches_the_base() {
        let base = r#"{"auths":{"quay.io":{"auth":"dTpw"}}}"#;
        let config = RegistryConfig::from_operations([
            Operation::Base {
                config: secret(base),
            },
            Operation::IdentityToken {
                address: "registry.example".into(),
                token: secret("refresh"),
            },
            Operation::Remove {
                address: "https://quay.io/".into(),
            },
            Operation::Auth {
                address: "ghcr.io".into(),
                username: "u".into(),
                secret: secret("p"),
            },
        ])
        .unwrap();
        let rendered = config.render(Format::Containers).unwrap();
        let text = std::str::from_utf8(rendered.as_bytes()).unwrap();
        assert!(!text.contains("quay.io"), "{text}");
        assert!(
            text.find("registry.example") < text.find("ghcr.io"),
            "{text}"
        );
    }

    #[test]
    fn the_first_refused_call_stops_and_names_its_address() {
        let err = RegistryConfig::from_operations([Operation::Auth {
            address: "ghcr.io".into(),
            username: "a:b".into(),
            secret: secret("canary"),
        }])
        .unwrap_err()
        .to_string();
        assert!(err.contains("ghcr.io") && !err.contains("canary"), "{err}");
    }

    #[test]
    fn secrets_are_converted_and_described_without_them() {
        let op = Operation::RegistryToken {
            address: "quay.io".into(),
            token: 7,
        };
        assert_eq!(op.secret(), Some(&7));
        assert_eq!(op.clone().map_secret(|n| n * 2).secret(), Some(&14));
        assert_eq!(op.describe(), "registry token for quay.io");
    }
}
