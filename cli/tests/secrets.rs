//! The promise, tested with a canary: a secret never shows up on stderr, on
//! the stdout of anything but `render`, or in any file outside the rendered
//! config, whatever the subcommand and whether the input is good or bad.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use base64::Engine;
use common::*;

const CANARY: &str = "cAnArY-5f1eQ9z-do-not-leak";

/// The canary as it could appear: plain, and base64 of itself or of `user:canary`.
fn canary_forms() -> Vec<String> {
    let mut forms = vec![CANARY.to_owned()];
    for engine in [&STANDARD, &STANDARD_NO_PAD, &URL_SAFE_NO_PAD] {
        forms.push(engine.encode(CANARY));
        forms.push(engine.encode(format!("me:{CANARY}")));
    }
    // An alignment-free piece of the base64 of any text that holds the canary.
    forms.push(STANDARD.encode(&CANARY[3..21])[4..20].to_owned());
    // Other letter cases, percent-encoding, and a piece of ten characters.
    forms.push(CANARY.to_uppercase());
    forms.push(CANARY.to_lowercase());
    forms.push(CANARY[6..16].to_owned());
    forms
}

fn leaks(text: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(text);
    canary_forms()
        .into_iter()
        .filter(|form| text.contains(form.as_str()))
        .collect()
}

/// A private world for one run: its own HOME, TMPDIR and working directory.
struct World {
    root: tempfile::TempDir,
}

impl World {
    fn new() -> Self {
        let root = tempfile::Builder::new()
            .prefix("canary-")
            .tempdir()
            .unwrap();
        for dir in ["home", "tmp", "work"] {
            std::fs::create_dir(root.path().join(dir)).unwrap();
        }
        std::fs::write(root.path().join("work/token"), format!("{CANARY}\n")).unwrap();
        std::fs::write(root.path().join("work/nul"), format!("{CANARY}\0")).unwrap();
        std::fs::write(
            root.path().join("work/bad.json"),
            format!("{{\"auths\": {{\"ghcr.io\": \"{CANARY}\"}}}}"),
        )
        .unwrap();
        std::fs::write(
            root.path().join("work/broken.json"),
            format!("{{\"auths\": {CANARY}"),
        )
        .unwrap();
        let auth = base64::engine::general_purpose::STANDARD.encode(format!("me:{CANARY}"));
        std::fs::create_dir(root.path().join("work/host")).unwrap();
        // A helper that half-works: it prints the secret, then fails.
        std::fs::create_dir_all(root.path().join("work/leaky/bin")).unwrap();
        let helper = root.path().join("work/leaky/bin/docker-credential-leaky");
        std::fs::write(
            &helper,
            format!("#!/bin/sh\ncat >/dev/null\necho '{{\"Secret\":\"{CANARY}\"'\necho {CANARY} >&2\nexit 1\n"),
        )
        .unwrap();
        std::fs::set_permissions(&helper, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .unwrap();
        std::fs::write(
            root.path().join("work/leaky/config.json"),
            r#"{"credHelpers": {"ghcr.io": "leaky"}}"#,
        )
        .unwrap();
        std::fs::write(
            root.path().join("work/host/config.json"),
            format!("{{\"auths\": {{\"127.0.0.1:9\": {{\"auth\": \"{auth}\"}}}}}}"),
        )
        .unwrap();
        Self { root }
    }

    fn command(&self) -> Command {
        let mut command = registry_config();
        command
            .env("HOME", self.root.path().join("home"))
            .env("TMPDIR", self.root.path().join("tmp"))
            .env("TOKEN", CANARY)
            .env("TOKEN_NL", format!("{CANARY}\nsecond line"))
            .env("DOCKER_CONFIG", self.root.path().join("work/host"))
            .env("PATH", self.path_with_helper())
            .current_dir(self.root.path().join("work"));
        command
    }

    /// PATH with the leaky helper's directory first.
    fn path_with_helper(&self) -> std::ffi::OsString {
        let mut dirs = vec![self.root.path().join("work/leaky/bin")];
        dirs.extend(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        ));
        std::env::join_paths(dirs).unwrap()
    }

