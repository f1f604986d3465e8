//! Hiding a secret in a message that may quote it back: a registry's error
//! body can echo the `Authorization` header, a query string, a form.
//!
//! A secret is hidden in every form it travels in (as written, base64 of it
//! alone or of `user:secret`, percent-encoded), in any letter case, and so is
//! any piece of those forms of [`PIECE`] bytes or more: a body that cut the
//! value, or wrapped it, still shows nothing that narrows it down.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use zeroize::Zeroizing;

use crate::basic_auth::{base64_of, base64_pair};

/// The shortest piece of a secret that is hidden wherever it appears. Shorter
/// pieces are too common in plain words ("anon", "true") to hide.
pub const PIECE: usize = 8;

/// What replaces a hidden secret.
const REDACTED: &str = "[redacted]";

/// The secrets to hide, in all their forms.
#[derive(Default)]
pub(crate) struct Redactor {
    /// Every form of every secret, ASCII lower-cased, and whether its pieces
    /// are hidden too.
    forms: Vec<(Zeroizing<String>, Pieces)>,
}

/// Whether a secret's pieces are hidden, or only the whole of each form.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pieces {
    /// Any piece of [`PIECE`] bytes or more: the user's own secret.
    Hidden,
    /// Only whole forms: a token the registry issued, which can be an
    /// anonymous one built of words ("anonymous-...").
    Shown,
}

impl Redactor {
    /// Hides `secret`, and with `username`, the `username:secret` pair
    /// clients encode in a Basic header. Secrets shorter than `min_len` are
    /// left alone (placeholders such as `anon` that a registry hands out).
    pub(crate) fn add(
        &mut self,
        username: Option<&str>,
        secret: &str,
        min_len: usize,
        pieces: Pieces,
    ) {
        if secret.len() < min_len.max(1) {
            return;
        }
        // Standard base64 with its padding: the unpadded form is a prefix of
        // it, so its pieces are among these; URL-safe base64 differs in two
        // letters only.
        let mut encoded = vec![base64_of(&[secret.as_bytes()])];
        if let Some(username) = username {
            encoded.push(base64_pair(username, secret));
        }
        let mut forms = vec![
            Zeroizing::new(secret.to_owned()),
            Zeroizing::new(percent_encoded(secret)),
        ];
        for standard in encoded {
            // Sized once: a growing buffer would leave copies behind.
            let mut url_safe = Zeroizing::new(String::with_capacity(standard.len()));
            url_safe.extend(standard.chars().map(|c| match c {
                '+' => '-',
                '/' => '_',
                c => c,
            }));
            forms.push(url_safe);
            forms.push(standard);
        }
        for mut form in forms {
            form.make_ascii_lowercase();
            if !self.forms.iter().any(|(known, _)| *known == form) {
                self.forms.push((form, pieces));
            }
        }
    }

    /// `text` with every form of every secret, and every piece of one of
    /// [`PIECE`] bytes or more, replaced by `[redacted]`.
    pub(crate) fn scrub(&self, text: &str) -> String {
        if self.forms.is_empty() {
            return text.to_owned();
        }
        let lower = text.to_ascii_lowercase();
        let haystack = lower.as_bytes();
        let mut hidden = vec![false; haystack.len()];
        // A detail is a few hundred bytes: each of its windows is looked
        // for in the forms directly, with no index to build.
        let mut pieced: Vec<&[u8]> = Vec::new();
        for (form, form_pieces) in &self.forms {
            let form = form.as_bytes();
            if form.len() < PIECE || *form_pieces == Pieces::Shown {
                mark_all(haystack, form, &mut hidden);
            } else {
                pieced.push(form);
            }
        }
        for start in 0..haystack.len().saturating_sub(PIECE - 1) {
            let window = &haystack[start..start + PIECE];
            if pieced
                .iter()
                .any(|form| form.windows(PIECE).any(|piece| piece == window))
            {
                hidden[start..start + PIECE].fill(true);
            }
        }
        let mut out = String::with_capacity(text.len());
        let mut index = 0;
        while index < text.len() {
            if hidden[index] {
                while index < text.len() && (hidden[index] || !text.is_char_boundary(index)) {
                    index += 1;
                }
                out.push_str(REDACTED);
            } else {
                let next = (index + 1..=text.len())
                    .find(|&i| text.is_char_boundary(i))
                    .unwrap_or(text.len());
                out.push_str(&text[index..next]);
                index = next;
            }
        }
        out
    }
}

/// Marks every occurrence of `needle` in `haystack`.
fn mark_all(haystack: &[u8], needle: &[u8], hidden: &mut [bool]) {
    if needle.is_empty() || needle.len() > haystack.len() {
        return;
    }
    for start in 0..=haystack.len() - needle.len() {
        if &haystack[start..start + needle.len()] == needle {
            hidden[start..start + needle.len()].fill(true);
        }
    }
}

/// What the handshake percent-encodes in a form or a query: everything but
/// RFC 3986's unreserved characters.
const NOT_UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// `value` percent-encoded, as the handshake encodes a secret into a form or
/// a query.
pub(crate) fn percent_encoded(value: &str) -> String {
    let mut out = String::with_capacity(value.len() * 3);
    push_percent_encoded(value, &mut out);
    out
}

/// Appends `value` percent-encoded to `out`, piece by piece (slices of
/// `value` and static escapes), with no buffer of its own to hold a secret.
pub(crate) fn push_percent_encoded(value: &str, out: &mut String) {
    out.extend(utf8_percent_encode(value, NOT_UNRESERVED));
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
    use base64::Engine;

    const SECRET: &str = "Hunter2-canary/+=Zq9";

    fn scrubbed(text: &str) -> String {
        let mut redactor = Redactor::default();
        redactor.add(Some("alice"), SECRET, 4, Pieces::Hidden);
        redactor.scrub(text)
    }

    #[test]
    fn every_form_and_piece_is_hidden() {
        let forms = [
            SECRET.to_owned(),
            SECRET.to_uppercase(),
            SECRET.to_lowercase(),
            STANDARD.encode(SECRET),
            STANDARD.encode(format!("alice:{SECRET}")),
            URL_SAFE_NO_PAD.encode(format!("alice:{SECRET}")),
            percent_encoded(SECRET),
            SECRET[3..11].to_owned(),
            STANDARD.encode(SECRET)[5..13].to_owned(),
        ];
        for form in forms {
            let text = format!("error: bad token «{form}» given");
            let out = scrubbed(&text);
            assert_eq!(out, "error: bad token «[redacted]» given", "{form}");
        }
    }

    #[test]
    fn words_and_short_pieces_are_left_alone() {
        let text = "unauthorized: authentication required (Hunter2)";
        assert_eq!(scrubbed(text), text);
        let mut redactor = Redactor::default();
        redactor.add(None, "anon", 16, Pieces::Hidden);
        assert_eq!(redactor.scrub("anonymously"), "anonymously");
        let mut redactor = Redactor::default();
        redactor.add(None, "anonymous-token-of-words", 16, Pieces::Shown);
        assert_eq!(redactor.scrub("pulled anonymously"), "pulled anonymously");
        assert_eq!(redactor.scrub("t=anonymous-token-of-words"), "t=[redacted]");
    }

    #[test]
    fn a_short_secret_is_hidden_whole() {
        let mut redactor = Redactor::default();
        redactor.add(None, "s3cr", 4, Pieces::Hidden);
        assert_eq!(redactor.scrub("pw S3CR!"), "pw [redacted]!");
    }
}
