//! `registry-config exec --isolation helper`: the rendered files hold no
//! credential, only `credHelpers` naming `registry-config`, and every client
//! that reads helpers (docker CLI, skopeo, podman, buildah, helm v4) gets the
//! credential from `docker-credential-registry-config`, which asks the running
//! exec. Before each client runs, the command searches the exec directory
//! for the password and its `auth` value and stops if a file holds either
//! (harness/cli.rs `exec_checked`); the same search run in directory mode
//! finds them, so it is a search that can fail.
//!
//! oras-py reads no credential helpers and is not among them (docs/real-tools.md).

use std::path::Path;
use std::process::{Command, Stdio};

use crate::harness::cli::{exec_checked, BIN};
use crate::harness::engines::Engine;
use crate::harness::sandbox::Sandbox;
use crate::harness::via::Via;
use crate::harness::{output, registry_for};

#[test]
fn docker_cli_reads_the_helper() {
    let Some(reg) = registry_for(&["docker", "skopeo", "umoci"]) else {
        return;
    };
    let sandbox = Sandbox::new();
    let reference = crate::docker::pushed_image(&reg, &sandbox);
    let via = Via::ExecHelper {
        host: reg.host(),
        password: reg.password(),
    };
    let out = via.run(crate::docker::inspect(&sandbox, None, &reference), &[]);
    let manifest = output::success(&out, "docker manifest inspect under helper mode");
    assert!(manifest.contains("application/vnd.oci.image.layer.v1.tar+gzip"));

    let wrong = Via::ExecHelper {
        host: reg.host(),
        password: "wrong-password",
    };
    let out = wrong.run(crate::docker::inspect(&sandbox, None, &reference), &[]);
    output::failure(&out, "docker with a wrong password", &["no such manifest"]);
}

#[test]
fn skopeo_reads_the_helper() {
    let Some(reg) = registry_for(&["skopeo", "umoci"]) else {
        return;
    };
    let sandbox = Sandbox::new();
    let via = Via::ExecHelper {
        host: reg.host(),
        password: reg.password(),
    };
    crate::skopeo::copy_inspect_list_tags(&reg, &sandbox, "helper/app", &via);
    let wrong = Via::ExecHelper {
        host: reg.host(),
        password: "wrong-password",
    };
    crate::skopeo::all_unauthorized(&reg, &sandbox, &wrong);
}

#[test]
fn podman_reads_the_helper() {
    engine_reads_the_helper("podman");
}

#[test]
fn buildah_reads_the_helper() {
    engine_reads_the_helper("buildah");
}

fn engine_reads_the_helper(tool: &'static str) {
    let Some(reg) = registry_for(&[tool, "umoci"]) else {
        return;
    };
    let via = Via::ExecHelper {
        host: reg.host(),
        password: reg.password(),
    };
    Engine::new(tool).push_pull(&reg, &format!("{tool}/helper"), &via, &via);
    let wrong = Via::ExecHelper {
        host: reg.host(),
        password: "wrong-password",
    };
    Engine::new(tool).denied(&reg, &wrong);
}

#[test]
fn helm_reads_the_helper() {
    let Some((reg, python)) = crate::helm::setup() else {
        return;
    };
    let sandbox = Sandbox::new();
    let via = Via::ExecHelper {
        host: reg.host(),
        password: reg.password(),
    };
    let push = crate::helm::push(&sandbox, &python, reg.host(), "helper");
    output::success(&via.run(push, &[]), "helm push under helper mode");
    assert!(reg.tags("charts/helper").contains("\"0.1.0\""));

    let wrong = Via::ExecHelper {
        host: reg.host(),
        password: "wrong-password",
    };
    let push = crate::helm::push(&sandbox, &python, reg.host(), "denied");
    output::failure(&wrong.run(push, &[]), "helm push, wrong password", &["401"]);
}

#[test]
fn the_search_finds_the_secret_in_directory_mode() {
    let sandbox = Sandbox::new();
    let out = exec_checked(
        "directory",
        "127.0.0.1:5000",
        "canary-pw",
        &sandbox.command("true"),
    );
    assert_eq!(out.status.code(), Some(98), "{}", output::both(&out));
    let out = exec_checked(
        "helper",
        "127.0.0.1:5000",
        "canary-pw",
        &sandbox.command("true"),
    );
    output::success(&out, "the same search in helper mode");
}

