//! Writing a [`RegistryConfig`] as the bytes of a config file.
//!
//! The output is Docker's own layout (tab-indented, `auths` first unless the
//! base file put it elsewhere), and the same input always gives the same bytes.

use std::fmt;

use indexmap::IndexMap;
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::ser::PrettyFormatter;
use zeroize::Zeroizing;

use crate::base_config::{BaseAuth, BaseConfig, Field};
use crate::basic_auth::base64_pair;
use crate::{Credential, Error, Format, Quoted, RegistryAddress, RegistryConfig};

/// Written as the username of an identity token: what Docker's credential
/// helpers store, and what containers/image needs to see a non-empty `auth`.
const IDENTITY_TOKEN_USERNAME: &str = "<token>";

/// A rendered config file. It holds credentials: its Debug output is redacted
/// and its buffer is zeroed on drop.
pub struct Rendered {
    text: Zeroizing<String>,
    warnings: Vec<Warning>,
    entries: usize,
}

impl Rendered {
    /// The file's bytes.
    pub fn as_bytes(&self) -> &[u8] {
        self.text.as_bytes()
    }

    /// The file's text (JSON is UTF-8).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Fails when the file is over `limit` bytes, such as
    /// [`DAGGER_SECRET_LIMIT`](crate::DAGGER_SECRET_LIMIT).
    pub fn at_most(self, limit: usize) -> Result<Self, Error> {
        match self.text.len() {
            size if size > limit => Err(Error::TooLarge { size, limit }),
            _ => Ok(self),
        }
    }

    /// How many `auths` entries the file holds, base file included: a Dagger
    /// `secretMount(skipOnEmpty)` skips an empty one.
    pub fn entries(&self) -> usize {
        self.entries
    }

    /// What was changed in the base file, for the user to hear about.
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }
}

impl fmt::Debug for Rendered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rendered")
            .field(
                "bytes",
                &format_args!("[redacted; {} bytes]", self.text.len()),
            )
            .field("warnings", &self.warnings)
            .finish()
    }
}

/// Something in the base file that was left out of the rendered one.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Warning {
    /// `credsStore` was dropped.
    CredsStoreDropped,
    /// The `credHelpers` entry for a rendered registry was dropped.
    CredHelperDropped {
        /// The entry's key.
        registry: String,
        /// The helper it named.
        helper: String,
    },
    /// A credential with a repository scope was left out of a Docker file,
    /// which cannot express one ([`RegistryConfig::render_what_fits`]).
    ScopeLeftOut {
        /// The entry's key (`host/repository`).
        registry: String,
    },
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::CredsStoreDropped => f.write_str(
                "dropped \"credsStore\" from the base config: its helper is not available where \
                 the rendered file is used, and Docker ignores \"auths\" while it is set",
            ),
            Warning::CredHelperDropped { registry, helper } => write!(
                f,
                "dropped the credHelpers entry {} (docker-credential-{helper}) from the \
                 base config: clients would ask the helper instead of using the rendered credential",
                Quoted(registry)
            ),
            Warning::ScopeLeftOut { registry } => write!(
                f,
                "left {} out of {}: the Docker format cannot express a repository scope, so \
                 docker, buildkit, helm, oras, crane and regclient will not see this credential; \
                 podman, skopeo and buildah read it from {}",
                Quoted(registry),
                Format::Docker.file_name(),
                Format::Containers.file_name()
            ),
        }
    }
}

impl RegistryConfig {
    /// Renders the config file of `format`.
    ///
    /// Fails only when the Docker format is asked for an entry with a
    /// repository scope.
    pub fn render(&self, format: Format) -> Result<Rendered, Error> {
        let mut keys = Vec::with_capacity(self.entries.len());
        for entry in self.entries.values() {
            keys.push(Some(entry.address.key(format)?));
        }
        Ok(self.render_keys(keys, Vec::new()))
    }

