//! `registry-config check`: are these credentials accepted, before a tool
//! finds out halfway through a push?

use std::io::Write;

use clap::ArgMatches;
use eyre::WrapErr;
use registry_config::auth::{Outcome, Status};
use std::borrow::Borrow;

use registry_config::CheckTarget;
use serde::Serialize;

use crate::cli::CheckArgs;
use crate::inputs;
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
    let repositories: Vec<&str> = args.repositories.iter().map(String::as_str).collect();
    let targets = config.check_targets(&repositories)?;
    let client = RegistryClient::new(args.network.timeout(), args.network.ca_file.as_deref())?;
    let outcomes = block_on(check_all(&client, &targets, args.push));

    let reports: Vec<Report> = targets
        .iter()
        .zip(outcomes)
        .map(|(planned, outcome)| Report {
            registry: planned.target.host().to_owned(),
            repository: planned.target.repository().map(str::to_owned),
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

/// Every check at once, each with its own timeout; results in input order.
pub async fn check_all(
    client: &RegistryClient,
    targets: &[CheckTarget<'_>],
    push: bool,
) -> Vec<Outcome> {
    let checks = targets
        .iter()
        .map(|planned| client.check(&planned.target, Some(planned.credential.borrow()), push));
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
