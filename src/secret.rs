//! The one type that holds a secret value: a password, a token, or a rendered
//! config that carries them.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};

/// A secret value: zeroed when dropped, printed as `[redacted]`.
///
/// The only way to read it is [`Secret::expose`], so every place that touches
/// the value is easy to find with grep. There is no `Serialize` and no `Clone`
/// on purpose: a copy of a secret is a copy that can leak.
///
/// ```
/// use registry_config::Secret;
///
/// let secret = Secret::new("hunter2".to_owned());
/// assert_eq!(format!("{secret:?}"), "[redacted]");
/// assert_eq!(secret.to_string(), "[redacted]");
/// assert_eq!(secret.expose(), "hunter2");
/// ```
pub struct Secret(SecretString);

impl Secret {
    /// Takes ownership of `value`; its buffer is zeroed when the secret is dropped.
    pub fn new(value: String) -> Self {
        Self(SecretString::from(value))
    }

    /// The plaintext. Keep what you derive from it in a [`zeroize::Zeroizing`] buffer.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }

    /// The same secret with one trailing line break (LF or CRLF) removed, as
    /// `docker login --password-stdin` removes it: a file or a command's
    /// output ends with one.
    pub fn without_trailing_line_break(self) -> Self {
        let text = self.expose();
        let cut = match text.strip_suffix('\n') {
            Some(rest) => rest.strip_suffix('\r').unwrap_or(rest).len(),
            None => return self,
        };
        // `SecretString` cannot be shortened in place: the copy is sized
        // exactly (a reallocation would leave the secret behind), and the
        // original is zeroed when `self` drops.
        let mut value = String::with_capacity(cut);
        value.push_str(&text[..cut]);
        Self::new(value)
    }

    /// Length in bytes; safe to report in errors.
    pub fn len(&self) -> usize {
        self.expose().len()
    }

    /// True when the secret holds no bytes at all.
    pub fn is_empty(&self) -> bool {
        self.expose().is_empty()
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Displays as `[redacted]` so that a secret formatted into a message by
/// mistake says so instead of leaking.
impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_never_show_the_value() {
        let secret = Secret::new("canary-7f3a".to_owned());
        let shown = format!("{secret:?} {secret} {secret:#?} {:>20}", secret);
        assert!(!shown.contains("canary"), "{shown}");
        assert_eq!(secret.len(), 11);
        assert!(!secret.is_empty());
    }
}
