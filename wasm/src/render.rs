//! The render module's exports: what every function of the Dagger module
//! needs (normalise, check an entry, render, name the secret).

use registry_config::{Format, RegistryAddress};
use wasm_bindgen::prelude::*;

use crate::js_error;
use crate::request::RenderRequest;

/// The config file and what was dropped from the base file on the way.
/// Read-only from JavaScript: getters, no setters.
#[wasm_bindgen]
pub struct Rendering {
    config: String,
    warnings: Vec<String>,
    entries: usize,
}

#[wasm_bindgen]
impl Rendering {
    /// The file's text.
    #[wasm_bindgen(getter)]
    pub fn config(&self) -> String {
        self.config.clone()
    }

    /// One sentence per thing dropped from the base config.
    #[wasm_bindgen(getter)]
    pub fn warnings(&self) -> Vec<String> {
        self.warnings.clone()
    }

    /// How many registries the file holds (`secretMount(skipOnEmpty)` skips none).
    #[wasm_bindgen(getter)]
    pub fn entries(&self) -> usize {
        self.entries
    }
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

/// Renders a config from a JSON [`RenderRequest`].
#[wasm_bindgen]
pub fn render(request: &str) -> Result<Rendering, JsError> {
    let rendered = RenderRequest::parse(request)
        .map_err(js_error)?
        .render()
        .map_err(js_error)?;
    let config = rendered.as_str().to_owned();
    let warnings = match rendered.warnings() {
        [] => Vec::new(),
        warnings => sentences(warnings),
    };
    Ok(Rendering {
        config,
        warnings,
        entries: rendered.entries(),
    })
}

/// Kept out of `render` itself: V8 compiles a wasm function on its first
/// call, and most renders have no warnings to format.
#[inline(never)]
fn sentences(warnings: &[registry_config::Warning]) -> Vec<String> {
    warnings.iter().map(ToString::to_string).collect()
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

fn parse_format(format: Option<&str>) -> Result<Format, JsError> {
    format.map_or(Ok(Format::Docker), |f| f.parse().map_err(js_error))
}
