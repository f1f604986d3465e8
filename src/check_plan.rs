//! What a credential check runs: each repository named, with the entry a
//! client would use for it, and each registry no repository names. Shared by
//! the CLI's `check` and `--verify` and the wasm build's `checkTargets`, so
//! that every driver checks the same things.

use std::borrow::Borrow;

use crate::auth_entry::decode_auth;
use crate::base_config::BaseAuth;
use crate::{Credential, RegistryAddress, RegistryConfig, Secret};

/// The credential a check uses: an entry's own, or one decoded from the base
/// file (owned: the base keeps only raw JSON).
#[derive(Debug)]
pub enum PlannedCredential<'a> {
    /// An entry inserted into the config.
    Entry(&'a Credential),
    /// An `auths` entry of the base file.
    Base(Credential),
}

impl Borrow<Credential> for PlannedCredential<'_> {
    fn borrow(&self) -> &Credential {
        match self {
            PlannedCredential::Entry(credential) => credential,
            PlannedCredential::Base(credential) => credential,
        }
    }
}

impl PlannedCredential<'_> {
    /// The credential, owned: a copy of an entry's (the wasm build hands
    /// each check to JavaScript as an object of its own). The copy is a
    /// [`Secret`] too, zeroed when dropped.
    pub fn into_owned(self) -> Credential {
        let copy = |secret: &Secret| Secret::new(secret.expose().to_owned());
        match self {
            PlannedCredential::Base(credential) => credential,
            PlannedCredential::Entry(Credential::Basic { username, password }) => {
                Credential::basic(username.as_str(), copy(password))
            }
            PlannedCredential::Entry(Credential::IdentityToken { token }) => {
                Credential::identity_token(copy(token))
            }
            PlannedCredential::Entry(Credential::RegistryToken { token }) => {
                Credential::registry_token(copy(token))
            }
        }
    }
}

/// One check.
#[derive(Debug)]
pub struct CheckTarget<'a> {
    /// The registry, or registry/repository, the handshake is pointed at
    /// (plain HTTP when the entry or the repository was written `http://`).
    pub target: RegistryAddress,
    /// The canonical key of the entry whose credential is used: what
    /// `--on-rejected drop` removes.
    pub entry: String,
    /// That credential.
    pub credential: PlannedCredential<'a>,
}

/// A repository that cannot be checked.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CheckPlanError {
    /// Not `REGISTRY/REPOSITORY`.
    #[error("repository {0}: expected REGISTRY/REPOSITORY")]
    NotARepository(String),
    /// No entry covers it.
    #[error("repository {reference}: no credential was given for {registry}")]
    NoCredential {
        /// As written.
        reference: String,
        /// Its registry.
        registry: String,
    },
    /// Nothing to check at all.
    #[error("nothing to check: no credential was given")]
    Empty,
}

/// A config entry as the plan sees it.
enum Source<'a> {
    Entry(&'a Credential),
    Base(&'a BaseAuth),
}

impl RegistryConfig {
    /// The checks to run for `repositories` (each `REGISTRY/REPOSITORY`): each
    /// repository with the most specific entry for it (`quay.io/org` before
    /// `quay.io` for `quay.io/org/app`, as containers/image looks keys up),
    /// then every entry registry-wide whose registry no repository names.
    /// Entries of the base file count too, when they hold a credential.
    ///
    /// ```
    /// use registry_config::{Credential, RegistryConfig, Secret};
    ///
    /// let mut config = RegistryConfig::new();
    /// config.insert("quay.io", Credential::basic("a", Secret::new("1".into())))?;
    /// config.insert("http://localhost:5000", Credential::basic("b", Secret::new("2".into())))?;
    /// let targets = config.check_targets(&["quay.io/org/app"]).unwrap();
    /// let names: Vec<_> = targets.iter().map(|t| (t.target.canonical(), t.target.plain_http())).collect();
    /// assert_eq!(names, [("quay.io/org/app", false), ("localhost:5000", true)]);
    /// assert!(config.check_targets(&["ghcr.io/x"]).is_err());
    /// # Ok::<(), registry_config::Error>(())
    /// ```
    pub fn check_targets(
        &self,
        repositories: &[&str],
    ) -> Result<Vec<CheckTarget<'_>>, crate::Error> {
        let entries = self.checkable_entries();
        let mut targets = Vec::new();
        for reference in repositories {
            let target = RegistryAddress::parse(reference)?;
            if target.repository().is_none() {
                return Err(CheckPlanError::NotARepository((*reference).to_owned()).into());
            }
            let Some((address, source)) = most_specific(&entries, &target) else {
                let registry = target.host().to_owned();
                return Err(CheckPlanError::NoCredential {
                    reference: (*reference).to_owned(),
                    registry,
                }
                .into());
            };
            let Some(credential) = planned(source) else {
                continue;
            };
            let plain_http = target.plain_http() || address.plain_http();
            targets.push(CheckTarget {
                target: target.with_plain_http(plain_http),
                entry: address.canonical().to_owned(),
                credential,
            });
        }
        for (address, source) in &entries {
            let named = targets.iter().any(|t| t.target.host() == address.host());
            if let (false, Some(credential)) = (named, planned(source)) {
                targets.push(CheckTarget {
                    target: address.registry(),
                    entry: address.canonical().to_owned(),
                    credential,
                });
            }
        }
        if targets.is_empty() {
            return Err(CheckPlanError::Empty.into());
        }
        Ok(targets)
    }

    /// The base file's entries not replaced (those holding a credential and
    /// keyed by an address), then ours.
    fn checkable_entries(&self) -> Vec<(RegistryAddress, Source<'_>)> {
        let mut entries = Vec::new();
        if let Some(base) = &self.base {
            for auth in &base.auths {
                let replaced = auth
                    .canonical
                    .as_ref()
                    .is_some_and(|c| self.entries.contains_key(c));
                let address = RegistryAddress::parse(&auth.key);
                if let (false, Ok(address)) = (replaced, address) {
                    if planned(&Source::Base(auth)).is_some() {
                        entries.push((address, Source::Base(auth)));
                    }
                }
            }
        }
        entries.extend(
            self.entries()
                .map(|(address, credential)| (address.clone(), Source::Entry(credential))),
        );
        entries
    }
}

/// The credential of a source; a base entry is decoded afresh for each use.
fn planned<'a>(source: &Source<'a>) -> Option<PlannedCredential<'a>> {
    match source {
        Source::Entry(credential) => Some(PlannedCredential::Entry(credential)),
        Source::Base(auth) => decode_auth(&auth.key, auth.value.get())
            .ok()
            .flatten()
            .map(PlannedCredential::Base),
    }
}

/// The entry keyed by `target` itself or its nearest parent.
fn most_specific<'e, 'a>(
    entries: &'e [(RegistryAddress, Source<'a>)],
    target: &RegistryAddress,
) -> Option<&'e (RegistryAddress, Source<'a>)> {
    let mut key = target.canonical();
    loop {
        if let Some(found) = entries
            .iter()
            .rev()
            .find(|(address, _)| address.canonical() == key)
        {
            return Some(found);
        }
        if key.len() <= target.host().len() {
            return None;
        }
        key = &key[..key.rfind('/')?];
    }
}
