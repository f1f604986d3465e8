//! A Dagger engine stand-in: a `GraphQLClient` that records every query the
//! real `dagger_sdk::Query` sends and answers the few fields these tests need.
//!
//! Queries are compared after normalisation: the SDK keeps a field's
//! arguments in a `HashMap`, so their order changes from run to run. Each
//! query is parsed (graphql-parser) and printed back with its arguments
//! sorted by name, strings escaped as JSON.

#![allow(dead_code)] // each test binary uses its own part of the harness

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use dagger_sdk::core::graphql_client::{GraphQLClient, GraphQLError};
use dagger_sdk::{Query, Selection};
use graphql_parser::query::{
    parse_query, Definition, OperationDefinition, Selection as GqlSelection, SelectionSet,
    TypeCondition, Value,
};
use serde_json::json;

/// One step of a query's path: a field with its arguments, or `... on Type`.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    /// `name(args)`, arguments sorted by name, values printed normalised.
    Field {
        name: String,
        args: Vec<(String, String)>,
        /// String arguments, unescaped.
        strings: HashMap<String, String>,
    },
    /// `... on Type`.
    Fragment(String),
}

/// A parsed query: the SDK only sends single-path queries.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub raw: String,
    pub path: Vec<Step>,
}

impl Recorded {
    /// The query with sorted arguments: stable from run to run.
    pub fn normalised(&self) -> String {
        let mut parts = vec!["query".to_owned()];
        for step in &self.path {
            parts.push(match step {
                Step::Fragment(ty) => format!("... on {ty}"),
                Step::Field { name, args, .. } if args.is_empty() => name.clone(),
                Step::Field { name, args, .. } => {
                    let args: Vec<String> = args.iter().map(|(k, v)| format!("{k}:{v}")).collect();
                    format!("{name}({})", args.join(", "))
                }
            });
        }
        parts.join("{") + &"}".repeat(parts.len() - 1)
    }

    /// The unescaped string argument `arg` of the first field named `field`.
    pub fn string_arg(&self, field: &str, arg: &str) -> Option<&str> {
        self.path.iter().find_map(|step| match step {
            Step::Field { name, strings, .. } if name == field => {
                strings.get(arg).map(String::as_str)
            }
            _ => None,
        })
    }

    /// Whether some field of the path is named `field`.
    pub fn has_field(&self, field: &str) -> bool {
        self.path
            .iter()
            .any(|step| matches!(step, Step::Field { name, .. } if name == field))
    }

    fn leaf(&self) -> &str {
        self.path
            .iter()
            .rev()
            .find_map(|step| match step {
                Step::Field { name, .. } => Some(name.as_str()),
                Step::Fragment(_) => None,
            })
            .unwrap_or("")
    }
}

/// Parses what the SDK sent.
pub fn parse(raw: &str) -> Recorded {
    let document =
        parse_query::<String>(raw).unwrap_or_else(|e| panic!("invalid query {raw}: {e}"));
    assert_eq!(document.definitions.len(), 1, "{raw}");
    let set = match &document.definitions[0] {
        Definition::Operation(OperationDefinition::Query(query)) => &query.selection_set,
        Definition::Operation(OperationDefinition::SelectionSet(set)) => set,
        other => panic!("unexpected definition {other:?}"),
    };
    let mut path = Vec::new();
    walk(set, &mut path, raw);
    Recorded {
        raw: raw.to_owned(),
        path,
    }
}

fn walk(set: &SelectionSet<'_, String>, path: &mut Vec<Step>, raw: &str) {
    match set.items.as_slice() {
        [] => {}
        [GqlSelection::Field(field)] => {
            let mut args: Vec<(String, String)> = field
                .arguments
                .iter()
                .map(|(name, value)| (name.clone(), print(value)))
                .collect();
            args.sort();
            let strings = field
                .arguments
                .iter()
                .filter_map(|(name, value)| match value {
                    Value::String(s) => Some((name.clone(), s.clone())),
                    _ => None,
                })
                .collect();
            let name = match &field.alias {
                Some(alias) => format!("{alias}:{}", field.name),
                None => field.name.clone(),
            };
            path.push(Step::Field {
                name,
                args,
                strings,
            });
            walk(&field.selection_set, path, raw);
        }
        [GqlSelection::InlineFragment(fragment)] => {
            let Some(TypeCondition::On(ty)) = &fragment.type_condition else {
                panic!("fragment without a type in {raw}");
            };
            path.push(Step::Fragment(ty.clone()));
            walk(&fragment.selection_set, path, raw);
        }
        _ => panic!("expected a single path: {raw}"),
    }
}

