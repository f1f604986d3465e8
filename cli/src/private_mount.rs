//! The exec files in a mount only the command sees.
//!
//! Just before the command starts, in the forked child, a new mount namespace
//! is made, a tmpfs is mounted on the exec directory, and the files (and the
//! links to the user's Docker directory) are made there. registry-config
//! itself never writes them where others can see: its directory stays empty,
//! and when the command and everything it started have ended, the tmpfs is
//! gone with their namespace, even if registry-config was killed with SIGKILL.
//!
//! This needs CAP_SYS_ADMIN, so root. It takes no user namespace: one that
//! maps a single ID, the only kind an unprivileged process can make alone,
//! breaks rootless podman and buildah (they need the user's subordinate IDs)
//! and setuid programs such as sudo. Other users get the directory itself.
//!
//! Code between fork and exec may only make async-signal-safe calls: every
//! path is a `CStr` and every buffer is made before the fork, so nothing here
//! allocates.
#![allow(unsafe_code)] // `pre_exec` is unsafe; the closure below keeps its rules.

use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::Command;

use nix::errno::Errno;
use nix::fcntl::{open, OFlag, AT_FDCWD};
use nix::mount::{mount, MsFlags};
use nix::sched::{unshare, CloneFlags};
use nix::sys::stat::Mode;
use nix::unistd::{symlinkat, write};
use zeroize::Zeroizing;

/// A file to write in the private mount.
pub struct PrivateFile {
    path: CString,
    content: Zeroizing<Vec<u8>>,
}

impl PrivateFile {
    /// A file at `path` (inside the exec directory) holding `content`.
    pub fn new(path: &Path, content: &[u8]) -> Self {
        Self {
            path: CString::new(path.as_os_str().as_bytes()).expect("paths hold no NUL"),
            content: Zeroizing::new(content.to_vec()),
        }
    }
}

/// A symbolic link to make in the private mount.
pub struct PrivateLink {
    path: CString,
    target: CString,
}

impl PrivateLink {
    /// A link at `path` (inside the exec directory) pointing to `target`.
    pub fn new(path: &Path, target: &Path) -> Self {
        let c_path = |path: &Path| CString::new(path.as_os_str().as_bytes()).expect("no NUL");
        Self {
            path: c_path(path),
            target: c_path(target),
        }
    }
}

/// Makes `command` start in a private mount namespace with `files` and
/// `links` on a tmpfs mounted at `dir`. If that cannot be done (not root),
/// spawning fails with the errno, and [`is_unavailable`] says so.
pub fn prepare(
    command: &mut Command,
    dir: &Path,
    files: Vec<PrivateFile>,
    links: Vec<PrivateLink>,
) {
    let target = CString::new(dir.as_os_str().as_bytes()).expect("paths hold no NUL");
    let setup = move || -> std::io::Result<()> {
        unshare(CloneFlags::CLONE_NEWNS)?;
        // Nothing mounted from here on may reach the parent's namespace.
        mount(
            None::<&std::ffi::CStr>,
            c"/",
            None::<&std::ffi::CStr>,
            MsFlags::MS_REC | MsFlags::MS_PRIVATE,
            None::<&std::ffi::CStr>,
        )?;
        mount(
            Some(c"tmpfs"),
            target.as_c_str(),
            Some(c"tmpfs"),
            MsFlags::MS_NOSUID | MsFlags::MS_NODEV | MsFlags::MS_NOEXEC,
            Some(c"mode=0700,size=1m"),
        )?;
        for file in &files {
            let flags = OFlag::O_WRONLY | OFlag::O_CREAT | OFlag::O_EXCL | OFlag::O_CLOEXEC;
            let fd = open(file.path.as_c_str(), flags, Mode::from_bits_truncate(0o600))?;
            write_all(&fd, &file.content)?;
        }
        for link in &links {
            symlinkat(link.target.as_c_str(), AT_FDCWD, link.path.as_c_str())?;
        }
        Ok(())
    };
    // SAFETY: the closure makes only system calls (unshare, mount, open,
    // write, symlink, close) on buffers and paths made before the fork; it allocates
    // nothing and takes no lock, as code between fork and exec must.
    unsafe {
        command.pre_exec(setup);
    }
}

/// True when spawning failed because a private mount could not be made here.
pub fn is_unavailable(err: &std::io::Error) -> bool {
    let unavailable = [Errno::EPERM, Errno::EACCES, Errno::EINVAL, Errno::ENOSYS];
    err.raw_os_error()
        .is_some_and(|code| unavailable.contains(&Errno::from_raw(code)))
}

fn write_all(fd: &std::os::fd::OwnedFd, mut content: &[u8]) -> std::io::Result<()> {
    while !content.is_empty() {
        match write(fd, content) {
            Ok(written) => content = &content[written..],
            Err(Errno::EINTR) => {}
            Err(errno) => return Err(errno.into()),
        }
    }
    Ok(())
}
