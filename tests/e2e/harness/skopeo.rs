//! skopeo commands shared by the token, proxy and check tests: push the tiny
//! image, read a manifest, log in, each with an optional auth file and
//! `--tls-verify=false` (the registries here speak plain HTTP).

use std::io::Write;
use std::path::Path;
use std::process::{Output, Stdio};

use super::image::OciImage;
use super::sandbox::Sandbox;

/// `skopeo copy oci:IMAGE docker://HOST/REPO:v1` (anonymous without `authfile`).
pub fn push(sandbox: &Sandbox, authfile: Option<&Path>, host: &str, repo: &str) -> Output {
    let image = OciImage::build();
    let mut cmd = sandbox.command("skopeo");
    cmd.args(["copy", "--dest-tls-verify=false"]);
    if let Some(file) = authfile {
        cmd.arg("--authfile").arg(file);
    }
    cmd.arg(image.reference())
        .arg(format!("docker://{host}/{repo}:v1"))
        .output()
        .expect("run skopeo copy")
}

/// `skopeo inspect docker://HOST/REPO:v1` (anonymous without `authfile`).
pub fn inspect(sandbox: &Sandbox, authfile: Option<&Path>, host: &str, repo: &str) -> Output {
    let mut cmd = sandbox.command("skopeo");
    cmd.args(["inspect", "--tls-verify=false"]);
    if let Some(file) = authfile {
        cmd.arg("--authfile").arg(file);
    }
    cmd.arg(format!("docker://{host}/{repo}:v1"))
        .output()
        .expect("run skopeo inspect")
}

/// `skopeo login --authfile FILE -u USER --password-stdin HOST` (the password
/// on stdin, never in argv).
pub fn login(sandbox: &Sandbox, authfile: &Path, host: &str, user: &str, password: &str) -> Output {
    let mut child = sandbox
        .command("skopeo")
        .args(["login", "--tls-verify=false", "--authfile"])
        .arg(authfile)
        .args(["-u", user, "--password-stdin", host])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run skopeo login");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(password.as_bytes())
        .expect("write the password");
    child.wait_with_output().expect("skopeo login")
}
