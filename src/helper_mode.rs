//! Helper mode: config files that hold no credential at all.
//!
//! Instead of `auths` entries, the files map each registry to a credential
//! helper (`credHelpers`), and the helper answers `get` from credentials kept
//! in memory elsewhere (for the CLI, the running `exec`). Docker, BuildKit,
//! containers/image (podman, skopeo, buildah) and oras-go (helm) all run
//! `docker-credential-NAME get` for a registry listed in `credHelpers`, with
//! the server URL on stdin (docker/cli `credentials/native_store.go`,
//! containers/image `pkg/docker/config/config.go`, oras-go
//! `registry/remote/credentials/store.go`).
//!
//! This module owns the rules: which files to write, which entries a helper
//! can stand for, and the bytes of a `get` reply. It runs nothing.

use std::fmt;

use indexmap::IndexMap;
use serde::Serialize;
use zeroize::Zeroizing;

use serde::ser::{SerializeMap, Serializer};

use crate::base_config::Field;
use crate::render::{base_size, docker_layout, write_json};
use crate::{BaseConfig, Credential, Format, Quoted, RegistryAddress, RegistryConfig};

/// The name registry-config answers to as a credential helper: clients run
/// `docker-credential-registry-config`.
pub const SELF_HELPER_NAME: &str = "registry-config";

/// What a helper prints for a registry it holds nothing for. Clients built on
/// docker/docker-credential-helpers recognise these exact words as "not
/// found" and go on without credentials, rather than failing.
pub const HELPER_NOT_FOUND: &str = "credentials not found in native keychain";

/// Username of an identity token in a helper reply (docker-credential-helpers).
const TOKEN_USERNAME: &str = "<token>";

/// An entry that a credential helper cannot stand for.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HelperModeError {
    /// A repository-scoped key: clients ask helpers per registry host only.
    #[error(
        "{} is scoped to a repository, but credential helpers are asked per registry host \
         (containers/image and docker ignore scopes there); helper mode cannot hand it over",
        Quoted(.0)
    )]
    RepositoryScope(String),
    /// A registry token: the helper protocol has no field for one.
    #[error(
        "the registry token for {} cannot be handed over by a credential helper: the protocol \
         carries a username and password or an identity token only",
        Quoted(.0)
    )]
    RegistryToken(String),
    /// A base config that holds credentials (`auths` entries, `credHelpers`
    /// or a `credsStore`): they would have to be written as they are.
    #[error(
        "a base config (--from) cannot be used in helper mode: its credentials would be written \
         to the file as they are (--from-host resolves them instead)"
    )]
    BaseConfig,
}

impl RegistryConfig {
    /// The file of `format` for helper mode: an empty `auths`, and every
    /// registry mapped to [`SELF_HELPER_NAME`] in `credHelpers`. It holds no
    /// credential, so it is not wrapped in a zeroing buffer.
    ///
    /// A base config is allowed when it holds settings only, as
    /// [`RegistryConfig::keep_settings_of`] makes it from the user's own file:
    /// its fields are written in their order, so docker keeps the user's
    /// `currentContext`, aliases and proxies. A base with credentials is
    /// refused.
    ///
    /// ```
    /// use registry_config::{Credential, Format, RegistryConfig, Secret};
    ///
    /// let mut config = RegistryConfig::new();
    /// config.insert("docker.io", Credential::basic("me", Secret::new("pat".into())))?;
    /// let docker = config.render_for_helper(Format::Docker).unwrap();
    /// assert_eq!(docker, "{\n\t\"auths\": {},\n\t\"credHelpers\": {\n\t\t\"https://index.docker.io/v1/\": \"registry-config\"\n\t}\n}\n");
    /// assert!(!docker.contains("pat"));
    /// # Ok::<(), registry_config::Error>(())
    /// ```
    pub fn render_for_helper(&self, format: Format) -> Result<String, HelperModeError> {
        if self
            .base
            .as_ref()
            .is_some_and(BaseConfig::holds_credentials)
        {
            return Err(HelperModeError::BaseConfig);
        }
        let mut cred_helpers = IndexMap::with_capacity(self.entries.len());
        for (address, credential) in self.entries() {
            if address.repository().is_some() {
                return Err(HelperModeError::RepositoryScope(
                    address.canonical().to_owned(),
                ));
            }
            if matches!(credential, Credential::RegistryToken { .. }) {
                return Err(HelperModeError::RegistryToken(
                    address.canonical().to_owned(),
                ));
            }
            // Host-wide keys are valid in both formats.
            let key = address.key(format).unwrap_or(address.canonical());
            cred_helpers.insert(key, SELF_HELPER_NAME);
        }
        let fields = self.base.as_ref().map_or(&[][..], |base| &base.fields);
        let file = HelperFile {
            fields,
            cred_helpers,
        };
        let capacity = 64 + self.base.as_ref().map_or(0, base_size);
        Ok(docker_layout(&file, capacity).to_string())
    }

