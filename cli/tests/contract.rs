//! The CLI contract: what `render` and `exec` print, write and exit with.

mod common;

use std::path::PathBuf;

use common::*;

const TOKEN: &str = "s3cret-token";

#[test]
fn render_prints_the_file_and_nothing_else() {
    let output = run(registry_config().env("TOKEN", TOKEN).args([
        "render",
        "--auth",
        "127.0.0.1:5000=alice:env:TOKEN",
    ]));
    assert_success(&output);
    assert_eq!(
        stdout(&output),
        "{\n\t\"auths\": {\n\t\t\"127.0.0.1:5000\": {\n\t\t\t\"auth\": \"YWxpY2U6czNjcmV0LXRva2Vu\"\n\t\t}\n\t}\n}\n"
    );
}

#[test]
fn every_source_form_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("token");
    std::fs::write(&file, "from-file\n").unwrap();
    let output = run_with_stdin(
        registry_config().env("TOKEN", "from-env").args([
            "render",
            "--format",
            "containers",
            "--auth",
            "a.example=u:env:TOKEN",
            "--auth",
            &format!("b.example=u:file:{}", file.display()),
            "--auth",
            "c.example=u:cmd:printf 'from-cmd\\n'",
            "--identity-token",
            "d.example=stdin",
            "--registry-token",
            "e.example=env:TOKEN",
        ]),
        b"from-stdin\n",
    );
    assert_success(&output);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let auth = |host: &str| json["auths"][host]["auth"].as_str().unwrap().to_owned();
    use base64::Engine;
    let decode = |s: String| {
        String::from_utf8(base64::engine::general_purpose::STANDARD.decode(s).unwrap()).unwrap()
    };
    assert_eq!(decode(auth("a.example")), "u:from-env");
    assert_eq!(decode(auth("b.example")), "u:from-file");
    assert_eq!(decode(auth("c.example")), "u:from-cmd");
    assert_eq!(json["auths"]["d.example"]["identitytoken"], "from-stdin");
    assert_eq!(json["auths"]["e.example"]["registrytoken"], "from-env");
}

#[test]
fn a_later_flag_wins_whichever_flag_it_is() {
    let output = run(registry_config().env("TOKEN", TOKEN).args([
        "render",
        "--identity-token",
        "ghcr.io=env:TOKEN",
        "--auth",
        "https://ghcr.io/=me:env:TOKEN",
    ]));
    assert_success(&output);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(
        json["auths"]["ghcr.io"].get("identitytoken").is_none(),
        "{json}"
    );
}

