//! WWW-Authenticate parsing: any bytes, split into header lines, must give
//! challenges or an error, never a panic; and what parses must hold together.
#![no_main]

use libfuzzer_sys::fuzz_target;
use registry_config::auth::parse_challenges;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(challenges) = parse_challenges(text.split('\n')) {
        for challenge in &challenges {
            assert!(!challenge.scheme().is_empty());
            assert_eq!(challenge.scheme(), challenge.scheme().to_ascii_lowercase());
            for (name, _) in challenge.params() {
                assert_eq!(challenge.param(name).is_some(), true);
            }
        }
    }
});
