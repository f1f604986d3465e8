//! Just enough JSON for Docker config files, credential-helper output and
//! registry replies: a strict RFC 8259 reader into borrowed values, and the
//! writer of rendered files.
//!
//! Written here rather than taken from serde_json, for two reasons. Size:
//! serde_json and the float printing its error messages pull in were a
//! quarter of the WebAssembly module the Dagger module loads. Secrets: a
//! reader that keeps every value as a span of the input can pass other
//! registries' credentials through byte for byte and decode a secret once,
//! into a buffer of its exact size, so nothing is left behind by a
//! reallocation. `fuzz/fuzz_targets/json.rs` checks it against serde_json.
//!
//! ```
//! use registry_config::json;
//!
//! let value = json::parse(r#"{"auths": {"ghcr.io": {"auth": "bWU6cA=="}}, "n": 1}"#).unwrap();
//! let auths = value.get("auths").unwrap();
//! assert_eq!(auths.raw(), r#"{"ghcr.io": {"auth": "bWU6cA=="}}"#);
//! assert_eq!(auths.get("ghcr.io").and_then(|e| e.get("auth")).and_then(|a| a.to_str()).as_deref(), Some("bWU6cA=="));
//! assert_eq!(value.get("n").and_then(|n| n.as_u64()), Some(1));
//! let err = json::parse("{\"a\": tru}").unwrap_err();
//! assert_eq!((err.line, err.column), (1, 10));
//! ```

mod read;
mod write;

pub use read::{parse, Kind, SyntaxError, Value, MAX_NESTING};
pub(crate) use write::PrettyWriter;
pub use write::{push_string, Quoted};
