//! registry-config's core for JavaScript, through wasm-bindgen.
//!
//! The glue only converts types: every rule is in the `registry-config`
//! crate. A [`Config`] is built once per call, as ruff's wasm crate builds a
//! `Workspace`: each builder call is the core's [`registry_config::Operation`],
//! applied at once. It renders a file (with its secret's name and warnings,
//! in one crossing) and plans the credential checks, whose handshakes keep
//! the plaintexts in wasm memory. Errors become JavaScript exceptions carrying
//! the core's message, which names the address or field at fault and never a
//! secret.
//!
//! ```js
//! import { Config, normalizeAddress } from "./registry_config_wasm.js";
//! normalizeAddress("https://index.docker.io/v1/", "containers"); // "docker.io"
//! const config = new Config(daggerSecretLimit());
//! config.addAuth("ghcr.io", "me", "ghp_x");
//! const { config: text, secretName, warnings } = config.render("docker");
//! ```
#![forbid(unsafe_code)]

mod apply;
mod check;
mod config;

use registry_config::{Format, RegistryAddress};
use wasm_bindgen::prelude::*;

pub use apply::EnvVar;
pub use check::{Action, Check, VerifyNote};
pub use config::{Config, Rendering};

// talc instead of dlmalloc (smaller in the two-module build). Wrapped in
// ZeroAlloc, which zeroes every block as it is freed: the strings JavaScript
// passes in (secrets and all), the copy of the rendered file handed back,
// and whatever else held a secret do not linger in the linear memory after a
// call. `Secret` and `Zeroizing` already zero their own buffers; the
// wasm-bindgen glue's buffers are plain ones (dagger/test/memory.test.mjs
// searches the memory for canaries).
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: zeroizing_alloc::ZeroAlloc<talc::wasm::WasmDynamicTalc> =
    zeroizing_alloc::ZeroAlloc(talc::wasm::new_wasm_dynamic_allocator());

/// Any core error, as a JavaScript `Error` with the core's message.
fn js_error(err: impl std::fmt::Display) -> JsError {
    JsError::new(&err.to_string())
}

/// "docker" (also when absent) or "containers".
fn parse_format(format: Option<&str>) -> Result<Format, JsError> {
    format.map_or(Ok(Format::Docker), |f| f.parse().map_err(js_error))
}

/// The key `address` is written under in `format` ("docker", the default, or "containers").
#[wasm_bindgen(js_name = normalizeAddress)]
pub fn normalize_address(address: &str, format: Option<String>) -> Result<String, JsError> {
    let format = parse_format(format.as_deref())?;
    let address = RegistryAddress::parse(address).map_err(js_error)?;
    address.key(format).map(str::to_owned).map_err(js_error)
}

/// Checks an address, and a username when one is given, before any secret is
/// read; returns the address's canonical form.
#[wasm_bindgen(js_name = checkEntry)]
pub fn check_entry(address: &str, username: Option<String>) -> Result<String, JsError> {
    let address = RegistryAddress::parse(address).map_err(js_error)?;
    if let Some(username) = username {
        registry_config::validate_username(address.canonical(), &username).map_err(js_error)?;
    }
    Ok(address.canonical().to_owned())
}

/// A name for `config` that is stable across runs but slow to test guesses
/// against: `registry-config-` and 32 hex digits of argon2id.
#[wasm_bindgen(js_name = secretName)]
pub fn secret_name(config: &str) -> String {
    registry_config::secret_name(config.as_bytes())
}

/// The largest secret Dagger accepts, in bytes.
#[wasm_bindgen(js_name = daggerSecretLimit)]
pub fn dagger_secret_limit() -> usize {
    registry_config::DAGGER_SECRET_LIMIT
}
