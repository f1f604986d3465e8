//! Registry credentials for every container tool, rendered in memory.
//!
//! Tools that talk to OCI registries (docker, buildkit, podman, skopeo,
//! buildah, helm, oras, crane, kaniko) read credentials from a config file,
//! and each looks keys up its own way. This crate takes credentials as
//! [`Secret`]s and renders, in memory, the file those tools find:
//!
//! ```text
//!  address ──► RegistryAddress::parse ──► canonical key ─┐
//!  credential ──► Credential (validated) ────────────────┼─► RegistryConfig ──render(Format)──► Rendered bytes
//!  existing config.json ──► BaseConfig::parse ───────────┘
//! ```
//!
//! It does no I/O: no files, no network, no environment, no clock. The CLI
//! (`registry-config-cli`), the WebAssembly build and the Dagger module read
//! secrets and hand files over; this crate holds every rule.
//!
//! ```
//! use registry_config::{Credential, Format, RegistryConfig, Secret};
//!
//! let mut config = RegistryConfig::new();
//! config.insert("index.docker.io", Credential::basic("me", Secret::new("dckr_pat".into())))?;
//! let docker = config.render(Format::Docker)?;
//! assert!(std::str::from_utf8(docker.as_bytes()).unwrap().contains("\"https://index.docker.io/v1/\""));
//! let containers = config.render(Format::Containers)?;
//! assert!(std::str::from_utf8(containers.as_bytes()).unwrap().contains("\"docker.io\""));
//! # Ok::<(), registry_config::Error>(())
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

/// The largest plaintext Dagger's `setSecret` accepts, in bytes.
pub const DAGGER_SECRET_LIMIT: usize = 128_000;

pub mod auth;

mod address;
mod apply;
mod auth_entry;
mod base_config;
mod basic_auth;
mod check_plan;
mod config;
mod cred_helper;
mod credential;
mod error;
mod format;
#[cfg(feature = "helper-mode")]
mod helper_mode;
mod host_credentials;
mod operation;
mod reading;
mod redact;
mod render;
mod secret;
mod secret_name;
mod text;
mod verify;

pub use address::{AddressError, AddressProblem, RegistryAddress, DOCKER_HUB_KEY};
pub use apply::{
    apply_path, APPLY_AUTH_FILE, APPLY_DIR, APPLY_DOCKER_CONFIG, APPLY_ENV, CHECK_BODY_LIMIT,
    CHECK_TIMEOUT, TOOL_ENV,
};
pub use auth_entry::AuthEntryProblem;
pub use base_config::{BaseConfig, BaseConfigError};
pub use check_plan::{CheckPlanError, CheckTarget, PlannedCredential};
pub use config::RegistryConfig;
pub use cred_helper::{CredentialHelper, HelperError, HelperProblem, InvalidHelperName};
pub use credential::{
    validate_username, Credential, CredentialError, CredentialProblem, MAX_SECRET_LEN,
};
pub use error::Error;
pub use format::{Format, UnknownFormat};
#[cfg(feature = "helper-mode")]
pub use helper_mode::{HelperModeError, HelperReply, HELPER_NOT_FOUND, SELF_HELPER_NAME};
pub use host_credentials::{
    HostConfigError, PlanWarning, PlannedEntry, PlannedSource, ResolutionPlan,
};
pub use operation::Operation;
pub use render::{Rendered, Warning};
pub use secret::Secret;
pub use secret_name::{secret_name, secret_name_or, SECRET_NAME_PREFIX};
pub use text::{seconds, Quoted};
pub use verify::{verify, OnRejected, UnknownOnRejected, VerifyError, VerifyNote};
