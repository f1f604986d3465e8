//! Private container storage for podman and buildah.
//!
//! As root, podman and buildah default to /var/lib/containers, /run/containers,
//! /run/libpod and a lock in /dev/shm (libpod_lock). Each test gets its own
//! `--root`/`--runroot` with the vfs driver (no overlay mounts to undo) and a
//! containers.conf with file locks and a private tmp_dir, so tests do not share
//! state and everything goes away with the sandbox.

use std::fs;
use std::path::PathBuf;
use std::process::Command;

use super::sandbox::Sandbox;

/// Container storage inside a sandbox.
pub struct Storage {
    root: PathBuf,
    runroot: PathBuf,
    conf: PathBuf,
}

impl Storage {
    /// Lay out `storage/{root,run,tmp}` and `storage/containers.conf` in the sandbox.
    pub fn new(sandbox: &Sandbox) -> Storage {
        let base = sandbox.path().join("storage");
        let (root, runroot, tmp) = (base.join("root"), base.join("run"), base.join("tmp"));
        for dir in [&root, &runroot, &tmp] {
            fs::create_dir_all(dir).expect("storage dir");
        }
        let conf = base.join("containers.conf");
        fs::write(
            &conf,
            format!(
                "[engine]\nlock_type = \"file\"\ntmp_dir = \"{}\"\nevents_logger = \"none\"\n\
                 cgroup_manager = \"cgroupfs\"\n",
                tmp.display()
            ),
        )
        .expect("write containers.conf");
        Storage {
            root,
            runroot,
            conf,
        }
    }

    /// `tool` (podman or buildah) with the storage flags, in the sandbox's environment.
    pub fn command(&self, sandbox: &Sandbox, tool: &str) -> Command {
        let mut cmd = sandbox.command(tool);
        cmd.env("CONTAINERS_CONF", &self.conf)
            .arg("--root")
            .arg(&self.root)
            .arg("--runroot")
            .arg(&self.runroot)
            .args(["--storage-driver", "vfs"]);
        cmd
    }
}
