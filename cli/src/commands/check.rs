//! `registry-config check`: are these credentials accepted, before a tool
//! finds out halfway through a push?

use std::io::Write;

use clap::ArgMatches;
use eyre::WrapErr;
use registry_config::auth::{Outcome, Status};
use registry_config::{Credential, RegistryAddress, RegistryConfig};
use serde::Serialize;

use crate::cli::CheckArgs;
use crate::inputs::{self, InputError};
use crate::registry_client::RegistryClient;

/// One line of the report.
#[derive(Serialize)]
struct Report {
    registry: String,
    repository: Option<String>,
    status: &'static str,
    detail: String,
}

/// Checks every entry, and every `--repository`, concurrently; returns the
/// exit status (0 when all are valid).
pub fn run(args: &CheckArgs, matches: &ArgMatches) -> eyre::Result<u8> {
    let config = inputs::resolve(&args.inputs, matches)?;
    let targets = targets(&config, &args.repositories)?;
    let client = RegistryClient::new(args.network.timeout(), args.network.ca_file.as_deref())?;
    let outcomes = block_on(check_all(&client, &targets, args.push));

    let reports: Vec<Report> = targets
        .iter()
        .zip(outcomes)
        .map(|((target, _), outcome)| Report {
            registry: target.host().to_owned(),
            repository: target.repository().map(str::to_owned),
            status: outcome.status.as_str(),
            detail: outcome.detail,
        })
        .collect();
    let mut stdout = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut stdout, &reports)?;
        writeln!(stdout)?;
    } else {
        for report in &reports {
            let target = match &report.repository {
                Some(repository) => format!("{}/{repository}", report.registry),
                None => report.registry.clone(),
            };
            writeln!(stdout, "{} {target}: {}", report.status, report.detail)?;
        }
    }
    stdout.flush().wrap_err("cannot write to stdout")?;
    let all_valid = reports
        .iter()
        .all(|report| report.status == Status::Valid.as_str());
    Ok(if all_valid { 0 } else { 1 })
}

/// What to check: each `--repository` with the entry a client would use for
/// it, and each entry's registry that no `--repository` names.
fn targets<'c>(
    config: &'c RegistryConfig,
    repositories: &[String],
) -> eyre::Result<Vec<(RegistryAddress, &'c Credential)>> {
    let mut targets = Vec::new();
    for reference in repositories {
        let target = RegistryAddress::parse(reference).map_err(registry_config::Error::from)?;
        if target.repository().is_none() {
            return Err(InputError(format!(
                "--repository {reference}: expected REGISTRY/REPOSITORY"
            ))
            .into());
        }
        let Some((entry, credential)) = config.credential_for(&target) else {
            let registry = target.host();
            return Err(InputError(format!(
                "--repository {reference}: no credential was given for {registry}"
            ))
            .into());
        };
        let plain_http = target.plain_http() || entry.plain_http();
        targets.push((target.with_plain_http(plain_http), credential));
    }
    for (address, credential) in config.entries() {
        let named = targets
            .iter()
            .any(|(target, _)| target.host() == address.host());
        if !named {
            targets.push((address.registry(), credential));
        }
    }
    if targets.is_empty() {
        return Err(InputError(
            "nothing to check: pass --auth, --identity-token, --registry-token or --from-host"
                .into(),
        )
        .into());
    }
    Ok(targets)
}

/// Every check at once, each with its own timeout; results in input order.
pub async fn check_all(
    client: &RegistryClient,
    targets: &[(RegistryAddress, &Credential)],
    push: bool,
) -> Vec<Outcome> {
    let checks = targets
        .iter()
        .map(|(target, credential)| client.check(target, Some(credential), push));
    futures_util::future::join_all(checks).await
}

/// Runs `future` on a single-threaded runtime: checks wait on the network, not the CPU.
pub fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread runtime can always be built")
        .block_on(future)
}
