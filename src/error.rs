//! The one error type at the core's boundary.

use crate::auth::ChallengeError;
use crate::{
    AddressError, BaseConfigError, CheckPlanError, CredentialError, HelperError, HostConfigError,
    InvalidHelperName, UnknownFormat,
};

/// Anything the core refuses. Every message names the address, field or
/// position at fault and never holds a secret.
///
/// Each domain keeps its own error type, with the detail a caller may
/// match on; each converts into this one (`?` does it), so a driver can
/// hold one type and tell bad input from a failure without downcasting:
///
/// ```
/// use registry_config::{CredentialHelper, Error, HelperProblem};
///
/// let name: Error = CredentialHelper::new("../sh").unwrap_err().into();
/// assert!(name.is_bad_input());
/// let pass = CredentialHelper::new("pass").unwrap();
/// let failed: Error = pass.parse_get("ghcr.io", b"{}").unwrap_err().into();
/// assert!(matches!(&failed, Error::Helper(err) if *err.problem() == HelperProblem::NoSecret));
/// assert!(!failed.is_bad_input());
/// ```
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
    /// A Docker config whose credentials cannot be read.
    #[error(transparent)]
    HostConfig(#[from] HostConfigError),
    /// A credential helper name that could run something else.
    #[error(transparent)]
    HelperName(#[from] InvalidHelperName),
    /// A credential helper that gave no usable credential.
    #[error(transparent)]
    Helper(#[from] HelperError),
    /// An entry or base config that helper mode cannot hand over.
    #[cfg(feature = "helper-mode")]
    #[error(transparent)]
    HelperMode(#[from] crate::HelperModeError),
    /// A `WWW-Authenticate` header that is not a challenge list.
    #[error(transparent)]
    Challenge(#[from] ChallengeError),
    /// The rendered file is over a size limit (Dagger's for secrets, say).
    #[error("the rendered config is {size} bytes, over the limit of {limit} bytes")]
    TooLarge {
        /// Size of the rendered file.
        size: usize,
        /// The limit it broke.
        limit: usize,
    },
}

impl Error {
    /// True when the user's input is at fault (the CLI's exit status 2);
    /// false when something the input names failed: a credential helper
    /// that gave nothing, a registry's header that cannot be read.
    pub fn is_bad_input(&self) -> bool {
        !matches!(self, Error::Helper(_) | Error::Challenge(_))
    }
}
