//! `registry-config import`: a Docker config's credentials, credential
//! helpers resolved here, printed as a self-contained file.

use std::io::Write;

use eyre::WrapErr;
use registry_config::RegistryConfig;

use crate::cli::ImportArgs;
use crate::host;

/// Resolves and prints. Everything is resolved and rendered before the first
/// byte is written, so a failure leaves stdout empty.
pub fn run(args: &ImportArgs) -> eyre::Result<()> {
    let only = host::parse_registries(&args.registries)?;
    let flag = args.from.as_ref().map(|_| "--from");
    let credentials = host::resolve(flag, args.from.as_deref(), &only, args.skip_unresolved)?;
    let mut config = RegistryConfig::new();
    host::insert_all(&mut config, credentials)?;
    let rendered = config.render(args.format.into())?;
    drop(config);
    crate::check_stderr()?;
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(rendered.as_bytes())
        .and_then(|()| stdout.flush())
        .wrap_err("cannot write to stdout")
}