    /// Renders the config file of `format` with the entries it can hold, for
    /// when both files are written side by side (`exec`): an entry with a
    /// repository scope, which the Docker format cannot express, is left out
    /// of it with a warning, and stays in the containers file.
    ///
    /// ```
    /// use registry_config::{Credential, Format, RegistryConfig, Secret, Warning};
    ///
    /// let mut config = RegistryConfig::new();
    /// config.insert("quay.io/org/app", Credential::basic("me", Secret::new("pw".into())))?;
    /// let docker = config.render_what_fits(Format::Docker);
    /// assert_eq!(docker.entries(), 0);
    /// assert!(matches!(&docker.warnings()[..], [Warning::ScopeLeftOut { registry }] if registry == "quay.io/org/app"));
    /// assert_eq!(config.render_what_fits(Format::Containers).entries(), 1);
    /// # Ok::<(), registry_config::Error>(())
    /// ```
    pub fn render_what_fits(&self, format: Format) -> Rendered {
        let mut warnings = Vec::new();
        let keys = self
            .entries
            .values()
            .map(|entry| {
                let key = entry.address.key(format).ok();
                if key.is_none() {
                    warnings.push(Warning::ScopeLeftOut {
                        registry: entry.address.canonical().to_owned(),
                    });
                }
                key
            })
            .collect();
        self.render_keys(keys, warnings)
    }

    /// The file with each entry under its key, `None` leaving it out.
    fn render_keys(&self, keys: Vec<Option<&str>>, mut warnings: Vec<Warning>) -> Rendered {
        let written = keys.iter().flatten().count();
        let helpers = self.kept_helpers(&mut warnings);
        let document = Document {
            config: self,
            keys,
            helpers,
        };
        let text = docker_layout(&document, self.size_hint());
        let kept_base = self.base.as_ref().map_or(0, |base| self.kept_auths(base));
        Rendered {
            text,
            warnings,
            entries: written + kept_base,
        }
    }

    /// How many of the base file's `auths` entries stay.
    fn kept_auths(&self, base: &BaseConfig) -> usize {
        base.auths.iter().filter(|a| !self.replaces(a)).count()
    }

    /// True when an entry of ours takes the place of a base file's entry.
    fn replaces(&self, auth: &BaseAuth) -> bool {
        auth.canonical
            .as_ref()
            .is_some_and(|canonical| self.entries.contains_key(canonical))
    }

    /// The base file's `credHelpers`, without those for rendered registries.
    fn kept_helpers(&self, warnings: &mut Vec<Warning>) -> IndexMap<&str, &str> {
        match &self.base {
            None => IndexMap::new(),
            Some(base) => self.helpers_kept_from(base, warnings),
        }
    }
    fn helpers_kept_from<'a>(
        &'a self,
        base: &'a BaseConfig,
        warnings: &mut Vec<Warning>,
    ) -> IndexMap<&'a str, &'a str> {
        if base.creds_store {
            warnings.push(Warning::CredsStoreDropped);
        }
        let rendered_host = |key: &str| {
            RegistryAddress::parse(key).is_ok_and(|key| {
                self.registries()
                    .any(|address| address.host() == key.host())
            })
        };
        let mut kept = IndexMap::with_capacity(base.cred_helpers.len());
        for (registry, helper) in &base.cred_helpers {
            if rendered_host(registry) {
                warnings.push(Warning::CredHelperDropped {
                    registry: registry.clone(),
                    helper: helper.clone(),
                });
            } else {
                kept.insert(registry.as_str(), helper.as_str());
            }
        }
        kept
    }

    /// A capacity that fits the whole output, so the buffer holding
    /// credentials is never reallocated (which would leave a copy behind).
    fn size_hint(&self) -> usize {
        let base = self.base.as_ref().map_or(0, base_size);
        let entries = self.entries.values().map(|entry| {
            let secret = entry.credential.secret().len();
            // base64 of `user:secret`, and the token itself, which JSON may escape (\" and \\).
            entry.address.canonical().len() + 2 * (secret + 64) + 4 * secret / 3 + 64
        });
        64 + base + entries.sum::<usize>()
    }
}

