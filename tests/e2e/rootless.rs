//! `registry-config exec` with its default isolation, and in helper mode, as
//! users who are not root: one with subordinate ID ranges (rootless podman
//! and buildah use them through newuidmap/newgidmap), and `nobody`. podman
//! and buildah pull and push against the real registry with the credentials
//! exec hands them. Before the fix, exec put them in a user namespace mapping
//! one ID, and podman failed with "cannot setresgid: Invalid argument".

use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::process::{Command, Output};

use crate::harness::cli::{render_file, Format, BIN, PASSWORD_VAR};
use crate::harness::image::OciImage;
use crate::harness::registry::{Registry, USER};
use crate::harness::{output, registry_for};

const TOOLS: &[&str] = &["podman", "buildah", "skopeo", "umoci", "setpriv", "useradd"];

/// The user the test creates, with subordinate ID ranges.
const SUBID_USER: &str = "rc-rootless";

/// A user's throwaway HOME, with a containers.conf that keeps podman's and
/// buildah's state inside it (file locks, no cgroups).
struct Home {
    dir: tempfile::TempDir,
    uid: u32,
}

impl Home {
    fn new(uid: u32) -> Home {
        let dir = tempfile::Builder::new()
            .prefix("e2e-rootless-")
            .tempdir_in("/tmp")
            .expect("tempdir");
        let conf = format!(
            "[engine]\nlock_type = \"file\"\ntmp_dir = \"{}/tmp\"\nevents_logger = \"none\"\n\
             cgroup_manager = \"cgroupfs\"\n",
            dir.path().display()
        );
        std::fs::write(dir.path().join("containers.conf"), conf).expect("containers.conf");
        std::fs::create_dir(dir.path().join("tmp")).expect("tmp");
        for path in [
            dir.path(),
            &dir.path().join("tmp"),
            &dir.path().join("containers.conf"),
        ] {
            nix::unistd::chown(path, Some(uid.into()), None).expect("chown");
        }
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
        Home { dir, uid }
    }

    /// `registry-config exec --auth HOST=alice:env:… -- TOOL --root … ARGS` as
    /// this home's user, with a clean environment.
    fn exec(&self, reg: &Registry, tool: &str, args: &[&str]) -> Output {
        self.exec_isolated(reg, "auto", tool, args)
    }

    /// [`Home::exec`] with `--isolation ISOLATION`.
    fn exec_isolated(&self, reg: &Registry, isolation: &str, tool: &str, args: &[&str]) -> Output {
        let home = self.dir.path();
        Command::new("setpriv")
            .arg(format!("--reuid={}", self.uid))
            .arg(format!("--regid={}", gid_of(self.uid)))
            .arg("--init-groups")
            .args(["env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin"])
            .arg(format!("HOME={}", home.display()))
            .arg(format!("TMPDIR={}/tmp", home.display()))
            .arg(format!(
                "CONTAINERS_CONF={}/containers.conf",
                home.display()
            ))
            .arg(format!("{PASSWORD_VAR}={}", reg.password()))
            .args([BIN, "exec", "--isolation", isolation, "--auth"])
            .arg(format!("{}={USER}:env:{PASSWORD_VAR}", reg.host()))
            .args(["--", tool, "--storage-driver", "vfs", "--root"])
            .arg(home.join("storage"))
            .arg("--runroot")
            .arg(home.join("run"))
            .args(args)
            .output()
            .expect("run registry-config exec as the user")
    }
}

/// Rootless podman leaves a pause process holding its user namespace; it
/// goes with the test.
impl Drop for Home {
    fn drop(&mut self) {
        for file in pause_files(self.dir.path()) {
            let pid = std::fs::read_to_string(&file).unwrap_or_default();
            if let Ok(pid) = pid.trim().parse::<i32>() {
                let pid = nix::unistd::Pid::from_raw(pid);
                let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGKILL);
            }
        }
    }
}

/// Every `pause.pid` under `dir`.
fn pause_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                pending.push(path);
            } else if entry.file_name() == "pause.pid" {
                found.push(path);
            }
        }
    }
    found
}

fn gid_of(uid: u32) -> u32 {
    nix::unistd::User::from_uid(uid.into())
        .ok()
        .flatten()
        .map_or(uid, |user| user.gid.as_raw())
}

/// Creates [`SUBID_USER`] (once per machine) with subordinate ID ranges
/// (useradd gives some where login.defs says so; else they are added);
/// its UID and the first subordinate UID.
fn subid_user() -> (u32, String) {
    let exists = |name: &str| nix::unistd::User::from_name(name).ok().flatten();
    if exists(SUBID_USER).is_none() {
        let out = Command::new("useradd")
            .args([
                "--no-create-home",
                "--shell",
                "/usr/sbin/nologin",
                SUBID_USER,
            ])
            .output()
            .expect("useradd");
        // Another test may have created it meanwhile.
        assert!(
            out.status.success() || exists(SUBID_USER).is_some(),
            "useradd: {out:?}"
        );
    }
    for file in ["/etc/subuid", "/etc/subgid"] {
        let ranges = std::fs::read_to_string(file).unwrap_or_default();
        if !ranges
            .lines()
            .any(|line| line.starts_with(&format!("{SUBID_USER}:")))
        {
            use std::io::Write;
            let mut f = std::fs::OpenOptions::new()
                .append(true)
                .create(true)
                .open(file)
                .unwrap();
            writeln!(f, "{SUBID_USER}:300000:65536").unwrap();
        }
    }
    let ranges = std::fs::read_to_string("/etc/subuid").unwrap();
    let first = ranges
        .lines()
        .find_map(|line| line.strip_prefix(&format!("{SUBID_USER}:")))
        .and_then(|range| range.split(':').next())
        .expect("a subordinate range")
        .to_owned();
    (
        exists(SUBID_USER).expect("the user exists").uid.as_raw(),
        first,
    )
}

