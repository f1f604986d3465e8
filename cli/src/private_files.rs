//! A private directory and files in it, for `exec`: mode 0700 and 0600, made
//! fresh, never reusing what is there.

use std::fs::{OpenOptions, Permissions};
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;

use eyre::WrapErr;
use tempfile::TempDir;

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
