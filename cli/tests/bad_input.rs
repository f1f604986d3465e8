//! The bad-input matrix: every kind of bad input the CLI can be given, each
//! refused with exit status 2, one line on stderr naming what is wrong (never
//! the secret), and nothing on stdout; or a documented success.
//!
//! docs/bad-input.md holds this matrix as a table between
//! `<!-- bad-input-matrix -->` markers; this test renders the table from what
//! the binary really printed and fails when the document differs
//! (`UPDATE_DOCS=1` rewrites it; `UPDATE_README=1`, its old name, too).

mod common;

use std::io::Write;
use std::path::Path;

use common::*;

const SECRET: &str = "matrix-canary-7Qz";

/// One row: what is wrong, the arguments, and what must happen.
struct Case {
    input: &'static str,
    args: Vec<String>,
    /// `None`: bad input, exit 2. `Some(n)`: a documented success holding n entries.
    success: Option<usize>,
}

fn case(input: &'static str, args: &[&str]) -> Case {
    Case {
        input,
        args: args.iter().map(|a| a.to_string()).collect(),
        success: None,
    }
}

fn cases(dir: &Path) -> Vec<Case> {
    let file = |name: &str, bytes: &[u8]| {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        path.display().to_string()
    };
    let not_utf8 = file("latin1", b"caf\xe9");
    let nul = file("nul", format!("{SECRET}\0x").as_bytes());
    let mib = file("mib", &vec![b'x'; 1 << 20]);
    let not_json = file("not.json", b"auths = {}");
    let wrong_shape = file("shape.json", br#"{"auths": ["ghcr.io"]}"#);
    let too_deep = file(
        "deep.json",
        format!("{{\"x\": {}{}}}", "[".repeat(300), "]".repeat(300)).as_bytes(),
    );
    let two_auths = file(
        "two-auths.json",
        br#"{"auths": {"a.io": {"auth": "YTpi"}}, "auths": {"b.io": {"auth": "YTpi"}}}"#,
    );
    let huge = dir.join("huge.json");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(100 << 20)
        .unwrap(); // sparse: no 100 MiB written
    let huge = huge.display().to_string();
    let ten_thousand: Vec<String> = (0..10_000)
        .flat_map(|i| {
            [
                "--auth".to_owned(),
                format!("r{i}.example:5000=ci:env:TOKEN"),
            ]
        })
        .collect();

    let mut cases = vec![
        case("address with a space", &["--auth", "ghcr .io=me:env:TOKEN"]),
        case("empty address", &["--auth", "=me:env:TOKEN"]),
        case(
            "address with only a scheme",
            &["--auth", "https://=me:env:TOKEN"],
        ),
        case("unknown scheme", &["--auth", "ftp://ghcr.io=me:env:TOKEN"]),
        case(
            "address with a query",
            &["--auth", "ghcr.io?tenant=1=me:env:TOKEN"],
        ),
        case("host starting with '-'", &["--auth=-ghcr.io=me:env:TOKEN"]),
        case("port 0", &["--auth", "ghcr.io:0=me:env:TOKEN"]),
        case("port 65536", &["--auth", "ghcr.io:65536=me:env:TOKEN"]),
        case(
            "userinfo in the address",
            &[
                "--auth",
                "https://me:matrix-canary-7Qz@ghcr.io=me:env:TOKEN",
            ],
        ),
        case(
            "repository path in the docker format",
            &["--auth", "ghcr.io/org=me:env:TOKEN"],
        ),
        case(
            "':' in the username",
            &["--auth", "ghcr.io=me:you:env:TOKEN"],
        ),
        case("empty username", &["--auth", "ghcr.io=:env:TOKEN"]),
        case(
            "whitespace-only username",
            &["--auth", "ghcr.io= \t:env:TOKEN"],
        ),
        case(
            "literal secret",
            &["--auth", "ghcr.io=me:matrix-canary-7Qz"],
        ),
        case("no '='", &["--auth", "ghcr.io"]),
        case("empty secret", &["--auth", "ghcr.io=me:env:EMPTY"]),
        case(
            "whitespace-only secret",
            &["--auth", "ghcr.io=me:env:BLANK"],
        ),
        case(
            "token with a line break",
            &["--registry-token", "ghcr.io=env:MULTILINE"],
        ),
        case(
            "non-UTF-8 secret file",
            &["--auth", &format!("ghcr.io=me:file:{not_utf8}")],
        ),
        case(
            "NUL byte in a token",
            &["--identity-token", &format!("ghcr.io=file:{nul}")],
        ),
        case(
            "1 MiB secret",
            &["--auth", &format!("ghcr.io=me:file:{mib}")],
        ),
        case(
            "unset environment variable",
            &["--auth", "ghcr.io=me:env:REGISTRY_CONFIG_UNSET"],
        ),
        case(
            "a value after env: (env:$TOKEN)",
            &["--auth", "ghcr.io=me:env:matrix-canary-7Qz"],
        ),
        case(
            "a value after file: (file:$TOKEN)",
            &["--auth", "ghcr.io=me:file:matrix-canary-7Qz"],
        ),
        case(
            "unreadable file",
            &["--auth", "ghcr.io=me:file:/nonexistent/token"],
        ),
        case(
            "cmd: that fails",
            &["--auth", "ghcr.io=me:cmd:echo matrix-canary-7Qz; exit 3"],
        ),
        case(
            "cmd: that prints nothing",
            &["--auth", "ghcr.io=me:cmd:true"],
        ),
        case(
            "cmd: that hangs",
            &[
                "--source-timeout",
                "1",
                "--auth",
                "ghcr.io=me:cmd:exec sleep 30",
            ],
        ),
        case(
            "timeout of 0 seconds",
            &["--source-timeout", "0", "--auth", "ghcr.io=me:env:TOKEN"],
        ),
        case(
            "--timeout 0",
            &[
                "--verify",
                "--timeout",
                "0",
                "--auth",
                "ghcr.io=me:env:TOKEN",
            ],
        ),
        case(
            "--timeout NaN",
            &[
                "--verify",
                "--timeout",
                "NaN",
                "--auth",
                "ghcr.io=me:env:TOKEN",
            ],
        ),
        case(
            "--timeout 1e20",
            &[
                "--verify",
                "--timeout",
                "1e20",
                "--auth",
                "ghcr.io=me:env:TOKEN",
            ],
        ),
        case(
            "a secret given to --timeout",
            &[
                "--verify",
                "--timeout",
                "matrix-canary-7Qz",
                "--auth",
                "ghcr.io=me:env:TOKEN",
            ],
        ),
        case(
            "a secret given to --source-timeout",
            &[
                "--source-timeout",
                "matrix-canary-7Qz",
                "--auth",
                "ghcr.io=me:env:TOKEN",
            ],
        ),
        case(
            "a value given to --verify",
            &[
                "--verify=matrix-canary-7Qz",
                "--auth",
                "ghcr.io=me:env:TOKEN",
            ],
        ),
        case(
            "stdin twice",
            &["--auth", "a.io=me:stdin", "--auth", "b.io=me:stdin"],
        ),
        case(
            "base config not JSON",
            &["--from", &not_json, "--auth", "ghcr.io=me:env:TOKEN"],
        ),
        case(
            "base config of the wrong shape",
            &["--from", &wrong_shape, "--auth", "ghcr.io=me:env:TOKEN"],
        ),
        case(
            "base config nested too deep",
            &["--from", &too_deep, "--auth", "ghcr.io=me:env:TOKEN"],
        ),
        case(
            "base config of 100 MiB",
            &["--from", &huge, "--auth", "ghcr.io=me:env:TOKEN"],
        ),
        case(
            "unknown format",
            &["--format", "podman", "--auth", "ghcr.io=me:env:TOKEN"],
        ),
        case("stray argument", &["matrix-canary-7Qz"]),
    ];
    cases.push(Case {
        input: "the same registry twice (the later wins)",
        args: [
            "--auth",
            "ghcr.io=old:env:TOKEN",
            "--auth",
            "https://GHCR.io/=new:env:TOKEN",
        ]
        .map(String::from)
        .to_vec(),
        success: Some(1),
    });
    cases.push(Case {
        input: "multi-line password (a Google JSON key)",
        args: ["--auth", "gcr.io=_json_key:env:MULTILINE"]
            .map(String::from)
            .to_vec(),
        success: Some(1),
    });
    cases.push(Case {
        input: "two top-level auths objects in --from (merged, as Docker reads them)",
        args: vec![
            "--from".to_owned(),
            two_auths,
            "--auth".to_owned(),
            "c.io=me:env:TOKEN".to_owned(),
        ],
        success: Some(3),
    });
    cases.push(Case {
        input: "10,000 entries",
        args: ten_thousand,
        success: Some(10_000),
    });
    cases
}

#[test]
fn every_bad_input_is_refused_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let mut rows = vec![
        "| input | exit | message (stderr, one line) |".to_owned(),
        "|---|---|---|".to_owned(),
    ];
    for case in cases(dir.path()) {
        let output = run(registry_config()
            .env("TOKEN", SECRET)
            .env("EMPTY", "")
            .env("BLANK", " \t ")
            .env("MULTILINE", format!("{SECRET}\nmore"))
            .arg("render")
            .args(&case.args));
        let err = stderr(&output);
        assert!(
            !err.contains(SECRET),
            "{}: the secret on stderr: {err}",
            case.input
        );
        let shown = match case.success {
            None => {
                assert_bad_input(&output, "");
                err.trim()
                    .strip_prefix("registry-config: error: ")
                    .unwrap_or(err.trim())
                    .to_owned()
            }
            Some(entries) => {
                assert_success(&output);
                let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
                assert_eq!(
                    json["auths"].as_object().unwrap().len(),
                    entries,
                    "{}",
                    case.input
                );
                format!(
                    "(success: {entries} {})",
                    if entries == 1 { "entry" } else { "entries" }
                )
            }
        };
        // Paths of this run's temporary files vary: show them as DIR.
        let shown = shown
            .replace(&dir.path().display().to_string(), "DIR")
            .replace('|', "\\|");
        rows.push(format!(
            "| {} | {} | {} |",
            case.input,
            output.status.code().unwrap_or(-1),
            shown
        ));
    }
    check_docs(&rows.join("\n"));
}

/// The documented copy of the table must be this run's.
fn check_docs(table: &str) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/bad-input.md");
    let doc = std::fs::read_to_string(path).unwrap();
    let (start, end) = (
        "<!-- bad-input-matrix -->\n",
        "\n<!-- /bad-input-matrix -->",
    );
    let (before, rest) = doc
        .split_once(start)
        .expect("docs/bad-input.md has the bad-input-matrix markers");
    let (current, after) = rest
        .split_once(end)
        .expect("docs/bad-input.md closes the bad-input-matrix markers");
    if current == table {
        return;
    }
    if ["UPDATE_DOCS", "UPDATE_README"]
        .iter()
        .any(|name| std::env::var_os(name).is_some())
    {
        let mut file = std::fs::File::create(path).unwrap();
        write!(file, "{before}{start}{table}{end}{after}").unwrap();
        return;
    }
    panic!("docs/bad-input.md's matrix differs from what the binary prints; run with UPDATE_DOCS=1\n{table}");
}
