//! `WWW-Authenticate` challenges, as registries send them.
//!
//! Parsing is done by the `http-auth` crate (RFC 7235 challenge lists: several
//! challenges per header, quoted strings with commas and `\"`, empty values),
//! wrapped here so that scheme and parameter names compare case-insensitively,
//! challenges from several header lines are merged, and bad input is an error
//! rather than a challenge silently lost, which is where the clients' own
//! parsers go wrong (research/credential-files.md, section 7).

use std::fmt;

use http_auth::parser::ChallengeParser;

/// One challenge: a scheme (lower-cased) and its parameters (names lower-cased).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Challenge {
    scheme: String,
    params: Vec<(String, String)>,
}

impl Challenge {
    /// The scheme, lower-case: `basic`, `bearer`...
    pub fn scheme(&self) -> &str {
        &self.scheme
    }

    /// A parameter's unescaped value, by case-insensitive name; the first wins.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// Every parameter, in order, names lower-cased.
    pub fn params(&self) -> &[(String, String)] {
        &self.params
    }
}

/// Parses every challenge in every `WWW-Authenticate` header value, in order.
///
/// ```
/// use registry_config::auth::parse_challenges;
///
/// let challenges = parse_challenges([
///     r#"Basic realm="registry", BEARER Realm="https://auth.example/token",service="""#,
///     r#"Bearer realm="https://b.example/t", scope="repository:a,b:pull""#,
/// ])
/// .unwrap();
/// assert_eq!(challenges.len(), 3);
/// assert_eq!(challenges[1].scheme(), "bearer");
/// assert_eq!(challenges[1].param("realm"), Some("https://auth.example/token"));
/// assert_eq!(challenges[1].param("service"), Some(""));
/// assert_eq!(challenges[2].param("scope"), Some("repository:a,b:pull"));
/// assert!(parse_challenges([r#"Bearer realm="unterminated"#]).is_err());
/// ```
pub fn parse_challenges<'h>(
    headers: impl IntoIterator<Item = &'h str>,
) -> Result<Vec<Challenge>, ChallengeError> {
    let mut challenges = Vec::new();
    for (header, value) in headers.into_iter().enumerate() {
        if value.trim().is_empty() {
            return Err(ChallengeError {
                header,
                position: 0,
                problem: "the header is empty",
            });
        }
        for parsed in ChallengeParser::new(value) {
            let parsed = parsed.map_err(|err| ChallengeError {
                header,
                position: error_position(&err.to_string()),
                problem: "not a valid challenge list",
            })?;
            challenges.push(Challenge {
                scheme: parsed.scheme.to_ascii_lowercase(),
                params: parsed
                    .params
                    .iter()
                    .map(|(name, value)| (name.to_ascii_lowercase(), value.to_unescaped()))
                    .collect(),
            });
        }
    }
    Ok(challenges)
}

/// The byte offset in http-auth's message (`... at byte N: ...`), kept so our
/// error does not quote the header, which could be long.
fn error_position(message: &str) -> usize {
    message
        .split_once("at byte ")
        .and_then(|(_, rest)| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|digits| digits.parse().ok())
        .unwrap_or(0)
}

/// A `WWW-Authenticate` header that is not a challenge list.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct ChallengeError {
    /// Which header line (0-based).
    pub header: usize,
    /// Byte offset of the fault in that line.
    pub position: usize,
    /// What is wrong.
    pub problem: &'static str,
}

impl fmt::Display for ChallengeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "malformed WWW-Authenticate header (line {}, byte {}): {}",
            self.header + 1,
            self.position,
            self.problem
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(headers: &[&str]) -> Result<Vec<Challenge>, ChallengeError> {
        parse_challenges(headers.iter().copied())
    }

    #[test]
    fn real_registry_challenges() {
        // Docker Hub, ghcr.io, distribution with htpasswd, quay.io.
        let hub = r#"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull""#;
        let c = &parse(&[hub]).unwrap()[0];
        assert_eq!(c.scheme(), "bearer");
        assert_eq!(c.param("service"), Some("registry.docker.io"));
        assert_eq!(c.param("scope"), Some("repository:library/alpine:pull"));
        let c = &parse(&[r#"Basic realm="basic-realm""#]).unwrap()[0];
        assert_eq!(
            (c.scheme(), c.param("realm")),
            ("basic", Some("basic-realm"))
        );
        let ghcr = r#"Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:user/image:pull""#;
        assert_eq!(
            parse(&[ghcr]).unwrap()[0].param("realm"),
            Some("https://ghcr.io/token")
        );
    }

    #[test]
    fn several_challenges_per_line_and_across_lines() {
        let all = parse(&[
            r#"Basic realm="x", Bearer realm="y", service="s""#,
            "Negotiate",
        ])
        .unwrap();
        let schemes: Vec<_> = all.iter().map(Challenge::scheme).collect();
        assert_eq!(schemes, ["basic", "bearer", "negotiate"]);
        assert_eq!(all[1].param("service"), Some("s"));
    }

    #[test]
    fn names_are_case_insensitive_and_values_unescaped() {
        let c = &parse(&[r#"bEaReR REALM="a\"b,c", Service="""#]).unwrap()[0];
        assert_eq!(c.scheme(), "bearer");
        assert_eq!(c.param("realm"), Some("a\"b,c"));
        assert_eq!(c.param("SERVICE"), Some(""));
        assert_eq!(c.params()[0].0, "realm");
    }

    #[test]
    fn bad_input_is_an_error_with_a_position() {
        for bad in [
            "",
            "   ",
            "Bearer realm=",
            r#"Bearer realm="x"#,
            r#"Bearer realm="x" junk"#,
            "=x",
            "Bearer realm=http://a:1/t",
        ] {
            let err = parse(&[bad]).expect_err(bad);
            assert!(
                err.to_string()
                    .starts_with("malformed WWW-Authenticate header"),
                "{err}"
            );
        }
        assert_eq!(parse(&["Basic", "Bearer realm="]).unwrap_err().header, 1);
    }
}
