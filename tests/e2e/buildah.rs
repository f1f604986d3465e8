//! buildah against a real registry: see `engine_suite` for what each test does.

use crate::engine_suite;

#[test]
fn authfile_push_pull() {
    engine_suite::authfile_push_pull("buildah");
}

#[test]
fn through_exec() {
    engine_suite::through_exec("buildah");
}

#[test]
fn wrong_password_is_unauthorized() {
    engine_suite::wrong_password_is_unauthorized("buildah");
}
