//! Assertions on a finished client run that show everything it printed.

use std::process::Output;

/// Assert that the run succeeded; returns its stdout.
#[track_caller]
pub fn success(out: &Output, what: &str) -> String {
    assert!(
        out.status.success(),
        "{what} failed ({}):\n{}",
        out.status,
        both(out)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Assert that the run failed and that its output holds one of `needles`
/// (case-insensitive); an empty list checks only the exit status.
#[track_caller]
pub fn failure(out: &Output, what: &str, needles: &[&str]) {
    assert!(
        !out.status.success(),
        "{what} should have failed:\n{}",
        both(out)
    );
    let text = both(out).to_lowercase();
    assert!(
        needles.is_empty() || needles.iter().any(|n| text.contains(&n.to_lowercase())),
        "{what} failed, but without any of {needles:?}:\n{}",
        both(out)
    );
}

/// stdout and stderr, for messages.
pub fn both(out: &Output) -> String {
    format!(
        "--- stdout\n{}--- stderr\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}
