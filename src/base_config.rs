//! An existing Docker `config.json` to merge the rendered credentials into.
//!
//! The file is kept as raw JSON fragments, not parsed into values: other
//! hosts' credentials and every field registry-config does not know pass
//! through byte for byte, and the fragments are zeroed when dropped.

use indexmap::IndexMap;
use serde_json::value::RawValue;
use zeroize::Zeroize;

use crate::RegistryAddress;

type RawMap = IndexMap<String, Box<RawValue>>;

/// A parsed base config.
///
/// ```
/// use registry_config::BaseConfig;
///
/// let base = BaseConfig::parse(br#"{"auths": {"quay.io": {"auth": "eDp5"}}, "psFormat": "table"}"#).unwrap();
/// assert_eq!(base.auth_keys().collect::<Vec<_>>(), ["quay.io"]);
/// assert!(BaseConfig::parse(b"[]").is_err());
/// ```
#[derive(Default)]
pub struct BaseConfig {
    /// The top-level fields in file order, `credsStore` left out.
    pub(crate) fields: Vec<Field>,
    pub(crate) auths: Vec<BaseAuth>,
    pub(crate) cred_helpers: IndexMap<String, String>,
    pub(crate) creds_store: bool,
    /// The helper `credsStore` names, when it is a string.
    pub(crate) creds_store_name: Option<String>,
}

/// A top-level field of the base file.
pub(crate) enum Field {
    /// Where `auths` stands.
    Auths,
    /// Where `credHelpers` stands.
    CredHelpers,
    /// Any other field, passed through as written.
    Raw(String, Box<RawValue>),
}

/// One `auths` entry of the base file.
pub(crate) struct BaseAuth {
    /// The key as written in the file.
    pub(crate) key: String,
    /// Its canonical form, when the key is a valid address.
    pub(crate) canonical: Option<String>,
    pub(crate) value: Box<RawValue>,
}

impl BaseConfig {
    /// Parses the bytes of a Docker `config.json`.
    ///
    /// Errors give a line and column or a field name, never the file's content:
    /// it holds credentials.
    pub fn parse(bytes: &[u8]) -> Result<Self, BaseConfigError> {
        let text = std::str::from_utf8(bytes).map_err(|_| BaseConfigError::NotUtf8)?;
        let root: &RawValue = serde_json::from_str(text).map_err(BaseConfigError::syntax)?;
        let mut base = BaseConfig::default();
        for (name, raw) in parse_object(root, "the top level")? {
            match name.as_str() {
                "credsStore" => {
                    base.creds_store = true;
                    base.creds_store_name = serde_json::from_str(raw.get()).ok();
                }
                "credHelpers" => {
                    base.cred_helpers = parse_helpers(&raw)?;
                    base.fields.push(Field::CredHelpers);
                }
                "auths" => {
                    base.auths = parse_auths(&raw)?;
                    base.fields.push(Field::Auths);
                }
                _ => base.fields.push(Field::Raw(name, raw)),
            }
        }
        Ok(base)
    }

    /// The `auths` keys of the file, as written there.
    pub fn auth_keys(&self) -> impl Iterator<Item = &str> {
        self.auths.iter().map(|auth| auth.key.as_str())
    }

    /// True when the file named a `credsStore`, which is dropped on rendering.
    pub fn had_creds_store(&self) -> bool {
        self.creds_store
    }

    /// The helper `credsStore` names (`desktop`, `pass`...), if it is set to a string.
    ///
    /// ```
    /// use registry_config::BaseConfig;
    ///
    /// let base = BaseConfig::parse(br#"{"credsStore": "pass"}"#).unwrap();
    /// assert_eq!(base.creds_store(), Some("pass"));
    /// ```
    pub fn creds_store(&self) -> Option<&str> {
        self.creds_store_name.as_deref()
    }

    /// The `credHelpers` entries: registry key as written, helper name.
    pub fn cred_helpers(&self) -> impl Iterator<Item = (&str, &str)> {
        self.cred_helpers
            .iter()
            .map(|(registry, helper)| (registry.as_str(), helper.as_str()))
    }

    /// Drops the `auths` entries for the registry, by canonical key.
    pub(crate) fn remove(&mut self, canonical: &str) {
        self.auths
            .retain(|auth| auth.canonical.as_deref() != Some(canonical));
    }
}

