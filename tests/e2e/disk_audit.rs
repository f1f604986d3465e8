//! The disk-write audit: `render`, `check`, `import` and `exec` (with skopeo
//! pushing for real) run under `strace -f`; every file they, or anything they start,
//! create or open for writing must be accounted for. registry-config itself
//! may write only inside its exec directory on /dev/shm, which must be gone
//! afterwards; what skopeo writes is listed by name, with the reason, and is
//! checked for the password.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::harness::image::OciImage;
use crate::harness::sandbox::Sandbox;
use crate::harness::strace::{trace, Write};
use crate::harness::{output, registry_for, tools};

const REGISTRY_CONFIG: &str = env!("CARGO_BIN_EXE_registry-config");

/// Device files and kernel interfaces: writing there stores nothing.
fn is_device(path: &Path) -> bool {
    path == Path::new("/dev/null") || path == Path::new("/dev/tty") || path.starts_with("/dev/pts")
}

/// registry-config's own private directory on the memory-backed filesystem.
fn is_exec_dir(path: &Path) -> bool {
    path.starts_with("/dev/shm")
        && path.components().nth(3).is_some_and(|c| {
            c.as_os_str()
                .to_string_lossy()
                .starts_with("registry-config-")
        })
}

/// What skopeo itself writes, and why it is accounted for: its blob-info
/// cache (digests and locations, no credentials; as root it always lives in
/// /var/lib/containers/cache, with no flag to move it) and its temporary files
/// in the sandbox's TMPDIR (image data).
fn is_skopeo_own(path: &Path, sandbox: &Sandbox) -> bool {
    path.starts_with("/var/lib/containers/cache") || path.starts_with(sandbox.path().join("tmp"))
}

fn registry_config(sandbox: &Sandbox, args: &[&str], password: &str) -> Command {
    let mut command = sandbox.command(REGISTRY_CONFIG);
    command
        .args(args)
        .env("PASSWORD", password)
        .env("DOCKER_CONFIG", sandbox.path().join("home"))
        .env_remove("XDG_RUNTIME_DIR");
    command
}

/// Every write is accounted for; returns the exec directories seen.
#[track_caller]
fn audit(what: &str, writes: &[Write], sandbox: &Sandbox, client_writes: bool) -> Vec<PathBuf> {
    let mut exec_dirs = Vec::new();
    for write in writes {
        let path = &write.path;
        if is_exec_dir(path) {
            exec_dirs.push(path.iter().take(4).collect::<PathBuf>());
        } else if !(is_device(path) || client_writes && is_skopeo_own(path, sandbox)) {
            panic!(
                "{what}: unaccounted write: {} {}",
                write.call,
                path.display()
            );
        }
    }
    exec_dirs
}

#[test]
fn no_write_outside_the_exec_directory() {
    if !tools::require("strace") {
        return;
    }
    let Some(registry) = registry_for(&["skopeo", "umoci"]) else {
        return;
    };
    let sandbox = Sandbox::new();
    let password = registry.password().to_owned();
    let image = OciImage::build();
    let dest = format!("docker://{}/audit/app:1", registry.host());
    let repository = format!("{}/audit/app", registry.host());
    let source = image.reference();
    // A config as `docker login` leaves it, for import; on disk already, as on a laptop.
    let docker_config = sandbox.path().join("home/config.json");
    let auth = base64_auth("alice", &password);
    std::fs::write(
        &docker_config,
        format!(
            r#"{{"auths":{{"{}":{{"auth":"{auth}"}}}}}}"#,
            registry.host()
        ),
    )
    .unwrap();
    let docker_config = docker_config.display().to_string();
    let auth = format!("{}=alice:env:PASSWORD", registry.host());

    let runs: Vec<(&str, Vec<&str>, bool)> = vec![
        ("render", vec!["render", "--auth", &auth], false),
        (
            "render containers",
            vec!["render", "--format", "containers", "--auth", &auth],
            false,
        ),
        (
            "render --verify",
            vec!["render", "--verify", "--auth", &auth],
            false,
        ),
        (
            "render with a literal secret",
            vec!["render", "--auth", "ghcr.io=me:not-a-source"],
            false,
        ),
        ("import", vec!["import", "--from", &docker_config], false),
        ("render --from-host", vec!["render", "--from-host"], false),
        (
            "check",
            vec![
                "check",
                "--auth",
                &auth,
                "--repository",
                &repository,
                "--push",
            ],
            false,
        ),
        (
            "exec skopeo copy",
            vec![
                "exec",
                "--auth",
                &auth,
                "--",
                "skopeo",
                "copy",
                "--dest-tls-verify=false",
                &source,
                &dest,
            ],
            true,
        ),
    ];
    let mut seen_exec_dirs = Vec::new();
    for (what, args, client_writes) in &runs {
        let (out, writes) = trace(&registry_config(&sandbox, args, &password), sandbox.path());
        if *what != "render with a literal secret" {
            output::success(&out, what);
        }
        seen_exec_dirs.extend(audit(what, &writes, &sandbox, *client_writes));
        if what.starts_with("exec") {
            assert!(
                !seen_exec_dirs.is_empty(),
                "{what}: exec wrote its files on /dev/shm: {writes:?}"
            );
        } else {
            assert!(
                writes.iter().all(|w| is_device(&w.path)),
                "{what} writes no file at all: {writes:?}"
            );
        }
    }
    for dir in &seen_exec_dirs {
        assert!(!dir.exists(), "{} is removed after the run", dir.display());
    }
    // skopeo's accounted files hold no credential.
    for root in [
        Path::new("/var/lib/containers/cache"),
        &sandbox.path().join("tmp"),
    ] {
        for file in files_under(root) {
            let bytes = std::fs::read(&file).unwrap_or_default();
            assert!(
                !contains(&bytes, password.as_bytes()),
                "{} holds the password",
                file.display()
            );
        }
    }
}

fn base64_auth(user: &str, password: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
}

fn files_under(root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}