    /// The files the runs were allowed to leave: the inputs written above.
    fn inputs(&self) -> Vec<PathBuf> {
        [
            "token",
            "nul",
            "bad.json",
            "broken.json",
            "host/config.json",
            "leaky/config.json",
            "leaky/bin/docker-credential-leaky",
        ]
        .iter()
        .map(|f| self.root.path().join("work").join(f))
        .collect()
    }
}

#[test]
fn check_details_never_quote_the_secret_in_any_form() {
    let world = World::new();
    // A registry that echoes the password back in every form it can.
    let (port, server) = echoing_registry();
    let output = run(world.command().args([
        "check",
        "--json",
        "--auth",
        &format!("http://127.0.0.1:{port}=me:env:TOKEN"),
    ]));
    server.join().unwrap();
    let report = stdout(&output);
    assert!(report.contains("\"rejected\""), "{report}");
    assert!(
        report.contains("[redacted]"),
        "the registry's words are kept: {report}"
    );
    assert_eq!(
        leaks(&output.stdout),
        Vec::<String>::new(),
        "check detail: {report}"
    );
}

/// A registry on loopback that answers `GET /v2/` with a Basic challenge,
/// then the credentialed request with a 401 whose body quotes the password
/// as it is, in capitals, in small letters, percent-encoded, base64-encoded
/// alone and as `user:password`, and a piece of it. Serves two requests.
fn echoing_registry() -> (u16, std::thread::JoinHandle<()>) {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = std::thread::spawn(move || {
        for _ in 0..2 {
            let (stream, _) = listener.accept().unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut authorized = false;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap() == 0 || line == "\r\n" {
                    break;
                }
                authorized |= line.to_ascii_lowercase().starts_with("authorization:");
            }
            let body = if authorized {
                let forms = [
                    CANARY.to_owned(),
                    CANARY.to_uppercase(),
                    CANARY.to_lowercase(),
                    CANARY.replace('-', "%2D"),
                    STANDARD.encode(CANARY),
                    STANDARD.encode(format!("me:{CANARY}")),
                    CANARY[6..16].to_owned(),
                ];
                format!(
                    r#"{{"errors":[{{"code":"UNAUTHORIZED","message":"bad {}"}}]}}"#,
                    forms.join(" / ")
                )
            } else {
                String::new()
            };
            let mut stream = stream;
            write!(
                stream,
                "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"r\"\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            )
            .unwrap();
        }
    });
    (port, server)
}

/// Every file under `roots` changed since `since`, except `allowed`.
fn files_changed_since(roots: &[&Path], since: SystemTime, allowed: &[PathBuf]) -> Vec<PathBuf> {
    let mut changed = Vec::new();
    let mut stack: Vec<PathBuf> = roots.iter().map(|r| r.to_path_buf()).collect();
    while let Some(path) = stack.pop() {
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            if let Ok(entries) = std::fs::read_dir(&path) {
                stack.extend(entries.flatten().map(|e| e.path()));
            }
        } else if meta.is_file()
            && meta.modified().is_ok_and(|m| m >= since)
            && !allowed.contains(&path)
        {
            changed.push(path);
        }
    }
    changed
}

