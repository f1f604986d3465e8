//! Docker credential helpers (`docker-credential-NAME`): the protocol, without
//! running anything.
//!
//! A helper is a program; `get` reads a server URL on stdin and prints
//! `{"ServerURL": ..., "Username": ..., "Secret": ...}`, `list` prints
//! `{"SERVER_URL": "USERNAME", ...}`. A username of `<token>` means the secret
//! is an identity token (docker/docker-credential-helpers, `credentials.go`).
//! The caller runs the program and hands its stdout to
//! [`CredentialHelper::parse_get`] or [`CredentialHelper::parse_list`].
//!
//! Written here rather than taken from the `docker_credential` crate: that
//! crate runs the helper itself (no timeout, no `list`), returns secrets as
//! plain `String`s, and its helper-failure error carries the helper's raw
//! stdout. The protocol is two small JSON shapes.

use std::fmt;

use zeroize::Zeroize;

use crate::json::{self, Quoted, SyntaxError};
use crate::ordered_map::OrderedSet;
use crate::{Credential, CredentialProblem, Secret};

/// What a helper returns as the username of an identity token.
const TOKEN_USERNAME: &str = "<token>";

/// A credential helper named in a Docker config (`credsStore` or `credHelpers`).
///
/// ```
/// use registry_config::CredentialHelper;
///
/// let pass = CredentialHelper::new("pass").unwrap();
/// assert_eq!(pass.program(), "docker-credential-pass");
/// let token = pass
///     .parse_get("ghcr.io", br#"{"ServerURL":"ghcr.io","Username":"<token>","Secret":"gho_1"}"#)
///     .unwrap();
/// assert!(matches!(token, registry_config::Credential::IdentityToken { .. }));
/// assert_eq!(pass.parse_list(br#"{"ghcr.io":"me"}"#).unwrap(), ["ghcr.io"]);
/// assert!(CredentialHelper::new("../bin/sh").is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CredentialHelper {
    name: String,
}

impl CredentialHelper {
    /// A helper by the name a Docker config gives it (`pass` for
    /// `docker-credential-pass`). The name must not be a path: no `/`, no
    /// whitespace, no control characters.
    pub fn new(name: &str) -> Result<Self, InvalidHelperName> {
        let bad = name.is_empty()
            || name.starts_with('-')
            || name.bytes().any(|b| b == b'/' || b == b'\\')
            || crate::text::has_whitespace_or_control(name);
        if bad {
            return Err(InvalidHelperName(name.to_owned()));
        }
        Ok(Self {
            name: name.to_owned(),
        })
    }

    /// The name as the config gives it.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The program to run: `docker-credential-NAME`, looked up on `PATH`.
    pub fn program(&self) -> String {
        format!("docker-credential-{}", self.name)
    }

    /// Reads the stdout of `docker-credential-NAME get` for `server_url`.
    ///
    /// An empty secret (what some helpers print for an unknown registry) is
    /// [`HelperProblem::NoSecret`]; the credential is checked against the
    /// rules of [`Credential::validate`].
    pub fn parse_get(&self, server_url: &str, stdout: &[u8]) -> Result<Credential, HelperError> {
        let fail = |problem| HelperError::get(self, server_url, problem);
        let text = std::str::from_utf8(stdout).map_err(|_| fail(HelperProblem::NotUtf8))?;
        if !text.trim_start().starts_with('{') {
            return Err(fail(HelperProblem::NotAnObject));
        }
        let mut reply = GetReply::read(text).map_err(fail)?;
        if reply.secret.is_empty() {
            return Err(fail(HelperProblem::NoSecret));
        }
        let secret = Secret::new(std::mem::take(&mut reply.secret));
        let credential = if reply.username == TOKEN_USERNAME {
            Credential::identity_token(secret)
        } else {
            Credential::basic(std::mem::take(&mut reply.username), secret)
        };
        credential
            .validate(server_url)
            .map_err(|e| fail(HelperProblem::Credential(e.problem().clone())))?;
        Ok(credential)
    }

    /// Reads the stdout of `docker-credential-NAME list`: the server URLs it
    /// holds credentials for, in the order printed.
    pub fn parse_list(&self, stdout: &[u8]) -> Result<Vec<String>, HelperError> {
        let fail = |problem| HelperError::list(self, problem);
        let text = std::str::from_utf8(stdout).map_err(|_| fail(HelperProblem::NotUtf8))?;
        if !text.trim_start().starts_with('{') {
            return Err(fail(HelperProblem::NotAnObject));
        }
        let listed = json::parse(text).map_err(|e| fail(e.into()))?;
        let members = listed
            .as_object()
            .ok_or_else(|| fail(HelperProblem::NotAnObject))?;
        // A URL listed twice stands once, where it first did.
        let servers: OrderedSet<&str> = members.iter().map(|(k, _)| k.as_str()).collect();
        Ok(servers.into_iter().map(str::to_owned).collect())
    }
}