#[test]
fn bad_input_exits_2_with_one_line_and_no_output() {
    let dir = tempfile::tempdir().unwrap();
    let not_utf8 = dir.path().join("latin1");
    std::fs::write(&not_utf8, b"caf\xe9").unwrap();
    let nul = dir.path().join("nul");
    std::fs::write(&nul, b"a\0b").unwrap();
    let huge = dir.path().join("huge");
    std::fs::write(&huge, vec![b'x'; 1 << 20]).unwrap();
    let not_json = dir.path().join("not.json");
    std::fs::write(&not_json, "auths = 1").unwrap();
    let wrong_shape = dir.path().join("shape.json");
    std::fs::write(&wrong_shape, r#"{"auths": []}"#).unwrap();
    let file = |path: &PathBuf| format!("ghcr.io=me:file:{}", path.display());

    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec!["--auth".into(), "ghcr .io=me:env:TOKEN".into()],
            "invalid registry address \"ghcr .io\"",
        ),
        (
            vec!["--auth".into(), "ghcr.io:99999=me:env:TOKEN".into()],
            "port",
        ),
        (
            vec!["--auth".into(), "ftp://ghcr.io=me:env:TOKEN".into()],
            "only http://",
        ),
        (
            vec!["--auth".into(), "ghcr.io=a:b:env:TOKEN".into()],
            "the username contains ':'",
        ),
        (
            vec!["--auth".into(), "ghcr.io=:env:TOKEN".into()],
            "the username is empty",
        ),
        (
            vec!["--auth".into(), "ghcr.io=me:env:EMPTY".into()],
            "the secret is empty",
        ),
        (
            vec!["--auth".into(), "ghcr.io=me:env:BLANK".into()],
            "only whitespace",
        ),
        (
            vec!["--auth".into(), "ghcr.io=me:env:UNSET_FOR_SURE".into()],
            "--auth #1 for ghcr.io (env:…)",
        ),
        (
            vec!["--auth".into(), "ghcr.io=me:file:/nonexistent/token".into()],
            "No such file",
        ),
        (vec!["--auth".into(), file(&not_utf8)], "not UTF-8"),
        (
            vec![
                "--registry-token".into(),
                format!("ghcr.io=file:{}", nul.display()),
            ],
            "control character",
        ),
        (vec!["--auth".into(), file(&huge)], "larger than 64 KiB"),
        (
            vec!["--auth".into(), "ghcr.io=me:cmd:exit 3".into()],
            "the command failed",
        ),
        (
            vec!["--auth".into(), "ghcr.io=me:cmd:true".into()],
            "the secret is empty",
        ),
        (
            vec!["--auth".into(), "ghcr.io=me:hunter2".into()],
            "never from the command line",
        ),
        (
            vec!["--registry-token".into(), "ghcr.io=hunter2".into()],
            "never from the command line",
        ),
        (vec!["--auth".into(), "ghcr.io".into()], "no '=' was given"),
        (
            vec!["--auth".into(), "ghcr.io/org=me:env:TOKEN".into()],
            "docker format has no per-repository keys",
        ),
        (
            vec![
                "--auth".into(),
                "a.io=u:stdin".into(),
                "--auth".into(),
                "b.io=u:stdin".into(),
            ],
            "stdin",
        ),
        (
            vec!["--from".into(), not_json.display().to_string()],
            "not valid JSON (line 1, column 1)",
        ),
        (
            vec!["--from".into(), wrong_shape.display().to_string()],
            "auths must be a JSON object",
        ),
        (
            vec!["--from".into(), "/nonexistent/config.json".into()],
            "--from /nonexistent/config.json",
        ),
        (
            vec!["--format".into(), "podman".into()],
            "invalid value for --format <FORMAT>; expected one of: docker, containers",
        ),
        (vec!["hunter2".into()], "unexpected argument (not shown"),
        (
            vec!["--password=hunter2".into()],
            "unknown option --password",
        ),
    ];
    for (args, needle) in cases {
        let output = run(registry_config()
            .env("TOKEN", TOKEN)
            .env("EMPTY", "")
            .env("BLANK", "  ")
            .arg("render")
            .args(&args));
        assert_bad_input(&output, needle);
        assert!(!stderr(&output).contains("hunter2"));
    }
}

#[test]
fn from_merges_without_touching_the_base_file() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("config.json");
    let original = r#"{"auths":{"quay.io":{"auth":"cTpx"}},"credsStore":"desktop","credHelpers":{"ghcr.io":"gh"}}"#;
    std::fs::write(&base, original).unwrap();
    let output = run(registry_config().env("TOKEN", TOKEN).args([
        "render",
        "--from",
        base.to_str().unwrap(),
        "--auth",
        "ghcr.io=me:env:TOKEN",
    ]));
    assert!(output.status.success());
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["auths"]["quay.io"]["auth"], "cTpx");
    assert!(
        json.get("credsStore").is_none() && json.get("credHelpers").is_none(),
        "{json}"
    );
    let warnings = stderr(&output);
    assert_eq!(warnings.lines().count(), 2, "{warnings}");
    assert!(
        warnings
            .lines()
            .all(|l| l.starts_with("registry-config: warning: dropped")),
        "{warnings}"
    );
    assert_eq!(
        std::fs::read_to_string(&base).unwrap(),
        original,
        "the base file is untouched"
    );
}

