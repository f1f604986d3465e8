//! The JSON objects handed to JavaScript, written directly: the shapes are
//! flat and few, and a generic serialiser would be most of the module's size.

/// A flat JSON object of strings and nulls, built member by member.
pub(crate) struct JsonObject(String);

impl JsonObject {
    pub(crate) fn new() -> Self {
        Self(String::from("{"))
    }

    /// A string member, `null` when absent.
    pub(crate) fn member(mut self, key: &str, value: Option<&str>) -> Self {
        if self.0.len() > 1 {
            self.0.push(',');
        }
        push_string(&mut self.0, key);
        self.0.push(':');
        match value {
            Some(value) => push_string(&mut self.0, value),
            None => self.0.push_str("null"),
        }
        self
    }

    pub(crate) fn finish(mut self) -> String {
        self.0.push('}');
        self.0
    }
}

/// Appends `text` as a JSON string.
fn push_string(out: &mut String, text: &str) {
    out.push_str(&serde_json::to_string(text).unwrap_or_default());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_in_order_escaped() {
        let json = JsonObject::new()
            .member("kind", Some("done"))
            .member("detail", Some("say \"hi\"\n"))
            .member("body", None)
            .finish();
        assert_eq!(
            json,
            r#"{"kind":"done","detail":"say \"hi\"\n","body":null}"#
        );
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value["detail"], "say \"hi\"\n");
    }
}
