//! The JSON a JavaScript caller describes a config with.

use registry_config::{
    BaseConfig, Credential, Error, Format, Quoted, RegistryConfig, Rendered, Secret, UnknownFormat,
};
use serde_json::Value;

/// A request JavaScript could not have meant: the message names the field,
/// never a value (values hold secrets).
///
/// A plain enum, so that building one is a few stores: V8 compiles a wasm
/// function whole on its first call, and formatting a message at every
/// place that can fail would be code each first render compiles.
#[derive(Debug)]
#[non_exhaustive]
pub enum RequestError {
    /// The text is not JSON; the position of the first wrong byte.
    NotJson(serde_json::Error),
    /// The request is not an object.
    NotAnObject,
    /// `format` is there but not a string.
    FormatNotString,
    /// `format` names no format.
    Format(UnknownFormat),
    /// `maxBytes` is not a whole number.
    MaxBytes,
    /// `operations` is missing or not an array.
    OperationsNotArray,
    /// An operation is not an object.
    OperationNotObject {
        /// Its position in `operations`.
        index: usize,
    },
    /// A field an operation needs is missing or not a string.
    FieldNotString {
        /// The operation's position in `operations`.
        index: usize,
        /// The field.
        field: &'static str,
    },
    /// An operation of a kind that does not exist.
    UnknownKind {
        /// The operation's position in `operations`.
        index: usize,
        /// The kind it gave.
        kind: String,
    },
}

impl std::fmt::Display for RequestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("invalid render request: ")?;
        match self {
            RequestError::NotJson(err) => {
                write!(f, "not JSON (line {}, column {})", err.line(), err.column())
            }
            RequestError::NotAnObject => f.write_str("expected an object"),
            RequestError::FormatNotString => f.write_str("format must be a string"),
            RequestError::Format(err) => err.fmt(f),
            RequestError::MaxBytes => f.write_str("maxBytes must be a whole number"),
            RequestError::OperationsNotArray => f.write_str("operations must be an array"),
            RequestError::OperationNotObject { index } => {
                write!(f, "operation {index} must be an object")
            }
            RequestError::FieldNotString { index, field } => {
                write!(f, "operation {index}: {field} must be a string")
            }
            RequestError::UnknownKind { index, kind } => {
                write!(f, "operation {index}: unknown kind {}", Quoted(kind))
            }
        }
    }
}

/// `{"format": "docker"|"containers", "maxBytes"?: n, "operations": [...]}`.
///
/// Operations apply in order, as the Dagger module's builder calls did: a
/// later entry for the same registry wins, a removal removes what is there
/// by then (base file included). Each is one of
/// `{"kind": "auth", address, username, secret}`,
/// `{"kind": "identityToken", address, secret}`,
/// `{"kind": "registryToken", address, secret}`,
/// `{"kind": "remove", address}`, `{"kind": "base", config}`.
pub struct RenderRequest {
    format: Format,
    max_bytes: Option<usize>,
    /// The whole request, `operations` checked to be an array.
    request: Value,
}

impl RenderRequest {
    /// Parses the request; a syntax error gives its position only, as the
    /// text holds secrets.
    pub fn parse(text: &str) -> Result<Self, RequestError> {
        let request: Value = serde_json::from_str(text).map_err(RequestError::NotJson)?;
        if request.as_object().is_none() {
            return Err(RequestError::NotAnObject);
        }
        let present = |name| request.get(name).filter(|value| !value.is_null());
        let format = match present("format") {
            None => Format::Docker,
            Some(format) => format
                .as_str()
                .ok_or(RequestError::FormatNotString)?
                .parse()
                .map_err(RequestError::Format)?,
        };
        let max_bytes = match present("maxBytes") {
            None => None,
            Some(value) => Some(
                value
                    .as_u64()
                    .and_then(|n| usize::try_from(n).ok())
                    .ok_or(RequestError::MaxBytes)?,
            ),
        };
        if request
            .get("operations")
            .and_then(Value::as_array)
            .is_none()
        {
            return Err(RequestError::OperationsNotArray);
        }
        Ok(Self {
            format,
            max_bytes,
            request,
        })
    }

    /// Applies the operations and renders.
    pub fn render(self) -> Result<Rendered, RenderError> {
        let (format, max_bytes) = (self.format, self.max_bytes);
        let rendered = self.into_config()?.render(format)?;
        Ok(match max_bytes {
            Some(limit) => rendered.at_most(limit)?,
            None => rendered,
        })
    }

    /// Applies the operations, in order, to a new config.
    pub fn into_config(self) -> Result<RegistryConfig, RenderError> {
        let operations = self
            .request
            .get("operations")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        // Sized once: growing the map is code that a first render would compile.
        let mut config = RegistryConfig::with_capacity(operations.len());
        for (index, operation) in operations.iter().enumerate() {
            if operation.as_object().is_none() {
                return Err(RequestError::OperationNotObject { index }.into());
            }
            let kind = string_field(operation, "kind", index)?;
            match kind.as_str() {
                "auth" | "identityToken" | "registryToken" => {
                    insert_credential(&mut config, operation, index, &kind)?
                }
                "remove" => remove(&mut config, operation, index)?,
                "base" => set_base(&mut config, string_field(operation, "config", index)?)?,
                other => return Err(unknown_kind(index, other).into()),
            }
        }
        Ok(config)
    }
}

