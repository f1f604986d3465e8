//! `--verify` for `render` and `exec`: check every entry first, and stop, or
//! leave out the ones the registry refuses.

use registry_config::auth::VerifyPolicy;
use registry_config::{CheckPlanError, RegistryConfig};

use crate::cli::{OnRejected, VerifyArgs};
use crate::commands::check::{block_on, check_all};
use crate::registry_client::RegistryClient;
use crate::warn;

/// Returns the config to render: unchanged, or without refused entries
/// (`--on-rejected drop`). A registry that cannot be reached always fails.
pub fn verify(mut config: RegistryConfig, args: &VerifyArgs) -> eyre::Result<RegistryConfig> {
    if !args.verify {
        return Ok(config);
    }
    let targets = match config.check_targets(&[]) {
        Ok(targets) => targets,
        Err(registry_config::Error::CheckPlan(CheckPlanError::Empty)) => return Ok(config),
        Err(err) => return Err(err.into()),
    };
    let client = RegistryClient::new(args.network.timeout(), args.network.ca_file.as_deref())?;
    let outcomes = block_on(check_all(&client, &targets, false));
    let keys: Vec<String> = targets.into_iter().map(|planned| planned.entry).collect();
    let mut refused = Vec::new();
    for (registry, outcome) in keys.iter().zip(outcomes) {
        match (outcome.status.on_verify(), args.on_rejected) {
            (VerifyPolicy::Keep, _) => {}
            (VerifyPolicy::KeepWithWarning, _) => warn(&format!(
                "kept {registry} unverified: {} (tools reach it with or without them)",
                outcome.detail
            )),
            (VerifyPolicy::Stop, _) => eyre::bail!(
                "cannot verify the credentials for {registry}: {}",
                outcome.detail
            ),
            (VerifyPolicy::Refused, OnRejected::Fail) => {
                eyre::bail!("{registry} rejected the credentials: {} (--on-rejected drop leaves it out instead)", outcome.detail)
            }
            (VerifyPolicy::Refused, OnRejected::Drop) => {
                warn(&format!("left {registry} out: it rejected the credentials ({}); tools will try it anonymously", outcome.detail));
                refused.push(registry);
            }
        }
    }
    for registry in refused {
        config.remove(registry)?;
    }
    Ok(config)
}
