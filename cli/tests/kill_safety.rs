//! `exec` under pressure: many at once, and interrupted.

mod common;

use std::collections::HashSet;
use std::path::PathBuf;
use std::process::Stdio;

use common::*;

/// 200 runs at once: each gets its own directory, sees its own credential,
/// and leaves nothing behind.
#[test]
fn two_hundred_concurrent_execs_neither_collide_nor_leave_anything() {
    let before = exec_dirs();
    let children: Vec<_> = (0..200)
        .map(|i| {
            registry_config()
                .env("TOKEN", format!("token-{i}"))
                .args(["exec", "--auth", &format!("r{i}.example=u:env:TOKEN"), "--"])
                .args([
                    "sh",
                    "-c",
                    "echo \"$DOCKER_CONFIG\"; cat \"$REGISTRY_AUTH_FILE\"",
                ])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn")
        })
        .collect();
    let mut dirs = HashSet::new();
    for (i, child) in children.into_iter().enumerate() {
        let output = child.wait_with_output().unwrap();
        assert_success(&output);
        let text = stdout(&output);
        let (dir, file) = text.split_once('\n').unwrap();
        assert!(
            file.contains(&format!("\"r{i}.example\"")),
            "run {i} saw another run's file: {file}"
        );
        assert!(dirs.insert(PathBuf::from(dir)), "two runs shared {dir}");
        assert!(!PathBuf::from(dir).exists(), "{dir} left behind");
    }
    assert_eq!(dirs.len(), 200);
    assert_eq!(exec_dirs(), before, "nothing left in /dev/shm");
}

/// SIGKILL cannot be caught: the directory of a killed registry-config stays
/// (this is the documented limit of the plain path), and the command is not
/// killed with it. The test proves the limit is what the README says.
#[test]
fn sigkill_of_registry_config_leaves_its_directory_and_the_readme_says_so() {
    let mut child = registry_config()
        .args([
            "exec",
            "--",
            "sh",
            "-c",
            "echo \"$DOCKER_CONFIG\"; exec sleep 5",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    let dir = PathBuf::from(line.trim());
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(dir.exists(), "SIGKILL leaves the directory");
    std::fs::remove_dir_all(&dir).unwrap();
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).unwrap();
    assert!(readme.contains("SIGKILL of registry-config itself cannot be caught"));
}

fn exec_dirs() -> Vec<std::ffi::OsString> {
    let entries = std::fs::read_dir("/dev/shm")
        .unwrap()
        .flatten()
        .map(|e| e.file_name());
    let mut dirs: Vec<_> = entries
        .filter(|n| n.to_string_lossy().starts_with("registry-config-"))
        .collect();
    dirs.sort();
    dirs
}