#[test]
fn the_canary_never_leaks() {
    let world = World::new();
    let start = SystemTime::now();
    let exec_dirs_before = exec_dirs();
    let render_runs: &[&[&str]] = &[
        &["render", "--auth", "ghcr.io=me:env:TOKEN"],
        &[
            "render",
            "--format",
            "containers",
            "--auth",
            "ghcr.io/org=me:file:token",
        ],
        &[
            "render",
            "--identity-token",
            "ghcr.io=env:TOKEN",
            "--registry-token",
            "quay.io=cmd:printenv TOKEN",
        ],
        &["render", "--auth", "ghcr.io=me:stdin"],
        &["import", "--from", "host/config.json"],
        &["render", "--from-host"],
    ];
    let failing_runs: &[&[&str]] = &[
        &["render", "--auth", "ghcr.io=me:cAnArY-5f1eQ9z-do-not-leak"],
        &[
            "render",
            "--registry-token",
            "ghcr.io=cAnArY-5f1eQ9z-do-not-leak",
        ],
        &[
            "render",
            "--auth",
            "https://me:cAnArY-5f1eQ9z-do-not-leak@ghcr.io=me:env:TOKEN",
        ],
        &["render", "--auth", "ghcr.io/org=me:env:TOKEN"],
        &["render", "--auth", "ghcr.io=a:b:env:TOKEN"],
        &["render", "--registry-token", "ghcr.io=env:TOKEN_NL"],
        // The secret pasted where a variable's name or a path belongs.
        &[
            "render",
            "--auth",
            "ghcr.io=me:env:cAnArY-5f1eQ9z-do-not-leak",
        ],
        &[
            "render",
            "--auth",
            "ghcr.io=me:file:cAnArY-5f1eQ9z-do-not-leak",
        ],
        &[
            "render",
            "--identity-token",
            "ghcr.io=env:cAnArY-5f1eQ9z-do-not-leak",
        ],
        // Usage errors that used to echo the value.
        &[
            "check",
            "--timeout",
            "cAnArY-5f1eQ9z-do-not-leak",
            "--auth",
            "a.io=me:env:TOKEN",
        ],
        &[
            "--source-timeout",
            "cAnArY-5f1eQ9z-do-not-leak",
            "render",
            "--auth",
            "a.io=me:env:TOKEN",
        ],
        &[
            "check",
            "--json=cAnArY-5f1eQ9z-do-not-leak",
            "--auth",
            "a.io=me:env:TOKEN",
        ],
        &[
            "render",
            "--verify=cAnArY-5f1eQ9z-do-not-leak",
            "--auth",
            "a.io=me:env:TOKEN",
        ],
        // A credential helper that fails after printing the secret.
        &["import", "--from", "leaky/config.json"],
        &["render", "--registry-token", "ghcr.io=file:nul"],
        &[
            "render",
            "--auth",
            "ghcr.io=me:cmd:echo cAnArY-5f1eQ9z-do-not-leak; exit 1",
        ],
        &[
            "render",
            "--from",
            "bad.json",
            "--auth",
            "ghcr.io=me:env:TOKEN",
        ],
        &[
            "render",
            "--from",
            "broken.json",
            "--auth",
            "ghcr.io=me:env:TOKEN",
        ],
        &["render", "--format", "cAnArY-5f1eQ9z-do-not-leak"],
        &["render", "cAnArY-5f1eQ9z-do-not-leak"],
        &["cAnArY-5f1eQ9z-do-not-leak"],
        &["render", "--password=cAnArY-5f1eQ9z-do-not-leak"],
        &[
            "exec",
            "--identity-token",
            "ghcr.io=env:TOKEN_NL",
            "--",
            "true",
        ],
        &[
            "exec",
            "--auth",
            "ghcr.io=me:env:TOKEN",
            "--",
            "/nonexistent/tool",
        ],
        &[
            "exec",
            "--isolation",
            "helper",
            "--auth",
            "ghcr.io/org=me:env:TOKEN",
            "--",
            "true",
        ],
        &[
            "exec",
            "--isolation",
            "helper",
            "--registry-token",
            "ghcr.io=env:TOKEN",
            "--",
            "true",
        ],
        &["import", "--from", "bad.json"],
        &["import", "--from", "broken.json"],
        &["check", "--auth", "ghcr.io=me:cAnArY-5f1eQ9z-do-not-leak"],
        &[
            "check",
            "--auth",
            "127.0.0.1:9=me:env:TOKEN",
            "--repository",
            "quay.io/x",
        ],
    ];
    // check's verdicts go to stdout, one line each, with exit status 1.
    let check_runs: &[&[&str]] = &[
        &[
            "check",
            "--timeout",
            "2",
            "--auth",
            "127.0.0.1:9=me:env:TOKEN",
        ],
        &["check", "--timeout", "2", "--from-host", "--json"],
        &["render", "--verify", "--timeout", "2", "--from-host"],
        &[
            "exec",
            "--verify",
            "--timeout",
            "2",
            "--auth",
            "127.0.0.1:9=me:env:TOKEN",
            "--",
            "true",
        ],
    ];
    let quiet_runs: &[&[&str]] = &[
        &["exec", "--auth", "ghcr.io=me:env:TOKEN", "--", "true"],
        // A scope: into auth.json, left out of config.json with a warning.
        &["exec", "--auth", "ghcr.io/org=me:env:TOKEN", "--", "true"],
        &[
            "exec",
            "--auth",
            "ghcr.io=me:env:TOKEN",
            "--",
            "sh",
            "-c",
            "grep -q auth \"$DOCKER_CONFIG/config.json\"",
        ],
        // Helper mode: the helper hands the secret to the command, which keeps it.
        &[
            "exec",
            "--isolation",
            "helper",
            "--auth",
            "ghcr.io=me:env:TOKEN",
            "--",
            "sh",
            "-c",
            "printf ghcr.io | docker-credential-registry-config get | grep -q '\"Secret\"'",
        ],
        &[
            "exec",
            "--identity-token",
            "ghcr.io=stdin",
            "--",
            "sh",
            "-c",
            "test -s \"$REGISTRY_AUTH_FILE\"",
        ],
        &["--help"],
        &["render", "--help"],
        &["exec", "--help"],
        &["check", "--help"],
        &["import", "--help"],
    ];

    for args in render_runs {
        let output = run_with_stdin(
            world.command().args(*args),
            format!("{CANARY}\n").as_bytes(),
        );
        assert_success(&output);
        assert!(
            !leaks(&output.stdout).is_empty(),
            "{args:?}: the rendered file holds the secret"
        );
    }
    for args in failing_runs.iter().chain(quiet_runs) {
        let output = run_with_stdin(
            world.command().args(*args),
            format!("{CANARY}\n").as_bytes(),
        );
        let failed = failing_runs.contains(args);
        assert_eq!(
            !output.status.success(),
            failed,
            "{args:?}: {}",
            stderr(&output)
        );
        assert_eq!(
            leaks(&output.stdout),
            Vec::<String>::new(),
            "{args:?}: stdout"
        );
        assert_eq!(
            leaks(&output.stderr),
            Vec::<String>::new(),
            "{args:?}: stderr {}",
            stderr(&output)
        );
        if failed {
            assert!(
                stderr(&output).starts_with("registry-config: error: "),
                "{args:?}: {}",
                stderr(&output)
            );
        }
    }

    for args in check_runs {
        let output = run(world.command().args(*args));
        assert!(
            !output.status.success(),
            "{args:?}: nothing listens on port 9"
        );
        assert_eq!(
            leaks(&output.stdout),
            Vec::<String>::new(),
            "{args:?}: stdout"
        );
        assert_eq!(
            leaks(&output.stderr),
            Vec::<String>::new(),
            "{args:?}: stderr"
        );
    }

    let roots = [
        world.root.path(),
        Path::new("/tmp"),
        Path::new("/dev/shm"),
        Path::new("/var/tmp"),
    ];
    for path in files_changed_since(&roots, start, &world.inputs()) {
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        assert_eq!(
            leaks(&bytes),
            Vec::<String>::new(),
            "{path:?} holds the canary"
        );
    }
    assert_eq!(
        exec_dirs(),
        exec_dirs_before,
        "exec left a directory behind"
    );
}
