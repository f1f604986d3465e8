//! Running `registry-config check` (and `render`/`exec` with `--verify`) and
//! reading its results.
//!
//! Human output is one line per result on stdout, `STATUS TARGET: DETAIL`;
//! `--json` prints `[{"registry", "repository", "status", "detail"}]`.

use std::process::{Command, Output};

use super::cli::BIN;
use super::output;

/// Variables that would send the binary's HTTP through a proxy; removed so that
/// every request goes straight to the loopback servers.
const PROXY_VARS: [&str; 8] = [
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "NO_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "no_proxy",
];

/// `registry-config SUBCOMMAND ARGS...` with `env` added and no proxy variables.
pub fn command(subcommand: &str, args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.arg(subcommand).args(args).envs(env.iter().copied());
    for var in PROXY_VARS {
        cmd.env_remove(var);
    }
    cmd
}

/// `registry-config check ARGS...`.
pub fn check(args: &[&str], env: &[(&str, &str)]) -> Output {
    command("check", args, env)
        .output()
        .expect("run registry-config check")
}

/// One result line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub status: String,
    pub target: String,
    pub detail: String,
}

/// The result lines of a human-format run (every non-empty stdout line must parse).
#[track_caller]
pub fn lines(out: &Output) -> Vec<Line> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let (status, rest) = line.split_once(' ').unwrap_or_else(|| {
                panic!(
                    "not `STATUS TARGET: DETAIL`: {line:?}\n{}",
                    output::both(out)
                )
            });
            // The target may hold ':' (a port), but not ": ".
            let (target, detail) = rest
                .split_once(": ")
                .unwrap_or((rest.trim_end_matches(':'), ""));
            Line {
                status: status.to_owned(),
                target: target.to_owned(),
                detail: detail.to_owned(),
            }
        })
        .collect()
}

/// The one line for `target`.
#[track_caller]
pub fn line_for(out: &Output, target: &str) -> Line {
    let all = lines(out);
    let found: Vec<&Line> = all.iter().filter(|line| line.target == target).collect();
    assert_eq!(
        found.len(),
        1,
        "exactly one result for {target}:\n{}",
        output::both(out)
    );
    found[0].clone()
}

/// Assert the exit status and the status of each target, and that there is no
/// other result; returns the lines.
#[track_caller]
pub fn expect(out: &Output, code: i32, results: &[(&str, &str)]) -> Vec<Line> {
    assert_eq!(
        out.status.code(),
        Some(code),
        "exit status of registry-config check:\n{}",
        output::both(out)
    );
    let all = lines(out);
    assert_eq!(
        all.len(),
        results.len(),
        "one line per result, {results:?}:\n{}",
        output::both(out)
    );
    for (target, status) in results {
        let line = line_for(out, target);
        assert_eq!(
            &line.status,
            status,
            "status of {target}:\n{}",
            output::both(out)
        );
    }
    all
}