// The operations live in functions of their own, so that a first render
// compiles only those its request holds: V8 compiles a wasm function, whole,
// on its first call (and scripts/build-wasm keeps wasm-opt from inlining
// them back). Credentials are one function: they share nearly all their code.

/// An `auth`, `identityToken` or `registryToken` operation.
#[inline(never)]
fn insert_credential(
    config: &mut RegistryConfig,
    operation: &Value,
    index: usize,
    kind: &str,
) -> Result<(), RenderError> {
    let address = string_field(operation, "address", index)?;
    let username = match kind {
        "auth" => Some(string_field(operation, "username", index)?),
        _ => None,
    };
    let secret = Secret::new(string_field(operation, "secret", index)?);
    let credential = match (kind, username) {
        (_, Some(username)) => Credential::basic(username, secret),
        ("identityToken", None) => Credential::identity_token(secret),
        (_, None) => Credential::registry_token(secret),
    };
    config.insert(&address, credential)?;
    Ok(())
}

#[inline(never)]
fn remove(config: &mut RegistryConfig, operation: &Value, index: usize) -> Result<(), RenderError> {
    config.remove(&string_field(operation, "address", index)?)?;
    Ok(())
}

#[cold]
#[inline(never)]
fn unknown_kind(index: usize, kind: &str) -> RequestError {
    RequestError::UnknownKind {
        index,
        kind: kind.to_owned(),
    }
}

/// The base-config reader is most of the code a render could compile.
#[inline(never)]
fn set_base(config: &mut RegistryConfig, json: String) -> Result<(), Error> {
    let json = zeroize::Zeroizing::new(json);
    config.set_base(BaseConfig::parse(json.as_bytes())?);
    Ok(())
}

/// A string field of an object; the message names the field, never its value.
pub(crate) fn string_field(
    object: &Value,
    field: &'static str,
    index: usize,
) -> Result<String, RequestError> {
    object
        .get(field)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or(RequestError::FieldNotString { index, field })
}

/// Either the request was malformed or the core refused it.
#[derive(Debug)]
pub enum RenderError {
    /// Malformed request.
    Request(RequestError),
    /// The core's own error.
    Core(Error),
}

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RenderError::Request(err) => err.fmt(f),
            RenderError::Core(err) => err.fmt(f),
        }
    }
}

impl From<RequestError> for RenderError {
    fn from(err: RequestError) -> Self {
        RenderError::Request(err)
    }
}

impl From<Error> for RenderError {
    fn from(err: Error) -> Self {
        RenderError::Core(err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(json: &str) -> Result<String, RenderError> {
        let rendered = RenderRequest::parse(json)?.render()?;
        Ok(String::from_utf8(rendered.as_bytes().to_vec()).unwrap())
    }

    #[test]
    fn operations_apply_in_order() {
        let config = render(
            r#"{"format":"containers","operations":[
                {"kind":"auth","address":"https://index.docker.io/v1/","username":"a","secret":"old"},
                {"kind":"registryToken","address":"ghcr.io","secret":"t"},
                {"kind":"remove","address":"GHCR.io"},
                {"kind":"auth","address":"docker.io","username":"a","secret":"new"}]}"#,
        )
        .unwrap();
        assert!(
            config.contains("\"docker.io\"") && !config.contains("ghcr.io"),
            "{config}"
        );
        assert!(
            config.contains("YTpuZXc="),
            "the later entry wins: {config}"
        );
    }

    #[test]
    fn the_size_limit_is_enforced() {
        let secret = "x".repeat(60_000);
        let ops: Vec<String> = (0..3)
            .map(|i| {
                format!(
                    r#"{{"kind":"auth","address":"r{i}.io","username":"u","secret":"{secret}"}}"#
                )
            })
            .collect();
        let json = format!(r#"{{"maxBytes":128000,"operations":[{}]}}"#, ops.join(","));
        let err = render(&json).unwrap_err();
        assert!(
            matches!(
                err,
                RenderError::Core(Error::TooLarge { limit: 128_000, .. })
            ),
            "{err}"
        );
    }

    #[test]
    fn malformed_requests_name_the_field_not_the_value() {
        for (json, expected) in [
            (
                r#"{"operations":[{"kind":"auth","address":"a.io","username":"u","secret":7}]}"#,
                "operation 0: secret must be a string",
            ),
            (
                r#"{"operations":[{"kind":"login"}]}"#,
                "unknown kind \"login\"",
            ),
            (r#"{"operations":{}}"#, "operations must be an array"),
            (r#"{"format":"podman","operations":[]}"#, "unknown format"),
            (
                r#"{"operations":[{"kind":"auth","address":"a.io","username":"u","secret":"canary"#,
                "not JSON",
            ),
        ] {
            let err = render(json).unwrap_err().to_string();
            assert!(err.contains(expected), "{err}");
            assert!(!err.contains("canary"), "{err}");
        }
    }
}
