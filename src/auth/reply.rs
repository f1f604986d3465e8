//! Reading what registries and token servers put in their bodies.

use serde::Deserialize;
use zeroize::Zeroize;

use crate::Secret;

/// The token from a token response: `access_token` (OAuth2) wins over
/// `token` (the Docker flow), as oras-go and docker's client do.
pub(crate) fn token(body: &[u8]) -> Option<Secret> {
    #[derive(Deserialize)]
    struct TokenResponse {
        #[serde(default)]
        token: Option<String>,
        #[serde(default)]
        access_token: Option<String>,
    }
    let mut reply: TokenResponse = serde_json::from_slice(body).ok()?;
    let chosen = match (reply.access_token.take(), reply.token.take()) {
        (Some(access), Some(mut other)) if !access.is_empty() => {
            other.zeroize();
            access
        }
        (Some(mut access), Some(token)) => {
            access.zeroize();
            token
        }
        (Some(one), None) | (None, Some(one)) => one,
        (None, None) => return None,
    };
    (!chosen.is_empty()).then(|| Secret::new(chosen))
}

/// The registry's own words: `code: message` of each distribution-style
/// error, else a Docker Hub `details`, else the start of a text body.
pub(crate) fn message(status: u16, body: &[u8]) -> String {
    #[derive(Deserialize)]
    struct Errors {
        #[serde(default)]
        errors: Vec<ErrorEntry>,
        #[serde(default)]
        details: Option<String>,
        #[serde(default)]
        error: Option<String>,
    }
    #[derive(Deserialize)]
    struct ErrorEntry {
        #[serde(default)]
        code: String,
        #[serde(default)]
        message: String,
    }
    let words = match serde_json::from_slice::<Errors>(body) {
        Ok(parsed) if !parsed.errors.is_empty() => parsed
            .errors
            .iter()
            .map(|e| match (e.code.is_empty(), e.message.is_empty()) {
                (false, false) => format!("{}: {}", e.code.to_ascii_lowercase(), e.message),
                (false, true) => e.code.to_ascii_lowercase(),
                _ => e.message.clone(),
            })
            .collect::<Vec<_>>()
            .join("; "),
        Ok(parsed) => parsed.details.or(parsed.error).unwrap_or_default(),
        Err(_) => String::from_utf8_lossy(body).chars().take(200).collect(),
    };
    let words = words.split_whitespace().collect::<Vec<_>>().join(" ");
    if words.is_empty() {
        format!("HTTP {status}")
    } else {
        format!("HTTP {status}: {words}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_token_wins_and_empty_tokens_are_none() {
        let t = |body: &str| token(body.as_bytes()).map(|s| s.expose().to_owned());
        assert_eq!(
            t(r#"{"token":"a","access_token":"b"}"#).as_deref(),
            Some("b")
        );
        assert_eq!(
            t(r#"{"token":"a","access_token":""}"#).as_deref(),
            Some("a")
        );
        assert_eq!(t(r#"{"token":"a"}"#).as_deref(), Some("a"));
        assert_eq!(
            t(r#"{"access_token":"b","expires_in":60}"#).as_deref(),
            Some("b")
        );
        assert_eq!(t(r#"{"token":""}"#), None);
        assert_eq!(t("not json"), None);
    }

    #[test]
    fn messages_in_the_registry_s_words() {
        let m = |body: &str| message(401, body.as_bytes());
        assert_eq!(
            m(
                r#"{"errors":[{"code":"UNAUTHORIZED","message":"authentication required","detail":null}]}"#
            ),
            "HTTP 401: unauthorized: authentication required"
        );
        assert_eq!(
            m(r#"{"details":"incorrect username or password"}"#),
            "HTTP 401: incorrect username or password"
        );
        assert_eq!(m("Unauthorized\n"), "HTTP 401: Unauthorized");
        assert_eq!(m(""), "HTTP 401");
    }
}
