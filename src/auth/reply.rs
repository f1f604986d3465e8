//! Reading what registries and token servers put in their bodies.

use serde_json::Value;

use crate::{reading, Secret};

/// The token from a token response: `access_token` (OAuth2) wins over
/// `token` (the Docker flow), as oras-go and docker's client do.
pub(crate) fn token(body: &[u8]) -> Option<Secret> {
    let members = reading::members(std::str::from_utf8(body).ok()?).ok()?;
    let field = |name| reading::member::<Option<Secret>>(&members, name).ok();
    let chosen = match (field("access_token")?, field("token")?) {
        (Some(access), _) if !access.is_empty() => access,
        (_, Some(token)) => token,
        (access, None) => access?,
    };
    (!chosen.is_empty()).then_some(chosen)
}

/// The registry's own words: `code: message` of each distribution-style
/// error, else a Docker Hub `details`, else the start of a text body.
pub(crate) fn message(status: u16, body: &[u8]) -> String {
    let words = match serde_json::from_slice::<Value>(body) {
        Ok(reply) if reply.is_object() => registry_words(&reply),
        _ => String::from_utf8_lossy(body).chars().take(200).collect(),
    };
    let words = words.split_whitespace().collect::<Vec<_>>().join(" ");
    if words.is_empty() {
        format!("HTTP {status}")
    } else {
        format!("HTTP {status}: {words}")
    }
}

/// `errors[].code: message` joined, else `details`, else `error`.
fn registry_words(reply: &Value) -> String {
    fn text(value: Option<&Value>) -> &str {
        value.and_then(Value::as_str).unwrap_or_default()
    }
    let errors = reply
        .get("errors")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    if errors.is_empty() {
        let details = text(reply.get("details"));
        let words = if details.is_empty() {
            text(reply.get("error"))
        } else {
            details
        };
        return words.to_owned();
    }
    errors
        .iter()
        .map(|error| {
            let code = text(error.get("code")).to_ascii_lowercase();
            let message = text(error.get("message"));
            match (code.is_empty(), message.is_empty()) {
                (false, false) => format!("{code}: {message}"),
                (false, true) => code,
                _ => message.to_owned(),
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
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
        assert_eq!(t(r#"{"token":"a","token":"c"}"#).as_deref(), Some("c"));
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
