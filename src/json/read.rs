//! The reader: one pass that checks the whole text and records, for every
//! value, its span of the input. Strings are decoded only when asked for.

use std::fmt;

use zeroize::Zeroize;

/// Arrays and objects may nest up to one less than this, as in serde_json:
/// a bound on the reader's recursion, so hostile input cannot overflow the
/// stack.
const MAX_DEPTH: usize = 128;

/// A JSON value, borrowed from the text it was read from.
///
/// ```
/// let value = registry_config::json::parse(r#" ["a\"b", 2.5e3] "#).unwrap();
/// let items = value.as_array().unwrap();
/// assert_eq!(items[0].raw(), r#""a\"b""#);
/// assert_eq!(items[0].to_str().as_deref(), Some("a\"b"));
/// assert_eq!(items[1].as_u64(), None);
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Value<'a> {
    raw: &'a str,
    kind: Kind<'a>,
}

/// What a [`Value`] is. Numbers and strings keep only their span: they are
/// read from [`Value::raw`] when needed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind<'a> {
    /// `null`
    Null,
    /// `true` or `false`
    Bool(bool),
    /// A number, as written.
    Number,
    /// A string; [`Value::to_str`] decodes it.
    String,
    /// An array's items in order.
    Array(Vec<Value<'a>>),
    /// An object's members in order, keys decoded. A key written twice
    /// appears twice; [`Value::get`] finds the last, as Go's and serde's
    /// readers keep the last.
    Object(Vec<(String, Value<'a>)>),
}

impl<'a> Value<'a> {
    /// The value exactly as written in the input.
    pub fn raw(&self) -> &'a str {
        self.raw
    }

    /// What the value is.
    pub fn kind(&self) -> &Kind<'a> {
        &self.kind
    }

    /// The member `key` of an object (the last, when written twice).
    pub fn get(&self, key: &str) -> Option<&Value<'a>> {
        let members = self.as_object()?;
        members.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// An object's members, in order.
    pub fn as_object(&self) -> Option<&[(String, Value<'a>)]> {
        match &self.kind {
            Kind::Object(members) => Some(members),
            _ => None,
        }
    }

    /// An array's items, in order.
    pub fn as_array(&self) -> Option<&[Value<'a>]> {
        match &self.kind {
            Kind::Array(items) => Some(items),
            _ => None,
        }
    }

    /// A string's text, decoded into a buffer of exactly its size (so a
    /// secret can be moved into a [`Secret`](crate::Secret) without a copy
    /// being left behind by a reallocation). `None` for any other kind.
    pub fn to_str(&self) -> Option<String> {
        match self.kind {
            Kind::String => Some(decode_string(self.raw)),
            _ => None,
        }
    }

    /// A number written as a whole number that fits in a `u64`
    /// (`12`, not `12.0` or `1e3`).
    pub fn as_u64(&self) -> Option<u64> {
        match self.kind {
            Kind::Number => self.raw.parse().ok(),
            _ => None,
        }
    }

    /// True for `null`.
    pub fn is_null(&self) -> bool {
        matches!(self.kind, Kind::Null)
    }

    /// Decodes the object's members named in `slots` into their strings,
    /// members of other names ignored. A name written twice keeps its last
    /// value, and the one it replaces is zeroed: these are credentials.
    /// `None` when this is not an object or a named member is not a string.
    pub(crate) fn read_strings(&self, slots: &mut [(&str, &mut String)]) -> Option<()> {
        for (name, member) in self.as_object()? {
            if let Some((_, slot)) = slots.iter_mut().find(|(wanted, _)| wanted == name) {
                slot.zeroize();
                **slot = member.to_str()?;
            }
        }
        Some(())
    }
}

/// Shows the shape only: values can be credentials.
impl fmt::Debug for Value<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::Null => f.write_str("null"),
            Kind::Bool(b) => write!(f, "{b}"),
            Kind::Number => f.write_str("[number]"),
            Kind::String => f.write_str("[string]"),
            Kind::Array(items) => f.debug_list().entries(items).finish(),
            Kind::Object(members) => f
                .debug_map()
                .entries(members.iter().map(|(k, v)| (k, v)))
                .finish(),
        }
    }
}

