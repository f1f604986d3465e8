//! The writer of rendered files: objects of strings and raw fragments,
//! tab-indented, in the layout `docker login` writes (Go's
//! `json.MarshalIndent(config, "", "\t")`).
//!
//! Text is appended with `push_str`, never `String::push(char)`, whose UTF-8
//! encoder would be code every first render of the wasm build compiles.

/// Writes nested objects into a buffer the caller sized: nothing here
/// reallocates it beyond what pushing past its capacity would.
pub(crate) struct PrettyWriter<'w> {
    out: &'w mut String,
    /// One flag per open object: has it a member yet?
    open: Vec<bool>,
}

impl<'w> PrettyWriter<'w> {
    pub(crate) fn new(out: &'w mut String) -> Self {
        Self {
            out,
            open: Vec::new(),
        }
    }

    /// Starts an object, as a value.
    pub(crate) fn open(&mut self) {
        self.out.push_str("{");
        self.open.push(false);
    }

    /// Ends the innermost object.
    pub(crate) fn close(&mut self) {
        if self.open.pop() == Some(true) {
            self.newline();
        }
        self.out.push_str("}");
    }

    /// Starts a member of the innermost object; its value comes next.
    pub(crate) fn key(&mut self, key: &str) {
        if let Some(has_members) = self.open.last_mut() {
            if std::mem::replace(has_members, true) {
                self.out.push_str(",");
            }
        }
        self.newline();
        self.string(key);
        self.out.push_str(": ");
    }

    /// A string value (or key), escaped.
    pub(crate) fn string(&mut self, text: &str) {
        push_string(self.out, text);
    }

    /// A value already in JSON, written as it is.
    pub(crate) fn raw(&mut self, json: &str) {
        self.out.push_str(json);
    }

    /// The buffer itself, to write a value into that needs no escaping.
    pub(crate) fn buffer(&mut self) -> &mut String {
        self.out
    }

    /// A key and a string value.
    pub(crate) fn member(&mut self, key: &str, value: &str) {
        self.key(key);
        self.string(value);
    }

    fn newline(&mut self) {
        const TABS: &str = "\t\t\t\t\t\t\t\t";
        self.out.push_str("\n");
        let mut depth = self.open.len();
        while depth > 0 {
            let tabs = depth.min(TABS.len());
            self.out.push_str(&TABS[..tabs]);
            depth -= tabs;
        }
    }
}

/// Appends `text` to `out` as a JSON string, quotes included: `"` and `\`
/// escaped, control characters as `\n`-style or `\u00XX` escapes,
/// everything else as it is (as serde_json and Go without HTML escaping
/// write it).
///
/// ```
/// let mut out = String::from("[");
/// registry_config::json::push_string(&mut out, "a\"b\n");
/// out.push(']');
/// assert_eq!(out, r#"["a\"b\n"]"#);
/// ```
pub fn push_string(out: &mut String, text: &str) {
    escape(text, |piece| out.push_str(piece));
}

/// A string in double quotes, escaped as JSON: how messages name a value
/// the user gave (an address, a key, a helper name).
///
/// ```
/// use registry_config::json::Quoted;
///
/// assert_eq!(Quoted("a\"b\u{1b}").to_string(), r#""a\"b\u001b""#);
/// ```
pub struct Quoted<'a>(pub &'a str);

impl std::fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut result = Ok(());
        escape(self.0, |piece| {
            if result.is_ok() {
                result = f.write_str(piece);
            }
        });
        result
    }
}

fn escape(text: &str, mut push: impl FnMut(&str)) {
    const HEX: &str = "0123456789abcdef";
    push("\"");
    let mut plain_from = 0;
    for (i, byte) in text.bytes().enumerate() {
        let escape = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => {
                push(&text[plain_from..i]);
                let (high, low) = (usize::from(byte >> 4), usize::from(byte & 0xf));
                push("\\u00");
                push(&HEX[high..high + 1]);
                push(&HEX[low..low + 1]);
                plain_from = i + 1;
                continue;
            }
            _ => continue,
        };
        push(&text[plain_from..i]);
        push(escape);
        plain_from = i + 1;
    }
    push(&text[plain_from..]);
    push("\"");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_objects_in_docker_s_layout() {
        let mut out = String::new();
        let mut w = PrettyWriter::new(&mut out);
        w.open();
        w.key("auths");
        w.open();
        w.key("a.io");
        w.open();
        w.member("auth", "eA==");
        w.close();
        w.key("b.io");
        w.raw("{\"x\":1}");
        w.close();
        w.key("empty");
        w.open();
        w.close();
        w.close();
        assert_eq!(
            out,
            "{\n\t\"auths\": {\n\t\t\"a.io\": {\n\t\t\t\"auth\": \"eA==\"\n\t\t},\n\t\t\"b.io\": {\"x\":1}\n\t},\n\t\"empty\": {}\n}"
        );
    }

    #[test]
    fn deep_objects_are_indented_one_tab_a_level() {
        let mut out = String::new();
        let mut w = PrettyWriter::new(&mut out);
        for _ in 0..11 {
            w.open();
            w.key("k");
        }
        w.raw("1");
        for _ in 0..11 {
            w.close();
        }
        let mut expected = String::new();
        for depth in 1..=11 {
            expected.push_str(&format!("{{\n{}\"k\": ", "\t".repeat(depth)));
        }
        expected.push('1');
        for depth in (0..11).rev() {
            expected.push_str(&format!("\n{}}}", "\t".repeat(depth)));
        }
        assert_eq!(out, expected);
    }

    #[test]
    fn escapes_as_serde_json_does() {
        let mut out = String::new();
        push_string(&mut out, "q\"b\\n\n\u{1}\u{8}\u{c}\u{1f}\u{7f}é/<");
        assert_eq!(out, "\"q\\\"b\\\\n\\n\\u0001\\b\\f\\u001f\u{7f}é/<\"");
    }
}
