//! What a registry accepts as proof of identity, and the rules every
//! credential must pass before it is rendered.

use crate::Secret;

/// The longest secret accepted, in bytes. Real registry tokens (JWTs, cloud
/// access tokens) stay far below it; anything larger is a wrong file or
/// command, and Dagger caps a whole secret at 128000 bytes.
pub const MAX_SECRET_LEN: usize = 64 * 1024;

/// A credential for one registry.
///
/// ```
/// use registry_config::{Credential, Secret};
///
/// let basic = Credential::basic("me", Secret::new("ghp_x".to_owned()));
/// assert_eq!(format!("{basic:?}"), r#"Basic { username: "me", password: [redacted] }"#);
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum Credential {
    /// A username with a password or personal access token, written as
    /// `auth = base64(username:password)`.
    Basic {
        /// Non-empty, without `:` (every client splits `auth` at the first `:`).
        username: String,
        /// The password or token.
        password: Secret,
    },
    /// An OAuth2 refresh token (`identitytoken`), exchanged by clients for an
    /// access token with a POST to the registry's token endpoint.
    IdentityToken {
        /// The refresh token.
        token: Secret,
    },
    /// A bearer token sent to the registry as it is (`registrytoken`).
    RegistryToken {
        /// The bearer token.
        token: Secret,
    },
}

impl Credential {
    /// A username and password (or personal access token). One trailing
    /// line break is removed from the password, as from every secret.
    pub fn basic(username: impl Into<String>, password: Secret) -> Self {
        Credential::Basic {
            username: username.into(),
            password: password.without_trailing_line_break(),
        }
    }

    /// An OAuth2 refresh token, one trailing line break removed.
    pub fn identity_token(token: Secret) -> Self {
        Credential::IdentityToken {
            token: token.without_trailing_line_break(),
        }
    }

    /// A bearer token used directly, one trailing line break removed.
    pub fn registry_token(token: Secret) -> Self {
        Credential::RegistryToken {
            token: token.without_trailing_line_break(),
        }
    }

    /// The secret part of the credential.
    pub fn secret(&self) -> &Secret {
        match self {
            Credential::Basic { password, .. } => password,
            Credential::IdentityToken { token } | Credential::RegistryToken { token } => token,
        }
    }

    /// Checks the rules of design.md; `registry` only names the entry in the
    /// error. [`RegistryConfig::insert`](crate::RegistryConfig::insert) calls it.
    pub fn validate(&self, registry: &str) -> Result<(), CredentialError> {
        let fail = |problem| Err(CredentialError::new(registry, problem));
        if let Credential::Basic { username, .. } = self {
            validate_username(registry, username)?;
        }
        let secret = self.secret().expose();
        if secret.is_empty() {
            return fail(CredentialProblem::EmptySecret);
        }
        if secret.len() > MAX_SECRET_LEN {
            return fail(CredentialProblem::SecretTooLong(secret.len()));
        }
        if crate::text::is_blank(secret) {
            return fail(CredentialProblem::BlankSecret);
        }
        // A password travels base64-encoded, so it may hold anything (a
        // Google service-account key is multi-line JSON); tokens go into an
        // HTTP header as they are.
        let is_password = matches!(self, Credential::Basic { .. });
        if !is_password && crate::text::has_control(secret) {
            return fail(CredentialProblem::ControlInToken);
        }
        Ok(())
    }
}

/// Checks a username on its own, before its secret is known (the Dagger
/// module reads secrets only when it renders).
///
/// ```
/// use registry_config::validate_username;
///
/// assert!(validate_username("ghcr.io", "octocat").is_ok());
/// assert!(validate_username("ghcr.io", "a:b").is_err());
/// ```
pub fn validate_username(registry: &str, username: &str) -> Result<(), CredentialError> {
    let fail = |problem| Err(CredentialError::new(registry, problem));
    if username.is_empty() {
        return fail(CredentialProblem::EmptyUsername);
    }
    if crate::text::is_blank(username) {
        return fail(CredentialProblem::BlankUsername);
    }
    if username.bytes().any(|b| b == b':') {
        return fail(CredentialProblem::ColonInUsername);
    }
    if crate::text::has_control(username) {
        return fail(CredentialProblem::ControlInUsername);
    }
    Ok(())
}

/// A credential that breaks a rule. The message names the registry and the
/// field, never the secret.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("credential for {registry}: {problem}")]
pub struct CredentialError {
    registry: String,
    problem: CredentialProblem,
}

