//! A private directory on a memory-backed filesystem, for `exec`.

use std::fs::{OpenOptions, Permissions};
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use eyre::{bail, WrapErr};
use nix::sys::statfs::{statfs, FsType, TMPFS_MAGIC};
use tempfile::TempDir;

/// Where a private directory can go: `$XDG_RUNTIME_DIR` when it is
/// memory-backed, else `/dev/shm`. Anything on a disk is refused.
pub fn memory_backed_root() -> eyre::Result<PathBuf> {
    let candidates = std::env::var_os("XDG_RUNTIME_DIR")
        .map(PathBuf::from)
        .into_iter()
        .chain([PathBuf::from("/dev/shm")]);
    for candidate in candidates {
        if is_memory_backed(&candidate) {
            return Ok(candidate);
        }
    }
    bail!(
        "no memory-backed filesystem found ($XDG_RUNTIME_DIR is unset or not tmpfs, and /dev/shm \
         is missing or not tmpfs); refusing to write credentials to disk"
    )
}

/// ramfs, which nix does not name.
const RAMFS_MAGIC: FsType = FsType(0x8584_58f6);

fn is_memory_backed(path: &Path) -> bool {
    statfs(path).is_ok_and(|fs| {
        let kind = fs.filesystem_type();
        kind == TMPFS_MAGIC || kind == RAMFS_MAGIC
    })
}

/// Creates a fresh directory, mode 0700, under `root`.
pub fn private_dir(root: &Path) -> eyre::Result<TempDir> {
    tempfile::Builder::new()
        .prefix("registry-config-")
        .permissions(Permissions::from_mode(0o700))
        .tempdir_in(root)
        .wrap_err_with(|| format!("cannot create a private directory in {}", root.display()))
}

/// Writes `bytes` to a new file, mode 0600, that must not exist yet.
pub fn write_private(path: &Path, bytes: &[u8]) -> eyre::Result<()> {
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .and_then(|mut file| file.write_all(bytes))
        .wrap_err_with(|| format!("cannot write {}", path.display()))
}

/// Makes `link` a symbolic link to `target`.
pub fn link(link: &Path, target: &Path) -> eyre::Result<()> {
    std::os::unix::fs::symlink(target, link)
        .wrap_err_with(|| format!("cannot link {} to {}", link.display(), target.display()))
}
