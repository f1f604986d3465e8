//! What every `exec` mode does with the command it starts: signals passed on,
//! and its exit status turned into ours.

use std::ffi::OsString;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Command, ExitStatus};
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::Arc;

use eyre::WrapErr;
use nix::sys::signal::{kill, Signal};
use nix::unistd::Pid;
use registry_config::TOOL_ENV;
use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
use signal_hook::iterator::exfiltrator::WithOrigin;
use signal_hook::iterator::SignalsInfo;
use signal_hook::low_level::siginfo::Cause;

/// The signals passed on to the command.
const FORWARDED: [i32; 4] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT];

/// Passes SIGINT, SIGTERM, SIGHUP and SIGQUIT on to the command, from a
/// thread that lives as long as the process. Signals the terminal sent
/// (Ctrl-C) already reached the command, which shares our process group, so
/// they are not sent twice. One that arrives before the command starts is
/// kept in `pending`.
pub fn forward_signals(child_pid: Arc<AtomicI32>, pending: Arc<AtomicI32>) -> eyre::Result<()> {
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

/// Sends `signal` to `pid`, if it is a signal at all.
pub fn send(pid: i32, signal: i32) {
    if let Ok(signal) = Signal::try_from(signal) {
        // The command may have exited already; nothing to do then.
        let _ = kill(Pid::from_raw(pid), signal);
    }
}

/// The command's own exit code, or 128+N when it died of signal N.
pub fn exit_code(status: ExitStatus) -> u8 {
    match (status.code(), status.signal()) {
        (Some(code), _) => code as u8,
        (None, Some(signal)) => 128u8.saturating_add(signal as u8),
        (None, None) => 1,
    }
}

/// Records the started command's PID for [`forward_signals`], and passes on
/// a signal that arrived before it started.
pub fn started(child: &std::process::Child, child_pid: &AtomicI32, pending: &AtomicI32) {
    child_pid.store(child.id() as i32, Ordering::SeqCst);
    let early = pending.swap(0, Ordering::SeqCst);
    if early != 0 {
        send(child.id() as i32, early);
    }
}

/// The command line `command` (program first), pointed at the rendered files
/// in `docker_dir` by the core's [`TOOL_ENV`].
pub fn pointed_at(command: &[OsString], docker_dir: &Path) -> Command {
    let (program, args) = command.split_first().expect("clap requires a command");
    let mut command = Command::new(program);
    command.args(args);
    for (name, file) in TOOL_ENV {
        match file {
            None => command.env(name, docker_dir),
            Some(format) => command.env(name, docker_dir.join(format.file_name())),
        };
    }
    command
}
