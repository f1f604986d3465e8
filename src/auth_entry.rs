//! One `auths` entry of a Docker `config.json`, decoded into a [`Credential`].
//!
//! Docker writes `auth` (padded base64 of `username:password`) and, for
//! identity tokens, `identitytoken`; `registrytoken` and plain
//! `username`/`password` fields are read too (research/credential-files.md §1).

use base64::alphabet::STANDARD;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;
use zeroize::Zeroizing;

use crate::{reading, Credential, CredentialProblem, Secret};

/// Docker writes padded base64; go-containerregistry also reads it unpadded.
const AUTH_BASE64: GeneralPurpose = GeneralPurpose::new(
    &STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The fields of an `auths` entry that carry a credential, the secrets read
/// straight into [`Secret`]s; a field missing is empty. `email`,
/// `serveraddress` and anything else are ignored, as Docker does.
struct AuthFields {
    auth: Secret,
    username: String,
    password: Secret,
    identitytoken: Secret,
    registrytoken: Secret,
}

impl AuthFields {
    /// A field that is there but not a string makes the entry unusable, as
    /// it does for Docker's Go reader.
    fn read(json: &str) -> serde_json::Result<Self> {
        let members = reading::members(json)?;
        let secret = |name| reading::member(&members, name);
        Ok(AuthFields {
            auth: secret("auth")?,
            username: reading::member(&members, "username")?,
            password: secret("password")?,
            identitytoken: secret("identitytoken")?,
            registrytoken: secret("registrytoken")?,
        })
    }
}

/// Decodes the `auths` entry stored under `key`; `None` when it holds no
/// credential at all (`{}`, as Docker writes next to a `credsStore`).
///
/// Which field wins follows the clients: a `registrytoken` is sent as the
/// bearer before anything else, an `identitytoken` replaces the password, and
/// `auth` overrides `username`/`password`. The credential is checked with
/// [`Credential::validate`].
pub(crate) fn decode_auth(key: &str, raw: &str) -> Result<Option<Credential>, AuthEntryProblem> {
    let fields = AuthFields::read(raw).map_err(|_| AuthEntryProblem::WrongType)?;
    let credential = if !fields.registrytoken.is_empty() {
        Credential::registry_token(fields.registrytoken)
    } else if !fields.identitytoken.is_empty() {
        Credential::identity_token(fields.identitytoken)
    } else if !fields.auth.is_empty() {
        let plain = Zeroizing::new(
            AUTH_BASE64
                .decode(fields.auth.expose())
                .map_err(|_| AuthEntryProblem::Base64)?,
        );
        let text = std::str::from_utf8(&plain).map_err(|_| AuthEntryProblem::NotUtf8)?;
        let (username, password) = text.split_once(':').ok_or(AuthEntryProblem::NoColon)?;
        let mut secret = String::with_capacity(password.len());
        secret.push_str(password);
        Credential::basic(username, Secret::new(secret))
    } else if fields.username.is_empty() && fields.password.is_empty() {
        return Ok(None);
    } else if fields.username.is_empty() || fields.password.is_empty() {
        return Err(AuthEntryProblem::Incomplete);
    } else {
        Credential::basic(fields.username, fields.password)
    };
    credential
        .validate(key)
        .map_err(|e| AuthEntryProblem::Credential(e.problem().clone()))?;
    Ok(Some(credential))
}

/// What is wrong with an `auths` entry.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AuthEntryProblem {
    /// Not an object of strings.
    #[error("its credential fields must be strings")]
    WrongType,
    /// `auth` is not base64.
    #[error("its auth field is not base64")]
    Base64,
    /// `auth` decodes to bytes that are not UTF-8.
    #[error("its auth field does not decode to UTF-8 text")]
    NotUtf8,
    /// `auth` decodes to text without `:`.
    #[error("its auth field does not decode to username:password")]
    NoColon,
    /// A username without a password, or the other way round.
    #[error("it has a username or a password, but not both")]
    Incomplete,
    /// The credential breaks a rule.
    #[error("{0}")]
    Credential(CredentialProblem),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(json: &str) -> Result<Option<Credential>, AuthEntryProblem> {
        decode_auth("h.io", json)
    }

    #[test]
    fn auth_splits_at_the_first_colon_padded_or_not() {
        for json in [r#"{"auth": "dTpwOnc="}"#, r#"{"auth": "dTpwOnc"}"#] {
            let credential = decode(json).unwrap().unwrap();
            assert!(
                matches!(&credential, Credential::Basic { username, password } if username == "u" && password.expose() == "p:w"),
                "{json}"
            );
        }
        assert!(decode("{}").unwrap().is_none());
        assert!(decode(r#"{"email": "x", "serveraddress": "y"}"#)
            .unwrap()
            .is_none());
    }

    #[test]
    fn a_field_written_twice_keeps_its_last_value_as_go_reads_it() {
        let credential = decode(r#"{"auth": "eDp5", "auth": "dTpw"}"#)
            .unwrap()
            .unwrap();
        assert!(
            matches!(&credential, Credential::Basic { username, password } if username == "u" && password.expose() == "p")
        );
    }

    #[test]
    fn problems_name_the_field_not_the_value() {
        let cases = [
            (r#"{"auth": ["canary"]}"#, AuthEntryProblem::WrongType),
            (r#"{"auth": "canary!"}"#, AuthEntryProblem::Base64),
            (r#"{"auth": "Y2FuYXJ5"}"#, AuthEntryProblem::NoColon),
            (r#"{"password": "canary"}"#, AuthEntryProblem::Incomplete),
            (
                r#"{"auth": "OmNhbmFyeQ=="}"#,
                AuthEntryProblem::Credential(CredentialProblem::EmptyUsername),
            ),
        ];
        for (json, expected) in cases {
            let problem = decode(json).unwrap_err();
            assert_eq!(problem, expected, "{json}");
            assert!(!problem.to_string().contains("canary"), "{problem}");
        }
    }
}
