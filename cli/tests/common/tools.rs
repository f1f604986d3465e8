//! Finding the tools a test needs, and skipping (locally) or failing (in CI)
//! without them: the pattern of tests/e2e/harness/tools.rs.

use std::env;
use std::path::PathBuf;

/// True when every tool is on `PATH`; otherwise prints why the test is
/// skipped and returns false, or panics when `CI=true`.
pub fn require(tools: &[&str]) -> bool {
    match tools.iter().find(|tool| find(tool).is_none()) {
        None => true,
        Some(missing) => skip(&format!("`{missing}` is not on PATH")),
    }
}

/// The full path of `tool` on `PATH`.
pub fn find(tool: &str) -> Option<PathBuf> {
    let path = env::var_os("PATH")?;
    env::split_paths(&path)
        .map(|dir| dir.join(tool))
        .find(|candidate| candidate.is_file())
}

fn skip(why: &str) -> bool {
    if env::var("CI").is_ok_and(|ci| ci == "true") {
        panic!("CI=true and a test needs what is missing: {why}");
    }
    eprintln!("skipped: {why}");
    false
}
