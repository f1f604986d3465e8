//! The padded standard base64 of `username:password`: Docker's `auth` value
//! and the credentials of an `Authorization: Basic` header.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use zeroize::Zeroizing;

/// The padded standard base64 of `username:password`, in a buffer zeroed on
/// drop. For `"me"` and `"pw"` it is `bWU6cHc=`.
pub(crate) fn base64_pair(username: &str, password: &str) -> Zeroizing<String> {
    base64_of(&[username.as_bytes(), b":", password.as_bytes()])
}

/// The padded standard base64 of the pieces joined, in a buffer zeroed on
/// drop. Both buffers are sized once (a growing one would leave copies of
/// the credential behind), and `encode_slice` writes straight into the
/// second, where the crate's `encode_string` goes through a stack buffer
/// (its chunked encoder).
pub(crate) fn base64_of(pieces: &[&[u8]]) -> Zeroizing<String> {
    let len = pieces.iter().map(|piece| piece.len()).sum();
    let mut plain = Zeroizing::new(Vec::with_capacity(len));
    for piece in pieces {
        plain.extend_from_slice(piece);
    }
    let mut encoded = Zeroizing::new(vec![0; base64::encoded_len(len, true).unwrap_or(0)]);
    let written = STANDARD.encode_slice(&*plain, &mut encoded).unwrap_or(0);
    encoded.truncate(written);
    // base64 is ASCII: the conversion keeps the buffer and cannot fail.
    Zeroizing::new(String::from_utf8(std::mem::take(&mut *encoded)).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_pair_is_padded_standard_base64() {
        assert_eq!(*super::base64_pair("me", "pw"), "bWU6cHc=");
        assert_eq!(*super::base64_pair("é", "+/?"), "w6k6Ky8/");
        assert_eq!(*super::base64_of(&[]), "");
    }
}
