//! The core's apply layout and check limits, for the Dagger module.

use registry_config::{APPLY_ENV, CHECK_BODY_LIMIT, CHECK_TIMEOUT};
use wasm_bindgen::prelude::*;

use crate::parse_format;

/// Where `apply` mounts the file of `format` ("docker" or "containers").
#[wasm_bindgen(js_name = applyPath)]
pub fn apply_path(format: &str) -> Result<String, JsError> {
    Ok(registry_config::apply_path(parse_format(Some(format))?).to_owned())
}

/// An environment variable `apply` sets.
#[wasm_bindgen]
pub struct EnvVar {
    name: &'static str,
    value: &'static str,
}

#[wasm_bindgen]
impl EnvVar {
    /// The variable's name.
    #[wasm_bindgen(getter)]
    pub fn name(&self) -> String {
        self.name.to_owned()
    }

    /// Its value: a path under the apply folder.
    #[wasm_bindgen(getter)]
    pub fn value(&self) -> String {
        self.value.to_owned()
    }
}

/// The variables `apply` sets, in order.
#[wasm_bindgen(js_name = applyEnv)]
pub fn apply_env() -> Vec<EnvVar> {
    APPLY_ENV
        .iter()
        .map(|&(name, value)| EnvVar { name, value })
        .collect()
}

/// How many bytes of a registry's reply body a check reads.
#[wasm_bindgen(js_name = checkBodyLimit)]
pub fn check_body_limit() -> usize {
    CHECK_BODY_LIMIT
}

/// How long one check may take by default, in milliseconds.
#[wasm_bindgen(js_name = checkTimeoutMs)]
pub fn check_timeout_ms() -> u32 {
    CHECK_TIMEOUT.as_millis() as u32
}
