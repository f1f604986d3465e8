//! A real registry per test: Debian's `docker-registry` (CNCF distribution)
//! with htpasswd auth, listening on 127.0.0.1 only, in its own temporary
//! directory. Dropping the guard kills the process and removes the directory,
//! whether the test passed or panicked.

use std::fs::{self, File};
use std::hash::{BuildHasher, RandomState};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant, SystemTime};

use tempfile::TempDir;

use super::http;

/// The only user the registry knows.
pub const USER: &str = "alice";

/// A running registry; see the module docs.
pub struct Registry {
    child: Child,
    host: String,
    password: String,
    dir: TempDir,
}

impl Registry {
    /// Start a registry on a free port, with `alice` and a password made for this test.
    pub fn start() -> Registry {
        let dir = tempfile::Builder::new()
            .prefix("e2e-registry-")
            .tempdir()
            .expect("tempdir");
        let password = random_secret();
        let htpasswd = dir.path().join("htpasswd");
        let status = Command::new("htpasswd")
            .arg("-Bbc")
            .arg(&htpasswd)
            .args([USER, &password])
            .stderr(Stdio::null())
            .status()
            .expect("run htpasswd");
        assert!(status.success(), "htpasswd failed: {status}");

        // Port 0 finds a free port, but another process may take it before the
        // registry binds it: then the registry exits and we try another one.
        for _attempt in 0..5 {
            let port = free_port();
            let mut child = spawn(dir.path(), port);
            let host = format!("127.0.0.1:{port}");
            if wait_ready(&mut child, &host) {
                return Registry {
                    child,
                    host,
                    password,
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
        let response =
            http::get(&self.host, &path, Some((USER, &self.password))).expect("GET tags");
        assert_eq!(response.status, 200, "GET {path}: {}", response.body);
        response.body
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        // `dir` (a TempDir) is removed after this, once the process is gone.
    }
}

fn spawn(dir: &Path, port: u16) -> Child {
    let config = dir.join("config.yml");
    let data = dir.join("data");
    let htpasswd = dir.join("htpasswd");
    fs::write(
        &config,
        format!(
            "version: 0.1\n\
             log: {{level: warn, accesslog: {{disabled: true}}}}\n\
             storage: {{filesystem: {{rootdirectory: {data}}}, delete: {{enabled: true}}}}\n\
             http: {{addr: 127.0.0.1:{port}, secret: e2e}}\n\
             auth: {{htpasswd: {{realm: e2e, path: {htpasswd}}}}}\n",
            data = data.display(),
            htpasswd = htpasswd.display(),
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

/// Poll `GET /v2/` until it answers 401 (auth is on); false if the process died.
fn wait_ready(child: &mut Child, host: &str) -> bool {
    let deadline = Instant::now() + Duration::from_secs(15);
    while Instant::now() < deadline {
        if child.try_wait().expect("try_wait").is_some() {
            return false;
        }
        if let Ok(response) = http::get(host, "/v2/", None) {
            assert_eq!(
                response.status, 401,
                "GET /v2/ without credentials must be refused"
            );
            return true;
        }
        sleep(Duration::from_millis(10));
    }
    false
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