impl fmt::Display for CredentialHelper {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "docker-credential-{}", self.name)
    }
}

/// Only the position: the text holds the secret.
impl From<SyntaxError> for HelperProblem {
    fn from(err: SyntaxError) -> Self {
        HelperProblem::NotJson {
            line: err.line,
            column: err.column,
        }
    }
}

/// The reply to `get`; zeroed on drop. Fields missing from the reply are empty.
#[derive(Default)]
struct GetReply {
    username: String,
    secret: String,
}

impl GetReply {
    /// `Username` and `Secret` of the reply; any other field is ignored.
    fn read(text: &str) -> Result<Self, HelperProblem> {
        let mut reply = GetReply::default();
        json::parse(text)?
            .read_strings(&mut [
                ("Username", &mut reply.username),
                ("Secret", &mut reply.secret),
            ])
            .ok_or(HelperProblem::NotAnObject)?;
        Ok(reply)
    }
}

impl Drop for GetReply {
    fn drop(&mut self) {
        self.username.zeroize();
        self.secret.zeroize();
    }
}

/// A helper name that could run something other than a helper (`../x`, `a b`).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid credential helper name {}: it must be a plain name such as \"pass\" or \"desktop\"", Quoted(.0))]
pub struct InvalidHelperName(String);

/// A helper that gave no usable credential. The message names the helper
/// program and the registry, never a secret.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct HelperError {
    program: String,
    registry: Option<String>,
    problem: HelperProblem,
}

impl HelperError {
    /// `get` for `registry` failed.
    pub fn get(helper: &CredentialHelper, registry: &str, problem: HelperProblem) -> Self {
        Self {
            program: helper.program(),
            registry: Some(registry.to_owned()),
            problem,
        }
    }

    /// `list` failed.
    pub fn list(helper: &CredentialHelper, problem: HelperProblem) -> Self {
        Self {
            program: helper.program(),
            registry: None,
            problem,
        }
    }

    /// The program, `docker-credential-NAME`.
    pub fn program(&self) -> &str {
        &self.program
    }

    /// The registry asked for; `None` for `list`.
    pub fn registry(&self) -> Option<&str> {
        self.registry.as_deref()
    }

    /// What went wrong.
    pub fn problem(&self) -> &HelperProblem {
        &self.problem
    }
}

impl fmt::Display for HelperError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Self {
            program, problem, ..
        } = self;
        match &self.registry {
            Some(registry) => write!(
                f,
                "cannot get the credential for {registry} from {program}: {problem}"
            ),
            None => write!(f, "cannot list the credentials in {program}: {problem}"),
        }
    }
}

/// Why a helper gave no credential. The first variants are for the caller
/// that runs the program; the others come from reading its output.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HelperProblem {
    /// The program is not on `PATH`.
    #[error("the helper is not installed (not found on PATH)")]
    NotInstalled,
    /// It could not be started or talked to.
    #[error("cannot run the helper: {0}")]
    CannotRun(String),
    /// It exited unsuccessfully. What it printed is never shown: a helper
    /// that half-worked may have printed a secret. Only the protocol's own
    /// "credentials not found" reply is recognised, and said in our words.
    #[error("the helper failed ({status}){}", if *not_found { ": it holds no credential for this registry" } else { "; what it printed is not shown, as it may hold a secret" })]
    Failed {
        /// How it exited (`exit status: 1`).
        status: String,
        /// True when it answered the protocol's "credentials not found".
        not_found: bool,
    },
    /// It ran past the time limit and was killed.
    #[error("the helper did not finish within {} and was killed with its children", crate::text::seconds(*.0))]
    TimedOut(std::time::Duration),
    /// Its output is over the size limit.
    #[error("the helper printed more than {0} bytes")]
    TooLarge(usize),
    /// Its output is not UTF-8.
    #[error("the helper's output is not UTF-8 text")]
    NotUtf8,
    /// Its output is not JSON; only the position is kept.
    #[error("the helper's output is not valid JSON (line {line}, column {column})")]
    NotJson {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// JSON, but not the object the protocol describes.
    #[error("the helper's output is not the JSON object of the credential-helper protocol")]
    NotAnObject,
    /// `get` answered with an empty secret: the helper holds nothing for it.
    #[error("the helper returned no secret (not logged in to this registry?)")]
    NoSecret,
    /// The credential breaks a rule (an empty username, a control character).
    #[error("the credential it returned is unusable: {0}")]
    Credential(CredentialProblem),
}

