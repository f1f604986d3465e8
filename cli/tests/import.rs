//! `import` and `--from-host` against a real credential helper: Debian's
//! `docker-credential-pass` over a `pass` store encrypted with a throwaway
//! GnuPG key, plus a helper that fails and one that is not installed. Every
//! run is checked for the stored secret on stderr.
//!
//! Needs gpg, gpgconf, pass and docker-credential-pass (Debian packages
//! `gnupg`, `pass`, `golang-docker-credential-helpers`); without them the
//! pass tests are skipped, or fail when `CI=true`.

mod common;

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use base64::Engine;
use common::tools::require;
use common::*;

/// The secret stored in the keychain; it must never reach stderr.
const CANARY: &str = "cAnArY-import-7Qx2-do-not-leak";
/// The registry the helper holds `alice:CANARY` for.
const REGISTRY: &str = "registry.example:5000";
/// A registry the helper holds an identity token for (username `<token>`).
const TOKEN_REGISTRY: &str = "token.example";
const TOKEN: &str = "cAnArY-refresh-token-Zk81";

fn auth(username: &str, secret: &str) -> String {
    STANDARD.encode(format!("{username}:{secret}"))
}

/// The canary as it could appear: plain, and base64 of itself or of `alice:canary`.
fn leaks(text: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(text);
    let mut forms = vec![CANARY.to_owned(), TOKEN.to_owned()];
    for engine in [&STANDARD, &STANDARD_NO_PAD, &URL_SAFE_NO_PAD] {
        forms.push(engine.encode(CANARY));
        forms.push(engine.encode(format!("alice:{CANARY}")));
    }
    forms.push(STANDARD.encode(&CANARY[3..21])[4..20].to_owned());
    forms.retain(|form| text.contains(form.as_str()));
    forms
}

/// No secret on stderr, whatever the run; on stdout only when `stdout_may` is true.
#[track_caller]
fn assert_no_leak(output: &Output, stdout_may: bool) {
    assert_eq!(
        leaks(&output.stderr),
        Vec::<String>::new(),
        "stderr: {}",
        stderr(output)
    );
    if !stdout_may {
        assert_eq!(leaks(&output.stdout), Vec::<String>::new(), "stdout");
    }
}

/// A private HOME, a `bin/` put first on PATH, and Docker configs in it.
struct World {
    root: tempfile::TempDir,
}

impl World {
    fn new() -> Self {
        let root = tempfile::Builder::new()
            .prefix("import-")
            .tempdir()
            .unwrap();
        for dir in ["home", "bin", "gnupg", "store"] {
            std::fs::create_dir(root.path().join(dir)).unwrap();
        }
        // A helper that fails the way real ones do: a message on stdout, status 1.
        let broken = root.path().join("bin/docker-credential-broken");
        std::fs::write(
            &broken,
            "#!/bin/sh\ncat >/dev/null\necho 'keychain is locked: helper-said-ghp_5eCr3t0'\nexit 1\n",
        )
        .unwrap();
        std::fs::set_permissions(&broken, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .unwrap();
        Self { root }
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.root.path().join(relative)
    }

    /// Environment for any program of the test: its own HOME, GnuPG home,
    /// password store and PATH; no DOCKER_CONFIG of the caller's.
    fn env<'c>(&self, command: &'c mut Command) -> &'c mut Command {
        let path = std::env::var_os("PATH").unwrap_or_default();
        let mut dirs = vec![self.path("bin")];
        dirs.extend(std::env::split_paths(&path));
        command
            .env("HOME", self.path("home"))
            .env("GNUPGHOME", self.path("gnupg"))
            .env("PASSWORD_STORE_DIR", self.path("store"))
            .env("PATH", std::env::join_paths(dirs).unwrap())
            .env_remove("DOCKER_CONFIG")
    }

    fn registry_config(&self) -> Command {
        let mut command = registry_config();
        self.env(&mut command);
        command
    }

    /// Writes `DIR/config.json` and returns DIR.
    fn docker_config(&self, dir: &str, json: &str) -> PathBuf {
        let dir = self.path(dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("config.json"), json).unwrap();
        dir
    }
}

