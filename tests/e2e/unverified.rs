//! Credentials no one checked are not called valid: a registry without auth
//! (Debian's docker-registry with no `auth` section answers everything), and
//! a registry whose credentialed request is redirected to another host, where
//! the HTTP client, as every client, does not send them.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;

use crate::harness::check::{check, command, expect};
use crate::harness::registry::Registry;
use crate::harness::tools;

#[test]
fn a_registry_without_auth_makes_any_password_unverified() {
    if !tools::require("docker-registry") {
        return;
    }
    let registry = Registry::start_open();
    let auth = format!("{}=alice:env:PW", registry.host());
    let env = [("PW", "not-the-password")];
    let out = check(&["--auth", &auth], &env);
    let lines = expect(&out, 1, &[(registry.host(), "unverified")]);
    assert!(
        lines[0].detail.contains("asks for no credentials"),
        "{}",
        lines[0].detail
    );
    let repository = format!("{}/app", registry.host());
    let out = check(
        &["--auth", &auth, "--repository", &repository, "--push"],
        &env,
    );
    expect(&out, 1, &[(repository.as_str(), "unverified")]);

    // --verify keeps the entry, with a warning: tools reach the registry
    // with or without the credentials.
    let out = command("render", &["--verify", "--auth", &auth], &env)
        .output()
        .expect("run render --verify");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.starts_with("registry-config: warning: kept"),
        "{stderr}"
    );
    assert!(stderr.contains("unverified"), "{stderr}");
    let file: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert!(file["auths"][registry.host()]["auth"].is_string(), "{file}");
}

/// Answers `GET /v2/` without credentials with a Basic challenge, and with
/// them with a redirect to `target` (another host: `localhost` rather than
/// 127.0.0.1). Serves `requests` connections.
fn redirecting_registry(target: String, requests: usize) -> (String, std::thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let host = listener.local_addr().expect("addr").to_string();
    let server = std::thread::spawn(move || {
        for _ in 0..requests {
            let (stream, _) = listener.accept().expect("accept");
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut credentials = false;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).expect("read") == 0 || line == "\r\n" {
                    break;
                }
                credentials |= line.to_ascii_lowercase().starts_with("authorization:");
            }
            let head = match credentials {
                false => "401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"r\"".to_owned(),
                true => format!("307 Temporary Redirect\r\nLocation: http://{target}/v2/"),
            };
            let mut stream = stream;
            let _ = write!(
                stream,
                "HTTP/1.1 {head}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
        }
    });
    (host, server)
}

#[test]
fn a_redirect_to_another_host_makes_the_credentials_unverified() {
    if !tools::require("docker-registry") {
        return;
    }
    // The redirect's target answers anyone: without the rule, "valid".
    let open = Registry::start_open();
    let target = open.host().replace("127.0.0.1", "localhost");
    let (host, server) = redirecting_registry(target.clone(), 2);
    let auth = format!("http://{host}=alice:env:PW");
    let out = check(&["--auth", &auth], &[("PW", "anything")]);
    server.join().expect("the redirecting server");
    let lines = expect(&out, 1, &[(host.as_str(), "unverified")]);
    assert!(
        lines[0].detail.contains(&format!("redirected to {target}")),
        "{}",
        lines[0].detail
    );
}
