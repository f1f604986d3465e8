//! The JSON a JavaScript caller describes a config with.

use registry_config::{BaseConfig, Credential, Error, Format, RegistryConfig, Rendered, Secret};
use serde::Deserialize;
use wasm_bindgen::JsError;

/// `{"format": "docker"|"containers", "maxBytes"?: n, "operations": [...]}`.
///
/// Operations apply in order, as the Dagger module's builder calls did: a
/// later entry for the same registry wins, a removal removes what is there
/// by then (base file included).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RenderRequest {
    #[serde(default)]
    format: Option<String>,
    #[serde(default)]
    max_bytes: Option<usize>,
    operations: Vec<Operation>,
}

/// One builder call.
#[derive(Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase", deny_unknown_fields)]
pub enum Operation {
    /// `withRegistryAuth`.
    Auth {
        /// Registry address, any spelling.
        address: String,
        /// The username.
        username: String,
        /// The password or token.
        secret: String,
    },
    /// `withIdentityToken`.
    IdentityToken {
        /// Registry address.
        address: String,
        /// The refresh token.
        secret: String,
    },
    /// `withRegistryToken`.
    RegistryToken {
        /// Registry address.
        address: String,
        /// The bearer token.
        secret: String,
    },
    /// `withoutRegistryAuth`.
    Remove {
        /// Registry address.
        address: String,
    },
    /// `withConfig`: a base Docker config.json.
    Base {
        /// The file's text.
        config: String,
    },
}

impl RenderRequest {
    /// Parses the request. serde's messages can quote the input, which holds
    /// secrets, so only the position is kept.
    pub fn parse(json: &str) -> Result<Self, JsError> {
        serde_json::from_str(json).map_err(|err| {
            JsError::new(&format!(
                "invalid render request (line {}, column {}): expected {{format, operations: [{{kind, address, ...}}]}}",
                err.line(),
                err.column()
            ))
        })
    }

    /// Applies the operations and renders.
    pub fn render(self) -> Result<Rendered, Error> {
        let format: Format = self.format.as_deref().unwrap_or("docker").parse()?;
        let mut config = RegistryConfig::new();
        for operation in self.operations {
            match operation {
                Operation::Auth {
                    address,
                    username,
                    secret,
                } => config.insert(&address, Credential::basic(username, Secret::new(secret)))?,
                Operation::IdentityToken { address, secret } => {
                    config.insert(&address, Credential::identity_token(Secret::new(secret)))?
                }
                Operation::RegistryToken { address, secret } => {
                    config.insert(&address, Credential::registry_token(Secret::new(secret)))?
                }
                Operation::Remove { address } => {
                    config.remove(&address)?;
                }
                Operation::Base { config: base } => {
                    config.set_base(BaseConfig::parse(base.as_bytes())?)
                }
            }
        }
        let rendered = config.render(format)?;
        match self.max_bytes {
            Some(limit) => rendered.at_most(limit),
            None => Ok(rendered),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(json: &str) -> Result<String, Error> {
        let Ok(request) = RenderRequest::parse(json) else {
            panic!("invalid request: {json}")
        };
        let rendered = request.render()?;
        Ok(String::from_utf8(rendered.as_bytes().to_vec()).unwrap())
    }

    #[test]
    fn operations_apply_in_order() {
        let config = render(
            r#"{"format":"containers","operations":[
                {"kind":"auth","address":"https://index.docker.io/v1/","username":"a","secret":"old"},
                {"kind":"registryToken","address":"ghcr.io","secret":"t"},
                {"kind":"remove","address":"GHCR.io"},
                {"kind":"auth","address":"docker.io","username":"a","secret":"new"}]}"#,
        )
        .unwrap();
        assert!(
            config.contains("\"docker.io\"") && !config.contains("ghcr.io"),
            "{config}"
        );
        assert!(
            config.contains("YTpuZXc="),
            "the later entry wins: {config}"
        );
    }

    #[test]
    fn the_size_limit_is_enforced() {
        let secret = "x".repeat(60_000);
        let ops: Vec<String> = (0..3)
            .map(|i| {
                format!(
                    r#"{{"kind":"auth","address":"r{i}.io","username":"u","secret":"{secret}"}}"#
                )
            })
            .collect();
        let json = format!(r#"{{"maxBytes":128000,"operations":[{}]}}"#, ops.join(","));
        let err = render(&json).unwrap_err();
        assert!(
            matches!(err, Error::TooLarge { limit: 128_000, .. }),
            "{err}"
        );
    }
}