    /// The reply to `docker-credential-registry-config get` for
    /// `server_url`, in any spelling a client sends (`127.0.0.1:5000`,
    /// `https://index.docker.io/v1/`, `docker.io`): `None` when no entry is
    /// for that registry.
    ///
    /// ```
    /// use registry_config::{Credential, RegistryConfig, Secret};
    ///
    /// let mut config = RegistryConfig::new();
    /// config.insert("ghcr.io", Credential::basic("me", Secret::new("ghp_1".into())))?;
    /// let reply = config.helper_reply("https://ghcr.io").unwrap();
    /// assert_eq!(reply.as_str(), r#"{"ServerURL":"https://ghcr.io","Username":"me","Secret":"ghp_1"}"#);
    /// assert!(config.helper_reply("quay.io").is_none());
    /// # Ok::<(), registry_config::Error>(())
    /// ```
    pub fn helper_reply(&self, server_url: &str) -> Option<HelperReply> {
        let asked = RegistryAddress::parse(server_url.trim()).ok()?;
        let entry = self.entries.get(asked.registry().canonical())?;
        let (username, secret) = match &entry.credential {
            Credential::Basic { username, password } => (username.as_str(), password.expose()),
            Credential::IdentityToken { token } => (TOKEN_USERNAME, token.expose()),
            Credential::RegistryToken { .. } => return None,
        };
        let reply = GetReply {
            server_url: server_url.trim(),
            username,
            secret,
        };
        let capacity = 64 + 2 * (server_url.len() + username.len()) + 6 * secret.len();
        let text = write_json(capacity, |out| serde_json::to_writer(out, &reply));
        Some(HelperReply(text))
    }
}

/// A helper-mode file: the base's settings in their order, an empty
/// `auths` (first when the base has none), every registry in `credHelpers`
/// (last when the base has none).
struct HelperFile<'a> {
    fields: &'a [Field],
    cred_helpers: IndexMap<&'a str, &'a str>,
}

impl Serialize for HelperFile<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let no_auths = IndexMap::<&str, &str>::new();
        let mut map = serializer.serialize_map(None)?;
        let has = |wanted: fn(&Field) -> bool| self.fields.iter().any(wanted);
        if !has(|field| matches!(field, Field::Auths)) {
            map.serialize_entry("auths", &no_auths)?;
        }
        for field in self.fields {
            match field {
                Field::Auths => map.serialize_entry("auths", &no_auths)?,
                Field::CredHelpers => map.serialize_entry("credHelpers", &self.cred_helpers)?,
                Field::Raw(name, value) => map.serialize_entry(name, value)?,
            }
        }
        if !has(|field| matches!(field, Field::CredHelpers)) {
            map.serialize_entry("credHelpers", &self.cred_helpers)?;
        }
        map.end()
    }
}

/// A `get` reply, in the protocol's field order.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct GetReply<'a> {
    #[serde(rename = "ServerURL")]
    server_url: &'a str,
    username: &'a str,
    secret: &'a str,
}

/// The JSON a helper prints for `get`: it holds the secret, so it is zeroed
/// on drop and redacted in Debug.
pub struct HelperReply(Zeroizing<String>);

impl HelperReply {
    /// The reply's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for HelperReply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HelperReply([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CredentialHelper, Secret};

    fn config() -> RegistryConfig {
        let mut config = RegistryConfig::new();
        let basic = Credential::basic("me", Secret::new("pw\"canary".into()));
        config.insert("127.0.0.1:5000", basic).unwrap();
        let token = Credential::identity_token(Secret::new("rt-canary".into()));
        config.insert("docker.io", token).unwrap();
        config
    }

