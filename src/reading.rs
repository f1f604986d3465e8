//! Reading JSON with serde_json: an object's members as written, and where
//! a text stops being JSON (only the position is kept, never the text,
//! which holds credentials).

use std::fmt;

use indexmap::IndexMap;
use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

/// An object's members, each value as written.
pub(crate) type Members<'a> = IndexMap<String, &'a RawValue>;

/// The members of the object `text` holds. A key written twice stands
/// where it first did with the value it last had, as Go's `encoding/json`
/// (and so Docker) reads it; anything but an object is an error.
pub(crate) fn members(text: &str) -> serde_json::Result<Members<'_>> {
    serde_json::from_str(text)
}

/// The member `name` read as a `T`, `T::default()` when it is missing.
pub(crate) fn member<'a, T: Deserialize<'a> + Default>(
    members: &Members<'a>,
    name: &str,
) -> serde_json::Result<T> {
    match members.get(name) {
        Some(raw) => serde_json::from_str(raw.get()),
        None => Ok(T::default()),
    }
}

/// How deep arrays and objects may nest: serde_json refuses the 128th
/// level (its recursion limit), so the 127th is the deepest it reads.
pub(crate) const MAX_NESTING: usize = 127;

/// The position of a syntax error: 1-based line and column (in bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    pub(crate) line: usize,
    pub(crate) column: usize,
    /// True when the text nests deeper than [`MAX_NESTING`], rather than
    /// breaking the grammar.
    pub(crate) too_deep: bool,
}

impl From<serde_json::Error> for SyntaxError {
    fn from(err: serde_json::Error) -> Self {
        // serde_json has no public code for this error, only its words.
        let too_deep = err.to_string().starts_with("recursion limit exceeded");
        SyntaxError {
            line: err.line(),
            column: err.column(),
            too_deep,
        }
    }
}

/// Reads the whole of `text` as JSON and keeps nothing: the grammar and the
/// nesting limit, checked everywhere. (serde_json skips a value it keeps as
/// a `RawValue` without counting its depth; every value here goes through
/// `deserialize_any`, which counts.)
pub(crate) fn check(text: &str) -> Result<(), SyntaxError> {
    serde_json::from_str::<Checked>(text)?;
    Ok(())
}

/// Any JSON value, read and dropped.
struct Checked;

impl<'de> Deserialize<'de> for Checked {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(Checked)
    }
}

impl<'de> Visitor<'de> for Checked {
    type Value = Checked;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Checked, A::Error> {
        while items.next_element::<Checked>()?.is_some() {}
        Ok(Checked)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut members: A) -> Result<Checked, A::Error> {
        while members.next_entry::<IgnoredAny, Checked>()?.is_some() {}
        Ok(Checked)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> (usize, usize) {
        let err = check(text).expect_err(text);
        (err.line, err.column)
    }

    #[test]
    fn errors_point_at_the_offending_byte() {
        assert_eq!(error("auths = {}"), (1, 1));
        assert_eq!(error(r#"{"a": tru}"#), (1, 10));
        assert_eq!(error("{\n\"a\": 1,\n}"), (3, 1));
        assert_eq!(error("[1] x"), (1, 5));
    }

    #[test]
    fn the_nesting_limit_holds_inside_every_value() {
        let nested =
            |depth: usize| format!("{{\"x\": {}{}}}", "[".repeat(depth), "]".repeat(depth));
        assert_eq!(check(&nested(MAX_NESTING - 1)), Ok(()));
        let err = check(&nested(MAX_NESTING)).unwrap_err();
        assert!(err.too_deep, "{err:?}");
        assert_eq!((err.line, err.column), (1, 133));
        assert!(!check("[1 2]").unwrap_err().too_deep);
    }
}