/// Where the text stops being JSON: 1-based line and column (in bytes, as
/// serde_json counts them). It never quotes the text, which may hold secrets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in bytes; at the end of the input, the last byte's.
    pub column: usize,
    /// True when the text is JSON-like but nests arrays and objects deeper
    /// than the reader goes ([`MAX_NESTING`]).
    pub too_deep: bool,
}

/// How deep arrays and objects may nest.
pub const MAX_NESTING: usize = MAX_DEPTH - 1;

impl SyntaxError {
    /// The position of the byte at `offset`, the one that broke the grammar
    /// (`text.len()` when the text ended too early).
    fn at(text: &str, offset: usize) -> Self {
        let end = (offset + 1).min(text.len());
        let before = &text.as_bytes()[..end];
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |newline| newline + 1);
        SyntaxError {
            line: 1 + before[..line_start].iter().filter(|&&b| b == b'\n').count(),
            column: end - line_start,
            too_deep: false,
        }
    }
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.too_deep {
            write!(f, "nested more than {MAX_NESTING} levels deep, ")?;
        }
        write!(f, "line {}, column {}", self.line, self.column)
    }
}

impl std::error::Error for SyntaxError {}

/// Reads one JSON value, with nothing but whitespace around it.
pub fn parse(text: &str) -> Result<Value<'_>, SyntaxError> {
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        depth: 0,
        too_deep: false,
    };
    let value = reader
        .value()
        .and_then(|value| {
            reader.skip_whitespace();
            match reader.pos == reader.bytes.len() {
                true => Ok(value),
                false => Err(reader.pos),
            }
        })
        .map_err(|offset| SyntaxError {
            too_deep: reader.too_deep,
            ..SyntaxError::at(text, offset)
        })?;
    Ok(value)
}

/// The reader's state; its errors are the offset of the offending byte.
struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    depth: usize,
    /// Set when the depth limit, not the grammar, stopped the reader.
    too_deep: bool,
}

type Step<T> = Result<T, usize>;

