//! Shared pieces of the end-to-end suite, one concern per file.

pub mod cli;
pub mod engines;
pub mod http;
pub mod image;
pub mod output;
pub mod registry;
pub mod sandbox;
pub mod storage;
pub mod tools;
pub mod via;

use registry::Registry;

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
