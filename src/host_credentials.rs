//! The credentials a Docker `config.json` holds or points to, sorted out as
//! Docker itself would, without running anything.
//!
//! Engineers' credentials often sit in a keychain behind a credential helper
//! (`credsStore`, `credHelpers`) that no container can reach. A
//! [`ResolutionPlan`] says, for every registry of the file, where its
//! credential comes from: decoded from `auths` (done here), or from a helper
//! (the caller runs it and hands the output to [`CredentialHelper::parse_get`]).
//!
//! ```text
//!  config.json ─► BaseConfig::parse ─► ResolutionPlan::store_to_list ─► (caller runs `list`)
//!                                   └► ResolutionPlan::new(listed) ─► Plain(Credential)
//!                                                                   └► Helper ─► (caller runs `get`)
//! ```
//!
//! Precedence per registry, as Docker's `GetAuthConfig`: its `credHelpers`
//! entry, else `credsStore` when set (Docker then ignores `auths` values),
//! else its `auths` value. The registries are the `auths` keys, the
//! `credHelpers` keys and what the store's `list` returns, compared in their
//! normalised form.

use std::fmt;

use indexmap::IndexMap;

use crate::auth_entry::decode_auth;
use crate::base_config::BaseAuth;
use crate::Quoted;
use crate::{
    AddressError, AuthEntryProblem, BaseConfig, Credential, CredentialHelper, Format,
    InvalidHelperName, RegistryAddress,
};

/// Where each registry of a Docker config gets its credential.
///
/// ```
/// use registry_config::{BaseConfig, PlannedSource, ResolutionPlan};
///
/// let base = BaseConfig::parse(br#"{
///     "auths": {"quay.io": {"auth": "cm9ib3Q6cHc="}, "ghcr.io": {}},
///     "credHelpers": {"ghcr.io": "pass"}
/// }"#).unwrap();
/// assert!(ResolutionPlan::store_to_list(&base, &[]).unwrap().is_none());
/// let plan = ResolutionPlan::new(&base, &[], &[]).unwrap();
/// let [quay, ghcr] = &plan.entries()[..] else { panic!() };
/// assert!(matches!(&quay.source, PlannedSource::Plain(_)));
/// assert!(matches!(&ghcr.source, PlannedSource::Helper(helper) if helper.name() == "pass"));
/// assert_eq!(ghcr.server_url, "ghcr.io");
/// # Ok::<(), registry_config::HostConfigError>(())
/// ```
#[derive(Debug)]
pub struct ResolutionPlan {
    entries: Vec<PlannedEntry>,
    warnings: Vec<PlanWarning>,
}

/// One registry of the plan.
#[derive(Debug)]
#[non_exhaustive]
pub struct PlannedEntry {
    /// The key as the config (or the store's `list`) writes it: what a helper
    /// is asked for, and what errors name.
    pub server_url: String,
    /// The registry, normalised.
    pub address: RegistryAddress,
    /// Where its credential comes from.
    pub source: PlannedSource,
}

/// Where one registry's credential comes from.
#[derive(Debug)]
#[non_exhaustive]
pub enum PlannedSource {
    /// Decoded from its `auths` entry.
    Plain(Credential),
    /// From `docker-credential-NAME get`, with the server URL on stdin.
    Helper(CredentialHelper),
    /// Asked for, but the config has nothing for it (and no `credsStore`).
    Absent,
}

/// Something in the config that the plan leaves out.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PlanWarning {
    /// A key that is not a registry address.
    InvalidKey {
        /// `auths`, `credHelpers` or the store's `list`.
        field: &'static str,
        /// Why (the address is shown with any `user:password@` redacted).
        error: AddressError,
    },
    /// An `auths` entry with no credential in it (`{}`), which Docker treats
    /// as anonymous.
    EmptyEntry {
        /// The key as written.
        key: String,
    },
}

impl fmt::Display for PlanWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlanWarning::InvalidKey { field, error } => {
                write!(
                    f,
                    "left out an entry of the Docker config's {field}: {error}"
                )
            }
            PlanWarning::EmptyEntry { key } => write!(
                f,
                "left out {key}: its auths entry in the Docker config holds no credential"
            ),
        }
    }
}

/// What the config says about one registry, gathered from the three places.
#[derive(Default)]
struct Found<'a> {
    auth: Option<&'a BaseAuth>,
    helper: Option<(&'a str, &'a str)>,
    listed: Option<&'a str>,
}

