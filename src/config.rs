//! The set of credentials to render: ordered, keyed by canonical address.

use crate::ordered_map::OrderedMap;
use crate::{BaseConfig, Credential, Error, RegistryAddress};

/// Credentials for any number of registries, plus an optional base file.
///
/// Entries keep their insertion order. A later entry for the same registry
/// (however its address is spelled) replaces the earlier one in place;
/// removal goes by the same canonical key.
///
/// ```
/// use registry_config::{Credential, Format, RegistryConfig, Secret};
///
/// let mut config = RegistryConfig::new();
/// config.insert("docker.io", Credential::basic("me", Secret::new("pat".into())))?;
/// config.insert("https://ghcr.io/", Credential::basic("me", Secret::new("old".into())))?;
/// config.insert("ghcr.io", Credential::basic("me", Secret::new("ghp_1".into())))?;
/// assert_eq!(config.len(), 2);
/// assert!(config.remove("https://index.docker.io/v1/")?);
///
/// let rendered = config.render(Format::Docker)?;
/// let json = std::str::from_utf8(rendered.as_bytes()).unwrap();
/// assert_eq!(json, "{\n\t\"auths\": {\n\t\t\"ghcr.io\": {\n\t\t\t\"auth\": \"bWU6Z2hwXzE=\"\n\t\t}\n\t}\n}\n");
/// # Ok::<(), registry_config::Error>(())
/// ```
#[derive(Debug, Default)]
pub struct RegistryConfig {
    pub(crate) entries: OrderedMap<String, Entry>,
    pub(crate) base: Option<BaseConfig>,
}

/// One registry's credential.
#[derive(Debug)]
pub(crate) struct Entry {
    pub(crate) address: RegistryAddress,
    pub(crate) credential: Credential,
}

impl RegistryConfig {
    /// An empty config: renders as `{"auths": {}}`.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty config with room for `entries` registries.
    ///
    /// ```
    /// let config = registry_config::RegistryConfig::with_capacity(10);
    /// assert_eq!(config.registries().count(), 0);
    /// ```
    pub fn with_capacity(entries: usize) -> Self {
        Self {
            entries: OrderedMap::with_capacity_and_hasher(entries, Default::default()),
            base: None,
        }
    }

    /// Adds the credential for `address`, replacing any earlier one for the
    /// same registry. The address and the credential are checked here, so a
    /// config that holds an entry can always render it in the containers
    /// format (the Docker format also refuses repository scopes).
    pub fn insert(&mut self, address: &str, credential: Credential) -> Result<(), Error> {
        let address = RegistryAddress::parse(address)?;
        credential.validate(address.canonical())?;
        self.entries.insert(
            address.canonical().to_owned(),
            Entry {
                address,
                credential,
            },
        );
        Ok(())
    }

    /// Removes the credential for `address`, from the entries and from the
    /// base file. Returns whether anything was there.
    pub fn remove(&mut self, address: &str) -> Result<bool, Error> {
        let address = RegistryAddress::parse(address)?;
        let canonical = address.canonical();
        let mut removed = self.entries.shift_remove(canonical).is_some();
        if let Some(base) = &mut self.base {
            let before = base.auths.len();
            base.remove(canonical);
            removed |= base.auths.len() != before;
        }
        Ok(removed)
    }

    /// Sets the file the credentials are merged into. Its other hosts and
    /// fields are kept; its entries for registries this config holds are
    /// replaced.
    pub fn set_base(&mut self, base: BaseConfig) {
        self.base = Some(base);
    }

    /// Gives the rendered Docker file the settings of `user`, the user's own
    /// Docker `config.json`, as [`BaseConfig::with_settings_of`] does; the
    /// credentials stay those of the entries and the base file, if any.
    pub fn keep_settings_of(&mut self, user: &BaseConfig) {
        let base = self.base.take().unwrap_or_default();
        self.base = Some(base.with_settings_of(user));
    }

    /// The registries that have an entry, in insertion order (base file not included).
    pub fn registries(&self) -> impl Iterator<Item = &RegistryAddress> {
        self.entries.values().map(|entry| &entry.address)
    }

    /// Each registry with its credential, in insertion order.
    pub fn entries(&self) -> impl Iterator<Item = (&RegistryAddress, &Credential)> {
        self.entries
            .values()
            .map(|entry| (&entry.address, &entry.credential))
    }

    /// How many entries were inserted (base file not included).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when no entry was inserted.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}