impl HelperProblem {
    /// [`HelperProblem::Failed`], from how it exited and what it printed
    /// (which is only compared with the protocol's "not found" message).
    pub fn failed(status: impl Into<String>, output: &[u8]) -> Self {
        let not_found = output.trim_ascii() == NOT_FOUND_MESSAGE.as_bytes();
        HelperProblem::Failed {
            status: status.into(),
            not_found,
        }
    }
}

/// What every helper of docker-credential-helpers prints for a server it
/// holds nothing for (`credentials.errCredentialsNotFoundMessage`).
const NOT_FOUND_MESSAGE: &str = "credentials not found in native keychain";

#[cfg(test)]
mod tests {
    use super::*;

    fn pass() -> CredentialHelper {
        CredentialHelper::new("pass").unwrap()
    }

    #[test]
    fn get_reads_basic_and_token_replies() {
        let basic = pass()
            .parse_get(
                "ghcr.io",
                br#"{"ServerURL":"ghcr.io","Username":"me","Secret":"pw:x"}"#,
            )
            .unwrap();
        assert!(
            matches!(&basic, Credential::Basic { username, password } if username == "me" && password.expose() == "pw:x")
        );
        let token = pass()
            .parse_get("ghcr.io", br#"{"Username":"<token>","Secret":"rt"}"#)
            .unwrap();
        assert!(matches!(&token, Credential::IdentityToken { token } if token.expose() == "rt"));
    }

    #[test]
    fn get_refuses_empty_and_malformed_replies_without_quoting_them() {
        let cases: [(&[u8], HelperProblem); 7] = [
            (
                br#"{"ServerURL":"x","Username":"","Secret":""}"#,
                HelperProblem::NoSecret,
            ),
            (b"", HelperProblem::NotAnObject),
            (
                b"credentials not found: canary-secret",
                HelperProblem::NotAnObject,
            ),
            (
                br#"{"Username":"me","Secret":"canary-secret""#,
                HelperProblem::NotJson {
                    line: 1,
                    column: 41,
                },
            ),
            (
                br#"{"Username":"me","Secret":["canary-secret"]}"#,
                HelperProblem::NotAnObject,
            ),
            (
                br#"{"Username":"","Secret":"canary-secret"}"#,
                HelperProblem::Credential(CredentialProblem::EmptyUsername),
            ),
            (b"\xff", HelperProblem::NotUtf8),
        ];
        for (output, expected) in cases {
            let err = pass().parse_get("ghcr.io", output).unwrap_err();
            assert_eq!(err.problem(), &expected);
            let message = err.to_string();
            assert!(!message.contains("canary"), "{message}");
            assert!(
                message.starts_with(
                    "cannot get the credential for ghcr.io from docker-credential-pass: "
                ),
                "{message}"
            );
        }
    }

    #[test]
    fn list_gives_the_server_urls() {
        let listed = pass()
            .parse_list(br#"{"https://index.docker.io/v1/":"me","ghcr.io":"<token>"}"#)
            .unwrap();
        assert_eq!(listed, ["https://index.docker.io/v1/", "ghcr.io"]);
        let err = pass().parse_list(b"[]").unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot list the credentials in docker-credential-pass: the helper's output is not \
             the JSON object of the credential-helper protocol"
        );
    }

    #[test]
    fn names_that_are_paths_are_refused() {
        for name in ["", "../x", "/bin/sh", "a b", "-x", "a\nb"] {
            assert!(CredentialHelper::new(name).is_err(), "{name:?}");
        }
        for name in ["pass", "desktop.exe", "ecr-login", "osxkeychain"] {
            assert!(CredentialHelper::new(name).is_ok(), "{name:?}");
        }
    }

    #[test]
    fn a_failure_never_repeats_what_the_helper_printed() {
        let problem = HelperProblem::failed(
            "exit status: 1",
            b"\n  credentials not found in native keychain\n",
        );
        assert_eq!(
            problem.to_string(),
            "the helper failed (exit status: 1): it holds no credential for this registry"
        );
        let problem = HelperProblem::failed("exit status: 1", b"bad token ghp_canary123\n");
        let message = problem.to_string();
        assert!(!message.contains("canary"), "{message}");
        assert!(
            message.starts_with("the helper failed (exit status: 1); what it printed is not shown"),
            "{message}"
        );
    }
}