    #[test]
    fn files_name_the_helper_and_hold_no_secret() {
        let config = config();
        let docker = config.render_for_helper(Format::Docker).unwrap();
        let containers = config.render_for_helper(Format::Containers).unwrap();
        assert!(docker.contains("\"https://index.docker.io/v1/\": \"registry-config\""));
        assert!(containers.contains("\"docker.io\": \"registry-config\""));
        for file in [&docker, &containers] {
            assert!(file.contains("\"127.0.0.1:5000\": \"registry-config\""));
            assert!(!file.contains("canary"), "{file}");
            assert!(!file.contains("auth\""), "{file}");
        }
    }

    #[test]
    fn replies_read_back_as_the_credentials_they_stand_for() {
        let config = config();
        let helper = CredentialHelper::new(SELF_HELPER_NAME).unwrap();
        for asked in ["127.0.0.1:5000", "http://127.0.0.1:5000/v2/"] {
            let reply = config.helper_reply(asked).unwrap();
            let read = helper.parse_get(asked, reply.as_str().as_bytes()).unwrap();
            assert!(
                matches!(&read, Credential::Basic { username, password } if username == "me" && password.expose() == "pw\"canary")
            );
        }
        for asked in [
            "https://index.docker.io/v1/",
            "docker.io",
            "index.docker.io",
        ] {
            let reply = config.helper_reply(asked).unwrap();
            let read = helper.parse_get(asked, reply.as_str().as_bytes()).unwrap();
            assert!(
                matches!(&read, Credential::IdentityToken { token } if token.expose() == "rt-canary")
            );
        }
        assert!(config.helper_reply("127.0.0.1:5001").is_none());
        assert!(config.helper_reply("not an address").is_none());
        assert_eq!(
            format!("{:?}", config.helper_reply("docker.io").unwrap()),
            "HelperReply([redacted])"
        );
    }

    #[test]
    fn entries_a_helper_cannot_stand_for_are_refused() {
        let mut scoped = RegistryConfig::new();
        let basic = Credential::basic("me", Secret::new("canary".into()));
        scoped.insert("quay.io/org", basic).unwrap();
        let err = scoped.render_for_helper(Format::Containers).unwrap_err();
        assert_eq!(err, HelperModeError::RepositoryScope("quay.io/org".into()));

        let mut bearer = RegistryConfig::new();
        let token = Credential::registry_token(Secret::new("canary".into()));
        bearer.insert("ghcr.io", token).unwrap();
        let err = bearer.render_for_helper(Format::Docker).unwrap_err();
        assert!(err
            .to_string()
            .starts_with("the registry token for \"ghcr.io\""));
        assert!(bearer.helper_reply("ghcr.io").is_none());

        for base in [
            &br#"{"auths":{"quay.io":{"auth":"dTpw"}}}"#[..],
            br#"{"credsStore":"desktop"}"#,
            br#"{"credHelpers":{"gcr.io":"gcloud"}}"#,
        ] {
            let mut based = RegistryConfig::new();
            based.set_base(BaseConfig::parse(base).unwrap());
            assert_eq!(
                based.render_for_helper(Format::Docker).unwrap_err(),
                HelperModeError::BaseConfig
            );
        }
    }

    #[test]
    fn the_users_settings_are_kept_and_their_credentials_are_not() {
        let mut config = config();
        let user = BaseConfig::parse(
            br#"{"currentContext":"foo","auths":{"quay.io":{"auth":"dTpjYW5hcnk="}},
                "credsStore":"desktop","credHelpers":{"gcr.io":"gcloud"},"aliases":{"builder":"buildx"}}"#,
        )
        .unwrap();
        config.keep_settings_of(&user);
        let docker = config.render_for_helper(Format::Docker).unwrap();
        assert_eq!(
            docker,
            "{\n\t\"currentContext\": \"foo\",\n\t\"auths\": {},\n\t\"credHelpers\": {\n\t\t\"127.0.0.1:5000\": \"registry-config\",\n\t\t\"https://index.docker.io/v1/\": \"registry-config\"\n\t},\n\t\"aliases\": {\"builder\":\"buildx\"}\n}\n"
        );
    }
}
