//! oras-py pushes an artifact and pulls it back with `config_path` set to a
//! rendered Docker-format file, given directly and as
//! `$DOCKER_CONFIG/config.json` under `registry-config exec` (oras-py itself
//! ignores DOCKER_CONFIG). A wrong password fails with `unauthorized`.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::harness::cli::{render_file, Format};
use crate::harness::registry::Registry;
use crate::harness::sandbox::Sandbox;
use crate::harness::tools::{client_script, python};
use crate::harness::via::Via;
use crate::harness::{output, registry_for};

/// The config path for the driver, under exec.
const FROM_EXEC: &str = r#""$DOCKER_CONFIG/config.json""#;

/// `python oras_roundtrip.py HOST REPO:TAG` (the config path is appended by `Via`).
fn roundtrip(sandbox: &Sandbox, python: &Path, host: &str, reference: &str) -> Command {
    let mut cmd = sandbox.command(python);
    cmd.arg(client_script("oras_roundtrip.py"))
        .args([host, reference]);
    cmd
}

fn setup() -> Option<(Registry, PathBuf)> {
    let python = python(&["oras"])?;
    Some((registry_for(&[])?, python))
}

#[test]
fn config_path_and_exec() {
    let Some((reg, python)) = setup() else { return };
    let sandbox = Sandbox::new();
    let file = render_file(reg.host(), reg.password(), Format::Docker);
    let cmd = roundtrip(&sandbox, &python, reg.host(), "oras/direct:v1");
    output::success(
        &Via::Args(vec![file.path().into()]).run(cmd, &[]),
        "oras-py with config_path",
    );

    let via = Via::ExecShell {
        host: reg.host(),
        password: reg.password(),
        words: FROM_EXEC,
    };
    let cmd = roundtrip(&sandbox, &python, reg.host(), "oras/exec:v1");
    output::success(&via.run(cmd, &[]), "oras-py under exec");
    assert!(
        reg.tags("oras/exec").contains("\"v1\""),
        "the registry itself lists v1"
    );
}

#[test]
fn wrong_password_is_unauthorized() {
    let Some((reg, python)) = setup() else { return };
    let sandbox = Sandbox::new();
    let file = render_file(reg.host(), "wrong-password", Format::Docker);
    let cmd = roundtrip(&sandbox, &python, reg.host(), "oras/denied:v1");
    let out = Via::Args(vec![file.path().into()]).run(cmd, &[]);
    output::failure(&out, "oras-py with config_path", &["unauthorized"]);

    let via = Via::ExecShell {
        host: reg.host(),
        password: "wrong-password",
        words: FROM_EXEC,
    };
    let out = via.run(
        roundtrip(&sandbox, &python, reg.host(), "oras/denied:v1"),
        &[],
    );
    output::failure(&out, "oras-py under exec", &["unauthorized"]);
}
