//! `registry-config exec`: one command, with the rendered files in a private
//! memory-backed directory that is removed when the command ends.

use std::os::unix::process::ExitStatusExt;
use std::process::Command;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::Arc;

use clap::ArgMatches;
use eyre::WrapErr;
use nix::sys::signal::{kill, Signal};
use nix::unistd::Pid;
use registry_config::Format;
use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
use signal_hook::iterator::exfiltrator::WithOrigin;
use signal_hook::iterator::SignalsInfo;
use signal_hook::low_level::siginfo::Cause;

use crate::cli::{ExecArgs, Isolation};
use crate::guardian::GuardedDir;
use crate::private_mount::{self, PrivateFile, PrivateLink};
use crate::{inputs, memfs, user_docker, verify, warn};

/// The signals passed on to the command.
const FORWARDED: [i32; 4] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT];

/// Runs the command and returns the exit status to leave with.
pub fn run(args: &ExecArgs, matches: &ArgMatches) -> eyre::Result<u8> {
    let mut config = verify::verify(inputs::resolve(&args.inputs, matches)?, &args.verify)?;
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
    let (program, program_args) = args.command.split_first().expect("clap requires a command");
    let command = || {
        let mut command = Command::new(program);
        command
            .args(program_args)
            .env("DOCKER_CONFIG", dir.path())
            .env("REGISTRY_AUTH_FILE", &containers_file)
            .env("HELM_REGISTRY_CONFIG", &docker_file);
        command
    };

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
            memfs::write_private(&docker_file, docker.as_bytes())?;
            memfs::write_private(&containers_file, containers.as_bytes())?;
            for (link, to) in &links {
                memfs::link(link, to)?;
            }
            command().spawn()
        }
    };
    drop((docker, containers));
    let mut child = match spawned {
        Ok(child) => child,
        Err(err) => {
            let shown = program.to_string_lossy();
            dir.close()?;
            return Err(eyre::eyre!("cannot run {shown}: {err}"));
        }
    };
    child_pid.store(child.id() as i32, Ordering::SeqCst);
    let early = pending.swap(0, Ordering::SeqCst);
    if early != 0 {
        send(child.id() as i32, early);
    }

    let status = child.wait().wrap_err("cannot wait for the command")?;
    dir.close()?;
    Ok(match (status.code(), status.signal()) {
        (Some(code), _) => code as u8,
        (None, Some(signal)) => 128u8.saturating_add(signal as u8),
        (None, None) => 1,
    })
}

/// Passes SIGINT, SIGTERM, SIGHUP and SIGQUIT on to the command, from a
/// thread that lives as long as the process. Signals the terminal sent
/// (Ctrl-C) already reached the command, which shares our process group, so
/// they are not sent twice. One that arrives before the command starts is
/// kept in `pending`.
fn forward_signals(child_pid: Arc<AtomicI32>, pending: Arc<AtomicI32>) -> eyre::Result<()> {
    let mut signals =
        SignalsInfo::<WithOrigin>::new(FORWARDED).wrap_err("cannot install signal handlers")?;
    std::thread::spawn(move || {
        for origin in signals.forever() {
            if matches!(origin.cause, Cause::Kernel) {
                continue;
            }
            match child_pid.load(Ordering::SeqCst) {
                0 => pending.store(origin.signal, Ordering::SeqCst),
                pid => send(pid, origin.signal),
            }
        }
    });
    Ok(())
}

fn send(pid: i32, signal: i32) {
    if let Ok(signal) = Signal::try_from(signal) {
        // The command may have exited already; nothing to do then.
        let _ = kill(Pid::from_raw(pid), signal);
    }
}
