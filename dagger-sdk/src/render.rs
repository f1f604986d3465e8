//! Between the engine and the core: reading secrets in, handing the rendered
//! file out.

use dagger_sdk::{Id, Query, Secret};
use registry_config::{secret_name_or, Format, RegistryConfig, Rendered, DAGGER_SECRET_LIMIT};

use crate::Error;

/// The plaintext of an input secret, straight into the core's zeroed-on-drop
/// type. `operation` only names it in an error.
pub(crate) async fn read_plaintext(
    secret: &Secret,
    operation: String,
) -> Result<registry_config::Secret, Error> {
    match secret.plaintext().await {
        Ok(plaintext) => Ok(registry_config::Secret::new(plaintext)),
        Err(source) => Err(Error::ReadSecret { operation, source }),
    }
}

/// Renders `config` in `format`, checks Dagger's size limit, names the file
/// (`name`, or by default [`registry_config::secret_name`] of it) and creates the secret.
/// Returns its ID, ready for `with_mounted_secret` without another query.
pub(crate) async fn config_secret(
    query: &Query,
    config: &RegistryConfig,
    format: Format,
    name: Option<&str>,
) -> Result<Id, Error> {
    rendered_secret(query, &render(config, format)?, name).await
}

/// Renders `config` in `format` within Dagger's size limit; warnings (what
/// was dropped from a base config) go to the log.
pub(crate) fn render(config: &RegistryConfig, format: Format) -> Result<Rendered, Error> {
    let rendered = config.render(format)?.at_most(DAGGER_SECRET_LIMIT)?;
    for warning in rendered.warnings() {
        tracing::warn!("registry-config: {warning}");
    }
    Ok(rendered)
}

/// Creates the secret for an already rendered file (see [`config_secret`]).
pub(crate) async fn rendered_secret(
    query: &Query,
    rendered: &Rendered,
    name: Option<&str>,
) -> Result<Id, Error> {
    let name = secret_name_or(name, rendered.as_bytes());
    let plaintext =
        std::str::from_utf8(rendered.as_bytes()).expect("the core renders JSON, which is UTF-8");
    set_secret(query, name, plaintext).await
}

/// The crate's only call to `setSecret` (Dagger plans to remove setting
/// plaintext from its API one day: keep it in this one place). Resolving the
/// ID now sends the plaintext once, and makes an engine error an [`Error`]
/// rather than a panic inside the SDK's lazy argument resolution.
async fn set_secret(query: &Query, name: String, plaintext: &str) -> Result<Id, Error> {
    match query.set_secret(name.as_str(), plaintext).id().await {
        Ok(id) => Ok(id),
        Err(source) => Err(Error::SetSecret { name, source }),
    }
}
