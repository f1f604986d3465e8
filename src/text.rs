//! The character rules that addresses, usernames and secrets are checked
//! against, byte by byte for ASCII text and by `char` for the rest.
//!
//! Why not `str::chars` throughout: the wasm build is compiled by V8 one
//! function at a time, on its first call, and UTF-8 decoding plus the
//! Unicode tables are code that every first render would compile for text
//! that is, in practice, always ASCII. The `char` paths are kept in cold
//! functions of their own, and give the same answers.

/// True when some character is a control character (Unicode `Cc`).
pub(crate) fn has_control(text: &str) -> bool {
    match text.is_ascii() {
        true => text.bytes().any(|b| b.is_ascii_control()),
        false => any_char(text, char::is_control),
    }
}

/// True when the text is empty or only whitespace (Unicode `White_Space`).
pub(crate) fn is_blank(text: &str) -> bool {
    match text.is_ascii() {
        // The ASCII characters `char::is_whitespace` takes: U+0009 to
        // U+000D and the space (`u8::is_ascii_whitespace` leaves out U+000B).
        true => text.bytes().all(|b| matches!(b, b'\t'..=b'\r' | b' ')),
        false => !any_char(text, |c| !c.is_whitespace()),
    }
}

/// True when some character is whitespace or a control character.
pub(crate) fn has_whitespace_or_control(text: &str) -> bool {
    match text.is_ascii() {
        true => text.bytes().any(|b| b <= b' ' || b == 0x7f),
        false => any_char(text, |c| c.is_whitespace() || c.is_control()),
    }
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

#[cold]
#[inline(never)]
fn any_char(text: &str, test: fn(char) -> bool) -> bool {
    text.chars().any(test)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every ASCII character and a sample beyond, against the `char` rules.
    #[test]
    fn ascii_answers_are_the_char_answers() {
        let others = [
            '\u{85}', '\u{a0}', '\u{1680}', '\u{2028}', '\u{3000}', 'é', '€', '😀', '\u{9f}',
        ];
        let chars = (0u8..0x80).map(char::from).chain(others);
        for c in chars {
            for text in [c.to_string(), format!("a{c}"), format!("{c}{c}")] {
                let t = text.as_str();
                assert_eq!(has_control(t), t.chars().any(char::is_control), "{t:?}");
                assert_eq!(is_blank(t), t.chars().all(char::is_whitespace), "{t:?}");
                assert_eq!(
                    has_whitespace_or_control(t),
                    t.chars().any(|c| c.is_whitespace() || c.is_control()),
                    "{t:?}"
                );
            }
        }
        assert!(is_blank(""));
    }

    #[test]
    fn seconds_are_singular_for_one() {
        use std::time::Duration;
        assert_eq!(seconds(Duration::from_secs(1)), "1 second");
        assert_eq!(seconds(Duration::from_secs(30)), "30 seconds");
        assert_eq!(seconds(Duration::from_millis(500)), "0.5 seconds");
    }
}