impl CredentialError {
    // Errors are kept out of the callers' code: V8 compiles a wasm function
    // on its first call, and a first render should not pay for messages.
    #[cold]
    #[inline(never)]
    fn new(registry: &str, problem: CredentialProblem) -> Self {
        Self {
            registry: registry.to_owned(),
            problem,
        }
    }

    /// The registry whose credential is at fault.
    pub fn registry(&self) -> &str {
        &self.registry
    }

    /// What is wrong with it.
    pub fn problem(&self) -> &CredentialProblem {
        &self.problem
    }
}

/// The ways a credential can be wrong.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CredentialProblem {
    /// No username.
    #[error("the username is empty")]
    EmptyUsername,
    /// A username of spaces, tabs or other whitespace only.
    #[error("the username is only whitespace")]
    BlankUsername,
    /// A `:` in the username, which clients would split the `auth` field at.
    #[error("the username contains ':', which every client reads as the end of the username")]
    ColonInUsername,
    /// A control character (newline, NUL...) in the username.
    #[error("the username contains a control character")]
    ControlInUsername,
    /// A secret of zero bytes.
    #[error("the secret is empty")]
    EmptySecret,
    /// A secret of spaces, tabs or newlines only.
    #[error("the secret is only whitespace")]
    BlankSecret,
    /// A control character (NUL, newline, tab...) inside an identity or
    /// registry token, which is sent in an HTTP header as it is.
    #[error("the token contains a control character (a NUL byte, a tab or a line break?); only a password may")]
    ControlInToken,
    /// Longer than [`MAX_SECRET_LEN`].
    #[error("the secret is {0} bytes, over the limit of 65536")]
    SecretTooLong(usize),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(credential: Credential) -> Option<CredentialProblem> {
        credential
            .validate("ghcr.io")
            .err()
            .map(|e| e.problem().clone())
    }

    fn secret(value: &str) -> Secret {
        Secret::new(value.to_owned())
    }

    #[test]
    fn rules_are_enforced() {
        use CredentialProblem::*;
        assert_eq!(
            problem(Credential::basic("me", secret("pw:with:colons"))),
            None
        );
        assert_eq!(
            problem(Credential::basic("", secret("x"))),
            Some(EmptyUsername)
        );
        assert_eq!(
            problem(Credential::basic("a:b", secret("x"))),
            Some(ColonInUsername)
        );
        assert_eq!(
            problem(Credential::basic("a\nb", secret("x"))),
            Some(ControlInUsername)
        );
        assert_eq!(
            problem(Credential::basic("me", secret(""))),
            Some(EmptySecret)
        );
        assert_eq!(
            problem(Credential::identity_token(secret(" \t"))),
            Some(BlankSecret)
        );
        assert_eq!(
            problem(Credential::registry_token(secret("a\0b"))),
            Some(ControlInToken)
        );
        assert_eq!(
            problem(Credential::identity_token(secret("a\nb"))),
            Some(ControlInToken)
        );
        assert_eq!(
            problem(Credential::basic(" \t", secret("x"))),
            Some(BlankUsername)
        );
        let json_key =
            "{\n\t\"type\": \"service_account\",\r\n\t\"private_key\": \"-----BEGIN\\n\"\n}";
        assert_eq!(
            problem(Credential::basic("_json_key", secret(json_key))),
            None
        );
        let long = "x".repeat(MAX_SECRET_LEN + 1);
        assert_eq!(
            problem(Credential::basic("me", secret(&long))),
            Some(SecretTooLong(65537))
        );
    }

    #[test]
    fn one_trailing_line_break_is_removed_from_every_secret() {
        let exposed = |credential: Credential| credential.secret().expose().to_owned();
        assert_eq!(exposed(Credential::basic("me", secret("pw\n"))), "pw");
        assert_eq!(exposed(Credential::basic("me", secret("pw\r\n"))), "pw");
        assert_eq!(exposed(Credential::basic("me", secret("pw\n\n"))), "pw\n");
        assert_eq!(exposed(Credential::identity_token(secret("t\r\n"))), "t");
        assert_eq!(exposed(Credential::registry_token(secret("t\n"))), "t");
        assert_eq!(exposed(Credential::basic("me", secret("a\nb\r"))), "a\nb\r");
    }

    #[test]
    fn errors_name_the_registry_not_the_secret() {
        let err = Credential::basic("a:b", secret("canary-9d1"))
            .validate("ghcr.io")
            .unwrap_err();
        let message = err.to_string();
        assert!(message.starts_with("credential for ghcr.io: "), "{message}");
        assert!(!message.contains("canary"), "{message}");
    }
}
