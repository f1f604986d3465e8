//! Not a test: the servers `scripts/bench-check` measures against, started with
//! the suite's own harness. Ignored, so `cargo test` never runs it; the script
//! runs it with `--ignored --exact` and these variables:
//!
//! - `BENCH_CHECK_DIR` (required): a private directory (the script makes one on
//!   /dev/shm). Written: `hosts` (one registry address a line), `password`
//!   (alice's, mode 0600), then `ready`. The servers stop when `stop` appears
//!   there, or after `BENCH_CHECK_MAX_SECONDS` (default 900), whichever is first.
//! - `BENCH_CHECK_REGISTRIES` (default 20): how many registries, each its own
//!   `docker-registry` process on 127.0.0.1:its own port, all taking tokens from
//!   one token server.
//! - `BENCH_CHECK_DELAY_MS` (default 0): when not 0, an emulated network round
//!   trip. Every registry and the token server then get a
//!   [`ProxyMode::Delay`] proxy that waits this long before forwarding each
//!   request; `hosts` and `ready` name the proxies, and the registries' token
//!   realm points at the token server's proxy (set through distribution's
//!   `REGISTRY_AUTH_TOKEN_REALM` override, which the `docker-registry`
//!   processes inherit from this one).

use std::env;
use std::fs::{self, OpenOptions};
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::PathBuf;
use std::thread::sleep;
use std::time::{Duration, Instant};

use crate::harness::proxy::{Proxy, ProxyMode};
use crate::harness::registry::Registry;
use crate::harness::token_server::{TokenServer, ALICE};

fn var(name: &str, default: u64) -> u64 {
    env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[test]
#[ignore = "servers for scripts/bench-check, which runs it"]
fn serve_token_registries_for_bench() {
    let dir = PathBuf::from(env::var_os("BENCH_CHECK_DIR").expect("BENCH_CHECK_DIR"));
    let count = var("BENCH_CHECK_REGISTRIES", 20);
    let deadline = Instant::now() + Duration::from_secs(var("BENCH_CHECK_MAX_SECONDS", 900));

    let delay = Duration::from_millis(var("BENCH_CHECK_DELAY_MS", 0));

    let tokens = TokenServer::start();
    // With a delay, clients reach the token server only through its proxy: the
    // registries' realm must name the proxy. Nothing else in this process reads
    // the environment (only this ignored test runs here, `--exact`).
    let token_proxy = (!delay.is_zero()).then(|| {
        let proxy = Proxy::start(&tokens.host(), ProxyMode::Delay(delay));
        env::set_var(
            "REGISTRY_AUTH_TOKEN_REALM",
            format!("http://{}/token", proxy.host()),
        );
        proxy
    });
    let registries: Vec<Registry> = (0..count).map(|_| Registry::start_token(&tokens)).collect();
    let proxies: Vec<Proxy> = if delay.is_zero() {
        Vec::new()
    } else {
        registries
            .iter()
            .map(|r| Proxy::start(r.host(), ProxyMode::Delay(delay)))
            .collect()
    };
    let hosts: String = if delay.is_zero() {
        registries
            .iter()
            .map(|r| format!("{}\n", r.host()))
            .collect()
    } else {
        proxies.iter().map(|p| format!("{}\n", p.host())).collect()
    };
    let token_host = token_proxy
        .as_ref()
        .map_or_else(|| tokens.host(), Proxy::host);
    fs::write(dir.join("hosts"), hosts).expect("write hosts");
    let mut password = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(dir.join("password"))
        .expect("create password file");
    password
        .write_all(tokens.password(ALICE).as_bytes())
        .expect("write password");
    fs::write(dir.join("ready"), format!("token server {token_host}\n")).expect("write ready");
    eprintln!(
        "bench servers ready: {count} registries, token server {token_host}, delay {delay:?}"
    );

    while !dir.join("stop").exists() && Instant::now() < deadline {
        sleep(Duration::from_millis(50));
    }
    eprintln!(
        "bench servers stopping; token server saw {:?}",
        tokens.counts()
    );
}
