//! A registry serving HTTPS with the self-signed certificate its own
//! documentation makes (`openssl req -x509 ...`: CA:TRUE). Go clients
//! (skopeo here) trust it once it is in their trusted pool; so must `check`
//! with `--ca-file`, or with the certificate in a certs.d folder as the
//! documentation has users put it, with the certificate's names still checked.

use std::process::Command;

use crate::harness::check::{check, expect};
use crate::harness::image::OciImage;
use crate::harness::registry::Registry;
use crate::harness::sandbox::Sandbox;
use crate::harness::{output, tools};

/// `skopeo copy` anonymously to the TLS registry, trusting `cert` alone
/// (`--dest-cert-dir` with it as `ca.crt`): a 401 means TLS passed.
fn skopeo_push(sandbox: &Sandbox, cert: &std::path::Path, host: &str) -> std::process::Output {
    let cert_dir = sandbox.path().join("certs");
    std::fs::create_dir_all(&cert_dir).expect("cert dir");
    std::fs::copy(cert, cert_dir.join("ca.crt")).expect("copy the certificate");
    let image = OciImage::build();
    sandbox
        .command("skopeo")
        .arg("copy")
        .arg("--dest-cert-dir")
        .arg(&cert_dir)
        .arg(image.reference())
        .arg(format!("docker://{host}/app:v1"))
        .output()
        .expect("run skopeo")
}

fn ready() -> bool {
    tools::require_all(&["docker-registry", "htpasswd", "openssl", "skopeo", "umoci"])
}

#[test]
fn a_self_signed_ca_true_certificate_is_trusted_with_ca_file_as_go_clients_do() {
    if !ready() {
        return;
    }
    let registry = Registry::start_self_signed("DNS:localhost,IP:127.0.0.1");
    let cert = registry.ca_file();
    let is_ca = Command::new("openssl")
        .args(["x509", "-noout", "-ext", "basicConstraints", "-in"])
        .arg(&cert)
        .output()
        .expect("openssl x509");
    assert!(
        String::from_utf8_lossy(&is_ca.stdout).contains("CA:TRUE"),
        "the documentation's certificate is a CA: {}",
        output::both(&is_ca)
    );

    // skopeo (Go's crypto/x509) accepts it: the push fails on auth, not TLS.
    let sandbox = Sandbox::new();
    let pushed = skopeo_push(&sandbox, &cert, registry.host());
    output::failure(
        &pushed,
        "anonymous skopeo push",
        &["authentication required"],
    );

    let auth = format!("{}=alice:env:PW", registry.host());
    let env = [("PW", registry.password())];
    let trusted = check(
        &["--auth", &auth, "--ca-file", cert.to_str().unwrap()],
        &env,
    );
    expect(&trusted, 0, &[(registry.host(), "valid")]);
    let wrong = check(
        &["--auth", &auth, "--ca-file", cert.to_str().unwrap()],
        &[("PW", "wrong")],
    );
    expect(&wrong, 1, &[(registry.host(), "rejected")]);

    // Without --ca-file: the certificate is unknown, and that is said first,
    // before what the plain-HTTP attempt got (HTTP 400).
    let untrusted = check(&["--auth", &auth, "--timeout", "5"], &env);
    let lines = expect(&untrusted, 1, &[(registry.host(), "error")]);
    assert!(
        lines[0]
            .detail
            .starts_with("HTTPS failed: invalid peer certificate"),
        "{}",
        lines[0].detail
    );
}

#[test]
fn a_trusted_certificate_is_still_refused_for_a_name_it_does_not_hold() {
    if !ready() {
        return;
    }
    // Made for localhost only: 127.0.0.1 is not one of its names.
    let registry = Registry::start_self_signed("DNS:localhost");
    let cert = registry.ca_file();
    let sandbox = Sandbox::new();
    let pushed = skopeo_push(&sandbox, &cert, registry.host());
    output::failure(
        &pushed,
        "skopeo push to a name the certificate lacks",
        &["127.0.0.1"],
    );

    let auth = format!("{}=alice:env:PW", registry.host());
    let out = check(
        &[
            "--auth",
            &auth,
            "--ca-file",
            cert.to_str().unwrap(),
            "--timeout",
            "5",
        ],
        &[("PW", registry.password())],
    );
    let lines = expect(&out, 1, &[(registry.host(), "error")]);
    assert!(
        lines[0]
            .detail
            .starts_with("HTTPS failed: invalid peer certificate")
            && lines[0].detail.contains("not valid for name \"127.0.0.1\""),
        "{}",
        lines[0].detail
    );
}

/// Removes a folder made for one test, whatever the test's outcome.
struct RemovedOnDrop(std::path::PathBuf);

impl Drop for RemovedOnDrop {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The registry documentation's way to trust a self-signed registry: its
/// certificate as `ca.crt` in a certs.d folder named `HOST:PORT`. skopeo
/// finds it there, and so does `check`, without `--ca-file`: in the per-user
/// folder (containers-certs.d(5)) and, as root, in `/etc/docker/certs.d`.
#[test]
fn a_certs_d_folder_is_trusted_as_skopeo_and_docker_trust_it() {
    if !ready() {
        return;
    }
    let registry = Registry::start_self_signed("DNS:localhost,IP:127.0.0.1");
    let sandbox = Sandbox::new();
    let home = sandbox.path().join("home");
    let user_folder = home
        .join(".config/containers/certs.d")
        .join(registry.host());
    std::fs::create_dir_all(&user_folder).expect("certs.d folder");
    std::fs::copy(registry.ca_file(), user_folder.join("ca.crt")).expect("copy the certificate");

    // skopeo, with no --dest-cert-dir, finds it: the push fails on auth, not TLS.
    let image = OciImage::build();
    let pushed = sandbox
        .command("skopeo")
        .arg("copy")
        .arg(image.reference())
        .arg(format!("docker://{}/app:v1", registry.host()))
        .output()
        .expect("run skopeo");
    output::failure(
        &pushed,
        "anonymous skopeo push",
        &["authentication required"],
    );

    let auth = format!("{}=alice:env:PW", registry.host());
    let home = home.to_str().unwrap();
    let env = [("PW", registry.password()), ("HOME", home)];
    expect(
        &check(&["--auth", &auth], &env),
        0,
        &[(registry.host(), "valid")],
    );
    let wrong = [("PW", "wrong"), ("HOME", home)];
    expect(
        &check(&["--auth", &auth], &wrong),
        1,
        &[(registry.host(), "rejected")],
    );

    // A .crt file that holds no certificate is named, as containers/image fails on it.
    std::fs::write(user_folder.join("zz-broken.crt"), "not a certificate").unwrap();
    let lines = expect(
        &check(&["--auth", &auth], &env),
        1,
        &[(registry.host(), "error")],
    );
    assert!(
        lines[0]
            .detail
            .ends_with("zz-broken.crt holds no PEM certificate"),
        "{}",
        lines[0].detail
    );
    std::fs::remove_dir_all(&user_folder).unwrap();

    // Where the registry documentation puts it (root only: /etc is root's).
    if !nix::unistd::geteuid().is_root() {
        eprintln!("skipped the /etc/docker/certs.d half: needs root");
        return;
    }
    let docker_folder =
        RemovedOnDrop(std::path::Path::new("/etc/docker/certs.d").join(registry.host()));
    std::fs::create_dir_all(&docker_folder.0).expect("/etc/docker/certs.d folder");
    std::fs::copy(registry.ca_file(), docker_folder.0.join("ca.crt")).expect("copy");
    expect(
        &check(&["--auth", &auth], &env),
        0,
        &[(registry.host(), "valid")],
    );
}
