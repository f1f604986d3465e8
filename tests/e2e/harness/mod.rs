//! Shared pieces of the end-to-end suite, one concern per file.

pub mod check;
pub mod cli;
pub mod engines;
pub mod http;
pub mod image;
pub mod output;
pub mod proxy;
pub mod registry;
pub mod sandbox;
pub mod skopeo;
pub mod storage;
pub mod strace;
pub mod token_server;
pub mod tools;
pub mod via;
pub mod wire;

use registry::Registry;
use token_server::TokenServer;

/// Start a registry for a test that needs the given client tools as well.
///
/// `None` means a tool is missing and the test should return (skipped); under
/// `CI=true` a missing tool panics instead, so CI cannot pass by skipping.
pub fn registry_for(clients: &[&str]) -> Option<Registry> {
    let needed = ["docker-registry", "htpasswd"].iter().chain(clients);
    // Check every tool (not just up to the first missing one) so the message lists them all.
    let found: Vec<bool> = needed.map(|tool| tools::require(tool)).collect();
    found.iter().all(|ok| *ok).then(Registry::start)
}

/// Start a token server and a registry that takes its tokens, for a test that
/// needs the given client tools as well; `None` as in [`registry_for`].
pub fn token_registry_for(clients: &[&str]) -> Option<(TokenServer, Registry)> {
    let needed = ["docker-registry", "openssl"].iter().chain(clients);
    let found: Vec<bool> = needed.map(|tool| tools::require(tool)).collect();
    found.iter().all(|ok| *ok).then(|| {
        let tokens = TokenServer::start();
        let registry = Registry::start_token(&tokens);
        (tokens, registry)
    })
}
