//! The padded standard base64 of `username:password`: Docker's `auth` value
//! and the credentials of an `Authorization: Basic` header.

/// Appends the padded standard base64 of `username:password` to `out`,
/// encoded straight from the two strings into `out`: no other buffer, on the
/// heap or on the stack, ever holds the pair or its encoding. (The base64
/// crate's encoder works through a 1 KB stack buffer, which kept a copy of
/// every encoded credential in the wasm build's memory; its generic engine
/// was also 2 KB of wasm on every render's path. Indexes rather than a chain
/// of iterators, and `push_str` rather than `push(char)`, to keep that path
/// small; `tests` checks the output against the base64 crate.)
///
/// For `"me"` and `"pw"` it appends `bWU6cHc=`.
pub(crate) fn push_base64_pair(out: &mut String, username: &str, password: &str) {
    let (user, pass) = (username.as_bytes(), password.as_bytes());
    let byte = |i: usize| match i.checked_sub(user.len()) {
        None => user[i],
        Some(0) => b':',
        Some(after) => pass[after - 1],
    };
    push_base64(out, user.len() + 1 + pass.len(), byte);
}

/// Appends the padded standard base64 of `text` alone to `out`, as
/// [`push_base64_pair`] does for a pair.
pub(crate) fn push_base64_text(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    push_base64(out, bytes.len(), |i| bytes[i]);
}

/// The encoder: `len` bytes, the `i`th given by `byte(i)`.
fn push_base64(out: &mut String, len: usize, byte: impl Fn(usize) -> u8) {
    const ALPHABET: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut start = 0;
    while start < len {
        // Three bytes (zeros past the end) make four sextets; of those, one
        // more than the bytes that are there is written, the rest padded.
        let count = (len - start).min(3);
        let bits = (0..3).fold(0u32, |bits, i| {
            bits << 8
                | if i < count {
                    u32::from(byte(start + i))
                } else {
                    0
                }
        });
        for sextet in 0..4 {
            match sextet <= count {
                true => {
                    let index = (bits >> (18 - 6 * sextet) & 0x3f) as usize;
                    out.push_str(&ALPHABET[index..index + 1]);
                }
                false => out.push_str("="),
            }
        }
        start += 3;
    }
}

#[cfg(test)]
mod tests {
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine;

    #[test]
    fn the_pair_is_encoded_as_the_base64_crate_does() {
        let texts = ["", "a", "ab", "abc", "abcd", "é€😀", "p:w", "\u{0}\u{ff}"];
        for username in texts {
            for password in texts {
                let mut out = String::from("Basic ");
                super::push_base64_pair(&mut out, username, password);
                let expected = STANDARD.encode(format!("{username}:{password}"));
                assert_eq!(
                    out,
                    format!("Basic {expected}"),
                    "{username:?} {password:?}"
                );
            }
        }
    }
}
