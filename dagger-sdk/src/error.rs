//! The crate's one error type.

use dagger_sdk::errors::DaggerError;
use registry_config::{AddressError, CredentialError};

/// Anything that can go wrong, from the core or from the engine.
///
/// Messages name the registry, the operation or the secret's name, never a
/// plaintext: the core's errors are built that way, and the engine's come
/// from queries that carry no plaintext except `setSecret`'s.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The core refused an address, a username, a credential, a base config or
    /// the rendered file's size.
    #[error(transparent)]
    Core(#[from] registry_config::Error),
    /// The engine could not give the plaintext of an input secret.
    #[error("could not read the secret of {operation} from the Dagger engine")]
    ReadSecret {
        /// The operation the secret belongs to, such as `registry auth for ghcr.io`.
        operation: String,
        /// What the SDK reported.
        #[source]
        source: DaggerError,
    },
    /// The engine refused the rendered config as a secret.
    #[error("could not hand the rendered config to the Dagger engine as secret {name:?}")]
    SetSecret {
        /// The secret's name (derived from the file, or the caller's).
        name: String,
        /// What the SDK reported.
        #[source]
        source: DaggerError,
    },
}

impl From<AddressError> for Error {
    fn from(err: AddressError) -> Self {
        Error::Core(err.into())
    }
}

impl From<CredentialError> for Error {
    fn from(err: CredentialError) -> Self {
        Error::Core(err.into())
    }
}
