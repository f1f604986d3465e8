//! `registry-config render`: the file on stdout, nothing else there.

use std::io::Write;

use clap::ArgMatches;
use eyre::WrapErr;

use crate::cli::RenderArgs;
use crate::{inputs, verify, warn};

/// Renders and prints. Everything is rendered before the first byte is
/// written, so a failure leaves stdout empty.
pub fn run(args: &RenderArgs, matches: &ArgMatches) -> eyre::Result<()> {
    let config = verify::verify(inputs::resolve(&args.inputs, matches)?, &args.verify)?;
    let rendered = config.render(args.format.into())?;
    rendered.warnings().iter().for_each(warn);
    crate::check_stderr()?;
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(rendered.as_bytes())
        .and_then(|()| stdout.flush())
        .wrap_err("cannot write to stdout")
}
