//! skopeo (containers/image) reads rendered files through `--authfile`,
//! `REGISTRY_AUTH_FILE`, `DOCKER_CONFIG` and `registry-config exec`: it pushes
//! an image (copy), reads its manifest (inspect) and lists tags, and fails with
//! `unauthorized` on a wrong password.

use std::process::Command;

use crate::harness::cli::{render_file, Format};
use crate::harness::image::OciImage;
use crate::harness::registry::Registry;
use crate::harness::sandbox::Sandbox;
use crate::harness::via::Via;
use crate::harness::{output, registry_for};

const TOOLS: &[&str] = &["skopeo", "umoci"];

/// The three skopeo commands against `HOST/repo:v1`; `via` hands over the credentials.
pub(crate) fn copy_inspect_list_tags(reg: &Registry, sandbox: &Sandbox, repo: &str, via: &Via) {
    let image = OciImage::build();
    let dest = format!("docker://{}/{repo}:v1", reg.host());
    let skopeo = |subcommand: &str| {
        let mut cmd: Command = sandbox.command("skopeo");
        cmd.arg(subcommand);
        cmd
    };
    let copy = via.run(
        skopeo("copy"),
        &["--dest-tls-verify=false", &image.reference(), &dest],
    );
    output::success(&copy, "skopeo copy");

    let inspect = via.run(skopeo("inspect"), &["--tls-verify=false", &dest]);
    let manifest = output::success(&inspect, "skopeo inspect");
    assert!(
        manifest.contains(&format!("{}/{repo}", reg.host())),
        "{manifest}"
    );

    let repo_ref = format!("docker://{}/{repo}", reg.host());
    let tags = via.run(skopeo("list-tags"), &["--tls-verify=false", &repo_ref]);
    assert!(output::success(&tags, "skopeo list-tags").contains("\"v1\""));
    assert!(
        reg.tags(repo).contains("\"v1\""),
        "the registry itself lists v1"
    );
}

/// The same commands must all fail with `unauthorized`.
pub(crate) fn all_unauthorized(reg: &Registry, sandbox: &Sandbox, via: &Via) {
    let image = OciImage::build();
    let dest = format!("docker://{}/denied/app:v1", reg.host());
    let repo_ref = format!("docker://{}/denied/app", reg.host());
    for args in [
        &["copy", "--dest-tls-verify=false", &image.reference(), &dest][..],
        &["inspect", "--tls-verify=false", &dest],
        &["list-tags", "--tls-verify=false", &repo_ref],
    ] {
        let (subcommand, tail) = args.split_first().expect("a subcommand");
        let mut cmd = sandbox.command("skopeo");
        cmd.arg(subcommand);
        let out = via.run(cmd, tail);
        output::failure(&out, &format!("skopeo {subcommand}"), &["unauthorized"]);
    }
}

#[test]
fn authfile_flag_reads_both_formats() {
    let Some(reg) = registry_for(TOOLS) else {
        return;
    };
    let sandbox = Sandbox::new();
    for format in [Format::Docker, Format::Containers] {
        let file = render_file(reg.host(), reg.password(), format);
        let repo = format!("authfile/{}", format.name());
        copy_inspect_list_tags(&reg, &sandbox, &repo, &Via::flag("--authfile", file.path()));
    }
}

#[test]
fn registry_auth_file_env() {
    let Some(reg) = registry_for(TOOLS) else {
        return;
    };
    let sandbox = Sandbox::new();
    let file = render_file(reg.host(), reg.password(), Format::Containers);
    copy_inspect_list_tags(
        &reg,
        &sandbox,
        "env/app",
        &Via::Env("REGISTRY_AUTH_FILE", file.path()),
    );
}

#[test]
fn docker_config_env() {
    let Some(reg) = registry_for(TOOLS) else {
        return;
    };
    let sandbox = Sandbox::new();
    let file = render_file(reg.host(), reg.password(), Format::Docker);
    copy_inspect_list_tags(
        &reg,
        &sandbox,
        "docker-config/app",
        &Via::Env("DOCKER_CONFIG", file.dir()),
    );
}

#[test]
fn through_exec() {
    let Some(reg) = registry_for(TOOLS) else {
        return;
    };
    let sandbox = Sandbox::new();
    let via = Via::Exec {
        host: reg.host(),
        password: reg.password(),
    };
    copy_inspect_list_tags(&reg, &sandbox, "exec/app", &via);
}

#[test]
fn wrong_password_is_unauthorized() {
    let Some(reg) = registry_for(TOOLS) else {
        return;
    };
    let sandbox = Sandbox::new();
    let file = render_file(reg.host(), "wrong-password", Format::Containers);
    all_unauthorized(&reg, &sandbox, &Via::flag("--authfile", file.path()));
    all_unauthorized(
        &reg,
        &sandbox,
        &Via::Exec {
            host: reg.host(),
            password: "wrong-password",
        },
    );
}
