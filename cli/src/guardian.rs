//! A small process that removes the exec directory when registry-config
//! dies, even of SIGKILL, which registry-config itself cannot catch.
//!
//! It is `sh`, waiting to read a pipe whose only writing end registry-config
//! holds (close-on-exec, so the command does not get it). When registry-config
//! ends, however it ends, the kernel closes that end and the read returns:
//! the guardian exits, removing the directory first unless registry-config
//! wrote that it did so itself. It never outlives its run.
//! It runs in a session of its own, so that a kill of registry-config's
//! process group (Ctrl-C, a CI runner's timeout) does not take it too, with
//! an empty environment and `/` as its directory: it never holds a secret.
#![allow(unsafe_code)] // `pre_exec` is unsafe; the closure below only calls setsid.

use std::os::fd::OwnedFd;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};

use eyre::WrapErr;
use nix::fcntl::OFlag;
use nix::unistd::{pipe2, setsid};
use tempfile::TempDir;

/// exec's private directory, watched by a guardian from the moment it exists.
pub struct GuardedDir {
    dir: TempDir,
    guardian: Guardian,
}

impl GuardedDir {
    /// A new private directory under `root` (see [`private_files::private_dir`]) and its guardian.
    pub fn create(root: &Path) -> eyre::Result<Self> {
        let dir = crate::private_files::private_dir(root)?;
        match start(dir.path()) {
            Ok(guardian) => Ok(Self { dir, guardian }),
            Err(err) => {
                remove(dir)?;
                Err(err)
            }
        }
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Removes the directory and ends the guardian.
    pub fn close(self) -> eyre::Result<()> {
        remove(self.dir)?;
        self.guardian.stand_down()
    }
}

fn remove(dir: TempDir) -> eyre::Result<()> {
    let path = dir.path().to_owned();
    dir.close()
        .wrap_err_with(|| format!("cannot remove the private directory {}", path.display()))
}

/// A line means registry-config removed the directory itself; end of file
/// without one means it died.
const SCRIPT: &str = "read -r _ || exec rm -rf -- \"$0\"";

/// A running guardian; [`Guardian::stand_down`] ends it.
struct Guardian {
    pipe: OwnedFd,
    process: Child,
}

/// Starts a guardian for `dir`.
fn start(dir: &Path) -> eyre::Result<Guardian> {
    let (read, pipe) = pipe2(OFlag::O_CLOEXEC).wrap_err("cannot make a pipe")?;
    let mut command = Command::new("/bin/sh");
    command
        .args(["-c", SCRIPT])
        .arg(dir)
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .current_dir("/")
        .stdin(Stdio::from(read))
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    // SAFETY: setsid is a single system call, allowed between fork and exec.
    unsafe {
        command.pre_exec(|| setsid().map(drop).map_err(Into::into));
    }
    let process = command
        .spawn()
        .wrap_err("cannot start the process that removes the private directory")?;
    Ok(Guardian { pipe, process })
}

impl Guardian {
    /// Tells the guardian the directory is gone, and waits for it to end.
    fn stand_down(mut self) -> eyre::Result<()> {
        // Should the write fail, end of file still ends it (its rm finds nothing).
        let _ = nix::unistd::write(&self.pipe, b"\n");
        drop(self.pipe);
        self.process
            .wait()
            .wrap_err("cannot wait for the process that removes the private directory")?;
        Ok(())
    }
}
