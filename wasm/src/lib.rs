//! registry-config's core for JavaScript, through wasm-bindgen.
//!
//! The glue only converts types: every rule is in the `registry-config`
//! crate. Errors become JavaScript exceptions carrying the core's message,
//! which names the address or field at fault and never a secret.
//!
//! Two modules are built from this crate (`scripts/build-wasm`): with the
//! `render` feature, what every function of the Dagger module loads; with
//! `check`, the registry handshake, which only `check` and `verified` load.
//!
//! ```js
//! import { render, normalizeAddress } from "./registry_config_wasm.js";
//! normalizeAddress("https://index.docker.io/v1/", "containers"); // "docker.io"
//! const { config, warnings } = render(JSON.stringify({
//!   format: "docker",
//!   operations: [{ kind: "auth", address: "ghcr.io", username: "me", secret: "ghp_x" }],
//! }));
//! ```
#![forbid(unsafe_code)]

#[cfg(feature = "check")]
mod handshake;
#[cfg(feature = "check")]
mod json_out;
#[cfg(feature = "render")]
mod render;
mod request;

use wasm_bindgen::prelude::*;

#[cfg(feature = "check")]
pub use handshake::JsHandshake;
#[cfg(feature = "render")]
pub use render::Rendering;
pub use request::{RenderError, RenderRequest, RequestError};

// talc instead of dlmalloc: 4 KB smaller in each module (README, "wasm size").
// Wrapped in ZeroAlloc, which zeroes every block as it is freed: the request
// JavaScript passes in (secrets and all), the copy of the rendered file
// handed back, and whatever else held a secret do not linger in the linear
// memory after a call. `Secret` and `Zeroizing` already zero their own
// buffers; the wasm-bindgen glue's buffers are plain ones (dagger/test/
// memory.test.mjs searches the memory for canaries).
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: zeroizing_alloc::ZeroAlloc<talc::wasm::WasmDynamicTalc> =
    zeroizing_alloc::ZeroAlloc(talc::wasm::new_wasm_dynamic_allocator());

/// Any core error, as a JavaScript `Error` with the core's message. (Cold:
/// V8 compiles a wasm function on its first call, and a first render should
/// not pay for messages.)
#[cold]
#[inline(never)]
fn js_error(err: impl std::fmt::Display) -> JsError {
    JsError::new(&err.to_string())
}
