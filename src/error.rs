//! The one error type of the core's public functions.

use crate::{AddressError, BaseConfigError, CheckPlanError, CredentialError, UnknownFormat};

/// Anything the core refuses. Every message names the address, field or
/// position at fault and never holds a secret.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A registry address that cannot be used.
    #[error(transparent)]
    Address(#[from] AddressError),
    /// A credential that breaks a rule.
    #[error(transparent)]
    Credential(#[from] CredentialError),
    /// A base config that cannot be merged.
    #[error(transparent)]
    BaseConfig(#[from] BaseConfigError),
    /// A format name that does not exist.
    #[error(transparent)]
    Format(#[from] UnknownFormat),
    /// A check that cannot be planned.
    #[error(transparent)]
    CheckPlan(#[from] CheckPlanError),
    /// The rendered file is over a size limit (Dagger's for secrets, say).
    #[error("the rendered config is {size} bytes, over the limit of {limit} bytes")]
    TooLarge {
        /// Size of the rendered file.
        size: usize,
        /// The limit it broke.
        limit: usize,
    },
}