/// A `pass` store with a throwaway GnuPG key, holding `alice:CANARY` for
/// REGISTRY and an identity token for TOKEN_REGISTRY. The gpg-agent it starts
/// is killed when it is dropped, also when a test fails.
struct PassStore {
    world: World,
}

impl PassStore {
    fn new() -> Option<Self> {
        if !require(&["gpg", "gpgconf", "pass", "docker-credential-pass"]) {
            return None;
        }
        // Built first, so that Drop stops the agent even if a step below fails.
        let store = Self {
            world: World::new(),
        };
        std::fs::set_permissions(
            store.world.path("gnupg"),
            std::os::unix::fs::PermissionsExt::from_mode(0o700),
        )
        .unwrap();
        store.tool(
            "gpg",
            &[
                "--batch",
                "--pinentry-mode",
                "loopback",
                "--passphrase",
                "",
                "--quick-gen-key",
                "registry-config test <test@registry-config.invalid>",
                "default",
                "default",
                "never",
            ],
            b"",
        );
        let keys = store.tool("gpg", &["--batch", "--list-keys", "--with-colons"], b"");
        let fingerprint = String::from_utf8(keys.stdout)
            .unwrap()
            .lines()
            .find_map(|line| {
                line.strip_prefix("fpr:")
                    .map(|rest| rest.trim_matches(':').to_owned())
            })
            .expect("gpg lists the new key's fingerprint");
        store.tool("pass", &["init", &fingerprint], b"");
        for (server, username, secret) in [
            (REGISTRY, "alice", CANARY),
            (TOKEN_REGISTRY, "<token>", TOKEN),
        ] {
            let json = format!(
                r#"{{"ServerURL":"{server}","Username":"{username}","Secret":"{secret}"}}"#
            );
            store.tool("docker-credential-pass", &["store"], json.as_bytes());
        }
        Some(store)
    }

    /// Runs a tool of the set-up, which must succeed.
    fn tool(&self, program: &str, args: &[&str], stdin: &[u8]) -> Output {
        let mut command = Command::new(program);
        self.world
            .env(&mut command)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let output = run_with_stdin(&mut command, stdin);
        assert!(
            output.status.success(),
            "{program} {args:?}: {}",
            stderr(&output)
        );
        output
    }
}

impl Drop for PassStore {
    fn drop(&mut self) {
        for args in [&["--kill", "gpg-agent"][..], &["--remove-socketdir"]] {
            let _ = Command::new("gpgconf")
                .env("GNUPGHOME", self.world.path("gnupg"))
                .args(args)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
    }
}

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|_| panic!("not JSON: {}", stdout(output)))
}

/// Status 1, empty stdout, one error line holding every needle.
#[track_caller]
fn assert_unresolved(output: &Output, needles: &[&str]) {
    let err = stderr(output);
    assert_eq!(output.status.code(), Some(1), "stderr: {err}");
    assert_eq!(stdout(output), "", "no partial output");
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(err.starts_with("registry-config: error: "), "{err}");
    for needle in needles {
        assert!(err.contains(needle), "expected {needle:?} in: {err}");
    }
}

