//! An existing Docker `config.json` to merge the rendered credentials into.
//!
//! The file is kept as raw JSON fragments, not parsed into values: other
//! hosts' credentials and every field registry-config does not know pass
//! through byte for byte, and the fragments are zeroed when dropped.

use std::fmt;

use indexmap::IndexMap;
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;
use zeroize::Zeroize;

use crate::reading::{self, Members, SyntaxError, MAX_NESTING};
use crate::{Quoted, RegistryAddress};

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

impl Field {
    fn name(&self) -> &str {
        match self {
            Field::Auths => "auths",
            Field::CredHelpers => "credHelpers",
            Field::Raw(name, _) => name,
        }
    }

    fn copy(&self) -> Field {
        match self {
            Field::Auths => Field::Auths,
            Field::CredHelpers => Field::CredHelpers,
            Field::Raw(name, value) => Field::Raw(name.clone(), value.clone()),
        }
    }
}

/// One `auths` entry of the base file.
pub(crate) struct BaseAuth {
    /// The key as written in the file.
    pub(crate) key: String,
    /// Its canonical form, when the key is a valid address.
    pub(crate) canonical: Option<String>,
    /// The entry's JSON, as written.
    pub(crate) value: Box<RawValue>,
}

impl BaseConfig {
    /// Parses the bytes of a Docker `config.json`.
    ///
    /// Errors give a line and column or a field name, never the file's content:
    /// it holds credentials.
    pub fn parse(bytes: &[u8]) -> Result<Self, BaseConfigError> {
        let text = std::str::from_utf8(bytes).map_err(|_| BaseConfigError::NotUtf8)?;
        reading::check(text)?;
        let TopLevel(members) =
            serde_json::from_str(text).map_err(|_| shape("the top level must be a JSON object"))?;
        let mut base = BaseConfig::default();
        for (name, value) in members {
            match name.as_str() {
                "credsStore" => {
                    base.creds_store = true;
                    base.creds_store_name = serde_json::from_str(value.get()).ok();
                }
                // Docker's Go reader decodes a repeated object into the map
                // it already holds: two `auths` (or `credHelpers`) objects
                // are merged, a key in both taking its later value.
                "credHelpers" => {
                    base.cred_helpers.extend(parse_helpers(value)?);
                    base.set_field(Field::CredHelpers);
                }
                "auths" => {
                    for auth in parse_auths(value)? {
                        match base.auths.iter_mut().find(|old| old.key == auth.key) {
                            Some(old) => *old = auth,
                            None => base.auths.push(auth),
                        }
                    }
                    base.set_field(Field::Auths);
                }
                _ => base.set_field(Field::Raw(name, value.to_owned())),
            }
        }
        Ok(base)
    }