/// A value as GraphQL text, strings JSON-escaped, object keys sorted.
fn print(value: &Value<'_, String>) -> String {
    match value {
        Value::String(s) => serde_json::to_string(s).unwrap(),
        Value::Int(n) => n.as_i64().unwrap().to_string(),
        Value::Float(f) => f.to_string(),
        Value::Boolean(b) => b.to_string(),
        Value::Null => "null".to_owned(),
        Value::Enum(e) => e.clone(),
        Value::Variable(v) => format!("${v}"),
        Value::List(items) => {
            let items: Vec<String> = items.iter().map(print).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Object(fields) => {
            let fields: Vec<String> = fields
                .iter()
                .map(|(k, v)| format!("{k}:{}", print(v)))
                .collect();
            format!("{{{}}}", fields.join(", "))
        }
    }
}

/// The fake engine.
pub struct Recorder {
    queries: Mutex<Vec<String>>,
    /// `secret(uri:)` → plaintext.
    plaintexts: HashMap<String, String>,
    next_id: AtomicUsize,
}

impl Recorder {
    /// An engine whose `secret(uri: U)` has plaintext `P` for each `(U, P)`.
    pub fn new(plaintexts: &[(&str, &str)]) -> Arc<Self> {
        Arc::new(Self {
            queries: Mutex::default(),
            plaintexts: plaintexts
                .iter()
                .map(|(uri, plaintext)| ((*uri).to_owned(), (*plaintext).to_owned()))
                .collect(),
            next_id: AtomicUsize::new(1),
        })
    }

    /// The real SDK's root query, talking to this recorder.
    pub fn query(self: &Arc<Self>) -> Query {
        Query {
            proc: None,
            selection: Selection::default(),
            graphql_client: self.clone(),
        }
    }

    /// Every query received so far, parsed.
    pub fn recorded(&self) -> Vec<Recorded> {
        self.queries
            .lock()
            .unwrap()
            .iter()
            .map(|q| parse(q))
            .collect()
    }

    /// The normalised queries, one a line.
    pub fn normalised(&self) -> String {
        self.recorded()
            .iter()
            .map(|q| q.normalised() + "\n")
            .collect()
    }

    fn answer(&self, query: &Recorded) -> Result<serde_json::Value, GraphQLError> {
        let leaf = match query.leaf() {
            "id" | "sync" => json!(format!(
                "fake-id-{}",
                self.next_id.fetch_add(1, Ordering::SeqCst)
            )),
            "plaintext" => {
                let uri = query.string_arg("secret", "uri").ok_or_else(|| {
                    GraphQLError::HttpError("plaintext of a secret not from secret(uri:)".into())
                })?;
                let plaintext = self
                    .plaintexts
                    .get(uri)
                    .ok_or_else(|| GraphQLError::HttpError(format!("secret {uri} not found")))?;
                json!(plaintext)
            }
            other => {
                return Err(GraphQLError::HttpError(format!(
                    "the recorder does not answer {other}"
                )))
            }
        };
        // Nest the answer along the whole path, as the engine does (fragments add no level).
        Ok(query
            .path
            .iter()
            .rev()
            .fold(leaf, |inner, step| match step {
                Step::Field { name, .. } => {
                    let key = name.split(':').next().unwrap_or(name);
                    json!({ key: inner })
                }
                Step::Fragment(_) => inner,
            }))
    }
}

#[async_trait]
impl GraphQLClient for Recorder {
    async fn query(&self, query: &str) -> Result<Option<serde_json::Value>, GraphQLError> {
        self.queries.lock().unwrap().push(query.to_owned());
        self.answer(&parse(query)).map(Some)
    }
}

/// Compares `actual` with `tests/fixtures/NAME.golden`; `UPDATE_GOLDEN=1`
/// rewrites the file instead.
pub fn assert_golden(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(format!("{name}.golden"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run with UPDATE_GOLDEN=1 to create it)",
            path.display()
        )
    });
    if expected != actual {
        panic!(
            "{} differs (UPDATE_GOLDEN=1 rewrites it)\n--- expected\n{expected}\n--- actual\n{actual}",
            path.display()
        );
    }
}