impl ResolutionPlan {
    /// The store whose `list` the plan needs, if any: the `credsStore` helper,
    /// unless every registry in `only` is found without it. An empty `only`
    /// means every registry.
    pub fn store_to_list(
        base: &BaseConfig,
        only: &[RegistryAddress],
    ) -> Result<Option<CredentialHelper>, HostConfigError> {
        let Some(store) = store(base)? else {
            return Ok(None);
        };
        let named = |wanted: &RegistryAddress| {
            let same = |key: &str| {
                RegistryAddress::parse(key).is_ok_and(|a| a.canonical() == wanted.canonical())
            };
            base.auth_keys().any(same) || base.cred_helpers().any(|(key, _)| same(key))
        };
        Ok((only.is_empty() || !only.iter().all(named)).then_some(store))
    }

    /// The plan for `base`, with `listed` the server URLs the store's `list`
    /// returned (empty when there is no store or it was not asked). `only`
    /// limits the plan to those registries, in that order; empty means all,
    /// in file order.
    pub fn new(
        base: &BaseConfig,
        listed: &[String],
        only: &[RegistryAddress],
    ) -> Result<Self, HostConfigError> {
        let store = store(base)?;
        let mut warnings = Vec::new();
        // By canonical form: `http://h.io` and `h.io` are one registry.
        let mut found: IndexMap<String, (RegistryAddress, Found)> = IndexMap::new();
        let mut address = |field, key: &str| match RegistryAddress::parse(key) {
            Ok(address) => Some(address),
            Err(error) => {
                warnings.push(PlanWarning::InvalidKey { field, error });
                None
            }
        };
        // Of two keys for one registry, the one written in its own key form wins.
        let exact = |address: &RegistryAddress, key: &str| address.key(Format::Docker) == Ok(key);
        for auth in &base.auths {
            if let Some(address) = address("auths", &auth.key) {
                let slot = &mut slot(&mut found, &address).auth;
                if slot.is_none() || exact(&address, &auth.key) {
                    *slot = Some(auth);
                }
            }
        }
        for (key, helper) in base.cred_helpers() {
            if let Some(address) = address("credHelpers", key) {
                let slot = &mut slot(&mut found, &address).helper;
                if slot.is_none() || exact(&address, key) {
                    *slot = Some((key, helper));
                }
            }
        }
        for key in listed {
            if let Some(address) = address("credsStore list", key) {
                let slot = &mut slot(&mut found, &address).listed;
                if slot.is_none() || exact(&address, key) {
                    *slot = Some(key);
                }
            }
        }

        let chosen: Vec<(RegistryAddress, Found, bool)> = if only.is_empty() {
            found.into_values().map(|(a, f)| (a, f, false)).collect()
        } else {
            let mut chosen: Vec<(RegistryAddress, Found, bool)> = Vec::new();
            for wanted in only {
                if !chosen
                    .iter()
                    .any(|(a, ..)| a.canonical() == wanted.canonical())
                {
                    let (address, what) = found
                        .swap_remove(wanted.canonical())
                        .unwrap_or_else(|| (wanted.clone(), Found::default()));
                    chosen.push((address, what, true));
                }
            }
            chosen
        };

        let mut entries = Vec::with_capacity(chosen.len());
        for (address, what, asked) in chosen {
            let fallback = || match address.key(Format::Docker) {
                Ok(key) => key.to_owned(),
                Err(_) => address.canonical().to_owned(),
            };
            let (server_url, source) = if let Some((key, helper)) = what.helper {
                let helper =
                    CredentialHelper::new(helper).map_err(|error| HostConfigError::HelperName {
                        field: format!("credHelpers entry {}", Quoted(key)),
                        error,
                    })?;
                (key.to_owned(), PlannedSource::Helper(helper))
            } else if let Some(store) = &store {
                let key = what
                    .listed
                    .or(what.auth.map(|auth| auth.key.as_str()))
                    .map_or_else(fallback, str::to_owned);
                (key, PlannedSource::Helper(store.clone()))
            } else if let Some(auth) = what.auth {
                let decoded = decode_auth(&auth.key, auth.value.get()).map_err(|problem| {
                    HostConfigError::Auth {
                        key: auth.key.clone(),
                        problem,
                    }
                })?;
                match decoded {
                    Some(credential) => (auth.key.clone(), PlannedSource::Plain(credential)),
                    None if asked => (auth.key.clone(), PlannedSource::Absent),
                    None => {
                        warnings.push(PlanWarning::EmptyEntry {
                            key: auth.key.clone(),
                        });
                        continue;
                    }
                }
            } else {
                (fallback(), PlannedSource::Absent)
            };
            entries.push(PlannedEntry {
                server_url,
                address,
                source,
            });
        }
        Ok(Self { entries, warnings })
    }

    /// The registries, in order.
    pub fn entries(&self) -> &[PlannedEntry] {
        &self.entries
    }