#[test]
fn every_subcommand_help_shows_an_example() {
    for args in [&["--help"][..], &["render", "--help"], &["exec", "--help"]] {
        let output = run(registry_config().args(args));
        assert_success(&output);
        let help = stdout(&output);
        assert!(help.contains("Examples:"), "{args:?}: {help}");
        assert!(
            help.contains("--auth ghcr.io=octocat:env:GITHUB_TOKEN"),
            "{args:?}: {help}"
        );
    }
}

/// On an 80-column terminal, no example command is cut in two by clap's
/// wrapping: a command goes on to the next line only after a `\`, so that
/// copying one line never runs half a command.
#[test]
fn help_examples_are_never_wrapped_mid_command() {
    for args in [
        &["--help"][..],
        &["render", "--help"],
        &["exec", "--help"],
        &["check", "--help"],
        &["import", "--help"],
    ] {
        let output = run(registry_config().env("COLUMNS", "80").args(args));
        assert_success(&output);
        let help = stdout(&output);
        let lines: Vec<&str> = help.lines().collect();
        let start = lines
            .iter()
            .position(|l| l.starts_with("Examples"))
            .unwrap();
        let mut in_command = false;
        for pair in lines[start + 1..].windows(2) {
            let (line, next) = (pair[0].trim_start(), pair[1].trim_start());
            if line.starts_with("registry-config ") || line.starts_with("dagger ") {
                in_command = true;
            }
            if in_command && !line.ends_with('\\') {
                in_command = false;
                let starts_anew = next.is_empty()
                    || next.starts_with('#')
                    || next.starts_with("registry-config ")
                    || next.starts_with("dagger ")
                    || !pair[1].starts_with(' ');
                assert!(starts_anew, "{args:?}: {line:?} is cut before {next:?}");
            }
        }
    }
}

#[test]
fn exec_help_names_every_forwarded_signal() {
    let help = stdout(&run(registry_config().args(["exec", "--help"])));
    assert!(
        help.contains("SIGINT, SIGTERM, SIGHUP and SIGQUIT are forwarded"),
        "{help}"
    );
}

/// The command prints what `exec` gave it: paths, modes and filesystem type.
const REPORT: &str = r#"
    echo "$DOCKER_CONFIG"; echo "$REGISTRY_AUTH_FILE"; echo "$HELM_REGISTRY_CONFIG"
    stat -c %a "$DOCKER_CONFIG" "$DOCKER_CONFIG/config.json" "$REGISTRY_AUTH_FILE"
    stat -f -c %T "$DOCKER_CONFIG"
    exit 7"#;

#[test]
fn exec_hands_private_files_on_a_memory_filesystem_and_removes_them() {
    let output = run(registry_config().env("TOKEN", TOKEN).args([
        "exec",
        "--auth",
        "ghcr.io=me:env:TOKEN",
        "--",
        "sh",
        "-c",
        REPORT,
    ]));
    assert_eq!(
        output.status.code(),
        Some(7),
        "the command's own status: {}",
        stderr(&output)
    );
    let lines: Vec<String> = stdout(&output).lines().map(str::to_owned).collect();
    let [dir, auth_file, helm_file, dir_mode, docker_mode, auth_mode, fs] = &lines[..] else {
        panic!("unexpected report: {lines:?}");
    };
    let dir = PathBuf::from(dir);
    assert!(dir.starts_with("/dev/shm"), "{dir:?}");
    assert_eq!(PathBuf::from(auth_file), dir.join("auth.json"));
    assert_eq!(PathBuf::from(helm_file), dir.join("config.json"));
    assert_eq!(
        (dir_mode.as_str(), docker_mode.as_str(), auth_mode.as_str()),
        ("700", "600", "600")
    );
    assert_eq!(fs, "tmpfs");
    assert!(!dir.exists(), "{dir:?} is removed when the command ends");
}

