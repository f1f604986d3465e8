//! Running the real `registry-config` binary, and asserting on what it did.
#![allow(dead_code)] // each test file uses its own share of these helpers

pub mod tools;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// The binary under test, with the environment a test controls.
pub fn registry_config() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_registry-config"));
    command.env_remove("XDG_RUNTIME_DIR").stdin(Stdio::null());
    command
}

/// Runs `command` with `stdin` fed to it.
pub fn run_with_stdin(command: &mut Command, stdin: &[u8]) -> Output {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    // The binary may exit without reading stdin (bad input is refused first).
    let written = child.stdin.take().unwrap().write_all(stdin);
    assert!(written.is_ok() || written.is_err_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe));
    child.wait_with_output().unwrap()
}

/// Runs `command` to its end.
pub fn run(command: &mut Command) -> Output {
    command.output().expect("the binary runs")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Success, with nothing on stderr.
#[track_caller]
pub fn assert_success(output: &Output) {
    assert!(
        output.status.success(),
        "status {:?}, stderr: {}",
        output.status,
        stderr(output)
    );
    assert_eq!(stderr(output), "", "stderr must be empty on success");
}

/// Bad input: status 2, empty stdout, and one error line that contains `needle`.
#[track_caller]
pub fn assert_bad_input(output: &Output, needle: &str) {
    let err = stderr(output);
    assert_eq!(output.status.code(), Some(2), "stderr: {err}");
    assert_eq!(stdout(output), "", "no partial output");
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(
        err.starts_with("registry-config: error: ") || err.starts_with("error: "),
        "{err}"
    );
    assert!(err.contains(needle), "expected {needle:?} in: {err}");
}

/// The filesystem type of `path`, as `stat -f` names it (`tmpfs`, `ext2/ext3`...).
pub fn filesystem_type(path: &Path) -> String {
    let output = Command::new("stat")
        .args(["-f", "-c", "%T"])
        .arg(path)
        .output()
        .unwrap();
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

/// The exec directories in /dev/shm right now, sorted.
pub fn exec_dirs() -> Vec<std::ffi::OsString> {
    let entries = std::fs::read_dir("/dev/shm")
        .unwrap()
        .flatten()
        .map(|e| e.file_name());
    let mut dirs: Vec<_> = entries
        .filter(|name| name.to_string_lossy().starts_with("registry-config-"))
        .collect();
    dirs.sort();
    dirs
}
