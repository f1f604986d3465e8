//! The ways a client is handed the rendered credentials, so one test body can
//! run the same client commands through each of them.

use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::process::{Command, Output};

use super::cli;

/// How a client finds the credentials.
pub enum Via<'a> {
    /// Extra arguments (`--authfile FILE`, a driver's config path).
    Args(Vec<OsString>),
    /// The file's path in an environment variable (`REGISTRY_AUTH_FILE=FILE`).
    Env(&'static str, &'a Path),
    /// `registry-config exec -- CLIENT...`: the client reads the variables exec sets.
    Exec { host: &'a str, password: &'a str },
    /// `registry-config exec --isolation helper`, the exec directory searched
    /// for the password before the client runs (see [`cli::exec_checked`]).
    ExecHelper { host: &'a str, password: &'a str },
    /// `registry-config exec -- sh -c 'exec CLIENT... WORDS TAIL...'`: `WORDS` is
    /// shell text naming exec's variables, e.g. `--authfile "$REGISTRY_AUTH_FILE"`.
    ExecShell {
        host: &'a str,
        password: &'a str,
        words: &'static str,
    },
}

impl Via<'_> {
    /// `FLAG FILE` as extra arguments.
    pub fn flag(flag: &str, file: &Path) -> Via<'static> {
        Via::Args(vec![flag.into(), file.into()])
    }

    /// Run `client` and then `tail` as its last arguments, with the credentials
    /// handed over this way. Extra arguments go between the two, because some
    /// clients (buildah) refuse options after the image name.
    pub fn run(&self, mut client: Command, tail: &[&str]) -> Output {
        match self {
            Via::Args(args) => client.args(args).args(tail).output().expect("run client"),
            Via::Env(var, file) => client
                .env(var, file)
                .args(tail)
                .output()
                .expect("run client"),
            Via::Exec { host, password } => cli::exec(host, password, client.args(tail)),
            Via::ExecHelper { host, password } => {
                cli::exec_checked("helper", host, password, client.args(tail))
            }
            Via::ExecShell {
                host,
                password,
                words,
            } => {
                let head = [client.get_program()].into_iter().chain(client.get_args());
                let tail = tail.iter().map(OsStr::new);
                let script = format!("exec {} {words} {}", quote_all(head), quote_all(tail));
                cli::exec(host, password, &cli::wrap(&client, "sh", ["-c", &script]))
            }
        }
    }
}

/// Single-quote each word for `sh` (`'` becomes `'\''`).
fn quote_all<'a>(words: impl Iterator<Item = &'a OsStr>) -> String {
    words
        .map(|word| {
            let word = String::from_utf8_lossy(word.as_bytes());
            format!("'{}'", word.replace('\'', r"'\''"))
        })
        .collect::<Vec<_>>()
        .join(" ")
}