fn parse_auths(raw: &RawValue) -> Result<Vec<BaseAuth>, BaseConfigError> {
    let mut auths = Vec::new();
    for (key, value) in parse_object(raw, "auths")? {
        if !value.get().starts_with('{') {
            return Err(BaseConfigError::Shape(format!(
                "auths entry {key:?} must be an object"
            )));
        }
        let canonical = RegistryAddress::parse(&key)
            .ok()
            .map(|a| a.canonical().to_owned());
        auths.push(BaseAuth {
            key,
            canonical,
            value,
        });
    }
    Ok(auths)
}

fn parse_helpers(raw: &RawValue) -> Result<IndexMap<String, String>, BaseConfigError> {
    let mut helpers = IndexMap::new();
    for (host, helper) in parse_object(raw, "credHelpers")? {
        let name: String = serde_json::from_str(helper.get()).map_err(|_| {
            BaseConfigError::Shape(format!("credHelpers entry {host:?} must be a string"))
        })?;
        helpers.insert(host, name);
    }
    Ok(helpers)
}

/// Parses an object into its raw members; anything else is a shape error naming `what`.
fn parse_object(raw: &RawValue, what: &str) -> Result<RawMap, BaseConfigError> {
    if !raw.get().starts_with('{') {
        return Err(BaseConfigError::Shape(format!(
            "{what} must be a JSON object"
        )));
    }
    serde_json::from_str(raw.get()).map_err(BaseConfigError::syntax)
}

/// Shows the shape only: the values hold other registries' credentials.
impl std::fmt::Debug for BaseConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BaseConfig")
            .field("auths", &self.auth_keys().collect::<Vec<_>>())
            .field("cred_helpers", &self.cred_helpers)
            .field("creds_store", &self.creds_store_name)
            .finish_non_exhaustive()
    }
}

impl Drop for BaseConfig {
    fn drop(&mut self) {
        let fields = std::mem::take(&mut self.fields)
            .into_iter()
            .filter_map(|field| match field {
                Field::Raw(_, raw) => Some(raw),
                _ => None,
            });
        let auths = std::mem::take(&mut self.auths)
            .into_iter()
            .map(|auth| auth.value);
        for raw in fields.chain(auths) {
            String::from(Box::<str>::from(raw)).zeroize();
        }
    }
}

/// A base config that cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BaseConfigError {
    /// The bytes are not UTF-8.
    #[error("the base config is not UTF-8 text")]
    NotUtf8,
    /// Not JSON. Only the position is kept: serde's messages can quote the input.
    #[error("the base config is not valid JSON (line {line}, column {column})")]
    Syntax {
        /// 1-based line of the fault.
        line: usize,
        /// 1-based column of the fault.
        column: usize,
    },
    /// JSON, but not shaped like a Docker config.
    #[error("the base config is not a Docker config: {0}")]
    Shape(String),
}

impl BaseConfigError {
    fn syntax(err: serde_json::Error) -> Self {
        BaseConfigError::Syntax {
            line: err.line(),
            column: err.column(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_fields_and_finds_helpers() {
        let base = BaseConfig::parse(
            br#"{"psFormat":"x","auths":{"https://GHCR.io/":{"auth":"YTpi"},"bad key":{}},
                "credsStore":"desktop","credHelpers":{"gcr.io":"gcloud"}}"#,
        )
        .unwrap();
        assert!(base.had_creds_store());
        assert!(
            matches!(&base.fields[..], [Field::Raw(name, _), Field::Auths, Field::CredHelpers] if name == "psFormat")
        );
        assert_eq!(base.auths[0].canonical.as_deref(), Some("ghcr.io"));
        assert_eq!(base.auths[1].canonical, None);
        assert_eq!(base.cred_helpers["gcr.io"], "gcloud");
    }

    #[test]
    fn refuses_wrong_shapes_without_quoting_values() {
        let cases: [&[u8]; 7] = [
            b"not json",
            b"\"canary-secret\"",
            br#"{"auths": "canary-secret"}"#,
            br#"{"auths": {"ghcr.io": "canary-secret"}}"#,
            br#"{"credHelpers": {"ghcr.io": 1}}"#,
            br#"{"auths": {"ghcr.io": {"auth": "canary-secret"}"#,
            b"\xff\xfe",
        ];
        for case in cases {
            let err = BaseConfig::parse(case).expect_err("must fail");
            assert!(!err.to_string().contains("canary"), "{err}");
        }
    }
}
