//! A real registry per test: Debian's `docker-registry` (CNCF distribution)
//! with htpasswd auth ([`Registry::start`]) or token auth against a
//! [`TokenServer`] ([`Registry::start_token`]), listening on 127.0.0.1 only, in
//! its own temporary directory. Dropping the guard kills the process and
//! removes the directory, whether the test passed or panicked.

use std::fs::{self, File};
use std::hash::{BuildHasher, RandomState};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant, SystemTime};

use tempfile::TempDir;

use super::http;
use super::token_server::{self, TokenServer};

/// The only user the registry knows (with htpasswd; with tokens, the one
/// allowed everything).
pub const USER: &str = "alice";

/// A running registry; see the module docs.
pub struct Registry {
    child: Child,
    host: String,
    password: String,
    /// The token server's address, in token mode.
    token_host: Option<String>,
    dir: TempDir,
}

/// How the registry authenticates.
enum Auth<'a> {
    Htpasswd,
    /// htpasswd, with alice's password given (any bytes: a JSON key).
    Password(&'a str),
    /// No auth at all: every request is answered without credentials.
    Open,
    Token(&'a TokenServer),
}

/// Whether, and with which certificate, the registry serves HTTPS.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tls {
    Off,
    /// A certificate signed by a CA made for the test ([`Registry::ca_file`]).
    CaSigned,
    /// One self-signed certificate made the registry documentation's way
    /// (`openssl req -x509 ...`, which marks it CA:TRUE), for `names`.
    SelfSigned(&'static str),
}

impl Registry {
    /// Start a registry on a free port, with `alice` and a password made for this test.
    pub fn start() -> Registry {
        Registry::start_with(Auth::Htpasswd, Tls::Off)
    }

    /// Start an htpasswd registry where alice's password is `password`,
    /// which may hold line breaks (`htpasswd -i` reads it from stdin).
    pub fn start_with_password(password: &str) -> Registry {
        Registry::start_with(Auth::Password(password), Tls::Off)
    }

    /// Start a registry without auth: `GET /v2/` answers 200 to anyone.
    pub fn start_open() -> Registry {
        Registry::start_with(Auth::Open, Tls::Off)
    }

    /// Start an htpasswd registry serving HTTPS with a self-signed certificate
    /// made as the registry documentation makes it, for the subject
    /// alternative names `names` (`DNS:localhost,IP:127.0.0.1`); the
    /// certificate itself is [`Registry::ca_file`].
    pub fn start_self_signed(names: &'static str) -> Registry {
        Registry::start_with(Auth::Htpasswd, Tls::SelfSigned(names))
    }

    /// Start an htpasswd registry that serves HTTPS only, with a certificate
    /// made for this test (for `localhost` and 127.0.0.1); its path is
    /// [`Registry::ca_file`].
    pub fn start_tls() -> Registry {
        Registry::start_with(Auth::Htpasswd, Tls::CaSigned)
    }

    /// The CA that signed the certificate a TLS registry serves.
    pub fn ca_file(&self) -> PathBuf {
        self.dir.path().join("ca.crt")
    }

    /// Start a registry on a free port that takes tokens from `tokens`
    /// (`auth: token` with its realm, service, issuer and certificate).
    /// [`Registry::password`] is then alice's password at the token server.
    pub fn start_token(tokens: &TokenServer) -> Registry {
        Registry::start_with(Auth::Token(tokens), Tls::Off)
    }

    fn start_with(auth: Auth<'_>, tls: Tls) -> Registry {
        let dir = tempfile::Builder::new()
            .prefix("e2e-registry-")
            .tempdir()
            .expect("tempdir");
        let (password, auth_yaml, token_host) = match auth {
            Auth::Htpasswd | Auth::Password(_) => {
                let password = match auth {
                    Auth::Password(given) => given.to_owned(),
                    _ => random_secret(),
                };
                let htpasswd = dir.path().join("htpasswd");
                let mut child = Command::new("htpasswd")
                    .arg("-Bic")
                    .arg(&htpasswd)
                    .arg(USER)
                    .stdin(Stdio::piped())
                    .stderr(Stdio::null())
                    .spawn()
                    .expect("run htpasswd");
                std::io::Write::write_all(&mut child.stdin.take().unwrap(), password.as_bytes())
                    .expect("password to htpasswd");
                let status = child.wait().expect("htpasswd");
                assert!(status.success(), "htpasswd failed: {status}");
                let yaml = format!("{{htpasswd: {{realm: e2e, path: {}}}}}", htpasswd.display());
                (password, yaml, None)
            }
            Auth::Open => (String::new(), "{}".to_owned(), None),
            Auth::Token(tokens) => {
                let bundle = dir.path().join("token.crt");
                fs::copy(tokens.cert_path(), &bundle).expect("copy the token certificate");
                let yaml = format!(
                    "{{token: {{realm: {realm}, service: {service}, issuer: {issuer}, rootcertbundle: {bundle}}}}}",
                    realm = tokens.realm(),
                    service = token_server::SERVICE,
                    issuer = token_server::ISSUER,
                    bundle = bundle.display(),
                );
                (
                    tokens.password(token_server::ALICE).to_owned(),
                    yaml,
                    Some(tokens.host()),
                )
            }
        };

        match tls {
            Tls::Off => {}
            Tls::CaSigned => make_certificates(dir.path()),
            Tls::SelfSigned(names) => make_self_signed(dir.path(), names),
        }
        let open = matches!(auth, Auth::Open);
        let tls_yaml = if tls != Tls::Off {
            format!(
                ", tls: {{certificate: {}, key: {}}}",
                dir.path().join("tls.crt").display(),
                dir.path().join("tls.key").display()
            )
        } else {
            String::new()
        };

        // Port 0 finds a free port, but another process may take it before the
        // registry binds it: then the registry exits and we try another one.
        for _attempt in 0..5 {
            let port = free_port();
            let mut child = spawn(dir.path(), port, &auth_yaml, &tls_yaml, open);
            let host = format!("127.0.0.1:{port}");
            let expected = match (tls, open) {
                (Tls::Off, false) => 401,
                (Tls::Off, true) => 200,
                _ => 400,
            };
            if wait_ready(&mut child, &host, expected) {
                return Registry {
                    child,
                    host,
                    password,
                    token_host,
                    dir,
                };
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        let log = fs::read_to_string(dir.path().join("registry.log")).unwrap_or_default();
        panic!("docker-registry did not start after 5 attempts; last log:\n{log}");
    }

    /// "127.0.0.1:PORT": the registry's address as clients and auth keys write it.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// alice's password (a fresh one per registry).
    pub fn password(&self) -> &str {
        &self.password
    }

    /// The process id, to check that dropping the guard ends the process.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The registry's directory (config, htpasswd, storage).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The tags of `repo`, read with alice's credentials straight from the
    /// registry, to check what a client pushed without trusting the client.
    pub fn tags(&self, repo: &str) -> String {
        let path = format!("/v2/{repo}/tags/list");
        let response = match &self.token_host {
            None => http::get(&self.host, &path, Some((USER, &self.password))),
            Some(token_host) => {
                let token = self.token(token_host, &format!("repository:{repo}:pull"));
                http::get_bearer(&self.host, &path, &token)
            }
        }
        .expect("GET tags");
        assert_eq!(response.status, 200, "GET {path}: {}", response.body);
        response.body
    }
}

impl Registry {
    /// A token for alice from the token server at `token_host`.
    fn token(&self, token_host: &str, scope: &str) -> String {
        let path = format!("/token?service={}&scope={scope}", token_server::SERVICE);
        let response =
            http::get(token_host, &path, Some((USER, &self.password))).expect("GET /token");
        assert_eq!(response.status, 200, "GET {path}: {}", response.body);
        let body: serde_json::Value = serde_json::from_str(&response.body).expect("JSON");
        body["token"].as_str().expect("a token").to_owned()
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        // `dir` (a TempDir) is removed after this, once the process is gone.
    }
}

fn spawn(dir: &Path, port: u16, auth_yaml: &str, tls_yaml: &str, open: bool) -> Child {
    let config = dir.join("config.yml");
    let data = dir.join("data");
    let auth = if open {
        String::new()
    } else {
        format!("auth: {auth_yaml}\n")
    };
    fs::write(
        &config,
        format!(
            "version: 0.1\n\
             log: {{level: warn, accesslog: {{disabled: true}}}}\n\
             storage: {{filesystem: {{rootdirectory: {data}}}, delete: {{enabled: true}}}}\n\
             http: {{addr: 127.0.0.1:{port}, secret: e2e{tls_yaml}}}\n\
             {auth}",
            data = data.display(),
        ),
    )
    .expect("write registry config");
    let log = File::create(dir.join("registry.log")).expect("registry log");
    Command::new("docker-registry")
        .arg("serve")
        .arg(&config)
        .stdin(Stdio::null())
        .stdout(log.try_clone().expect("dup log"))
        .stderr(log)
        .spawn()
        .expect("spawn docker-registry")
}

/// Poll `GET /v2/` until it answers `expected`: 401 (auth is on), 200 (no
/// auth), or for a TLS registry 400 (it refuses plain HTTP); false if the
/// process died.
fn wait_ready(child: &mut Child, host: &str, expected: u16) -> bool {
    let deadline = Instant::now() + Duration::from_secs(15);
    while Instant::now() < deadline {
        if child.try_wait().expect("try_wait").is_some() {
            return false;
        }
        if let Ok(response) = http::get(host, "/v2/", None) {
            assert_eq!(response.status, expected, "GET /v2/ without credentials");
            return true;
        }
        sleep(Duration::from_millis(10));
    }
    false
}

/// A CA (`ca.crt`) and a server certificate it signed for `localhost` and
/// 127.0.0.1 (`tls.crt`, `tls.key`): rustls, rightly, refuses a self-signed
/// CA certificate used as the server's own.
fn make_certificates(dir: &Path) {
    let openssl = |args: &[&str]| {
        let status = Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("run openssl");
        assert!(status.success(), "openssl {args:?} failed: {status}");
    };
    openssl(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=e2e CA",
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt",
    ]);
    openssl(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=localhost",
        "-keyout",
        "tls.key",
        "-out",
        "tls.csr",
    ]);
    fs::write(
        dir.join("tls.ext"),
        "basicConstraints=CA:FALSE\nsubjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n",
    )
    .expect("write the extensions");
    openssl(&[
        "x509",
        "-req",
        "-in",
        "tls.csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        "tls.ext",
        "-out",
        "tls.crt",
    ]);
}

/// The registry documentation's self-signed certificate ("Use self-signed
/// certificates"), as `ca.crt` and `tls.crt` (the same file) with `tls.key`.
fn make_self_signed(dir: &Path, names: &str) {
    let status = Command::new("openssl")
        .args([
            "req", "-newkey", "rsa:4096", "-nodes", "-sha256", "-keyout", "tls.key",
        ])
        .args([
            "-x509",
            "-days",
            "365",
            "-out",
            "tls.crt",
            "-subj",
            "/CN=localhost",
        ])
        .args(["-addext", &format!("subjectAltName={names}")])
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("run openssl");
    assert!(status.success(), "openssl req -x509 failed: {status}");
    fs::copy(dir.join("tls.crt"), dir.join("ca.crt")).expect("copy the certificate");
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener.local_addr().expect("local_addr").port()
}

/// A password no other test or run shares (std's RandomState is randomly keyed).
pub fn random_secret() -> String {
    let a = RandomState::new().hash_one(SystemTime::now());
    let b = RandomState::new().hash_one(std::process::id());
    format!("pw-{a:016x}{b:016x}")
}
