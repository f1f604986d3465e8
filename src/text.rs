//! The character rules that addresses, usernames and secrets are checked
//! against, and how messages quote a value.

use std::fmt;

/// True when some character is a control character (Unicode `Cc`).
pub(crate) fn has_control(text: &str) -> bool {
    text.chars().any(char::is_control)
}

/// True when the text is empty or only whitespace (Unicode `White_Space`).
pub(crate) fn is_blank(text: &str) -> bool {
    text.chars().all(char::is_whitespace)
}

/// True when some character is whitespace or a control character.
pub(crate) fn has_whitespace_or_control(text: &str) -> bool {
    text.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// A duration for a message: `1 second`, `0.5 seconds`, `30 seconds`.
pub fn seconds(duration: std::time::Duration) -> String {
    let value = duration.as_secs_f64();
    if value == 1.0 {
        "1 second".to_owned()
    } else {
        format!("{value} seconds")
    }
}

/// A string in double quotes, escaped as JSON: how messages name a value
/// the user gave (an address, a key, a helper name), so that a control
/// character or a quote in it cannot forge the rest of the line.
///
/// ```
/// use registry_config::Quoted;
///
/// assert_eq!(Quoted("a\"b\u{1b}").to_string(), r#""a\"b\u001b""#);
/// ```
pub struct Quoted<'a>(pub &'a str);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&serde_json::to_string(self.0).map_err(|_| fmt::Error)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_are_singular_for_one() {
        use std::time::Duration;
        assert_eq!(seconds(Duration::from_secs(1)), "1 second");
        assert_eq!(seconds(Duration::from_secs(30)), "30 seconds");
        assert_eq!(seconds(Duration::from_millis(500)), "0.5 seconds");
    }
}
