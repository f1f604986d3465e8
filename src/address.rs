//! Registry addresses: every spelling users and clients write, reduced to the
//! one key each client format can find.
//!
//! `https://GHCR.io/`, `ghcr.io` and `oci://ghcr.io` are one registry; Docker
//! Hub answers to four names; a path after the host is a repository scope. See
//! `research/credential-files.md` for how each client looks keys up.

use std::fmt;
use std::net::Ipv6Addr;

use crate::Format;
use crate::Quoted;

/// The key Docker-format readers (docker, buildkit, crane, helm, oras) all find
/// for Docker Hub.
pub const DOCKER_HUB_KEY: &str = "https://index.docker.io/v1/";

const DOCKER_HUB_HOST: &str = "docker.io";
const DOCKER_HUB_ALIASES: [&str; 3] = ["docker.io", "index.docker.io", "registry-1.docker.io"];

/// A registry host (with its port) and, optionally, a repository scope below it.
///
/// Two addresses are equal when they name the same registry and scope, however
/// they were written.
///
/// ```
/// use registry_config::{Format, RegistryAddress};
///
/// let hub = RegistryAddress::parse("https://index.docker.io/v1/").unwrap();
/// assert_eq!(hub.key(Format::Docker).unwrap(), "https://index.docker.io/v1/");
/// assert_eq!(hub.key(Format::Containers).unwrap(), "docker.io");
///
/// let scoped = RegistryAddress::parse("oci://GHCR.io/org/").unwrap();
/// assert_eq!(scoped.key(Format::Containers).unwrap(), "ghcr.io/org");
/// assert!(scoped.key(Format::Docker).is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RegistryAddress {
    /// `host[:port][/repository]`, lower-case host, Docker Hub as `docker.io`.
    canonical: String,
    /// Length of the `host[:port]` prefix of `canonical`.
    host_len: usize,
    plain_http: bool,
}

impl RegistryAddress {
    /// Parses any spelling of a registry address: a bare `host[:port]`, a URL
    /// with `http://`, `https://` or `oci://`, with or without a trailing `/`,
    /// `/v1/` or `/v2/`, or `host/repository` for a repository scope.
    pub fn parse(input: &str) -> Result<Self, AddressError> {
        let fail = |problem| Err(AddressError::new(input, problem));
        if input.is_empty() {
            return fail(AddressProblem::Empty);
        }
        if crate::text::has_whitespace_or_control(input) {
            return fail(AddressProblem::Whitespace);
        }
        let (scheme, rest) = match scheme_end(input) {
            Some(end) => (Some(&input[..end]), &input[end + 3..]),
            None => (None, input),
        };
        let is_scheme = |name: &str| scheme.is_some_and(|s| s.eq_ignore_ascii_case(name));
        if scheme.is_some() && !(is_scheme("http") || is_scheme("https") || is_scheme("oci")) {
            return fail(AddressProblem::Scheme);
        }
        if rest.contains('@') {
            return fail(AddressProblem::UserInfo);
        }
        if rest.contains(['?', '#']) {
            return fail(AddressProblem::QueryOrFragment);
        }
        let (host_port, path) = match rest.find('/') {
            Some(slash) => (&rest[..slash], &rest[slash + 1..]),
            None => (rest, ""),
        };
        let path = path.strip_suffix("/").unwrap_or(path);
        let path = if matches!(path, "v1" | "v2") {
            ""
        } else {
            path
        };
        let (host, port) = match host_and_port(host_port) {
            Ok(host_port) => host_port,
            Err(problem) => return fail(problem),
        };
        if !path.is_empty() {
            if let Err(problem) = check_repository(path) {
                return fail(problem);
            }
        }
        let mut canonical = String::with_capacity(host_port.len() + 1 + path.len());
        canonical.push_str(host);
        canonical.make_ascii_lowercase();
        if let Some(port) = port {
            canonical.push(':');
            canonical.push_str(port);
        }
        if DOCKER_HUB_ALIASES.contains(&canonical.as_str()) {
            canonical.clear();
            canonical.push_str(DOCKER_HUB_HOST);
        }
        let host_len = canonical.len();
        if !path.is_empty() {
            canonical.push('/');
            canonical.push_str(path);
        }
        Ok(Self {
            canonical,
            host_len,
            plain_http: is_scheme("http"),
        })
    }

    /// `host[:port]`, lower-case, with Docker Hub written `docker.io`.
    pub fn host(&self) -> &str {
        &self.canonical[..self.host_len]
    }

    /// The repository scope after the host, if any (`org` in `ghcr.io/org`).
    pub fn repository(&self) -> Option<&str> {
        self.canonical.get(self.host_len + 1..)
    }

