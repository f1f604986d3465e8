//! Registry credentials for Rust programs run under `dagger run`, as Dagger
//! secret mounts.
//!
//! The same operations as the `registry-config` Dagger module (TypeScript, in
//! `dagger/src`), for programs that drive Dagger with the [`dagger_sdk`] client
//! instead of calling the module: there is no released Rust module runtime.
//! Every rule — address normalisation, credential checks, rendering, the
//! secret's name, Dagger's size limit — comes from the `registry_config` core;
//! this crate only moves secrets between the engine and the core.
//!
//! ```text
//!  with_registry_auth / with_identity_token / with_registry_token / without_registry_auth / with_config
//!        │  (addresses and usernames checked at once by the core; secrets kept as dagger_sdk::Secret)
//!        ▼
//!  RegistryConfig ──secret / secret_mount().mount / apply──►  Secret::plaintext (one query per secret)
//!                                                           ──► registry_config::RegistryConfig::render
//!                                                           ──► Rendered::at_most(DAGGER_SECRET_LIMIT)
//!                                                           ──► Query::set_secret(secret_name(..), ..)   (the only one)
//!                                                           ──► Container::with_mounted_secret
//! ```
//!
//! What it does not do: write files, log secrets, or keep a plaintext longer
//! than a render. Copies the SDK makes of the rendered file (the `setSecret`
//! query text) are out of its reach and are not zeroed; the SDK also logs
//! every query at `TRACE` level (target `dagger_sdk`), `setSecret`'s
//! plaintext included, so keep that level off in CI.
//!
//! ```no_run
//! use registry_config_dagger::RegistryConfig;
//!
//! # async fn run() -> eyre::Result<()> {
//! dagger_sdk::connect(|dag| async move {
//!     let token = dag.secret("env:GHCR_TOKEN");
//!     let config = RegistryConfig::new().with_registry_auth("ghcr.io", "octocat", &token)?;
//!     // config.json and auth.json under /run/registry-config, and DOCKER_CONFIG,
//!     // REGISTRY_AUTH_FILE and HELM_REGISTRY_CONFIG pointing at them.
//!     let skopeo = config
//!         .apply(&dag.container().from("quay.io/skopeo/stable"), None)
//!         .await?;
//!     skopeo
//!         .with_exec(vec!["skopeo", "inspect", "docker://ghcr.io/octocat/app:latest"])
//!         .sync()
//!         .await?;
//!     // Or only the Docker config, where a tool expects it:
//!     let crane = config
//!         .secret_mount("/root/.docker/config.json", None, false, None, None)
//!         .mount(&dag.container().from("cgr.dev/chainguard/crane"))
//!         .await?;
//!     # let _ = crane;
//!     Ok(())
//! })
//! .await?;
//! # Ok(())
//! # }
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod config;
mod error;
mod mount;
mod render;

pub use config::RegistryConfig;
pub use error::Error;
pub use mount::SecretMount;
pub use registry_config::Format;
pub use registry_config::{APPLY_AUTH_FILE, APPLY_DIR, APPLY_DOCKER_CONFIG};
