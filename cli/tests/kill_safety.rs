//! `exec` under pressure: many at once, and interrupted.

mod common;

use std::collections::HashSet;
use std::path::PathBuf;
use std::process::Stdio;

use common::*;

/// The tests here take turns: each makes exec directories in /dev/shm, and
/// the count of what the 200 runs left there would otherwise include another
/// test's directory that its guardian has not removed yet.
static TURN: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn my_turn() -> std::sync::MutexGuard<'static, ()> {
    TURN.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// 200 runs at once: each gets its own directory, sees its own credential,
/// and leaves nothing behind.
#[test]
fn two_hundred_concurrent_execs_neither_collide_nor_leave_anything() {
    let _turn = my_turn();
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
    // Other tests' directories come and go meanwhile: none of ours may stay.
    let left: Vec<_> = (exec_dirs().into_iter())
        .filter(|dir| !before.contains(dir))
        .collect();
    assert_eq!(
        left,
        Vec::<std::ffi::OsString>::new(),
        "nothing left in /dev/shm"
    );
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

/// True while a process (the guardian) has `dir` on its command line.
fn guardian_running(dir: &std::path::Path) -> bool {
    let needle = dir.as_os_str().as_encoded_bytes();
    std::fs::read_dir("/proc").unwrap().flatten().any(|entry| {
        std::fs::read(entry.path().join("cmdline"))
            .is_ok_and(|cmdline| cmdline.split(|b| *b == 0).any(|arg| arg == needle))
    })
}

/// Waits (up to 10 s, not a timing assertion) for the guardian to end.
fn guardian_ended_soon(dir: &std::path::Path) -> bool {
    for _ in 0..200 {
        if !guardian_running(dir) {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    false
}

/// Waits (up to 10 s, not a timing assertion) for the guardian to remove `dir`.
fn removed_soon(dir: &std::path::Path) -> bool {
    for _ in 0..200 {
        if !dir.exists() {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    false
}

/// As root the files sit in a tmpfs mounted in a namespace of the command's
/// own: from outside, its directory is empty while it runs, and SIGKILL of
/// registry-config leaves nothing: the guardian removes the empty directory,
/// and the credentials go with the command.
#[test]
fn the_private_mount_is_seen_by_the_command_alone_and_survives_no_sigkill() {
    let _turn = my_turn();
    let (mut child, dir, command_pid) = start_sleeping_exec(registry_config().arg("exec"));
    assert_eq!(
        files_in(&dir),
        Vec::<String>::new(),
        "from outside, {} is empty",
        dir.display()
    );
    child.kill().unwrap(); // SIGKILL registry-config: no cleanup runs
    child.wait().unwrap();
    assert!(removed_soon(&dir), "the guardian removes {}", dir.display());
    kill(command_pid);
}

/// A copy of this test binary's registry-config that `nobody` can run.
fn binary_for_nobody() -> (tempfile::TempDir, PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    let bin = tempfile::Builder::new()
        .prefix("rc-bin-")
        .tempdir_in("/tmp")
        .unwrap();
    let copy = bin.path().join("registry-config");
    runnable_copy(env!("CARGO_BIN_EXE_registry-config").as_ref(), &copy);
    std::fs::set_permissions(bin.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    (bin, copy)
}

/// Copies the program `from` to `to`, and returns once `to` has run.
///
/// A program just written can fail to start with ETXTBSY ("Text file busy"):
/// a thread that forks while the copy is open for writing gives its child
/// that descriptor until the child's own exec closes it. That was seen when
/// these tests ran side by side; they now take turns, and running the copy
/// once, retrying on ETXTBSY, keeps a test that forgets its turn safe too.
fn runnable_copy(from: &std::path::Path, to: &std::path::Path) {
    std::fs::copy(from, to).unwrap();
    for _ in 0..100 {
        match std::process::Command::new(to).arg("--version").output() {
            Err(e) if e.raw_os_error() == Some(nix::libc::ETXTBSY) => {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            ran => {
                ran.unwrap();
                return;
            }
        }
    }
    panic!("{} stayed busy", to.display());
}

fn as_nobody(program: &std::path::Path) -> std::process::Command {
    let mut command = std::process::Command::new("setpriv");
    command
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(program)
        .env_remove("XDG_RUNTIME_DIR")
        .env("HOME", "/nonexistent");
    command
}

fn can_become_nobody() -> bool {
    let able = nix::unistd::geteuid().is_root() && common::tools::require(&["setpriv"]);
    if !able {
        eprintln!("skipped: needs root and setpriv to run as nobody");
    }
    able
}

/// As an unprivileged user, exec takes no user namespace (one mapping a
/// single ID breaks rootless podman, buildah and setuid programs): the files
/// are in the 0700 directory, and a setuid-root program run under exec keeps
/// its privilege. Before the fix, the copy of `id` below reported nobody's
/// effective ID, not root's.
#[test]
fn an_unprivileged_user_gets_the_directory_and_setuid_programs_keep_their_privilege() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let _turn = my_turn();
    if !can_become_nobody() {
        return;
    }
    let (bin, copy) = binary_for_nobody();
    let id = bin.path().join("id");
    runnable_copy("/usr/bin/id".as_ref(), &id);
    std::fs::set_permissions(&id, std::fs::Permissions::from_mode(0o4755)).unwrap();
    let output = run(as_nobody(&copy)
        .env("TOKEN", CANARY)
        .args(["exec", "--auth", "ghcr.io=me:env:TOKEN", "--"])
        .arg(&id));
    assert_success(&output);
    assert!(
        stdout(&output).contains("euid=0("),
        "setuid kept: {}",
        stdout(&output)
    );

    let (mut child, dir, command_pid) = start_sleeping_exec(as_nobody(&copy).arg("exec"));
    let mut files = files_in(&dir);
    files.sort();
    assert_eq!(files, ["auth.json", "config.json"]);
    let meta = std::fs::metadata(&dir).unwrap();
    assert_eq!((meta.uid(), meta.mode() & 0o777), (65534, 0o700));
    assert!(
        guardian_running(&dir),
        "a guardian watches {}",
        dir.display()
    );
    kill(command_pid);
    assert!(child.wait().unwrap().code().is_some());
    assert!(!dir.exists(), "removed after the command");
    assert!(
        !guardian_running(&dir),
        "the guardian ended with registry-config"
    );
}

/// SIGKILL of registry-config, which it cannot catch, and a SIGKILL of its
/// whole process group (a CI runner's timeout) leave nothing: the guardian,
/// in a session of its own, sees the pipe close and removes the directory
/// and its files. The command itself is not stopped by the guardian.
#[test]
fn the_guardian_removes_the_directory_when_registry_config_or_its_group_is_killed() {
    use std::os::unix::process::CommandExt;
    let _turn = my_turn();
    if !can_become_nobody() {
        return;
    }
    let (_bin, copy) = binary_for_nobody();
    for group_kill in [false, true] {
        let mut command = as_nobody(&copy);
        command.arg("exec").process_group(0);
        let (mut child, dir, command_pid) = start_sleeping_exec(&mut command);
        assert!(files_in(&dir).contains(&"auth.json".to_owned()));
        if group_kill {
            let group = nix::unistd::Pid::from_raw(-(child.id() as i32));
            nix::sys::signal::kill(group, nix::sys::signal::Signal::SIGKILL).unwrap();
        } else {
            child.kill().unwrap();
        }
        child.wait().unwrap();
        assert!(
            removed_soon(&dir),
            "{} removed (group kill: {group_kill})",
            dir.display()
        );
        assert!(
            guardian_ended_soon(&dir),
            "the guardian ends after removing it"
        );
        kill(command_pid);
    }
}

/// `--isolation directory` keeps the files in the directory itself; there
/// too the guardian removes them when registry-config is killed, and the
/// security model (docs/security.md) says what is left when the guardian
/// itself is killed.
#[test]
fn the_directory_path_keeps_the_files_in_the_directory_and_the_docs_say_what_sigkill_does() {
    let _turn = my_turn();
    let (mut child, dir, command_pid) =
        start_sleeping_exec(registry_config().args(["exec", "--isolation", "directory"]));
    let mut files = files_in(&dir);
    files.sort();
    assert_eq!(files, ["auth.json", "config.json"]);
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(removed_soon(&dir), "the guardian removes {}", dir.display());
    kill(command_pid);
    let security =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/security.md"))
            .unwrap();
    assert!(security.contains("SIGKILL of registry-config itself cannot be caught"));
}
