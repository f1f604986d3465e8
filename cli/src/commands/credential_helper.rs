//! `docker-credential-registry-config`: the credential helper that helper-mode
//! `exec` puts on its command's PATH (a link to this binary). It speaks the
//! Docker credential-helper protocol to the tool: `get` reads a server URL on
//! stdin and prints `{"ServerURL","Username","Secret"}`, asked of the running
//! `exec` over its private channel. It holds nothing itself, so `store`,
//! `erase` and `list` are refused.
//!
//! As helpers do, it prints its errors on stdout, where clients read them.

use std::ffi::OsString;
use std::io::Write;
use std::process::ExitCode;

use registry_config::{HELPER_NOT_FOUND, SELF_HELPER_NAME};

use crate::helper_channel::{self, Answer};

/// The program name clients run.
pub fn program() -> String {
    format!("docker-credential-{SELF_HELPER_NAME}")
}

/// True when this binary was started as the helper (argv[0] is its name,
/// with or without a directory).
pub fn is_invoked_as_helper(argv0: Option<&OsString>) -> bool {
    argv0
        .and_then(|arg| std::path::Path::new(arg).file_name())
        .is_some_and(|name| name == program().as_str())
}

/// Runs the helper with the arguments after argv[0].
pub fn main(args: &[OsString]) -> ExitCode {
    let action = match args {
        [action] => action.to_string_lossy(),
        _ => {
            return fail(&format!(
                "usage: {} get (the server URL on stdin)",
                program()
            ))
        }
    };
    match action.as_ref() {
        "get" => get(),
        "store" | "erase" | "list" => fail(&format!(
            "{} only answers get: it hands over the credentials of a running `registry-config \
             exec` and stores nothing, so {action} is not supported",
            program()
        )),
        _ => fail(&format!(
            "{}: unknown action (only get is supported)",
            program()
        )),
    }
}

fn get() -> ExitCode {
    let Some(request) = helper_channel::read_request(std::io::stdin().lock()) else {
        return fail(&format!(
            "{}: cannot read the server URL on stdin",
            program()
        ));
    };
    let Ok(server_url) = std::str::from_utf8(&request) else {
        return fail(&format!("{}: the server URL is not UTF-8", program()));
    };
    match helper_channel::ask(server_url.trim()) {
        Ok(Answer::Found(reply)) => match say(&reply) {
            true => ExitCode::SUCCESS,
            false => ExitCode::FAILURE,
        },
        // The words clients take as "nothing stored here": they go on anonymously.
        Ok(Answer::NotFound) => fail(HELPER_NOT_FOUND),
        Err(err) => fail(&format!("{}: {err}", program())),
    }
}

/// Prints `message` on stdout, where clients read a helper's errors, and fails.
fn fail(message: &str) -> ExitCode {
    say(format!("{message}\n").as_bytes());
    ExitCode::FAILURE
}

fn say(bytes: &[u8]) -> bool {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(bytes)
        .and_then(|()| stdout.flush())
        .is_ok()
}
