//! The tests podman and buildah share (both build on containers/image): push
//! and pull with a rendered `--authfile` (both formats) and through
//! `registry-config exec` (the tool's REGISTRY_AUTH_FILE default for push,
//! `--authfile "$REGISTRY_AUTH_FILE"` for pull), with private vfs storage; a
//! wrong password fails with `unauthorized`.

use crate::harness::cli::{render_file, Format};
use crate::harness::engines::Engine;
use crate::harness::registry_for;
use crate::harness::via::Via;

pub fn authfile_push_pull(tool: &'static str) {
    let Some(reg) = registry_for(&[tool, "umoci"]) else {
        return;
    };
    let engine = Engine::new(tool);
    for format in [Format::Docker, Format::Containers] {
        let file = render_file(reg.host(), reg.password(), format);
        let via = Via::flag("--authfile", file.path());
        engine.push_pull(&reg, &format!("{tool}/{}", format.name()), &via, &via);
    }
}

pub fn through_exec(tool: &'static str) {
    let Some(reg) = registry_for(&[tool, "umoci"]) else {
        return;
    };
    let (host, password) = (reg.host(), reg.password());
    let default = Via::Exec { host, password };
    let words = r#"--authfile "$REGISTRY_AUTH_FILE""#;
    let flag = Via::ExecShell {
        host,
        password,
        words,
    };
    Engine::new(tool).push_pull(&reg, &format!("{tool}/exec"), &default, &flag);
}

pub fn wrong_password_is_unauthorized(tool: &'static str) {
    let Some(reg) = registry_for(&[tool, "umoci"]) else {
        return;
    };
    let engine = Engine::new(tool);
    let file = render_file(reg.host(), "wrong-password", Format::Containers);
    engine.denied(&reg, &Via::flag("--authfile", file.path()));
    engine.denied(
        &reg,
        &Via::Exec {
            host: reg.host(),
            password: "wrong-password",
        },
    );
}
