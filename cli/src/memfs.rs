//! Where exec's private directory can go on Linux: a memory-backed filesystem.

use std::path::{Path, PathBuf};

use eyre::bail;
use nix::sys::statfs::{statfs, FsType, TMPFS_MAGIC};

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
