//! `exec --isolation helper`: files that hold no credential, and a
//! credential helper that is registry-config itself.
//!
//! The directory gets a `docker/` folder (`DOCKER_CONFIG`) with `config.json`
//! and `auth.json` mapping every registry to the helper `registry-config`
//! (`credHelpers`), the user's Docker settings and links to the user's other
//! Docker entries (contexts, CLI plugins, buildx); a `bin/` folder put first
//! on the command's PATH with `docker-credential-registry-config` (a link to
//! this binary); and the socket of the private channel (helper_channel.rs).
//! `bin/` and the socket sit beside `docker/`, not in it, so no entry of the
//! user's can take their names. The credentials stay in this process's
//! memory; clients get them one registry at a time through the helper. No
//! file holds a secret, so the directory may live on any filesystem: on a
//! memory-backed one where there is one, else in the system's temporary
//! folder.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicI32;
use std::sync::Arc;

use eyre::WrapErr;
use registry_config::{Format, RegistryConfig};

use super::child::{exit_code, forward_signals, pointed_at, started};
use super::credential_helper;
use crate::cli::{ExecArgs, Isolation};
use crate::helper_channel::Channel;
use crate::{private_files, user_docker};

/// Whether `exec` runs in helper mode here: when asked, and by default where
/// no memory-backed filesystem exists.
#[cfg(target_os = "linux")]
pub fn chosen(isolation: Isolation) -> bool {
    match isolation {
        Isolation::Helper => true,
        Isolation::Auto => crate::memfs::memory_backed_root().is_err(),
        Isolation::Directory => false,
    }
}

/// Where the directory goes: a memory-backed filesystem if there is one
/// (nothing there outlives a reboot), else the temporary folder ($TMPDIR; on
/// macOS a per-user folder).
fn root() -> PathBuf {
    #[cfg(target_os = "linux")]
    if let Ok(root) = crate::memfs::memory_backed_root() {
        return root;
    }
    std::env::temp_dir()
}

/// Runs the command with helper-mode files; returns the exit status to leave with.
pub fn run(args: &ExecArgs, mut config: RegistryConfig) -> eyre::Result<u8> {
    debug_assert!(args.isolation != Isolation::Directory);
    // As in directory mode, docker keeps the user's settings and entries;
    // the core refuses a --from file whose credentials would be written.
    let user = user_docker::read_or_warn();
    config.keep_settings_of(&user.config);
    let render = |format| {
        config
            .render_for_helper(format)
            .map_err(registry_config::Error::from)
    };
    let (docker, containers) = (render(Format::Docker)?, render(Format::Containers)?);

    let child_pid = Arc::new(AtomicI32::new(0));
    let pending = Arc::new(AtomicI32::new(0));
    forward_signals(Arc::clone(&child_pid), Arc::clone(&pending))?;

    let dir = private_files::private_dir(&root())?;
    let docker_dir = dir.path().join("docker");
    std::fs::create_dir(&docker_dir)
        .wrap_err_with(|| format!("cannot create {}", docker_dir.display()))?;
    let docker_file = docker_dir.join(Format::Docker.file_name());
    let containers_file = docker_dir.join(Format::Containers.file_name());
    private_files::write_private(&docker_file, docker.as_bytes())?;
    private_files::write_private(&containers_file, containers.as_bytes())?;
    for (name, target) in &user.entries {
        private_files::link(&docker_dir.join(name), target)?;
    }
    let bin = dir.path().join("bin");
    link_helper(&bin)?;
    let channel = Channel::open(dir.path(), config)?;

    let mut command = pointed_at(&args.command, &docker_dir);
    command.env("PATH", path_with(&bin)?).envs(channel.env());
    let mut child = match command.spawn() {
        Ok(child) => child,
        Err(err) => {
            drop(channel);
            dir.close()
                .wrap_err("cannot remove the private directory")?;
            return Err(eyre::eyre!(
                "cannot run {}: {err}",
                args.command[0].to_string_lossy()
            ));
        }
    };
    started(&child, &child_pid, &pending);
    let status = child.wait().wrap_err("cannot wait for the command")?;
    drop(channel);
    let path = dir.path().to_owned();
    dir.close()
        .wrap_err_with(|| format!("cannot remove the private directory {}", path.display()))?;
    Ok(exit_code(status))
}

/// `bin/docker-credential-registry-config`, a link to this binary.
fn link_helper(bin: &Path) -> eyre::Result<()> {
    let exe = std::env::current_exe().wrap_err("cannot find this program's own path")?;
    std::fs::create_dir(bin)
        .and_then(|()| std::os::unix::fs::symlink(&exe, bin.join(credential_helper::program())))
        .wrap_err_with(|| format!("cannot link the credential helper in {}", bin.display()))
}

/// `bin` first, then this process's PATH.
fn path_with(bin: &Path) -> eyre::Result<std::ffi::OsString> {
    let inherited = std::env::var_os("PATH").unwrap_or_default();
    let dirs = std::iter::once(bin.to_path_buf()).chain(std::env::split_paths(&inherited));
    std::env::join_paths(dirs).wrap_err("cannot put the helper on PATH")
}
