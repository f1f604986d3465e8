//! `registry-config exec`: one command, with the rendered files in a private
//! memory-backed directory that is removed when the command ends.

use std::sync::atomic::AtomicI32;
use std::sync::Arc;

use clap::ArgMatches;
use eyre::WrapErr;
use registry_config::Format;

use super::child::{exit_code, forward_signals, pointed_at, started};
use super::exec_helper;
use crate::cli::{ExecArgs, Isolation};
use crate::guardian::GuardedDir;
use crate::private_mount::{self, PrivateFile, PrivateLink};
use crate::{inputs, memfs, private_files, user_docker, verify, warn};

/// Runs the command and returns the exit status to leave with.
pub fn run(args: &ExecArgs, matches: &ArgMatches) -> eyre::Result<u8> {
    let mut config = verify::verify(inputs::resolve(&args.inputs, matches)?, &args.verify)?;
    if exec_helper::chosen(args.isolation) {
        return exec_helper::run(args, config);
    }
    // docker's settings are the user's (none when it has none), whatever
    // a --from file held: docker behaves as without registry-config.
    let user = user_docker::read_or_warn();
    config.keep_settings_of(&user.config);
    let docker = config.render_what_fits(Format::Docker);
    let containers = config.render(Format::Containers)?;
    docker.warnings().iter().for_each(warn);
    drop(config);

    // Handlers go in before the directory exists, so that no signal can
    // end this process between creating the directory and removing it.
    let child_pid = Arc::new(AtomicI32::new(0));
    let pending = Arc::new(AtomicI32::new(0));
    forward_signals(Arc::clone(&child_pid), Arc::clone(&pending))?;

    let dir = GuardedDir::create(&memfs::memory_backed_root()?)?;
    let links: Vec<_> = (user.entries.iter())
        .map(|(name, target)| (dir.path().join(name), target))
        .collect();
    let docker_file = dir.path().join(Format::Docker.file_name());
    let containers_file = dir.path().join(Format::Containers.file_name());
    let command = || pointed_at(&args.command, dir.path());

    // A mount only the command sees, where the machine allows it (root);
    // else the files in the private directory itself, which the guardian
    // removes should registry-config be killed.
    let mut spawned = None;
    if args.isolation == Isolation::Auto {
        let mut private = command();
        let files = vec![
            PrivateFile::new(&docker_file, docker.as_bytes()),
            PrivateFile::new(&containers_file, containers.as_bytes()),
        ];
        let links = links.iter().map(|(link, to)| PrivateLink::new(link, to));
        private_mount::prepare(&mut private, dir.path(), files, links.collect());
        match private.spawn() {
            Err(err) if private_mount::is_unavailable(&err) => {}
            result => spawned = Some(result),
        }
    }
    let spawned = match spawned {
        Some(result) => result,
        None => {
            private_files::write_private(&docker_file, docker.as_bytes())?;
            private_files::write_private(&containers_file, containers.as_bytes())?;
            for (link, to) in &links {
                private_files::link(link, to)?;
            }
            command().spawn()
        }
    };
    drop((docker, containers));
    let mut child = match spawned {
        Ok(child) => child,
        Err(err) => {
            let shown = args.command[0].to_string_lossy();
            dir.close()?;
            return Err(eyre::eyre!("cannot run {shown}: {err}"));
        }
    };
    started(&child, &child_pid, &pending);

    let status = child.wait().wrap_err("cannot wait for the command")?;
    dir.close()?;
    Ok(exit_code(status))
}
