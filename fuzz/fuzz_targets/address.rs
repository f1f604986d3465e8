//! Address normalisation: never a panic, and a normalised address is a
//! fixed point (parsing its canonical form gives it back).
#![no_main]

use libfuzzer_sys::fuzz_target;
use registry_config::{Format, Quoted, RegistryAddress};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match RegistryAddress::parse(text) {
        Ok(address) => {
            let again = RegistryAddress::parse(address.canonical()).expect("a canonical form parses");
            assert_eq!(again.canonical(), address.canonical());
            let key = address.key(Format::Containers).expect("the containers format takes every address");
            assert_eq!(key, address.canonical());
            if let Ok(key) = address.key(Format::Docker) {
                let reparsed = RegistryAddress::parse(key).expect("a docker key parses");
                assert_eq!(reparsed.canonical(), address.canonical());
            }
        }
        Err(err) => {
            // Whatever stands before the last `@` may be a password: the
            // message keeps only a scheme of it.
            let message = err.to_string();
            if let Some(at) = text.rfind('@') {
                let scheme_end = text
                    .find("://")
                    .filter(|&end| end < at && text[..end].bytes().all(|b| b.is_ascii_alphabetic()))
                    .map_or(0, |end| end + 3);
                let shown = format!("{}[redacted]{}", &text[..scheme_end], &text[at..]);
                let expected = format!("invalid registry address {}: ", Quoted(&shown));
                assert!(message.starts_with(&expected), "{message}");
            }
        }
    }
});
