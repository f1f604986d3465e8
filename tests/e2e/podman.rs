//! podman pushes and pulls with a rendered `--authfile` (both formats) and
//! through `registry-config exec` (its REGISTRY_AUTH_FILE default for push,
//! `--authfile "$REGISTRY_AUTH_FILE"` for pull), with private vfs storage;
//! a wrong password fails with `unauthorized`.

use crate::harness::cli::{render_file, Format};
use crate::harness::engines::Engine;
use crate::harness::registry_for;
use crate::harness::via::Via;

const TOOLS: &[&str] = &["podman", "umoci"];

#[test]
fn authfile_push_pull() {
    let Some(reg) = registry_for(TOOLS) else {
        return;
    };
    let engine = Engine::new("podman");
    for format in [Format::Docker, Format::Containers] {
        let file = render_file(reg.host(), reg.password(), format);
        let via = Via::flag("--authfile", file.path());
        engine.push_pull(&reg, &format!("podman/{}", format.name()), &via, &via);
    }
}

#[test]
fn through_exec() {
    let Some(reg) = registry_for(TOOLS) else {
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
    Engine::new("podman").push_pull(&reg, "podman/exec", &default, &flag);
}

#[test]
fn wrong_password_is_unauthorized() {
    let Some(reg) = registry_for(TOOLS) else {
        return;
    };
    let engine = Engine::new("podman");
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
