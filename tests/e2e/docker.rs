//! The docker CLI (client only, no daemon needed) reads a rendered config.json
//! through `docker --config DIR` and through `DOCKER_CONFIG` under
//! `registry-config exec`: `docker manifest inspect --insecure` of an image
//! pushed with skopeo. With a wrong password it fails (docker words the 401 as
//! `no such manifest`).

use std::path::Path;
use std::process::Command;

use crate::harness::cli::{render_file, Format};
use crate::harness::image::OciImage;
use crate::harness::registry::Registry;
use crate::harness::sandbox::Sandbox;
use crate::harness::via::Via;
use crate::harness::{output, registry_for};

const TOOLS: &[&str] = &["docker", "skopeo", "umoci"];
const LAYER: &str = "application/vnd.oci.image.layer.v1.tar+gzip";

/// Push the umoci image with skopeo; returns `HOST/docker/app:v1`.
pub(crate) fn pushed_image(reg: &Registry, sandbox: &Sandbox) -> String {
    let image = OciImage::build();
    let file = render_file(reg.host(), reg.password(), Format::Containers);
    let reference = format!("{}/docker/app:v1", reg.host());
    let mut copy = sandbox.command("skopeo");
    copy.args(["copy", "--dest-tls-verify=false", &image.reference()])
        .arg(format!("docker://{reference}"));
    output::success(
        &Via::flag("--authfile", file.path()).run(copy, &[]),
        "skopeo copy",
    );
    reference
}

/// `docker [--config DIR] manifest inspect --insecure REFERENCE`.
pub(crate) fn inspect(sandbox: &Sandbox, config: Option<&Path>, reference: &str) -> Command {
    let mut cmd = sandbox.command("docker");
    if let Some(dir) = config {
        cmd.arg("--config").arg(dir);
    }
    cmd.args(["manifest", "inspect", "--insecure", reference]);
    cmd
}

#[test]
fn config_flag_and_exec() {
    let Some(reg) = registry_for(TOOLS) else {
        return;
    };
    let sandbox = Sandbox::new();
    let reference = pushed_image(&reg, &sandbox);

    let file = render_file(reg.host(), reg.password(), Format::Docker);
    let out = inspect(&sandbox, Some(file.dir()), &reference)
        .output()
        .expect("run docker");
    assert!(output::success(&out, "docker --config").contains(LAYER));

    let via = Via::Exec {
        host: reg.host(),
        password: reg.password(),
    };
    let out = via.run(inspect(&sandbox, None, &reference), &[]);
    assert!(output::success(&out, "docker under exec").contains(LAYER));
}

#[test]
fn wrong_password_fails() {
    let Some(reg) = registry_for(TOOLS) else {
        return;
    };
    let sandbox = Sandbox::new();
    let reference = pushed_image(&reg, &sandbox);

    let file = render_file(reg.host(), "wrong-password", Format::Docker);
    let out = inspect(&sandbox, Some(file.dir()), &reference)
        .output()
        .expect("run docker");
    output::failure(
        &out,
        "docker --config",
        &["no such manifest", "unauthorized"],
    );

    let via = Via::Exec {
        host: reg.host(),
        password: "wrong-password",
    };
    let out = via.run(inspect(&sandbox, None, &reference), &[]);
    output::failure(
        &out,
        "docker under exec",
        &["no such manifest", "unauthorized"],
    );
}

/// A config.json with two top-level `auths` objects: Docker's Go reader
/// merges them, so docker finds the registry's entry in the first one. So
/// must `render --from`, or the rendered file loses it.
#[test]
fn two_auths_objects_are_merged_as_docker_merges_them() {
    let Some(reg) = registry_for(TOOLS) else {
        return;
    };
    let sandbox = Sandbox::new();
    let reference = pushed_image(&reg, &sandbox);
    let dir = tempfile::Builder::new()
        .prefix("e2e-two-auths-")
        .tempdir_in("/dev/shm")
        .expect("a private directory");
    let auth = base64::Engine::encode(
        &base64::engine::general_purpose::STANDARD,
        format!("alice:{}", reg.password()),
    );
    std::fs::write(
        dir.path().join("config.json"),
        format!(
            r#"{{"auths": {{"{}": {{"auth": "{auth}"}}}}, "auths": {{"other.example": {{"auth": "eDp5"}}}}}}"#,
            reg.host()
        ),
    )
    .expect("write the config");

    let out = inspect(&sandbox, Some(dir.path()), &reference)
        .output()
        .expect("run docker");
    assert!(
        output::success(&out, "docker reading two auths objects").contains(LAYER),
        "docker used the first object's entry"
    );

    let rendered = Command::new(crate::harness::cli::BIN)
        .args(["render", "--from"])
        .arg(dir.path().join("config.json"))
        .args(["--auth", "quay.io=robot:env:QUAY"])
        .env("QUAY", "quay-token")
        .output()
        .expect("run registry-config");
    let text = output::success(&rendered, "render --from");
    let out_dir = tempfile::Builder::new()
        .prefix("e2e-two-auths-out-")
        .tempdir_in("/dev/shm")
        .expect("a private directory");
    std::fs::write(out_dir.path().join("config.json"), text).expect("write");
    let out = inspect(&sandbox, Some(out_dir.path()), &reference)
        .output()
        .expect("run docker");
    assert!(
        output::success(&out, "docker reading the rendered file").contains(LAYER),
        "the rendered file kept the first object's entry"
    );
}