/// Runs `docker-credential-registry-config ACTION` (a link to the binary in
/// `dir`) with `stdin` and `env`.
fn helper(dir: &Path, action: &str, stdin: &str, env: &[(String, String)]) -> std::process::Output {
    let link = dir.join("docker-credential-registry-config");
    if !link.exists() {
        std::os::unix::fs::symlink(BIN, &link).expect("link the helper");
    }
    let mut child = Command::new(&link)
        .arg(action)
        .env_remove("REGISTRY_CONFIG_HELPER_SOCKET")
        .env_remove("REGISTRY_CONFIG_HELPER_TOKEN")
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run the helper");
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// `registry-config exec --isolation helper` for alice on 127.0.0.1:5000
/// (password `canary-pw`), running `bash -c SCRIPT`.
fn helper_exec(sandbox: &Sandbox, script: &str) -> std::process::Output {
    let auth = "127.0.0.1:5000=alice:env:PW";
    let args = ["exec", "--isolation", "helper", "--auth", auth, "--"];
    let mut cmd = sandbox.command(BIN);
    cmd.args(args)
        .args(["bash", "-c", script])
        .env("PW", "canary-pw");
    cmd.output().expect("run registry-config exec")
}

#[test]
fn the_helper_answers_get_only_and_only_while_exec_runs() {
    let sandbox = Sandbox::new();
    let links = tempfile::tempdir().unwrap();
    // The command saves the channel's variables (no credential among them)
    // and asks the helper itself while exec runs.
    let saved = sandbox.path().join("channel.env");
    let script = format!(
        "env | grep '^REGISTRY_CONFIG_HELPER_' > '{}'; \
         printf 127.0.0.1:5000 | docker-credential-registry-config get",
        saved.display()
    );
    let out = helper_exec(&sandbox, &script);
    let reply = output::success(&out, "the helper under exec");
    assert_eq!(
        reply,
        r#"{"ServerURL":"127.0.0.1:5000","Username":"alice","Secret":"canary-pw"}"#
    );

    let env: Vec<(String, String)> = std::fs::read_to_string(&saved)
        .unwrap()
        .lines()
        .filter_map(|line| line.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    assert_eq!(env.len(), 2, "{env:?}");
    let out = helper(links.path(), "get", "127.0.0.1:5000", &env);
    assert_eq!(out.status.code(), Some(1));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("has ended"), "{said}");

    let out = helper(links.path(), "get", "127.0.0.1:5000", &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("only answers for a running"));

    for action in ["store", "erase", "list"] {
        let out = helper(links.path(), action, "", &env);
        assert_eq!(out.status.code(), Some(1), "{action}");
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(said.contains("only answers get"), "{action}: {said}");
    }
}

#[test]
fn a_wrong_token_gets_nothing() {
    let sandbox = Sandbox::new();
    let script = "REGISTRY_CONFIG_HELPER_TOKEN=0000 docker-credential-registry-config get \
                  <<< 127.0.0.1:5000; echo \" rc=$?\"; \
                  docker-credential-registry-config get <<< quay.io; echo \" rc=$?\"";
    let out = helper_exec(&sandbox, script);
    let said = output::success(&out, "exec");
    assert!(!said.contains("canary"), "{said}");
    assert!(said.contains("refused the request"), "{said}");
    assert!(
        said.contains("credentials not found in native keychain\n rc=1"),
        "{said}"
    );
}

#[test]
fn what_a_helper_cannot_hand_over_is_bad_input() {
    let sandbox = Sandbox::new();
    let base = sandbox.path().join("base.json");
    // A base with a credential: one with settings only is allowed (the
    // user's own config.json gives helper mode its settings that way).
    std::fs::write(&base, r#"{"auths":{"quay.io":{"auth":"dTpw"}}}"#).unwrap();
    let ran = sandbox.path().join("ran");
    let cases: [(&[&str], &str); 3] = [
        (
            &["--auth", "quay.io/org=me:env:PW"],
            "\"quay.io/org\" is scoped",
        ),
        (
            &["--registry-token", "ghcr.io=env:PW"],
            "the registry token for \"ghcr.io\"",
        ),
        (
            &[
                "--from",
                base.to_str().unwrap(),
                "--auth",
                "ghcr.io=me:env:PW",
            ],
            "a base config (--from) cannot be used in helper mode",
        ),
    ];
    for (args, expected) in cases {
        let out = sandbox
            .command(BIN)
            .args(["exec", "--isolation", "helper"])
            .args(args)
            .arg("--")
            .arg("touch")
            .arg(&ran)
            .env("PW", "canary-pw")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(!stderr.contains("canary"), "{stderr}");
        assert!(!ran.exists(), "{args:?}: the command ran");
    }
}