impl<'a> Reader<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn expect(&mut self, byte: u8) -> Step<()> {
        self.skip_whitespace();
        match self.peek() == Some(byte) {
            true => {
                self.pos += 1;
                Ok(())
            }
            false => Err(self.pos),
        }
    }

    fn value(&mut self) -> Step<Value<'a>> {
        self.skip_whitespace();
        let start = self.pos;
        let kind = match self.peek() {
            Some(b'{') => self.nested(Self::object)?,
            Some(b'[') => self.nested(Self::array)?,
            Some(b'"') => {
                self.string()?;
                Kind::String
            }
            Some(b't') => self.literal(b"true", Kind::Bool(true))?,
            Some(b'f') => self.literal(b"false", Kind::Bool(false))?,
            Some(b'n') => self.literal(b"null", Kind::Null)?,
            Some(b'-' | b'0'..=b'9') => self.number()?,
            _ => return Err(self.pos),
        };
        Ok(Value {
            raw: &self.text[start..self.pos],
            kind,
        })
    }

    fn nested(&mut self, read: fn(&mut Self) -> Step<Kind<'a>>) -> Step<Kind<'a>> {
        self.depth += 1;
        if self.depth == MAX_DEPTH {
            self.too_deep = true;
            return Err(self.pos);
        }
        self.pos += 1;
        let kind = read(self)?;
        self.depth -= 1;
        Ok(kind)
    }

    /// After `{`.
    fn object(&mut self) -> Step<Kind<'a>> {
        let mut members = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Kind::Object(members));
        }
        loop {
            self.skip_whitespace();
            if self.peek() != Some(b'"') {
                return Err(self.pos);
            }
            let start = self.pos;
            self.string()?;
            let key = decode_string(&self.text[start..self.pos]);
            self.expect(b':')?;
            members.push((key, self.value()?));
            if self.separator(b'}')? {
                return Ok(Kind::Object(members));
            }
        }
    }

    /// After `[`.
    fn array(&mut self) -> Step<Kind<'a>> {
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Kind::Array(items));
        }
        loop {
            items.push(self.value()?);
            if self.separator(b']')? {
                return Ok(Kind::Array(items));
            }
        }
    }

    /// A `,` (false: another item follows) or the closing byte (true).
    fn separator(&mut self, close: u8) -> Step<bool> {
        self.skip_whitespace();
        match self.peek() {
            Some(b',') => {
                self.pos += 1;
                Ok(false)
            }
            Some(byte) if byte == close => {
                self.pos += 1;
                Ok(true)
            }
            _ => Err(self.pos),
        }
    }

    // Literals and numbers are rare in what is read here (requests, config
    // files, helper replies): kept out of `value`, which every read compiles.
    #[inline(never)]
    fn literal(&mut self, word: &[u8], kind: Kind<'a>) -> Step<Kind<'a>> {
        for &expected in word {
            if self.peek() != Some(expected) {
                return Err(self.pos);
            }
            self.pos += 1;
        }
        Ok(kind)
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    #[inline(never)]
    fn number(&mut self) -> Step<Kind<'a>> {
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.pos),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            self.some_digits()?;
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            self.some_digits()?;
        }
        Ok(Kind::Number)
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
    }

    fn some_digits(&mut self) -> Step<()> {
        match self.peek() {
            Some(b'0'..=b'9') => {
                self.digits();
                Ok(())
            }
            _ => Err(self.pos),
        }
    }

    /// A string from its opening quote: checks escapes (surrogates paired),
    /// refuses raw control characters.
    fn string(&mut self) -> Step<()> {
        self.pos += 1;
        loop {
            match self.peek() {
                None => return Err(self.pos),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(());
                }
                Some(b'\\') => {
                    self.pos += 1;
                    match self.peek() {
                        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => {
                            self.pos += 1
                        }
                        Some(b'u') => self.unicode_escape()?,
                        _ => return Err(self.pos),
                    }
                }
                Some(0..=0x1f) => return Err(self.pos),
                Some(_) => self.pos += 1,
            }
        }
    }

    /// At the `u` of `\uXXXX`: a scalar value, or a surrogate pair.
    fn unicode_escape(&mut self) -> Step<()> {
        let unit = self.hex4()?;
        match unit {
            0xd800..=0xdbff => {
                if self.peek() != Some(b'\\') {
                    return Err(self.pos);
                }
                self.pos += 1;
                if self.peek() != Some(b'u') {
                    return Err(self.pos);
                }
                match self.hex4()? {
                    0xdc00..=0xdfff => Ok(()),
                    _ => Err(self.pos - 1),
                }
            }
            0xdc00..=0xdfff => Err(self.pos - 1),
            _ => Ok(()),
        }
    }

    /// At a `u`: reads it and four hex digits.
    fn hex4(&mut self) -> Step<u16> {
        self.pos += 1;
        let mut unit = 0u16;
        for _ in 0..4 {
            let digit = self.peek().and_then(hex_digit).ok_or(self.pos)?;
            unit = unit << 4 | digit;
            self.pos += 1;
        }
        Ok(unit)
    }
}

fn hex_digit(byte: u8) -> Option<u16> {
    (byte as char).to_digit(16).map(|d| d as u16)
}

/// Decodes a string the reader has checked, quotes included, into a buffer
/// of exactly the decoded size.
fn decode_string(raw: &str) -> String {
    let body = &raw[1..raw.len() - 1];
    if !body.bytes().any(|b| b == b'\\') {
        return body.to_owned();
    }
    let mut text = String::with_capacity(Unescape(body).map(char::len_utf8).sum());
    text.extend(Unescape(body));
    text
}

/// The characters of a checked string body, escapes resolved.
struct Unescape<'a>(&'a str);