    /// True for any of Docker Hub's names.
    pub fn is_docker_hub(&self) -> bool {
        self.host() == DOCKER_HUB_HOST
    }

    /// True when the address was written with `http://`: the user asked for
    /// plain HTTP.
    pub fn plain_http(&self) -> bool {
        self.plain_http
    }

    /// The registry alone, without the repository scope (plain-HTTP choice kept).
    pub fn registry(&self) -> RegistryAddress {
        RegistryAddress {
            canonical: self.host().to_owned(),
            host_len: self.host_len,
            plain_http: self.plain_http,
        }
    }

    /// The same address, with plain HTTP asked for (or not).
    pub fn with_plain_http(mut self, plain_http: bool) -> Self {
        self.plain_http = plain_http;
        self
    }

    /// The one form that identifies this registry and scope: `host[:port][/repository]`.
    /// Entries are replaced and removed by this key.
    pub fn canonical(&self) -> &str {
        &self.canonical
    }

    /// The key to write in a config file of `format`.
    ///
    /// Docker-format readers treat a key with a path as host-wide (or, for
    /// regclient, skip it), so a repository scope is refused there rather than
    /// silently widened.
    pub fn key(&self, format: Format) -> Result<&str, AddressError> {
        match format {
            Format::Containers => Ok(&self.canonical),
            Format::Docker if self.repository().is_some() => Err(AddressError::new(
                &self.canonical,
                AddressProblem::RepositoryInDockerFormat,
            )),
            Format::Docker if self.is_docker_hub() => Ok(DOCKER_HUB_KEY),
            Format::Docker => Ok(&self.canonical),
        }
    }
}

impl fmt::Display for RegistryAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.canonical)
    }
}

/// Splits `host[:port]` into the host (checked, case kept) and the port
/// (canonical, without leading zeros).
fn host_and_port(input: &str) -> Result<(&str, Option<&str>), AddressProblem> {
    let (host, port) = if input.starts_with('[') {
        bracketed_host(input)?
    } else {
        match input.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (input, None),
        }
    };
    if host.is_empty() {
        return Err(AddressProblem::EmptyHost);
    }
    if !host.starts_with('[') && !is_hostname(host) {
        return Err(AddressProblem::Host);
    }
    Ok((host, port.map(canonical_port).transpose()?))
}

/// `[ipv6]` with an optional `:port` after it.
fn bracketed_host(input: &str) -> Result<(&str, Option<&str>), AddressProblem> {
    let (ip, after) = input[1..].split_once(']').ok_or(AddressProblem::Host)?;
    ip.parse::<Ipv6Addr>().map_err(|_| AddressProblem::Host)?;
    let port = match after {
        "" => None,
        _ => Some(after.strip_prefix(':').ok_or(AddressProblem::Host)?),
    };
    Ok((&input[..ip.len() + 2], port))
}

/// DNS names and IPv4 addresses, as the distribution reference grammar allows.
fn is_hostname(host: &str) -> bool {
    host.len() <= 253 && host.as_bytes().split(|&b| b == b'.').all(is_label)
}

/// One label of a DNS name: 1 to 63 letters, digits and inner hyphens.
fn is_label(label: &[u8]) -> bool {
    let (Some(&first), Some(&last)) = (label.first(), label.last()) else {
        return false;
    };
    first != b'-'
        && last != b'-'
        && label.len() <= 63
        && label
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b == b'-')
}

/// A port of 1 to 65535, written without leading zeros.
fn canonical_port(port: &str) -> Result<&str, AddressProblem> {
    let digits = port.trim_start_matches('0');
    // All digits: `u16::from_str` would also take a leading `+`.
    let valid = port.bytes().all(|b| b.is_ascii_digit())
        && digits.parse::<u16>().is_ok_and(|port| port > 0);
    valid.then_some(digits).ok_or(AddressProblem::Port)
}

/// Checks each path component against the OCI distribution grammar
/// `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*`.
fn check_repository(path: &str) -> Result<(), AddressProblem> {
    for component in path.split('/') {
        if component.bytes().any(|b| b.is_ascii_uppercase()) {
            return Err(AddressProblem::RepositoryCase);
        }
        if !is_path_component(component) {
            return Err(AddressProblem::Repository);
        }
    }
    Ok(())
}

fn is_path_component(component: &str) -> bool {
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let bytes = component.as_bytes();
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
        return false;
    };
    if !alnum(first) || !alnum(last) {
        return false;
    }
    // Between alphanumeric runs: one `.`, one or two `_`, or any number of `-`.
    let mut separator = String::new();
    for &b in bytes {
        if alnum(b) {
            if !matches!(separator.as_str(), "" | "." | "_" | "__")
                && !separator.bytes().all(|s| s == b'-')
            {
                return false;
            }
            separator.clear();
        } else if matches!(b, b'.' | b'_' | b'-') {
            separator.push(b as char);
        } else {
            return false;
        }
    }
    true
}

