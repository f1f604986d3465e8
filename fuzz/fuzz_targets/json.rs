//! The core's JSON reader against serde_json: the same texts are accepted,
//! they read as the same values, and every value's span reads again as itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use registry_config::json::{self, Kind, Value};

/// The value as serde_json would build it (a key written twice keeps its
/// first place and its last value, as serde_json's `preserve_order` map does).
fn to_serde(value: &Value<'_>) -> serde_json::Value {
    match value.kind() {
        Kind::Null => serde_json::Value::Null,
        Kind::Bool(b) => serde_json::Value::Bool(*b),
        Kind::Number => serde_json::from_str(value.raw()).expect("serde reads the number's span"),
        Kind::String => serde_json::Value::String(value.to_str().expect("a string")),
        Kind::Array(items) => items.iter().map(to_serde).collect(),
        Kind::Object(members) => {
            let mut map = serde_json::Map::new();
            for (key, member) in members {
                map.insert(key.clone(), to_serde(member));
            }
            serde_json::Value::Object(map)
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let ours = json::parse(text);
    let theirs = serde_json::from_str::<serde_json::Value>(text);
    match (&ours, &theirs) {
        (Ok(value), Ok(expected)) => {
            assert_eq!(&to_serde(value), expected);
            assert_eq!(json::parse(value.raw()).as_ref(), Ok(value));
        }
        (Err(_), Err(_)) => {}
        // serde_json refuses numbers beyond f64; RFC 8259 allows them.
        (Ok(_), Err(err)) if err.to_string().starts_with("number out of range") => {}
        _ => panic!("ours: {:?}, serde_json: {:?}", ours.is_ok(), theirs.map(|_| ())),
    }
});
