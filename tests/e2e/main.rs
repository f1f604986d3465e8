//! End-to-end suite: a real registry (Debian's `docker-registry` with htpasswd
//! auth on 127.0.0.1) and the real clients (skopeo, podman, buildah, the docker
//! CLI, oras-py, helm v4) reading files rendered by the `registry-config` binary.
//! `token` and `check` add a token-auth registry (an in-process token server,
//! harness/token_server.rs) and a reverse proxy whose `/v2/` answers 200
//! (harness/proxy.rs), for `registry-config check` and `--verify`.
//!
//! Every test starts its own registry and its own temporary directories, so the
//! tests run in parallel. A missing client skips its tests with a message,
//! unless `CI=true`, where it fails them (see `harness::tools`).

mod harness;

mod bench_support;
mod buildah;
mod check;
mod cleanup;
mod disk_audit;
mod docker;
mod engine_suite;
mod helm;
mod helper_mode;
mod json_key;
mod oras;
mod podman;
mod rootless;
mod scoped;
mod self_signed;
mod skopeo;
mod token;
mod unverified;