/// A registry address that cannot be used, and why.
///
/// The message quotes the address, with any `user:password@` part replaced by
/// `[redacted]`, since people do paste URLs with credentials in them.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid registry address {}: {problem}", Quoted(shown))]
pub struct AddressError {
    shown: String,
    problem: AddressProblem,
}

impl AddressError {
    fn new(input: &str, problem: AddressProblem) -> Self {
        Self {
            shown: redact_userinfo(input),
            problem,
        }
    }

    /// What is wrong with the address.
    pub fn problem(&self) -> &AddressProblem {
        &self.problem
    }
}

/// Everything before the last `@` may be a password: only a real scheme
/// (letters before `://`) is kept of it.
fn redact_userinfo(input: &str) -> String {
    let Some(at) = input.rfind('@') else {
        return input.to_owned();
    };
    let scheme_end = scheme_end(input)
        .filter(|&end| end < at && input[..end].bytes().all(|b| b.is_ascii_alphabetic()))
        .map_or(0, |end| end + 3);
    format!("{}[redacted]{}", &input[..scheme_end], &input[at..])
}

/// Where the first `://` starts.
fn scheme_end(input: &str) -> Option<usize> {
    input.find("://")
}

/// The ways an address can be wrong.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AddressProblem {
    /// Nothing was given.
    #[error("the address is empty")]
    Empty,
    /// Whitespace or control characters anywhere in it.
    #[error("it contains whitespace or a control character")]
    Whitespace,
    /// A scheme other than http, https or oci.
    #[error("only http://, https:// and oci:// are accepted")]
    Scheme,
    /// `user:password@host`.
    #[error("credentials do not belong in an address; pass them as a credential source")]
    UserInfo,
    /// `?query` or `#fragment`.
    #[error("a registry address has no query or fragment")]
    QueryOrFragment,
    /// `:5000` or `/repo` with no host.
    #[error("the host is empty")]
    EmptyHost,
    /// Not a DNS name, IPv4 address or bracketed IPv6 address.
    #[error("the host is not a valid DNS name or IP address")]
    Host,
    /// Not a number from 1 to 65535.
    #[error("the port must be a number from 1 to 65535")]
    Port,
    /// Upper-case letters after the host.
    #[error("a repository path must be lower-case")]
    RepositoryCase,
    /// A path component outside the OCI distribution grammar.
    #[error("the repository path is not a valid OCI repository name")]
    Repository,
    /// A repository scope asked for in the Docker format.
    #[error(
        "the docker format has no per-repository keys (every client would use it for the \
         whole host); drop the path or use the containers format"
    )]
    RepositoryInDockerFormat,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_are_written_without_leading_zeros() {
        for (written, canonical) in [
            ("h.io:05000", "h.io:5000"),
            ("h.io:0065535", "h.io:65535"),
            ("H.io:1", "h.io:1"),
            ("[::1]:00443", "[::1]:443"),
        ] {
            assert_eq!(RegistryAddress::parse(written).unwrap().host(), canonical);
        }
        for bad in [
            "h.io:0",
            "h.io:000",
            "h.io:65536",
            "h.io:",
            "h.io:+1",
            "h.io:1x",
        ] {
            assert!(RegistryAddress::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn path_components_follow_the_distribution_grammar() {
        for good in ["a", "a.b", "a_b", "a__b", "a-b", "a---b", "0x"] {
            assert!(is_path_component(good), "{good}");
        }
        for bad in ["", "-a", "a-", "a..b", "a___b", "a.-b", "a+b", "_a"] {
            assert!(!is_path_component(bad), "{bad}");
        }
    }

    #[test]
    fn userinfo_is_redacted_in_errors() {
        let err = RegistryAddress::parse("https://me:hunter2@ghcr.io").unwrap_err();
        let message = err.to_string();
        assert!(!message.contains("hunter2"), "{message}");
        assert!(message.contains("https://[redacted]@ghcr.io"), "{message}");
        assert_eq!(err.problem(), &AddressProblem::UserInfo);
    }

    #[test]
    fn ports_are_checked_and_kept() {
        let parse = |s| RegistryAddress::parse(s).map(|a| a.canonical().to_owned());
        assert_eq!(parse("localhost:05000").unwrap(), "localhost:5000");
        assert_eq!(parse("[::1]:5000").unwrap(), "[::1]:5000");
        for bad in ["h:0", "h:65536", "h:", "h:+1", "h:1:2", "[::1", "[zz]:1"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
