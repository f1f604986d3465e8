//! `--verify` for `render` and `exec`: check every entry first, then apply
//! the core's verify policy ([`registry_config::verify`]).

use registry_config::{CheckPlanError, RegistryConfig, VerifyError};

use crate::cli::VerifyArgs;
use crate::commands::check::{block_on, check_all};
use crate::registry_client::RegistryClient;
use crate::warn;

/// Returns the config to render: unchanged, or without refused entries
/// (`--on-rejected drop`), after warning of each entry left out or kept
/// unchecked.
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
    let checked = keys.iter().map(String::as_str).zip(&outcomes);
    let notes = registry_config::verify(checked, args.on_rejected).map_err(|err| match err {
        VerifyError::Rejected { .. } => {
            eyre::eyre!("{err} (--on-rejected drop leaves it out instead)")
        }
        err => err.into(),
    })?;
    for note in &notes {
        warn(note);
        if let Some(entry) = note.removed() {
            config.remove(entry)?;
        }
    }
    Ok(config)
}