#[test]
fn exec_prefers_a_memory_backed_xdg_runtime_dir_and_skips_a_disk_one() {
    let runtime = tempfile::Builder::new().tempdir_in("/dev/shm").unwrap();
    let output = run(registry_config()
        .env("XDG_RUNTIME_DIR", runtime.path())
        .args(["exec", "--", "sh", "-c", "echo $DOCKER_CONFIG"]));
    assert!(
        stdout(&output).starts_with(runtime.path().to_str().unwrap()),
        "{}",
        stdout(&output)
    );

    let disk = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    assert_ne!(
        filesystem_type(disk.path()),
        "tmpfs",
        "the test needs a disk directory"
    );
    let output = run(registry_config().env("XDG_RUNTIME_DIR", disk.path()).args([
        "exec",
        "--",
        "sh",
        "-c",
        "echo $DOCKER_CONFIG",
    ]));
    assert!(
        stdout(&output).starts_with("/dev/shm/"),
        "{}",
        stdout(&output)
    );
    assert_eq!(
        std::fs::read_dir(disk.path()).unwrap().count(),
        0,
        "nothing written to disk"
    );
}

/// Linux with no tmpfs at all (here: a mount namespace where /dev/shm is a
/// disk folder and `XDG_RUNTIME_DIR` is unset): the default falls back to
/// helper mode, whose files in `$TMPDIR` hold no credential, and the helper
/// still hands the command its secret.
#[test]
fn exec_without_a_memory_filesystem_falls_back_to_helper_mode() {
    if !nix::unistd::geteuid().is_root() {
        eprintln!("skipped: needs root to mount over /dev/shm in a mount namespace");
        return;
    }
    if !common::tools::require(&["unshare", "mount", "grep"]) {
        return;
    }
    let shm = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let tmp = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    assert_ne!(
        filesystem_type(tmp.path()),
        "tmpfs",
        "the test needs a disk"
    );
    let report = r#"stat -f -c %T "$DOCKER_CONFIG"
        cat "$DOCKER_CONFIG/config.json"; echo
        printf ghcr.io | docker-credential-registry-config get; echo
        grep -rlF "$TOKEN" "$(dirname "$DOCKER_CONFIG")" || echo "no file holds it""#;
    let output = run(std::process::Command::new("unshare")
        .args(["--mount", "--propagation", "private", "sh", "-c"])
        .arg(r#"mount --bind "$SHM" /dev/shm && exec "$@""#)
        .arg("sh")
        .arg(env!("CARGO_BIN_EXE_registry-config"))
        .args([
            "exec",
            "--auth",
            "ghcr.io=me:env:TOKEN",
            "--",
            "sh",
            "-c",
            report,
        ])
        .env_remove("XDG_RUNTIME_DIR")
        .env("SHM", shm.path())
        .env("TMPDIR", tmp.path())
        .env("TOKEN", TOKEN));
    assert_success(&output);
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert_ne!(lines[0], "tmpfs", "{text}");
    let config: serde_json::Value =
        serde_json::from_str(&text[text.find('{').unwrap()..text.find("\n}\n").unwrap() + 2])
            .unwrap();
    assert_eq!(
        config["credHelpers"]["ghcr.io"], "registry-config",
        "{text}"
    );
    assert!(
        text.contains(&format!(r#""Username":"me","Secret":"{TOKEN}""#)),
        "the helper answers: {text}"
    );
    assert_eq!(lines.last(), Some(&"no file holds it"), "{text}");
    assert_eq!(
        std::fs::read_dir(tmp.path()).unwrap().count(),
        0,
        "the directory in $TMPDIR is removed"
    );
}

#[test]
fn exec_reports_a_command_that_cannot_run_and_cleans_up() {
    let output = run(registry_config().args(["exec", "--", "/nonexistent/tool"]));
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("cannot run /nonexistent/tool"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn exec_exit_status_is_128_plus_the_signal() {
    let output = run(registry_config().args(["exec", "--", "sh", "-c", "kill -KILL $$"]));
    assert_eq!(output.status.code(), Some(128 + 9));
}

#[test]
fn exec_forwards_sigterm_and_sigint_and_still_removes_the_directory() {
    let cases = ["auto", "helper"].into_iter().flat_map(|isolation| {
        [
            (isolation, nix::sys::signal::Signal::SIGTERM, "TERM"),
            (isolation, nix::sys::signal::Signal::SIGINT, "INT"),
        ]
    });
    for (isolation, signal, name) in cases {
        let script = format!("trap 'echo got {name}; exit 5' {name}; echo \"$DOCKER_CONFIG\"; while :; do sleep 0.05; done");
        let mut child = registry_config()
            .args(["exec", "--isolation", isolation, "--", "sh", "-c", &script])
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut reader = std::io::BufReader::new(child.stdout.take().unwrap());
        let mut dir = String::new();
        std::io::BufRead::read_line(&mut reader, &mut dir).unwrap();
        let dir = PathBuf::from(dir.trim());
        assert!(dir.exists());
        nix::sys::signal::kill(nix::unistd::Pid::from_raw(child.id() as i32), signal).unwrap();
        let mut rest = String::new();
        std::io::Read::read_to_string(&mut reader, &mut rest).unwrap();
        let status = child.wait().unwrap();
        assert_eq!(
            rest.trim(),
            format!("got {name}"),
            "the command got the signal"
        );
        assert_eq!(status.code(), Some(5), "the command's own status");
        assert!(!dir.exists(), "{isolation}: {dir:?} removed after {name}");
    }
}

#[test]
fn exec_files_hold_both_formats() {
    let output = run(registry_config().env("TOKEN", TOKEN).args([
        "exec",
        "--auth",
        "docker.io=me:env:TOKEN",
        "--",
        "sh",
        "-c",
        "cat \"$DOCKER_CONFIG/config.json\" \"$REGISTRY_AUTH_FILE\"",
    ]));
    assert_success(&output);
    let text = stdout(&output);
    assert!(text.contains("\"https://index.docker.io/v1/\""), "{text}");
    assert!(text.contains("\"docker.io\""), "{text}");
}

/// True while process `pid` exists and is not a zombie waiting to be reaped.
fn alive(pid: &str) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        stat.rsplit(") ")
            .next()
            .is_some_and(|rest| !rest.starts_with('Z'))
    })
}

/// Waits for `child` until `limit`; `None` if it is still running then.
fn wait_at_most(
    child: &mut std::process::Child,
    limit: std::time::Duration,
) -> Option<std::process::ExitStatus> {
    let start = std::time::Instant::now();
    while start.elapsed() < limit {
        if let Some(status) = child.try_wait().unwrap() {
            return Some(status);
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let _ = child.kill();
    None
}

/// `--source-timeout` stops a `cmd:` source and a credential helper with
/// every process they started: a `sleep 30` started in the background is
/// gone when registry-config returns, and one that holds stderr open does
/// not keep the caller (`x=$(registry-config ... 2>&1)`) waiting for it.
#[test]
fn source_timeout_kills_the_whole_process_group() {
    let dir = tempfile::tempdir().unwrap();
    let pid_file = dir.path().join("pid");
    let helper = dir.path().join("docker-credential-hang");
    std::fs::write(
        &helper,
        format!(
            "#!/bin/sh\nsleep 30 >/dev/null 2>&1 </dev/null & echo $! > {}\nwait\n",
            pid_file.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&helper, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    std::fs::write(
        dir.path().join("config.json"),
        r#"{"credHelpers": {"ghcr.io": "hang"}}"#,
    )
    .unwrap();
    let path = format!(
        "{}:{}",
        dir.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let detached = format!(
        "cmd:sleep 30 >/dev/null 2>&1 </dev/null & echo $! > {}; wait",
        pid_file.display()
    );
    let runs: [Vec<String>; 2] = [
        vec![
            "render".into(),
            "--auth".into(),
            format!("r.io=me:{detached}"),
        ],
        vec![
            "import".into(),
            "--from".into(),
            dir.path().join("config.json").display().to_string(),
        ],
    ];
    for args in runs {
        let _ = std::fs::remove_file(&pid_file);
        let output = run(registry_config()
            .env("PATH", &path)
            .args(["--source-timeout", "1"])
            .args(&args));
        assert!(!output.status.success(), "{args:?}");
        assert!(
            stderr(&output).contains("within 1 second"),
            "{}",
            stderr(&output)
        );
        let pid = std::fs::read_to_string(&pid_file).unwrap();
        let pid = pid.trim();
        assert!(
            !alive(pid),
            "{args:?}: the background sleep {pid} outlived the timeout"
        );
    }

    // The grandchild holds stderr: the caller gets its end of file when
    // registry-config returns, long before `sleep 30` would end.
    let mut child = registry_config()
        .args(["--source-timeout", "1", "render", "--auth"])
        .arg(format!(
            "r.io=me:cmd:sleep 30 & echo $! > {}; wait",
            pid_file.display()
        ))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr_pipe = child.stderr.take().unwrap();
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut stderr_pipe, &mut text);
        let _ = sender.send(text);
    });
    let status = wait_at_most(&mut child, std::time::Duration::from_secs(20));
    assert!(status.is_some_and(|s| s.code() == Some(2)), "{status:?}");
    // End of file on stderr well before the sleep's 30 seconds: nothing holds it.
    let text = receiver
        .recv_timeout(std::time::Duration::from_secs(20))
        .expect("stderr is still held open by the command's children");
    assert!(text.contains("--source-timeout"), "{text}");
    let pid = std::fs::read_to_string(&pid_file).unwrap();
    assert!(!alive(pid.trim()), "the sleep holding stderr survived");
}

/// Runs the binary through `sh`, with the redirection `redirect` applied.
fn run_redirected(redirect: &str, args: &str) -> std::process::Output {
    let binary = env!("CARGO_BIN_EXE_registry-config");
    run(std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("exec '{binary}' {args} {redirect}"))
        .env("TOKEN", TOKEN))
}

#[test]
fn a_closed_stdout_is_a_failure() {
    let output = run_redirected(">&-", "render --auth ghcr.io=me:env:TOKEN");
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("stdout is closed"),
        "{}",
        stderr(&output)
    );
    // /dev/null is a place to print to, not a closed stdout.
    let output = run_redirected(">/dev/null", "render --auth ghcr.io=me:env:TOKEN");
    assert_success(&output);
}

#[test]
fn a_full_stderr_is_a_failure_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("config.json");
    // credsStore is dropped with a warning: the warning cannot be written.
    std::fs::write(&base, r#"{"credsStore": "desktop"}"#).unwrap();
    let warning = format!(
        "render --from {} --auth ghcr.io=me:env:TOKEN",
        base.display()
    );
    let output = run_redirected("2>/dev/full", &warning);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout(&output), "", "nothing half-written");
    let output = run_redirected("2>/dev/full", "render --auth ghcr.io=me:env:UNSET_VAR");
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout(&output), "");
    let output = run_redirected("2>/dev/full", "render --timeout x");
    assert_eq!(output.status.code(), Some(1));
}

