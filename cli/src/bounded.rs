//! Running a short-lived command that hands over a secret on stdout (a
//! `cmd:` source, a credential helper): bounded in time, and in how much of
//! its output is kept.

use std::io::{Read, Write};
#[cfg(unix)]
use std::os::unix::process::CommandExt;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use zeroize::Zeroizing;

use crate::source::command_timeout;

/// How much of a command's stderr is kept when it is captured (for its first
/// line, on failure).
const STDERR_KEPT: usize = 4 * 1024;

/// A command that ran to its end.
pub struct Finished {
    /// How it ended.
    pub status: ExitStatus,
    /// The first `stdout_limit` bytes of its stdout, in a buffer allocated once.
    pub stdout: Zeroizing<Vec<u8>>,
    /// True when it printed more than that.
    pub overflowed: bool,
    /// The start of its stderr, when captured; empty when it went to ours.
    pub stderr: Zeroizing<Vec<u8>>,
}

/// Why a command did not finish.
#[derive(Debug)]
pub enum RunError {
    /// The program does not exist.
    NotFound,
    /// It could not be started or read.
    Io(std::io::Error),
    /// It ran past `--source-timeout` and was killed, with every process
    /// of its process group.
    TimedOut,
}

/// Runs `command` with `input` on stdin (none: /dev/null), within
/// [`command_timeout`], in a process group of its own: on timeout the whole
/// group is killed, so a `sleep` that `sh -c` started cannot outlive it and
/// hold our stderr (or the caller's `$(...)`) open. Both pipes are drained to their end on threads, so
/// the command never blocks on a full pipe; stderr is captured or, for a
/// command the user wrote, left to go to ours.
pub fn run(
    mut command: Command,
    input: Option<&[u8]>,
    stdout_limit: usize,
    capture_stderr: bool,
) -> Result<Finished, RunError> {
    command
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped());
    if capture_stderr {
        command.stderr(Stdio::piped());
    }
    #[cfg(unix)]
    command.process_group(0);
    let mut child = command.spawn().map_err(|err| match err.kind() {
        std::io::ErrorKind::NotFound => RunError::NotFound,
        _ => RunError::Io(err),
    })?;
    // Lent for as long as the command runs; taken back on every way out.
    let _terminal = lend_terminal(&child);
    let deadline = Instant::now() + command_timeout();
    let (sender, receiver) = mpsc::channel::<PipeRead>();
    let mut pipes: Vec<(Pipe, Box<dyn Read + Send>, usize)> = Vec::new();
    if let Some(stdout) = child.stdout.take() {
        pipes.push((Pipe::Stdout, Box::new(stdout), stdout_limit));
    }
    if let Some(stderr) = child.stderr.take() {
        pipes.push((Pipe::Stderr, Box::new(stderr), STDERR_KEPT));
    }
    let expected = pipes.len();
    for (pipe, reader, keep) in pipes {
        let sender = sender.clone();
        std::thread::spawn(move || {
            let _ = sender.send((pipe, drain(reader, keep)));
        });
    }
    drop(sender);
    // The input is one short line: it fits the pipe's buffer, so this cannot
    // block. A command that exits without reading it gives EPIPE, ignored.
    if let (Some(mut stdin), Some(input)) = (child.stdin.take(), input) {
        let _ = stdin.write_all(input);
    }

    let kill = |child: &mut std::process::Child| {
        kill_group(child);
        RunError::TimedOut
    };
    let mut finished = Finished {
        status: ExitStatus::default(),
        stdout: Zeroizing::new(Vec::new()),
        overflowed: false,
        stderr: Zeroizing::new(Vec::new()),
    };
    for _ in 0..expected {
        let left = deadline.saturating_duration_since(Instant::now());
        let Ok((pipe, read)) = receiver.recv_timeout(left) else {
            // A grandchild may still hold a pipe open: its reader is left behind.
            return Err(kill(&mut child));
        };
        let (kept, overflowed) = read.map_err(RunError::Io)?;
        match pipe {
            Pipe::Stdout => (finished.stdout, finished.overflowed) = (kept, overflowed),
            Pipe::Stderr => finished.stderr = kept,
        }
    }
    match wait_until(&mut child, deadline).map_err(RunError::Io)? {
        Some(status) => finished.status = status,
        None => return Err(kill(&mut child)),
    }
    Ok(finished)
}

/// Gives the terminal to the child's process group (see `terminal`).
#[cfg(unix)]
fn lend_terminal(child: &std::process::Child) -> Option<crate::terminal::Lent> {
    let pid = i32::try_from(child.id()).ok()?;
    crate::terminal::lend(nix::unistd::Pid::from_raw(pid))
}

/// Windows has no terminal process groups to hand over.
#[cfg(not(unix))]
fn lend_terminal(_child: &std::process::Child) -> Option<()> {
    None
}

/// Kills the child's process group (its id is the child's), then reaps the child.
#[cfg(unix)]
fn kill_group(child: &mut std::process::Child) {
    use nix::sys::signal::{killpg, Signal};
    use nix::unistd::Pid;
    match i32::try_from(child.id()) {
        Ok(pid) => {
            let _ = killpg(Pid::from_raw(pid), Signal::SIGKILL);
        }
        Err(_) => {
            let _ = child.kill();
        }
    }
    let _ = child.wait();
}

/// Kills the child, then reaps it. Windows: only the child itself; what it
/// started would need a job object, which the standard library does not
/// offer (docs/security.md, "Platforms").
#[cfg(not(unix))]
fn kill_group(child: &mut std::process::Child) {
    let _ = child.kill();
    let _ = child.wait();
}

/// Which pipe a reader thread drained.
#[derive(Clone, Copy)]
enum Pipe {
    Stdout,
    Stderr,
}

/// What a reader thread sends back: which pipe, what it kept, whether it overflowed.
type PipeRead = (Pipe, std::io::Result<(Zeroizing<Vec<u8>>, bool)>);

/// Waits for the child, which has closed its pipes and so is exiting, until `deadline`.
fn wait_until(
    child: &mut std::process::Child,
    deadline: Instant,
) -> std::io::Result<Option<ExitStatus>> {
    let mut pause = Duration::from_micros(50);
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Some(status));
        }
        if Instant::now() >= deadline {
            return Ok(None);
        }
        std::thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(5));
    }
}

/// Reads `reader` to its end, keeping the first `keep` bytes in a buffer
/// allocated once (no stray copies of a secret) and discarding the rest, so
/// that the command never blocks on a full pipe. Returns whether anything was
/// discarded.
fn drain(mut reader: impl Read, keep: usize) -> std::io::Result<(Zeroizing<Vec<u8>>, bool)> {
    let mut kept = Zeroizing::new(vec![0u8; keep]);
    let mut filled = 0;
    let mut overflowed = false;
    let mut scratch = Zeroizing::new([0u8; 4096]);
    loop {
        let buffer: &mut [u8] = if filled < keep {
            &mut kept[filled..]
        } else {
            &mut scratch[..]
        };
        match reader.read(buffer) {
            Ok(0) => break,
            Ok(n) if filled < keep => filled += n,
            Ok(_) => overflowed = true,
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => {}
            Err(err) => return Err(err),
        }
    }
    kept.truncate(filled);
    Ok((kept, overflowed))
}