    /// A field written twice stands where it first did, with its last value.
    fn set_field(&mut self, field: Field) {
        match self
            .fields
            .iter_mut()
            .find(|old| old.name() == field.name())
        {
            Some(old) => *old = field,
            None => self.fields.push(field),
        }
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

    /// This file's credentials (`auths`, `credHelpers`, `credsStore`) with the
    /// settings of `user`, the user's own Docker `config.json`: every other
    /// top-level field (`currentContext`, `aliases`, `proxies`, `plugins`,
    /// `detachKeys`...) in the user's order, so that docker run with the
    /// rendered file behaves as with the user's own, but for the credentials.
    /// This file's own settings are dropped, and so are the user's credentials.
    ///
    /// ```
    /// use registry_config::BaseConfig;
    ///
    /// let user = BaseConfig::parse(br#"{"auths": {"quay.io": {"auth": "eDp5"}}, "currentContext": "foo"}"#).unwrap();
    /// let merged = BaseConfig::default().with_settings_of(&user);
    /// assert_eq!(merged.auth_keys().count(), 0);
    /// ```
    pub fn with_settings_of(mut self, user: &BaseConfig) -> BaseConfig {
        let mut fields: Vec<Field> = user.fields.iter().map(Field::copy).collect();
        let has_helpers = |fields: &[Field]| fields.iter().any(|f| matches!(f, Field::CredHelpers));
        if has_helpers(&self.fields) && !has_helpers(&fields) {
            fields.push(Field::CredHelpers);
        }
        if !fields.iter().any(|f| matches!(f, Field::Auths)) {
            fields.insert(0, Field::Auths);
        }
        // The file's own fields are zeroed as they drop (`HttpHeaders` may
        // hold a token).
        self.fields = fields;
        self
    }

    /// True when the file names any credential: an `auths` entry, a
    /// `credHelpers` entry or a `credsStore`.
    ///
    /// ```
    /// use registry_config::BaseConfig;
    ///
    /// assert!(!BaseConfig::parse(br#"{"auths": {}, "currentContext": "foo"}"#).unwrap().holds_credentials());
    /// assert!(BaseConfig::parse(br#"{"credsStore": "desktop"}"#).unwrap().holds_credentials());
    /// ```
    pub fn holds_credentials(&self) -> bool {
        !self.auths.is_empty() || !self.cred_helpers.is_empty() || self.creds_store
    }

    /// Drops the `auths` entries for the registry, by canonical key.
    pub(crate) fn remove(&mut self, canonical: &str) {
        self.auths
            .retain(|auth| auth.canonical.as_deref() != Some(canonical));
    }
}

fn parse_auths(value: &RawValue) -> Result<Vec<BaseAuth>, BaseConfigError> {
    let mut auths = Vec::new();
    for (key, value) in members(value, "auths")? {
        if !value.get().starts_with('{') {
            return Err(shape(&format!(
                "auths entry {} must be an object",
                Quoted(&key)
            )));
        }
        let canonical = RegistryAddress::parse(&key)
            .ok()
            .map(|a| a.canonical().to_owned());
        auths.push(BaseAuth {
            key,
            canonical,
            value: value.to_owned(),
        });
    }
    Ok(auths)
}

fn parse_helpers(value: &RawValue) -> Result<IndexMap<String, String>, BaseConfigError> {
    let mut helpers = IndexMap::new();
    for (host, helper) in members(value, "credHelpers")? {
        let name = serde_json::from_str(helper.get()).map_err(|_| {
            shape(&format!(
                "credHelpers entry {} must be a string",
                Quoted(&host)
            ))
        })?;
        helpers.insert(host, name);
    }
    Ok(helpers)
}

/// An object's members; anything but an object is a shape error naming `what`.
fn members<'a>(value: &'a RawValue, what: &str) -> Result<Members<'a>, BaseConfigError> {
    reading::members(value.get()).map_err(|_| shape(&format!("{what} must be a JSON object")))
}

fn shape(problem: &str) -> BaseConfigError {
    BaseConfigError::Shape(problem.to_owned())
}

/// The top-level members in file order, a key written twice kept twice: a
/// repeated `auths` or `credHelpers` object is merged, not replaced.
struct TopLevel<'a>(Vec<(String, &'a RawValue)>);

impl<'de> Deserialize<'de> for TopLevel<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(TopLevelVisitor)
    }
}

struct TopLevelVisitor;

impl<'de> Visitor<'de> for TopLevelVisitor {
    type Value = TopLevel<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut members = Vec::new();
        while let Some(member) = map.next_entry()? {
            members.push(member);
        }
        Ok(TopLevel(members))
    }
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

/// Zeroes a passed-through JSON value: it may hold another registry's
/// credential.
fn zeroize_raw(raw: &mut Box<RawValue>) {
    let raw = std::mem::replace(raw, RawValue::NULL.to_owned());
    String::from(Box::<str>::from(raw)).zeroize();
}

impl Drop for Field {
    fn drop(&mut self) {
        if let Field::Raw(_, raw) = self {
            zeroize_raw(raw);
        }
    }
}