/// Pushes the tiny image to `HOST/base:v1` as root, for the users to pull.
fn seed(reg: &Registry) {
    let image = OciImage::build();
    let file = render_file(reg.host(), reg.password(), Format::Containers);
    let out = Command::new("skopeo")
        .arg("copy")
        .arg("--authfile")
        .arg(file.path())
        .arg("--dest-tls-verify=false")
        .arg(image.reference())
        .arg(format!("docker://{}/base:v1", reg.host()))
        .output()
        .expect("skopeo copy");
    output::success(&out, "skopeo copy (seed)");
}

/// Pull `base:v1` and push it back as `rootless/TOOL-LABEL:v1`, through exec.
fn pull_push(reg: &Registry, home: &Home, tool: &str, label: &str) {
    pull_push_isolated(reg, home, "auto", tool, label)
}

/// [`pull_push`] with `--isolation ISOLATION`.
fn pull_push_isolated(reg: &Registry, home: &Home, isolation: &str, tool: &str, label: &str) {
    let base = format!("{}/base:v1", reg.host());
    let pull = ["pull", "-q", "--tls-verify=false", &base];
    let pulled = home.exec_isolated(reg, isolation, tool, &pull);
    output::success(&pulled, &format!("{tool} pull as {label}"));
    let repo = format!("rootless/{tool}-{label}");
    let dest = format!("docker://{}/{repo}:v1", reg.host());
    let push = ["push", "--tls-verify=false", &base, &dest];
    let pushed = home.exec_isolated(reg, isolation, tool, &push);
    output::success(&pushed, &format!("{tool} push as {label}"));
    assert!(
        reg.tags(&repo).contains("\"v1\""),
        "the registry lists {repo}:v1"
    );
}

fn is_root() -> bool {
    nix::unistd::geteuid().is_root()
}

#[test]
fn podman_and_buildah_pull_and_push_as_a_user_with_subordinate_ids() {
    if !is_root() {
        eprintln!("skipped: creating a user needs root");
        return;
    }
    let Some(reg) = registry_for(TOOLS) else {
        return;
    };
    seed(&reg);
    let (uid, first_subuid) = subid_user();
    let home = Home::new(uid);
    // podman's own user namespace holds the subordinate range: the proof that
    // exec no longer stands in the way of newuidmap.
    let map = home.exec(&reg, "podman", &["unshare", "cat", "/proc/self/uid_map"]);
    let map = output::success(&map, "podman unshare");
    assert!(
        map.split_whitespace().any(|id| id == first_subuid),
        "podman maps the subordinate IDs from {first_subuid}: {map}"
    );
    for tool in ["podman", "buildah"] {
        pull_push(&reg, &home, tool, "subid");
        // Helper mode too: from inside their own user namespace, the tools
        // still reach exec's socket through the helper.
        pull_push_isolated(&reg, &home, "helper", tool, "helper");
    }
}

/// Lets [`SUBID_USER`] run `/usr/bin/id` as root through sudo while it
/// lives; nothing else.
struct SudoRule(std::path::PathBuf);

impl SudoRule {
    fn grant() -> SudoRule {
        use std::io::Write;
        let path = std::path::PathBuf::from(format!("/etc/sudoers.d/{SUBID_USER}-e2e"));
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o440)
            .open(&path)
            .expect("write the sudoers rule");
        writeln!(file, "{SUBID_USER} ALL=(root) NOPASSWD: /usr/bin/id").unwrap();
        SudoRule(path)
    }
}

impl Drop for SudoRule {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// sudo, a setuid program, works under exec as root (private mount, no user
/// namespace) and as a user sudo lets run `id` as root. Before the fix the
/// user's sudo ran in a user namespace where it is not setuid root, and failed.
#[test]
fn sudo_works_under_exec_as_root_and_as_a_user() {
    if !is_root() {
        eprintln!("skipped: configuring sudo needs root");
        return;
    }
    if !["sudo", "setpriv", "useradd"]
        .map(crate::harness::tools::require)
        .iter()
        .all(|ok| *ok)
    {
        return;
    }
    let exec_args = [
        BIN,
        "exec",
        "--auth",
        "r.example=me:env:REGISTRY_PASSWORD",
        "--",
    ];
    let as_root = Command::new(exec_args[0])
        .args(&exec_args[1..])
        .env(PASSWORD_VAR, "sudo-canary")
        .args(["sudo", "-n", "-u", "nobody", "/usr/bin/id", "-u"])
        .output()
        .expect("run registry-config exec");
    assert_eq!(output::success(&as_root, "sudo as root").trim(), "65534");

    let (uid, _) = subid_user();
    let _rule = SudoRule::grant();
    let as_user = Command::new("setpriv")
        .arg(format!("--reuid={uid}"))
        .arg(format!("--regid={}", gid_of(uid)))
        .arg("--init-groups")
        .args(["env", "-i", "PATH=/usr/bin:/bin", "HOME=/nonexistent"])
        .arg(format!("{PASSWORD_VAR}=sudo-canary"))
        .args(exec_args)
        .args(["sudo", "-n", "/usr/bin/id", "-u"])
        .output()
        .expect("run registry-config exec as the user");
    assert_eq!(output::success(&as_user, "sudo as the user").trim(), "0");
}

#[test]
fn podman_and_buildah_pull_and_push_as_nobody() {
    if !is_root() {
        eprintln!("skipped: becoming nobody needs root");
        return;
    }
    let Some(reg) = registry_for(TOOLS) else {
        return;
    };
    seed(&reg);
    let home = Home::new(65534);
    for tool in ["podman", "buildah"] {
        pull_push(&reg, &home, tool, "nobody");
    }
}
