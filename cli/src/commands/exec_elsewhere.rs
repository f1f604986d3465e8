//! `registry-config exec` where Linux's memory-backed filesystems and private
//! mounts do not exist.
//!
//! - macOS and the other Unix systems: helper mode always (exec_helper.rs):
//!   the files hold no credential, so no memory-backed filesystem is needed.
//!   `--isolation directory` is refused, since the directory would be on disk.
//! - Windows: exec refuses to run. Helper mode's channel is a Unix socket in a
//!   0700 directory; Windows has neither Unix permissions for it nor a Unix
//!   socket in Rust's standard library, and a named pipe with a proper access
//!   list is code that no Windows machine has tested here.

use clap::ArgMatches;

use crate::cli::ExecArgs;

/// Runs the command in helper mode, or refuses.
#[cfg(unix)]
pub fn run(args: &ExecArgs, matches: &ArgMatches) -> eyre::Result<u8> {
    use crate::cli::Isolation;
    use crate::{inputs, verify};
    if args.isolation == Isolation::Directory {
        return Err(crate::inputs::InputError(
            "--isolation directory needs a memory-backed filesystem, which this system does \
             not have; the default (helper) writes no credential to any file"
                .into(),
        )
        .into());
    }
    let config = verify::verify(inputs::resolve(&args.inputs, matches)?, &args.verify)?;
    super::exec_helper::run(args, config)
}

/// Refuses, before any secret is read.
#[cfg(windows)]
pub fn run(_args: &ExecArgs, _matches: &ArgMatches) -> eyre::Result<u8> {
    eyre::bail!(
        "exec is not available on Windows: it has no private channel for the credential helper \
         there; use `registry-config render` or `import` and hand the file to the tool yourself, \
         or run exec under WSL"
    )
}