impl Iterator for Unescape<'_> {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        let mut chars = self.0.chars();
        let c = chars.next()?;
        if c != '\\' {
            self.0 = chars.as_str();
            return Some(c);
        }
        let escaped = chars.next()?;
        self.0 = chars.as_str();
        Some(match escaped {
            'b' => '\u{8}',
            'f' => '\u{c}',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            'u' => {
                let high = self.hex4();
                match high {
                    0xd800..=0xdbff => {
                        self.0 = &self.0[2..];
                        let low = self.hex4();
                        let scalar = 0x10000 + ((high - 0xd800) << 10 | (low - 0xdc00));
                        char::from_u32(scalar)?
                    }
                    _ => char::from_u32(high)?,
                }
            }
            other => other,
        })
    }
}

impl Unescape<'_> {
    fn hex4(&mut self) -> u32 {
        let (digits, rest) = self.0.split_at(4);
        self.0 = rest;
        u32::from_str_radix(digits, 16).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> (usize, usize) {
        let err = parse(text).expect_err(text);
        (err.line, err.column)
    }

    #[test]
    fn reads_every_kind_with_its_span() {
        let text =
            " {\"a\" : [1, -0.5e+3, true, false, null, \"x\\n\\u00e9\\ud83d\\ude00\"], \"b\":{}} ";
        let value = parse(text).unwrap();
        assert_eq!(value.raw(), text.trim());
        let items = value.get("a").unwrap().as_array().unwrap();
        assert_eq!(items[0].as_u64(), Some(1));
        assert_eq!(items[1].raw(), "-0.5e+3");
        assert_eq!(items[2].kind(), &Kind::Bool(true));
        assert!(items[4].is_null());
        assert_eq!(items[5].to_str().as_deref(), Some("x\né😀"));
        assert_eq!(value.get("b").unwrap().as_object(), Some(&[][..]));
    }

    #[test]
    fn the_last_of_a_repeated_key_wins() {
        let value = parse(r#"{"k": 1, "k": 2}"#).unwrap();
        assert_eq!(value.get("k").unwrap().raw(), "2");
        assert_eq!(value.as_object().unwrap().len(), 2);
    }

    #[test]
    fn decoded_strings_have_no_spare_capacity() {
        let value = parse(r#""a\\b\u0041\ud83d\ude00""#).unwrap();
        let text = value.to_str().unwrap();
        assert_eq!(text, "a\\bA😀");
        assert_eq!(text.capacity(), text.len());
    }

    #[test]
    fn errors_point_at_the_offending_byte_as_serde_json_does() {
        assert_eq!(error("auths = {}"), (1, 1));
        assert_eq!(error(r#"{"a": tru}"#), (1, 10));
        assert_eq!(
            error(r#"{"Username":"me","Secret":"canary-secret""#),
            (1, 41)
        );
        assert_eq!(error("{\n\"a\": 1,\n}"), (3, 1));
        assert_eq!(error(""), (1, 0));
        assert_eq!(error("[1] x"), (1, 5));
    }

    #[test]
    fn refuses_what_rfc_8259_refuses() {
        for text in [
            "{",
            "[1,]",
            "{\"a\":1,}",
            "01",
            "1.",
            "-",
            "1e",
            "+1",
            ".5",
            "\"\t\"",
            "\"\\x\"",
            "\"\\u12\"",
            "\"\\ud800\"",
            "\"\\udc00\"",
            "\"\\ud800\\u0041\"",
            "'a'",
            "{a:1}",
            "[1 2]",
            "nul",
            "True",
            "\u{feff}{}",
        ] {
            assert!(parse(text).is_err(), "{text:?}");
        }
        let deep = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(parse(&deep).is_err_and(|err| err.too_deep));
        assert!(!parse("[1 2]").unwrap_err().too_deep);
        let deepest = "[".repeat(MAX_DEPTH - 1) + &"]".repeat(MAX_DEPTH - 1);
        assert!(parse(&deepest).is_ok());
    }

    #[test]
    fn debug_never_shows_values() {
        let value = parse(r#"{"auth": "canary", "n": 12345}"#).unwrap();
        let shown = format!("{value:?}");
        assert!(
            !shown.contains("canary") && !shown.contains("12345"),
            "{shown}"
        );
    }
}