    /// The registries, taken out of the plan (credentials move with them).
    pub fn into_entries(self) -> Vec<PlannedEntry> {
        self.entries
    }

    /// What the plan left out, for the user to hear about.
    pub fn warnings(&self) -> &[PlanWarning] {
        &self.warnings
    }
}

/// The gathered facts for `address`'s registry, created on first sight.
fn slot<'m, 'a>(
    found: &'m mut IndexMap<String, (RegistryAddress, Found<'a>)>,
    address: &RegistryAddress,
) -> &'m mut Found<'a> {
    &mut found
        .entry(address.canonical().to_owned())
        .or_insert_with(|| (address.clone(), Found::default()))
        .1
}

fn store(base: &BaseConfig) -> Result<Option<CredentialHelper>, HostConfigError> {
    if !base.creds_store {
        return Ok(None);
    }
    let name = base.creds_store().ok_or(HostConfigError::StoreNotAString)?;
    CredentialHelper::new(name)
        .map(Some)
        .map_err(|error| HostConfigError::HelperName {
            field: "credsStore".to_owned(),
            error,
        })
}

/// A Docker config whose credentials cannot be read: bad input. Messages name
/// the key and the field, never a value.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HostConfigError {
    /// `credsStore` is not a string.
    #[error("the Docker config's credsStore must be a string naming a credential helper")]
    StoreNotAString,
    /// A helper name that is a path or has spaces.
    #[error("the Docker config's {field}: {error}")]
    HelperName {
        /// `credsStore` or the `credHelpers` entry.
        field: String,
        /// Why the name is refused.
        error: InvalidHelperName,
    },
    /// An `auths` entry that cannot be decoded.
    #[error("the Docker config's auths entry {}: {problem}", Quoted(key))]
    Auth {
        /// The key as written.
        key: String,
        /// What is wrong with it.
        problem: AuthEntryProblem,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(json: &str, listed: &[&str], only: &[&str]) -> ResolutionPlan {
        let base = BaseConfig::parse(json.as_bytes()).unwrap();
        let listed: Vec<String> = listed.iter().map(|s| s.to_string()).collect();
        let only: Vec<RegistryAddress> = only
            .iter()
            .map(|s| RegistryAddress::parse(s).unwrap())
            .collect();
        ResolutionPlan::new(&base, &listed, &only).unwrap()
    }

    /// Each entry as `server_url source`.
    fn shape(plan: &ResolutionPlan) -> Vec<String> {
        plan.entries()
            .iter()
            .map(|entry| {
                let source = match &entry.source {
                    PlannedSource::Plain(Credential::Basic { username, password }) => {
                        format!("basic {username}:{}", password.expose())
                    }
                    PlannedSource::Plain(Credential::IdentityToken { token }) => {
                        format!("identity {}", token.expose())
                    }
                    PlannedSource::Plain(Credential::RegistryToken { token }) => {
                        format!("bearer {}", token.expose())
                    }
                    PlannedSource::Helper(helper) => format!("helper {}", helper.name()),
                    PlannedSource::Absent => "absent".to_owned(),
                };
                format!("{} {source}", entry.server_url)
            })
            .collect()
    }

    #[test]
    fn decodes_every_plain_form() {
        let plan = plan(
            r#"{"auths": {
                "a.io": {"auth": "dTpwOnc="},
                "b.io": {"auth": "dTpwOnc", "username": "x", "password": "y"},
                "c.io": {"username": "u", "password": "pw", "email": "e"},
                "d.io": {"auth": "PHRva2VuPjo=", "identitytoken": "rt"},
                "e.io": {"registrytoken": "bt", "identitytoken": "rt"}
            }}"#,
            &[],
            &[],
        );
        assert_eq!(
            shape(&plan),
            [
                "a.io basic u:p:w",
                "b.io basic u:p:w",
                "c.io basic u:pw",
                "d.io identity rt",
                "e.io bearer bt"
            ]
        );
    }

    #[test]
    fn helpers_before_the_store_before_auths() {
        let json = r#"{"auths": {"https://index.docker.io/v1/": {}, "quay.io": {"auth": "dTpw"}},
                       "credsStore": "desktop", "credHelpers": {"GHCR.io": "gh"}}"#;
        let plan = plan(
            json,
            &["ghcr.io", "https://index.docker.io/v1/", "r.io:5000"],
            &[],
        );
        assert_eq!(
            shape(&plan),
            [
                "https://index.docker.io/v1/ helper desktop",
                "quay.io helper desktop",
                "GHCR.io helper gh",
                "r.io:5000 helper desktop",
            ]
        );
    }

    #[test]
    fn one_registry_however_it_is_spelled() {
        let json = r#"{"auths": {"http://h.io": {"auth": "dTpw"}, "h.io": {"auth": "dTpx"}},
                       "credHelpers": {"https://H.io/": "a", "h.io": "b"}}"#;
        assert_eq!(shape(&plan(json, &[], &[])), ["h.io helper b"]);
        assert_eq!(shape(&plan(json, &[], &["http://h.io"])), ["h.io helper b"]);
        let json = r#"{"auths": {"https://h.io": {"auth": "dTpw"}, "h.io": {"auth": "dTpx"}}}"#;
        assert_eq!(shape(&plan(json, &[], &[])), ["h.io basic u:q"]);
    }

    #[test]
    fn only_limits_and_orders_and_marks_what_is_missing() {
        let json = r#"{"auths": {"https://ghcr.io": {"auth": "dTpw"}, "quay.io": {}, "x.io": {"auth": "dTpw"}}}"#;
        let plan = plan(json, &[], &["quay.io", "ghcr.io", "nope.io", "GHCR.IO"]);
        assert_eq!(
            shape(&plan),
            [
                "quay.io absent",
                "https://ghcr.io basic u:p",
                "nope.io absent"
            ]
        );
        assert!(plan.warnings().is_empty());

        let json = r#"{"credsStore": "pass", "auths": {"docker.io": {}}}"#;
        let base = BaseConfig::parse(json.as_bytes()).unwrap();
        let hub = [RegistryAddress::parse("index.docker.io").unwrap()];
        assert_eq!(ResolutionPlan::store_to_list(&base, &hub).unwrap(), None);
        let quay = [RegistryAddress::parse("quay.io").unwrap()];
        assert!(ResolutionPlan::store_to_list(&base, &quay)
            .unwrap()
            .is_some());
        let plan = ResolutionPlan::new(&base, &[], &quay).unwrap();
        assert_eq!(shape(&plan), ["quay.io helper pass"]);
        let plan = ResolutionPlan::new(&base, &[], &hub).unwrap();
        assert_eq!(shape(&plan), ["docker.io helper pass"]);
    }

    #[test]
    fn bad_keys_and_empty_entries_are_left_out_with_a_warning() {
        let json = r#"{"auths": {"bad key": {"auth": "dTpw"}, "https://u:canary@h.io": {}, "e.io": {}},
                       "credHelpers": {"ftp://x.io": "pass"}}"#;
        let plan = plan(json, &[], &[]);
        assert!(plan.entries().is_empty());
        let warnings: Vec<String> = plan.warnings().iter().map(ToString::to_string).collect();
        assert_eq!(warnings.len(), 4, "{warnings:?}");
        assert!(
            warnings[0].starts_with(
                "left out an entry of the Docker config's auths: invalid registry address \"bad key\""
            ),
            "{}",
            warnings[0]
        );
        assert!(!warnings[1].contains("canary"), "{}", warnings[1]);
        assert!(warnings[2].contains("credHelpers"), "{}", warnings[2]);
        assert_eq!(
            warnings[3],
            "left out e.io: its auths entry in the Docker config holds no credential"
        );
    }

    #[test]
    fn bad_entries_are_errors_that_never_quote_the_value() {
        let cases = [
            (r#"{"credsStore": 1}"#, "credsStore must be a string"),
            (
                r#"{"credsStore": "../evil"}"#,
                "credsStore: invalid credential helper name",
            ),
            (
                r#"{"credHelpers": {"ghcr.io": "a b"}}"#,
                "credHelpers entry \"ghcr.io\"",
            ),
            (r#"{"auths": {"h.io": {"auth": 5}}}"#, "must be strings"),
            (r#"{"auths": {"h.io": {"auth": "canary!"}}}"#, "not base64"),
            (
                r#"{"auths": {"h.io": {"auth": "Y2FuYXJ5"}}}"#,
                "username:password",
            ),
            (
                r#"{"auths": {"h.io": {"auth": "OmNhbmFyeQ=="}}}"#,
                "the username is empty",
            ),
            (
                r#"{"auths": {"h.io": {"auth": "dTo="}}}"#,
                "the secret is empty",
            ),
            (r#"{"auths": {"h.io": {"username": "canary"}}}"#, "not both"),
            (r#"{"auths": {"h.io": {"auth": "/w=="}}}"#, "UTF-8"),
        ];
        for (json, needle) in cases {
            let base = BaseConfig::parse(json.as_bytes()).unwrap();
            let err = ResolutionPlan::store_to_list(&base, &[])
                .and_then(|_| ResolutionPlan::new(&base, &[], &[]))
                .unwrap_err()
                .to_string();
            assert!(err.contains(needle), "{json}: {err}");
            assert!(!err.contains("canary"), "{err}");
        }
    }
}