/// `value` in Docker's layout (`json.MarshalIndent(config, "", "\t")` and
/// a line break), in a buffer zeroed on drop.
pub(crate) fn docker_layout(value: &impl Serialize, capacity: usize) -> Zeroizing<String> {
    write_json(capacity, |out| {
        let formatter = PrettyFormatter::with_indent(b"\t");
        value.serialize(&mut serde_json::Serializer::with_formatter(
            &mut *out, formatter,
        ))?;
        out.push(b'\n');
        Ok(())
    })
}

/// The JSON `write` puts in a buffer of `capacity` bytes, zeroed on drop:
/// sized once, as a growing buffer would leave copies of credentials behind.
pub(crate) fn write_json(
    capacity: usize,
    write: impl FnOnce(&mut Vec<u8>) -> serde_json::Result<()>,
) -> Zeroizing<String> {
    let mut bytes = Zeroizing::new(Vec::with_capacity(capacity));
    let written = write(&mut bytes);
    debug_assert!(written.is_ok(), "writing JSON into memory cannot fail");
    // serde_json writes UTF-8: the conversion keeps the buffer.
    Zeroizing::new(String::from_utf8(std::mem::take(&mut *bytes)).unwrap_or_default())
}

/// What a base file adds to the output, at most.
pub(crate) fn base_size(base: &BaseConfig) -> usize {
    let fields = base.fields.iter().map(|field| match field {
        Field::Raw(name, value) => name.len() + value.get().len() + 8,
        _ => 16,
    });
    let auths = base
        .auths
        .iter()
        .map(|a| a.key.len() + a.value.get().len() + 8);
    let helpers = base.cred_helpers.iter().map(|(k, v)| k.len() + v.len() + 8);
    fields.sum::<usize>() + auths.sum::<usize>() + helpers.sum::<usize>()
}

/// The whole file: the base file's fields in their order, `auths` first
/// when the base file has none.
struct Document<'a> {
    config: &'a RegistryConfig,
    keys: Vec<Option<&'a str>>,
    helpers: IndexMap<&'a str, &'a str>,
}

impl Serialize for Document<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        let fields = self
            .config
            .base
            .as_ref()
            .map_or(&[][..], |base| &base.fields);
        if !fields.iter().any(|field| matches!(field, Field::Auths)) {
            map.serialize_entry("auths", &Auths(self))?;
        }
        for field in fields {
            match field {
                Field::Auths => map.serialize_entry("auths", &Auths(self))?,
                Field::CredHelpers if self.helpers.is_empty() => {}
                Field::CredHelpers => map.serialize_entry("credHelpers", &self.helpers)?,
                Field::Raw(name, value) => map.serialize_entry(name, value)?,
            }
        }
        map.end()
    }
}

/// The `auths` object: the base file's entries not replaced, then ours.
struct Auths<'a>(&'a Document<'a>);

impl Serialize for Auths<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Document { config, keys, .. } = self.0;
        let mut map = serializer.serialize_map(None)?;
        for auth in config.base.iter().flat_map(|base| &base.auths) {
            if !config.replaces(auth) {
                map.serialize_entry(&auth.key, &auth.value)?;
            }
        }
        let written = keys.iter().zip(config.entries.values());
        for (key, entry) in written.filter_map(|(key, entry)| Some((key.as_ref()?, entry))) {
            map.serialize_entry(key, &CredentialFields(&entry.credential))?;
        }
        map.end()
    }
}

/// One rendered credential: `auth`, plus `identitytoken` or `registrytoken`.
struct CredentialFields<'a>(&'a Credential);

impl Serialize for CredentialFields<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        match self.0 {
            Credential::Basic { username, password } => {
                map.serialize_entry("auth", &*base64_pair(username, password.expose()))?;
            }
            Credential::IdentityToken { token } => {
                map.serialize_entry("auth", &*base64_pair(IDENTITY_TOKEN_USERNAME, ""))?;
                map.serialize_entry("identitytoken", token.expose())?;
            }
            Credential::RegistryToken { token } => {
                map.serialize_entry("registrytoken", token.expose())?;
            }
        }
        map.end()
    }
}
