//! A clean environment for each client run.
//!
//! Clients also look for credentials in `$HOME` (`~/.docker/config.json`,
//! `~/.config/containers/auth.json`) and in inherited variables, and helm
//! writes caches under `$HOME`. Each test gets a throwaway HOME and TMPDIR and
//! none of the credential variables, so a client can only succeed through the
//! file the test hands it, and nothing is left behind.

use std::path::Path;
use std::process::Command;

use tempfile::TempDir;

/// Variables that point clients at credentials; removed from every client's environment.
const CREDENTIAL_VARS: [&str; 5] = [
    "DOCKER_CONFIG",
    "DOCKER_AUTH_CONFIG",
    "REGISTRY_AUTH_FILE",
    "HELM_REGISTRY_CONFIG",
    "CONTAINERS_CONF",
];

/// A throwaway HOME and TMPDIR for one test's clients (removed on drop).
pub struct Sandbox {
    dir: TempDir,
}

impl Sandbox {
    /// Create the directories.
    pub fn new() -> Sandbox {
        let dir = tempfile::Builder::new()
            .prefix("e2e-sandbox-")
            .tempdir()
            .expect("tempdir");
        for sub in ["home", "tmp"] {
            std::fs::create_dir(dir.path().join(sub)).expect("sandbox dir");
        }
        Sandbox { dir }
    }

    /// The sandbox's root directory (for per-test state such as container storage).
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `program` with the sandbox's environment.
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut cmd = Command::new(program);
        for var in CREDENTIAL_VARS {
            cmd.env_remove(var);
        }
        cmd.env("HOME", self.dir.path().join("home"))
            .env("TMPDIR", self.dir.path().join("tmp"));
        cmd
    }
}