/// A `cmd:` source runs in a process group of its own (so that a timeout
/// kills all of it), and is given the terminal while it runs: a command that
/// asks for a passphrase on /dev/tty is answered, not stopped by SIGTTIN.
/// `script` provides the terminal.
#[test]
fn a_cmd_source_can_still_read_the_terminal() {
    if !tools::require(&["script"]) {
        return;
    }
    let binary = env!("CARGO_BIN_EXE_registry-config");
    let inner = format!(
        "'{binary}' --source-timeout 10 render --auth r.io=me:cmd:'read x </dev/tty; echo $x'"
    );
    let mut child = std::process::Command::new("script")
        .args(["-qec", &inner, "/dev/null"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run script");
    let mut stdin = child.stdin.take().unwrap();
    // Typed once the command waits for it; the terminal echoes it too.
    std::thread::sleep(std::time::Duration::from_millis(500));
    std::io::Write::write_all(&mut stdin, b"typed-at-the-terminal\n").unwrap();
    drop(stdin);
    let output = child.wait_with_output().unwrap();
    let text = stdout(&output);
    // base64 of "me:typed-at-the-terminal"
    assert!(
        text.contains("bWU6dHlwZWQtYXQtdGhlLXRlcm1pbmFs"),
        "{text}{}",
        stderr(&output)
    );
}
