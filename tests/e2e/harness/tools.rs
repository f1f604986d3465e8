//! Finding the client tools, and skipping (locally) or failing (in CI) without them.
//!
//! A developer without podman should still be able to run the rest of the
//! suite, but CI must never turn green because a tool was not installed.

use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

/// True when `tool` is on `PATH`; otherwise prints why the test is skipped
/// and returns false, or panics when `CI=true`.
pub fn require(tool: &str) -> bool {
    find(tool).is_some() || skip(&format!("`{tool}` is not on PATH"))
}

/// True when every tool is found; each missing one is reported (not only
/// the first), as [`require`] does.
pub fn require_all(tools: &[&str]) -> bool {
    let found: Vec<bool> = tools.iter().map(|tool| require(tool)).collect();
    found.iter().all(|ok| *ok)
}

/// The full path of `tool` on `PATH`.
pub fn find(tool: &str) -> Option<PathBuf> {
    let path = env::var_os("PATH")?;
    env::split_paths(&path)
        .map(|dir| dir.join(tool))
        .find(|candidate| candidate.is_file())
}

/// The Python interpreter for the drivers in `tests/clients/`, if it can import
/// every module in `modules`: `$REGISTRY_CONFIG_PYTHON`, else the repository's
/// `.venv/bin/python` (created by `.ci/run` with helm-sdkpy and oras).
pub fn python(modules: &[&str]) -> Option<PathBuf> {
    let python = env::var_os("REGISTRY_CONFIG_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join(".venv/bin/python"));
    if !python.is_file() {
        skip(&format!(
            "no Python at {} (set REGISTRY_CONFIG_PYTHON)",
            python.display()
        ));
        return None;
    }
    let imports = format!("import {}", modules.join(", "));
    let ok = Command::new(&python)
        .args(["-c", &imports])
        .output()
        .is_ok_and(|out| out.status.success());
    if ok {
        Some(python)
    } else {
        skip(&format!("{} cannot `{imports}`", python.display()));
        None
    }
}

/// A driver script in `tests/clients/`.
pub fn client_script(name: &str) -> PathBuf {
    repo_root().join("tests/clients").join(name)
}

fn repo_root() -> &'static Path {
    // The e2e test belongs to the `cli` crate; the repository is its parent.
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

fn skip(why: &str) -> bool {
    if env::var("CI").is_ok_and(|ci| ci == "true") {
        panic!("CI=true and a test needs what is missing: {why}");
    }
    eprintln!("skipped: {why}");
    false
}
