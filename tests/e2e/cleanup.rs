//! Nothing outlives its use: a dropped registry guard leaves no process and no
//! directory, and `registry-config exec` removes the files it handed to the
//! command (kept on tmpfs, 0700/0600 while they exist) even when the command
//! fails, whose exit status it passes on, and when exec itself gets SIGTERM.

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use crate::harness::sandbox::Sandbox;
use crate::harness::{cli, output, registry_for};

#[test]
fn dropped_registry_leaves_nothing() {
    let Some(reg) = registry_for(&[]) else { return };
    let (pid, dir, host) = (reg.pid(), reg.dir().to_path_buf(), reg.host().to_owned());
    let proc_entry = format!("/proc/{pid}");
    assert!(Path::new(&proc_entry).exists() && dir.exists());
    drop(reg);
    assert!(
        !Path::new(&proc_entry).exists(),
        "docker-registry {pid} still exists"
    );
    assert!(!dir.exists(), "{} still exists", dir.display());
    assert!(TcpStream::connect(&host).is_err(), "{host} still answers");
}

/// Run by `exec`: print the three paths and their file system type and modes, fail with 7.
const CHILD: &str = r#"
for f in "$DOCKER_CONFIG/config.json" "$REGISTRY_AUTH_FILE" "$HELM_REGISTRY_CONFIG"; do
  test -f "$f" || { echo "missing $f" >&2; exit 1; }
  echo "$f $(stat -f -c %T "$f") $(stat -c %a "$(dirname "$f")") $(stat -c %a "$f")"
done
exit 7
"#;

#[test]
fn exec_removes_its_files_and_passes_exit_status() {
    let Some(reg) = registry_for(&[]) else { return };
    let sandbox = Sandbox::new();
    let mut child = sandbox.command("sh");
    child.args(["-c", CHILD]);
    let out = cli::exec(reg.host(), reg.password(), &child);
    assert_eq!(
        out.status.code(),
        Some(7),
        "exit status passed on:\n{}",
        output::both(&out)
    );

    let listing = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = listing.lines().collect();
    assert_eq!(lines.len(), 3, "{}", output::both(&out));
    for line in lines {
        let [file, fs_type, dir_mode, file_mode] = line.split(' ').collect::<Vec<_>>()[..] else {
            panic!("unexpected line {line:?}");
        };
        assert_eq!(
            (fs_type, dir_mode, file_mode),
            ("tmpfs", "700", "600"),
            "{file}"
        );
        let dir = Path::new(file).parent().expect("parent");
        assert!(!Path::new(file).exists(), "{file} left behind");
        assert!(!dir.exists(), "{} left behind", dir.display());
    }
}

#[test]
fn exec_cleans_up_when_terminated() {
    let Some(reg) = registry_for(&[]) else { return };
    let sandbox = Sandbox::new();
    let mut child = sandbox.command("sh");
    // `exec sleep`: the signal reaches the process holding the pipe, so it closes.
    child.args(["-c", r#"echo "$DOCKER_CONFIG"; exec sleep 30"#]);
    let mut running = cli::exec_command(reg.host(), reg.password(), &child)
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn registry-config exec");
    let mut dir = String::new();
    let mut stdout = BufReader::new(running.stdout.take().expect("stdout"));
    stdout.read_line(&mut dir).expect("read DOCKER_CONFIG");
    let dir = Path::new(dir.trim());
    assert!(
        dir.is_dir(),
        "{} exists while the command runs",
        dir.display()
    );

    let pid = running.id().to_string();
    let kill = Command::new("kill").args(["-TERM", &pid]).status();
    assert!(kill.expect("run kill").success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = running.try_wait().expect("try_wait") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = running.kill();
            let _ = running.wait();
            panic!("registry-config exec still runs 10 s after SIGTERM");
        }
        sleep(Duration::from_millis(20));
    };
    assert!(!status.success(), "a terminated command is not a success");
    assert!(!dir.exists(), "{} left behind after SIGTERM", dir.display());
}