#[test]
fn import_resolves_creds_store_and_cred_helpers() {
    let Some(pass) = PassStore::new() else { return };
    let world = &pass.world;
    let quay = auth("robot", "plain-pw");
    let store = world.docker_config(
        "store",
        &format!(r#"{{"credsStore": "pass", "auths": {{"{REGISTRY}": {{}}}}}}"#),
    );
    let helpers = world.docker_config(
        "helpers",
        &format!(
            r#"{{"auths": {{"quay.io": {{"auth": "{quay}"}}}}, "credHelpers": {{"{REGISTRY}": "pass"}}}}"#
        ),
    );

    // credsStore: every registry the store lists, the identity token included.
    let config = store.join("config.json");
    let output = run(world
        .registry_config()
        .args(["import", "--from"])
        .arg(&config));
    assert_success(&output);
    assert_no_leak(&output, true);
    let rendered = json(&output);
    assert_eq!(rendered["auths"][REGISTRY]["auth"], auth("alice", CANARY));
    assert_eq!(rendered["auths"][TOKEN_REGISTRY]["identitytoken"], TOKEN);
    assert_eq!(
        rendered["auths"].as_object().unwrap().len(),
        2,
        "{rendered}"
    );
    assert!(
        !stdout(&output).contains("credsStore") && !stdout(&output).contains("credHelpers"),
        "no helper reference left"
    );

    // credHelpers: the helper's entry, and the plain auths entry as it is.
    let output = run(world
        .registry_config()
        .args(["import", "--from"])
        .arg(helpers.join("config.json")));
    assert_success(&output);
    assert_no_leak(&output, true);
    let rendered = json(&output);
    assert_eq!(rendered["auths"]["quay.io"]["auth"], quay);
    assert_eq!(rendered["auths"][REGISTRY]["auth"], auth("alice", CANARY));

    // The default path ($DOCKER_CONFIG, else ~/.docker), --registry in another
    // spelling, and the containers format.
    std::fs::create_dir(world.path("home/.docker")).unwrap();
    std::fs::copy(&config, world.path("home/.docker/config.json")).unwrap();
    for docker_config in [None, Some(&helpers)] {
        let mut command = world.registry_config();
        if let Some(dir) = docker_config {
            command.env("DOCKER_CONFIG", dir);
        }
        let output = run(command.args([
            "import",
            "--registry",
            "https://REGISTRY.example:5000/",
            "--format",
            "containers",
        ]));
        assert_success(&output);
        assert_no_leak(&output, true);
        let rendered = json(&output);
        assert_eq!(rendered["auths"][REGISTRY]["auth"], auth("alice", CANARY));
        assert_eq!(
            rendered["auths"].as_object().unwrap().len(),
            1,
            "{rendered}"
        );
    }

    // A registry the store holds nothing for: pass answers with an empty secret.
    let output = run(world
        .registry_config()
        .args(["import", "--registry", "other.example", "--from"])
        .arg(&config));
    assert_unresolved(
        &output,
        &["docker-credential-pass", "other.example", "no secret"],
    );
    assert_no_leak(&output, false);
}

#[test]
fn render_and_exec_from_host_use_the_keychain_credential() {
    let Some(pass) = PassStore::new() else { return };
    let world = &pass.world;
    let dir = world.docker_config(
        "docker",
        &format!(r#"{{"credHelpers": {{"{REGISTRY}": "pass"}}}}"#),
    );

    let output = run(world
        .registry_config()
        .env("DOCKER_CONFIG", &dir)
        .args(["render", "--from-host"]));
    assert_success(&output);
    assert_no_leak(&output, true);
    assert_eq!(
        json(&output)["auths"][REGISTRY]["auth"],
        auth("alice", CANARY)
    );

    // An explicit flag comes after the host's credentials, and wins.
    let output = run(world
        .registry_config()
        .env("DOCKER_CONFIG", &dir)
        .env("BOB_TOKEN", "bobs-token")
        .args([
            "render",
            "--auth",
            &format!("{REGISTRY}=bob:env:BOB_TOKEN"),
            "--from-host",
        ]));
    assert_success(&output);
    assert_eq!(
        json(&output)["auths"][REGISTRY]["auth"],
        auth("bob", "bobs-token")
    );

    let output = run(world.registry_config().env("DOCKER_CONFIG", &dir).args([
        "exec",
        "--from-host",
        "--",
        "sh",
        "-c",
        "cat \"$DOCKER_CONFIG/config.json\"",
    ]));
    assert_success(&output);
    assert_no_leak(&output, true);
    assert_eq!(
        json(&output)["auths"][REGISTRY]["auth"],
        auth("alice", CANARY)
    );
    assert!(
        !stdout(&output).contains("credHelpers"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn a_failing_helper_is_named_with_its_registry() {
    let world = World::new();
    let plain = auth("robot", "plain-pw");
    let dir = world.docker_config(
        "docker",
        &format!(
            r#"{{"auths": {{"quay.io": {{"auth": "{plain}"}}}}, "credHelpers": {{"broken.example": "broken"}}}}"#
        ),
    );
    let config = dir.join("config.json");
    // Nothing the helper printed is shown (it may be a secret).
    let needles = [
        "docker-credential-broken",
        "broken.example",
        "the helper failed (exit status: 1); what it printed is not shown",
    ];

    let output = run(world
        .registry_config()
        .args(["import", "--from"])
        .arg(&config));
    assert_unresolved(&output, &needles);
    assert!(
        !stderr(&output).contains("helper-said"),
        "{}",
        stderr(&output)
    );
    let output = run(world.registry_config().env("DOCKER_CONFIG", &dir).args([
        "exec",
        "--from-host",
        "--",
        "true",
    ]));
    assert_unresolved(&output, &needles);
    assert!(
        !stderr(&output).contains("helper-said"),
        "{}",
        stderr(&output)
    );

    let output = run(world
        .registry_config()
        .args(["import", "--skip-unresolved", "--from"])
        .arg(&config));
    assert_skipped(&output, &needles);
    assert!(
        !stderr(&output).contains("helper-said"),
        "{}",
        stderr(&output)
    );
    assert_eq!(json(&output)["auths"]["quay.io"]["auth"], plain);
    assert!(json(&output)["auths"].get("broken.example").is_none());
    let output = run(world.registry_config().env("DOCKER_CONFIG", &dir).args([
        "exec",
        "--from-host",
        "--skip-unresolved",
        "--",
        "sh",
        "-c",
        "cat \"$DOCKER_CONFIG/config.json\"",
    ]));
    assert_skipped(&output, &needles);
    assert!(
        !stderr(&output).contains("helper-said"),
        "{}",
        stderr(&output)
    );
    assert_eq!(json(&output)["auths"]["quay.io"]["auth"], plain);
}

#[test]
fn a_missing_helper_is_named_with_its_registry() {
    let world = World::new();
    let dir = world.docker_config(
        "docker",
        r#"{"credsStore": "not-installed-anywhere", "auths": {"https://index.docker.io/v1/": {}}}"#,
    );
    let config = dir.join("config.json");
    let needles = ["docker-credential-not-installed-anywhere", "not installed"];

    let output = run(world
        .registry_config()
        .args(["import", "--from"])
        .arg(&config));
    assert_unresolved(&output, &needles);
    assert!(
        !stderr(&output).contains("helper-said"),
        "{}",
        stderr(&output)
    );
    let output = run(world
        .registry_config()
        .args(["import", "--registry", "docker.io", "--from"])
        .arg(&config));
    assert_unresolved(
        &output,
        &[&needles[..], &["https://index.docker.io/v1/"]].concat(),
    );
    let output = run(world
        .registry_config()
        .env("DOCKER_CONFIG", &dir)
        .args(["render", "--from-host"]));
    assert_unresolved(&output, &needles);
    assert!(
        !stderr(&output).contains("helper-said"),
        "{}",
        stderr(&output)
    );

    let output = run(world
        .registry_config()
        .args(["import", "--skip-unresolved", "--from"])
        .arg(&config));
    assert!(output.status.success(), "{}", stderr(&output));
    let warnings = stderr(&output);
    assert!(
        warnings
            .lines()
            .all(|line| line.starts_with("registry-config: warning: ")),
        "{warnings}"
    );
    assert!(
        warnings.contains("docker-credential-not-installed-anywhere"),
        "{warnings}"
    );
    assert!(
        warnings.contains("https://index.docker.io/v1/"),
        "{warnings}"
    );
    assert_eq!(json(&output), serde_json::json!({"auths": {}}));
}

/// Status 0, a warning naming the helper and the registry, and the output.
#[track_caller]
fn assert_skipped(output: &Output, needles: &[&str]) {
    let warnings = stderr(output);
    assert_eq!(output.status.code(), Some(0), "stderr: {warnings}");
    assert_eq!(warnings.lines().count(), 1, "one line: {warnings}");
    assert!(
        warnings.starts_with("registry-config: warning: left "),
        "{warnings}"
    );
    assert!(warnings.contains("--skip-unresolved"), "{warnings}");
    for needle in needles {
        assert!(
            warnings.contains(needle),
            "expected {needle:?} in: {warnings}"
        );
    }
}

#[test]
fn a_bad_config_is_bad_input_and_is_never_quoted() {
    let world = World::new();
    let cases = [
        (
            format!("{{\"auths\": {CANARY}"),
            "not valid JSON (line 1, column 11)",
        ),
        (
            format!(r#"{{"auths": {{"ghcr.io": {{"auth": "{CANARY}!"}}}}}}"#),
            "auths entry \"ghcr.io\": its auth field is not base64",
        ),
        (
            format!(
                r#"{{"auths": {{"ghcr.io": {{"auth": "{}"}}}}}}"#,
                STANDARD.encode(CANARY)
            ),
            "does not decode to username:password",
        ),
        (
            r#"{"credsStore": 7}"#.to_owned(),
            "credsStore must be a string",
        ),
        (
            r#"{"credHelpers": {"ghcr.io": "../../bin/sh"}}"#.to_owned(),
            "invalid credential helper name",
        ),
    ];
    for (content, needle) in cases {
        let dir = world.docker_config("bad", &content);
        let output = run(world
            .registry_config()
            .args(["import", "--from"])
            .arg(dir.join("config.json")));
        assert_bad_input(&output, needle);
        assert_no_leak(&output, false);
        let output = run(world.registry_config().env("DOCKER_CONFIG", &dir).args([
            "exec",
            "--from-host",
            "--",
            "true",
        ]));
        assert_bad_input(&output, needle);
        assert_no_leak(&output, false);
    }
    let output =
        run(world
            .registry_config()
            .args(["import", "--from", "/nonexistent/config.json"]));
    assert_bad_input(&output, "--from /nonexistent/config.json: cannot read it");
    let output = run(world
        .registry_config()
        .args(["import", "--registry", "ghcr .io"]));
    assert_bad_input(&output, "invalid registry address \"ghcr .io\"");
    let output = run(world
        .registry_config()
        .args(["render", "--skip-unresolved"]));
    assert_bad_input(&output, "--from-host");
}

#[test]
fn import_help_shows_an_example() {
    let output = run(registry_config().args(["import", "--help"]));
    assert_success(&output);
    let help = stdout(&output);
    assert!(help.contains("Examples:"), "{help}");
    assert!(
        help.contains("  registry-config import --registry ghcr.io"),
        "{help}"
    );
    for flag in ["--from", "--registry", "--format", "--skip-unresolved"] {
        assert!(help.contains(flag), "{flag}: {help}");
    }
    for args in [
        ["render", "--help"],
        ["exec", "--help"],
        ["check", "--help"],
    ] {
        let help = stdout(&run(registry_config().args(args)));
        assert!(help.contains("--from-host"), "{args:?}: {help}");
    }
}

#[test]
fn without_from_an_error_names_the_file_alone() {
    let world = World::new();
    let dir = world.path("nowhere");
    let output = run(world
        .registry_config()
        .env("DOCKER_CONFIG", &dir)
        .arg("import"));
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(!err.contains("--from"), "no --from was given: {err}");
    assert!(
        err.contains(&format!("{}/config.json: cannot read it", dir.display())),
        "{err}"
    );
}
