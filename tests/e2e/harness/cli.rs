//! Running the real `registry-config` binary, as users do.
//!
//! The password always travels as `env:REGISTRY_PASSWORD` in the binary's own
//! environment, never on a command line. Rendered files are kept in a private
//! 0700 directory on /dev/shm with 0600 files, so the suite itself never puts a
//! credential on persistent disk.

use std::ffi::OsStr;
use std::fs::OpenOptions;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

use super::output;
use super::registry::USER;

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_registry-config");

/// The variable the tests put the password in.
pub const PASSWORD_VAR: &str = "REGISTRY_PASSWORD";

/// The file format `render` is asked for.
#[derive(Clone, Copy, Debug)]
pub enum Format {
    /// Docker `config.json`.
    Docker,
    /// containers `auth.json`.
    Containers,
}

impl Format {
    /// The `--format` value.
    pub fn name(self) -> &'static str {
        match self {
            Format::Docker => "docker",
            Format::Containers => "containers",
        }
    }

    /// The name clients expect for the file (DOCKER_CONFIG needs `config.json`).
    pub fn file_name(self) -> &'static str {
        match self {
            Format::Docker => "config.json",
            Format::Containers => "auth.json",
        }
    }
}

/// `--auth` for alice on `host`, reading the password from [`PASSWORD_VAR`].
pub fn auth_arg(host: &str) -> String {
    format!("{host}={USER}:env:{PASSWORD_VAR}")
}

/// `registry-config render ARGS...` with `env` added to its environment.
pub fn render(args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(BIN)
        .arg("render")
        .args(args)
        .envs(env.iter().copied())
        .output()
        .expect("run registry-config render")
}

/// A rendered file in a private directory on /dev/shm, removed on drop.
pub struct SecretFile {
    dir: TempDir,
    path: PathBuf,
}

impl SecretFile {
    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Its directory (for `DOCKER_CONFIG` / `docker --config`, with a Docker-format file).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

/// Render alice's credentials for `host` in `format` and keep the file on /dev/shm.
pub fn render_file(host: &str, password: &str, format: Format) -> SecretFile {
    render_file_as(USER, host, password, format)
}

/// Render `user`'s credentials for `host` in `format` and keep the file on /dev/shm.
pub fn render_file_as(user: &str, host: &str, password: &str, format: Format) -> SecretFile {
    let out = render(
        &[
            "--format",
            format.name(),
            "--auth",
            &format!("{host}={user}:env:{PASSWORD_VAR}"),
        ],
        &[(PASSWORD_VAR, password)],
    );
    let rendered = output::success(&out, "registry-config render");
    // tempfile creates directories 0700.
    let dir = tempfile::Builder::new()
        .prefix("e2e-render-")
        .tempdir_in("/dev/shm")
        .expect("a private directory on /dev/shm");
    let path = dir.path().join(format.file_name());
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&path)
        .expect("create rendered file");
    file.write_all(rendered.as_bytes())
        .expect("write rendered file");
    SecretFile { dir, path }
}

/// `registry-config exec --auth HOST=alice:env:REGISTRY_PASSWORD -- CLIENT...`,
/// keeping the client's environment and working directory.
pub fn exec(host: &str, password: &str, client: &Command) -> Output {
    exec_command(host, password, client)
        .output()
        .expect("run registry-config exec")
}

/// The command [`exec`] runs, for tests that need to spawn it themselves.
pub fn exec_command(host: &str, password: &str, client: &Command) -> Command {
    let mut cmd = wrap(client, BIN, ["exec", "--auth", &auth_arg(host), "--"]);
    cmd.arg(client.get_program())
        .args(client.get_args())
        .env(PASSWORD_VAR, password);
    cmd
}

/// What the command under `exec` first runs: it proves that the exec
/// directory is in helper mode (config.json names the helper) when
/// `HELPER_EXPECTED` is set, that no file under it holds the password or the
/// `auth` value made from it (exit 98 otherwise), and then runs the client.
const NO_SECRET_IN_FILES: &str = r#"
if [ -n "$HELPER_EXPECTED" ] && ! grep -q '"registry-config"' "$DOCKER_CONFIG/config.json"; then
  echo "config.json names no credential helper" >&2; exit 97
fi
auth=$(printf '%s:%s' "$REGISTRY_USER" "$REGISTRY_PASSWORD" | base64 -w0)
for needle in "$REGISTRY_PASSWORD" "$auth"; do
  if grep -rqF -D skip -- "$needle" "$DOCKER_CONFIG"; then
    echo "a file under $DOCKER_CONFIG holds the secret" >&2; exit 98
  fi
done
exec "$@"
"#;

/// `registry-config exec --isolation ISOLATION --auth HOST=alice:env:REGISTRY_PASSWORD --
/// sh -c NO_SECRET_IN_FILES sh CLIENT...`: the client runs only once the exec
/// directory has been searched for the password, while exec is running.
pub fn exec_checked(isolation: &str, host: &str, password: &str, client: &Command) -> Output {
    let args = [
        "exec",
        "--isolation",
        isolation,
        "--auth",
        &auth_arg(host),
        "--",
    ];
    let mut cmd = wrap(client, BIN, args);
    cmd.args(["sh", "-c", NO_SECRET_IN_FILES, "sh"])
        .arg(client.get_program())
        .args(client.get_args())
        .env(PASSWORD_VAR, password)
        .env("REGISTRY_USER", USER);
    if isolation == "helper" {
        cmd.env("HELPER_EXPECTED", "1");
    }
    cmd.output().expect("run registry-config exec")
}

/// A new command `program ARGS` with `client`'s environment changes and working directory.
pub fn wrap<I, S>(client: &Command, program: impl AsRef<OsStr>, args: I) -> Command
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut cmd = Command::new(program);
    cmd.args(args);
    for (key, value) in client.get_envs() {
        match value {
            Some(value) => cmd.env(key, value),
            None => cmd.env_remove(key),
        };
    }
    if let Some(dir) = client.get_current_dir() {
        cmd.current_dir(dir);
    }
    cmd
}
