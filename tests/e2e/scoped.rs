//! A repository-scoped credential through `registry-config exec`: exec puts
//! it in auth.json (which podman and skopeo read through REGISTRY_AUTH_FILE)
//! and leaves it out of config.json. Before the fix exec refused it: "use
//! the containers format", a flag exec does not have.

use crate::harness::image::OciImage;
use crate::harness::sandbox::Sandbox;
use crate::harness::storage::Storage;
use crate::harness::via::Via;
use crate::harness::{output, registry_for};

#[test]
fn skopeo_and_podman_use_a_scoped_credential_through_exec() {
    let Some(reg) = registry_for(&["skopeo", "podman", "umoci"]) else {
        return;
    };
    let sandbox = Sandbox::new();
    let image = OciImage::build();
    let scope = format!("{}/app", reg.host());
    let via = Via::Exec {
        host: &scope,
        password: reg.password(),
    };
    let copy = |repo: &str| {
        let dest = format!("docker://{}/{repo}:v1", reg.host());
        let mut skopeo = sandbox.command("skopeo");
        skopeo.arg("copy");
        via.run(
            skopeo,
            &["--dest-tls-verify=false", &image.reference(), &dest],
        )
    };
    output::success(&copy("app"), "skopeo copy into the scope");
    assert!(
        reg.tags("app").contains("\"v1\""),
        "the registry lists app:v1"
    );
    // The credential is for app alone: outside it the tools go anonymous.
    output::failure(
        &copy("other"),
        "skopeo copy outside the scope",
        &["unauthorized"],
    );

    let storage = Storage::new(&sandbox);
    let mut podman = storage.command(&sandbox, "podman");
    podman.arg("pull");
    let pulled = via.run(
        podman,
        &["-q", "--tls-verify=false", &format!("{scope}:v1")],
    );
    output::success(&pulled, "podman pull in the scope");
}