impl Drop for BaseAuth {
    fn drop(&mut self) {
        zeroize_raw(&mut self.value);
    }
}

/// A base config that cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BaseConfigError {
    /// The bytes are not UTF-8.
    #[error("the base config is not UTF-8 text")]
    NotUtf8,
    /// Not JSON. Only the position is kept: the text holds credentials.
    #[error("the base config is not valid JSON (line {line}, column {column})")]
    Syntax {
        /// 1-based line of the fault.
        line: usize,
        /// 1-based column of the fault.
        column: usize,
    },
    /// Arrays and objects nested deeper than the reader goes.
    #[error("the base config nests arrays and objects more than {MAX_NESTING} levels deep (line {line}, column {column})")]
    TooDeep {
        /// 1-based line where the limit was reached.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// JSON, but not shaped like a Docker config.
    #[error("the base config is not a Docker config: {0}")]
    Shape(String),
}

impl From<SyntaxError> for BaseConfigError {
    fn from(err: SyntaxError) -> Self {
        let (line, column) = (err.line, err.column);
        match err.too_deep {
            true => BaseConfigError::TooDeep { line, column },
            false => BaseConfigError::Syntax { line, column },
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
    fn repeated_auths_objects_are_merged_as_docker_reads_them() {
        let base = BaseConfig::parse(
            br#"{"auths":{"a.io":{"auth":"YTox"},"b.io":{"auth":"Yjox"}},"x":1,
                "auths":{"c.io":{"auth":"Yzox"},"a.io":{"auth":"YToy"}},
                "credHelpers":{"g.io":"gcloud"},"credHelpers":{"e.io":"ecr-login"}}"#,
        )
        .unwrap();
        assert_eq!(
            base.auth_keys().collect::<Vec<_>>(),
            ["a.io", "b.io", "c.io"]
        );
        assert_eq!(base.auths[0].value.get(), r#"{"auth":"YToy"}"#);
        assert_eq!(base.cred_helpers().count(), 2);
        assert!(matches!(
            &base.fields[..],
            [Field::Auths, Field::Raw(..), Field::CredHelpers]
        ));
    }

    #[test]
    fn nesting_too_deep_is_said_so() {
        let deep = format!("{{\"x\": {}{}}}", "[".repeat(200), "]".repeat(200));
        let err = BaseConfig::parse(deep.as_bytes()).unwrap_err();
        assert!(matches!(err, BaseConfigError::TooDeep { .. }), "{err}");
        assert!(
            err.to_string().contains("more than 127 levels deep"),
            "{err}"
        );
    }

    #[test]
    fn settings_come_from_the_user_and_credentials_from_the_base() {
        let base = BaseConfig::parse(
            br#"{"psFormat":"base","auths":{"ghcr.io":{"auth":"YTpi"}},"credHelpers":{"gcr.io":"gcloud"}}"#,
        )
        .unwrap();
        let user = BaseConfig::parse(
            br#"{"currentContext":"foo","auths":{"quay.io":{"auth":"eDp5"}},"credsStore":"pass",
                "aliases":{"builder":"buildx"}}"#,
        )
        .unwrap();
        let merged = base.with_settings_of(&user);
        let names: Vec<_> = merged
            .fields
            .iter()
            .map(|field| match field {
                Field::Raw(name, value) => format!("{name}={value}"),
                Field::Auths => "auths".into(),
                Field::CredHelpers => "credHelpers".into(),
            })
            .collect();
        assert_eq!(
            names,
            [
                r#"currentContext="foo""#,
                "auths",
                r#"aliases={"builder":"buildx"}"#,
                "credHelpers"
            ]
        );
        assert_eq!(merged.auth_keys().collect::<Vec<_>>(), ["ghcr.io"]);
        assert!(
            !merged.had_creds_store(),
            "the user's credsStore is not taken"
        );
        assert_eq!(merged.cred_helpers["gcr.io"], "gcloud");
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
