//! A name for a rendered config that is stable across runs (so Dagger can
//! cache what depends on it) without letting anyone who sees the name test
//! password guesses against it quickly.
//!
//! The daggerverse module names its secret after a SHA-1 of the file: stable,
//! but a guessed password can be checked offline at billions of tries a
//! second. Dagger itself keys secrets by argon2 of their plaintext (dagger PR
//! #10311); this does the same with argon2id at the parameters OWASP's
//! Password Storage Cheat Sheet gives as its first choice (19 MiB, 2 passes,
//! 1 lane). The salt is fixed: a random one would change the name every run.

use argon2::{Algorithm, Argon2, Params, Version};

/// Prefix of every derived name.
pub const SECRET_NAME_PREFIX: &str = "registry-config-";

const SALT: &[u8] = b"registry-config/secret-name/v1";
const MEMORY_KIB: u32 = 19 * 1024;
const PASSES: u32 = 2;
const LANES: u32 = 1;
const OUTPUT_BYTES: usize = 16;

/// The name a rendered config's secret gets: `given` when the caller named
/// it (an empty name counts as none, as in the daggerverse module, whose SDK
/// omits empty strings), else [`secret_name`] of the file.
///
/// ```
/// use registry_config::{secret_name, secret_name_or};
/// assert_eq!(secret_name_or(Some("mine"), b"{}"), "mine");
/// assert_eq!(secret_name_or(Some(""), b"{}"), secret_name(b"{}"));
/// ```
pub fn secret_name_or(given: Option<&str>, content: &[u8]) -> String {
    match given {
        Some(name) if !name.is_empty() => name.to_owned(),
        _ => secret_name(content),
    }
}

/// `registry-config-` followed by 32 hex digits of argon2id over `content`.
///
/// ```
/// let name = registry_config::secret_name(b"{\"auths\": {}}");
/// assert_eq!(name, registry_config::secret_name(b"{\"auths\": {}}"));
/// assert!(name.starts_with("registry-config-") && name.len() == 16 + 32);
/// assert_ne!(name, registry_config::secret_name(b"{\"auths\": {} }"));
/// ```
pub fn secret_name(content: &[u8]) -> String {
    let params = Params::new(MEMORY_KIB, PASSES, LANES, Some(OUTPUT_BYTES))
        .expect("constant parameters are valid");
    let mut hash = [0u8; OUTPUT_BYTES];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(content, SALT, &mut hash)
        .expect("constant parameters and output length are valid");
    let mut name = String::with_capacity(SECRET_NAME_PREFIX.len() + 2 * OUTPUT_BYTES);
    name.push_str(SECRET_NAME_PREFIX);
    for byte in hash {
        name.push_str(&format!("{byte:02x}"));
    }
    name
}
