//! Running a command under `strace -f` and listing every file it created or
//! opened for writing, so a test can account for each one.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Syscalls that create, write, move or link files.
const TRACED: &str = "trace=open,openat,openat2,creat,mkdir,mkdirat,rename,renameat,renameat2,link,linkat,symlink,symlinkat,truncate";

/// One file-system change seen in the trace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Write {
    /// The syscall.
    pub call: String,
    /// The absolute path it touched (the destination, for renames and links).
    pub path: PathBuf,
}

/// Runs `command` under `strace -f -y`, returning its output and the writes.
pub fn trace(command: &Command, log_dir: &Path) -> (Output, Vec<Write>) {
    let log = log_dir.join(format!("strace-{}.log", std::process::id()));
    let mut traced = Command::new("strace");
    traced
        .args(["-f", "-y", "-qq", "-s", "4096", "-e", TRACED, "-o"])
        .arg(&log);
    traced.arg(command.get_program()).args(command.get_args());
    for (key, value) in command.get_envs() {
        match value {
            Some(value) => traced.env(key, value),
            None => traced.env_remove(key),
        };
    }
    if let Some(dir) = command.get_current_dir() {
        traced.current_dir(dir);
    }
    let output = traced.output().expect("strace runs");
    let text = std::fs::read_to_string(&log).expect("strace log");
    std::fs::remove_file(&log).expect("remove strace log");
    (output, parse(&text))
}

/// The successful creating or writing calls in an `strace -f -y` log.
pub fn parse(log: &str) -> Vec<Write> {
    let mut writes = Vec::new();
    for line in log.lines() {
        // "PID call(args) = result"; strace pads PIDs to a common width.
        let Some((_, rest)) = line.split_once(' ') else {
            continue;
        };
        let rest = rest.trim_start();
        let Some((call, args)) = rest.split_once('(') else {
            continue;
        };
        let Some((args, result)) = args.rsplit_once(") = ") else {
            continue;
        };
        if result.starts_with('-') || result.starts_with('?') {
            continue; // failed: nothing was created
        }
        let writing_open = matches!(call, "open" | "openat" | "openat2" | "creat")
            && (call == "creat"
                || ["O_WRONLY", "O_RDWR", "O_CREAT", "O_TRUNC", "O_APPEND"]
                    .iter()
                    .any(|f| args.contains(f)));
        let creating = matches!(
            call,
            "mkdir"
                | "mkdirat"
                | "rename"
                | "renameat"
                | "renameat2"
                | "link"
                | "linkat"
                | "symlink"
                | "symlinkat"
                | "truncate"
        );
        if !(writing_open || creating) {
            continue;
        }
        let path = if writing_open {
            // `= 5</resolved/path>` names the file the descriptor points at.
            result
                .split_once('<')
                .and_then(|(_, p)| p.strip_suffix('>'))
                .map(PathBuf::from)
        } else {
            last_path(args)
        };
        if let Some(path) = path {
            writes.push(Write {
                call: call.to_owned(),
                path,
            });
        }
    }
    writes
}

/// The last path argument, resolved against the directory descriptor before it.
fn last_path(args: &str) -> Option<PathBuf> {
    let mut base: Option<PathBuf> = None;
    let mut path = None;
    for arg in split_args(args) {
        if let Some(quoted) = arg.strip_prefix('"').and_then(|a| a.strip_suffix('"')) {
            let candidate = PathBuf::from(quoted);
            path = Some(match (&base, candidate.is_absolute()) {
                (Some(base), false) => base.join(candidate),
                _ => candidate,
            });
        } else if let Some((_, dir)) = arg.split_once('<') {
            base = dir.strip_suffix('>').map(PathBuf::from);
        }
    }
    path
}

/// Splits strace's argument list at top-level commas (paths may hold commas).
fn split_args(args: &str) -> Vec<&str> {
    let (mut parts, mut start, mut quoted, mut escaped) = (Vec::new(), 0, false, false);
    for (i, c) in args.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ',' if !quoted => {
                parts.push(args[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(args[start..].trim());
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_writes_creations_and_renames() {
        let log = r#"10 openat(AT_FDCWD</tmp>, "/etc/hosts", O_RDONLY|O_CLOEXEC) = 3</etc/hosts>
10 openat(AT_FDCWD</tmp>, "out,1.json", O_WRONLY|O_CREAT|O_EXCL|O_CLOEXEC, 0600) = 5</tmp/out,1.json>
987   mkdir("/dev/shm/registry-config-x", 0700) = 0
11 openat(AT_FDCWD</w>, "missing", O_RDWR) = -1 ENOENT (No such file or directory)
11 renameat2(AT_FDCWD</w>, "a.tmp", 7</var/lib/c>, "cache.db", 0) = 0
12 creat("/tmp/x", 0644) = 4</tmp/x>"#;
        let paths: Vec<_> = parse(log).into_iter().map(|w| w.path).collect();
        assert_eq!(
            paths,
            [
                "/tmp/out,1.json",
                "/dev/shm/registry-config-x",
                "/var/lib/c/cache.db",
                "/tmp/x"
            ]
            .map(PathBuf::from)
        );
    }
}
