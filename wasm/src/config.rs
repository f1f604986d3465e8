//! The config object: builder calls in, a rendered file out.

use registry_config::{secret_name_or, Operation, RegistryConfig, Secret};
use wasm_bindgen::prelude::*;

use crate::{js_error, parse_format};

/// Registry credentials for one call of the Dagger module, built from its
/// builder calls in order (each applied by the core at once: a later entry
/// for the same registry wins, a removal removes what is there by then).
#[wasm_bindgen]
pub struct Config {
    pub(crate) config: RegistryConfig,
    max_bytes: Option<usize>,
}

#[wasm_bindgen]
impl Config {
    /// An empty config; every file it renders must fit in `maxBytes` when given.
    #[wasm_bindgen(constructor)]
    pub fn new(max_bytes: Option<usize>) -> Config {
        Config {
            config: RegistryConfig::new(),
            max_bytes,
        }
    }

    /// Adds a username and password (or token) for a registry.
    #[wasm_bindgen(js_name = addAuth)]
    pub fn add_auth(
        &mut self,
        address: String,
        username: String,
        secret: String,
    ) -> Result<(), JsError> {
        self.apply(Operation::Auth {
            address,
            username,
            secret: Secret::new(secret),
        })
    }

    /// Adds an identity token (OAuth2 refresh token) for a registry.
    #[wasm_bindgen(js_name = addIdentityToken)]
    pub fn add_identity_token(&mut self, address: String, token: String) -> Result<(), JsError> {
        self.apply(Operation::IdentityToken {
            address,
            token: Secret::new(token),
        })
    }

    /// Adds a registry token (sent as a bearer token) for a registry.
    #[wasm_bindgen(js_name = addRegistryToken)]
    pub fn add_registry_token(&mut self, address: String, token: String) -> Result<(), JsError> {
        self.apply(Operation::RegistryToken {
            address,
            token: Secret::new(token),
        })
    }

    /// Removes a registry's entry, by normalised address, base config included.
    pub fn remove(&mut self, address: String) -> Result<(), JsError> {
        self.apply(Operation::Remove { address })
    }

    /// Starts from a Docker `config.json` (its text).
    #[wasm_bindgen(js_name = setBase)]
    pub fn set_base(&mut self, config: String) -> Result<(), JsError> {
        self.apply(Operation::Base {
            config: Secret::new(config),
        })
    }

    /// Renders the file in `format` ("docker" or "containers"), with the
    /// name of its secret: `name`, or when absent or empty one derived from
    /// the file.
    pub fn render(&self, format: &str, name: Option<String>) -> Result<Rendering, JsError> {
        let rendered = self
            .config
            .render(parse_format(Some(format))?)
            .map_err(js_error)?;
        let rendered = match self.max_bytes {
            Some(limit) => rendered.at_most(limit).map_err(js_error)?,
            None => rendered,
        };
        Ok(Rendering {
            secret_name: secret_name_or(name.as_deref(), rendered.as_bytes()),
            config: rendered.as_str().to_owned(),
            warnings: rendered
                .warnings()
                .iter()
                .map(ToString::to_string)
                .collect(),
            entries: rendered.entries(),
        })
    }
}

impl Config {
    fn apply(&mut self, operation: Operation<Secret>) -> Result<(), JsError> {
        operation.apply(&mut self.config).map_err(js_error)
    }
}

/// A rendered file, the name of its secret, and what was dropped from the
/// base file on the way. Read-only from JavaScript: getters, no setters.
#[wasm_bindgen]
pub struct Rendering {
    config: String,
    secret_name: String,
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

    /// The secret's name.
    #[wasm_bindgen(getter, js_name = secretName)]
    pub fn secret_name(&self) -> String {
        self.secret_name.clone()
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
