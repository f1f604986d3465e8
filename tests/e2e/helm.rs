//! helm v4 (helm-sdkpy) packages a chart and pushes it to
//! `oci://HOST/charts` reading a rendered Docker-format file through
//! `HELM_REGISTRY_CONFIG`, set by hand and by `registry-config exec`.
//! A wrong password fails with helm's `401: Unauthorized`.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::harness::cli::{render_file, Format};
use crate::harness::registry::Registry;
use crate::harness::sandbox::Sandbox;
use crate::harness::tools::{client_script, python};
use crate::harness::via::Via;
use crate::harness::{output, registry_for};

/// `python helm_push.py HOST CHART`: pushes `charts/CHART:0.1.0`.
pub(crate) fn push(sandbox: &Sandbox, python: &Path, host: &str, chart: &str) -> Command {
    let mut cmd = sandbox.command(python);
    cmd.arg(client_script("helm_push.py")).args([host, chart]);
    cmd
}

pub(crate) fn setup() -> Option<(Registry, PathBuf)> {
    let python = python(&["helm_sdkpy"])?;
    Some((registry_for(&[])?, python))
}

#[test]
fn helm_registry_config_and_exec() {
    let Some((reg, python)) = setup() else { return };
    let sandbox = Sandbox::new();
    let file = render_file(reg.host(), reg.password(), Format::Docker);
    let via = Via::Env("HELM_REGISTRY_CONFIG", file.path());
    output::success(
        &via.run(push(&sandbox, &python, reg.host(), "direct"), &[]),
        "helm push",
    );
    assert!(
        reg.tags("charts/direct").contains("\"0.1.0\""),
        "the registry lists the chart"
    );

    let via = Via::Exec {
        host: reg.host(),
        password: reg.password(),
    };
    output::success(
        &via.run(push(&sandbox, &python, reg.host(), "exec"), &[]),
        "helm push under exec",
    );
    assert!(
        reg.tags("charts/exec").contains("\"0.1.0\""),
        "the registry lists the chart"
    );
}

#[test]
fn wrong_password_is_unauthorized() {
    let Some((reg, python)) = setup() else { return };
    let sandbox = Sandbox::new();
    let file = render_file(reg.host(), "wrong-password", Format::Docker);
    let via = Via::Env("HELM_REGISTRY_CONFIG", file.path());
    let out = via.run(push(&sandbox, &python, reg.host(), "denied"), &[]);
    output::failure(&out, "helm push", &["401"]);

    let via = Via::Exec {
        host: reg.host(),
        password: "wrong-password",
    };
    let out = via.run(push(&sandbox, &python, reg.host(), "denied"), &[]);
    output::failure(&out, "helm push under exec", &["401"]);
}
