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

/// Starts `exec` with `args` before `--`, a command that prints its
/// directory and its own PID and then sleeps; returns the child, the
/// directory and the command's PID.
fn start_sleeping_exec(command: &mut std::process::Command) -> (std::process::Child, PathBuf, i32) {
    let mut child = command
        .env("TOKEN", CANARY)
        .args(["--auth", "ghcr.io=me:env:TOKEN", "--", "sh", "-c"])
        .arg("test -s \"$REGISTRY_AUTH_FILE\" && echo \"$DOCKER_CONFIG\" $$ && exec sleep 30")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    let (dir, pid) = line
        .trim()
        .split_once(' ')
        .expect("the command saw its files");
    (child, PathBuf::from(dir), pid.parse().unwrap())
}

const CANARY: &str = "kill-canary-39fQ";

fn files_in(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir).map_or_else(
        |_| Vec::new(),
        |entries| {
            entries
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        },
    )
}

fn kill(pid: i32) {
    let _ = nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(pid),
        nix::sys::signal::Signal::SIGKILL,
    );
}

/// As root (or with unprivileged user namespaces) the files sit in a tmpfs
/// mounted in a namespace of the command's own: from outside, its directory
/// is empty while it runs, and SIGKILL of registry-config leaves at most
/// that empty directory; the credentials go with the command.
#[test]
fn the_private_mount_is_seen_by_the_command_alone_and_survives_no_sigkill() {
    let (mut child, dir, command_pid) = start_sleeping_exec(registry_config().arg("exec"));
    assert_eq!(
        files_in(&dir),
        Vec::<String>::new(),
        "from outside, {} is empty",
        dir.display()
    );
    child.kill().unwrap(); // SIGKILL registry-config: no cleanup runs
    child.wait().unwrap();
    kill(command_pid);
    assert_eq!(
        files_in(&dir),
        Vec::<String>::new(),
        "nothing but the empty directory stays"
    );
    std::fs::remove_dir(&dir).unwrap();
}

/// The same as an unprivileged user, through a user namespace; this runs
/// only as root here (to become `nobody`), and says so when it cannot.
#[test]
fn the_private_mount_works_for_an_unprivileged_user() {
    if !nix::unistd::geteuid().is_root()
        || std::process::Command::new("setpriv")
            .arg("--help")
            .output()
            .is_err()
    {
        eprintln!("skipped: needs root and setpriv to run as nobody");
        return;
    }
    // A copy nobody can run, whatever the target directory's permissions.
    let bin = tempfile::Builder::new()
        .prefix("rc-bin-")
        .tempdir_in("/tmp")
        .unwrap();
    let copy = bin.path().join("registry-config");
    std::fs::copy(env!("CARGO_BIN_EXE_registry-config"), &copy).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(bin.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut command = std::process::Command::new("setpriv");
    command
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(&copy)
        .arg("exec")
        .env_remove("XDG_RUNTIME_DIR");
    let (mut child, dir, command_pid) = start_sleeping_exec(&mut command);
    assert_eq!(
        files_in(&dir),
        Vec::<String>::new(),
        "from outside, {} is empty",
        dir.display()
    );
    kill(command_pid);
    assert!(child.wait().unwrap().code().is_some());
    assert!(!dir.exists(), "removed after the command");
}

/// `--isolation directory` (and machines without namespaces) keep the files in
/// the directory itself, where SIGKILL of registry-config, which cannot be
/// caught, leaves them: the README says so.
#[test]
fn the_directory_path_keeps_the_files_in_the_directory_and_the_readme_says_what_sigkill_does() {
    let (mut child, dir, command_pid) =
        start_sleeping_exec(registry_config().args(["exec", "--isolation", "directory"]));
    let mut files = files_in(&dir);
    files.sort();
    assert_eq!(files, ["auth.json", "config.json"]);
    child.kill().unwrap();
    child.wait().unwrap();
    kill(command_pid);
    assert!(dir.exists(), "SIGKILL leaves the directory and its files");
    std::fs::remove_dir_all(&dir).unwrap();
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).unwrap();
    assert!(readme.contains("SIGKILL of registry-config itself cannot be caught"));
}
