//! `buildschema(d)`: the minimal schema that admits every `dynamic` value of the group.
//!
//! A value's schema is its type name (`long`, `double`, `string`, `bool`), a bag's is a bag of
//! its members' schemas, and an array's is a bag with the one key `` `indexer` `` holding the
//! schema of its elements. Schemas merge member by member; where a slot has seen several types,
//! it holds the array of them in order of first appearance (`"x": ["long", "string"]`). Nulls
//! add nothing.
//!
//! The schema is kept in exactly that output form, which is also the partial state: merging two
//! partial states merges the schemas they spell.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, AsArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{Result, ScalarValue, exec_err};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::utils::format_state_name;
use datafusion::logical_expr::{Accumulator, AggregateUDFImpl, Signature, Volatility};

use crate::scalar::dynamic::json::Json;
use crate::scalar::dynamic::value_of;

/// The key that stands for an array's elements.
const INDEXER: &str = "`indexer`";

/// One slot's schema: the types seen there, in order of first appearance; at most one bag.
#[derive(Clone, Debug, Default, PartialEq)]
struct Schema(Vec<Alternative>);

#[derive(Clone, Debug, PartialEq)]
enum Alternative {
    Type(String),
    Bag(Vec<(String, Schema)>),
}

impl Schema {
    /// The schema of one value (empty for null).
    fn of(value: &Json) -> Schema {
        let alternative = match value {
            Json::Null => return Schema::default(),
            Json::Bool(_) => Alternative::Type("bool".into()),
            Json::Number(n) if n.is_i64() || n.is_u64() => Alternative::Type("long".into()),
            Json::Number(_) => Alternative::Type("double".into()),
            Json::String(_) => Alternative::Type("string".into()),
            Json::Object(entries) => {
                let mut bag = Schema(vec![Alternative::Bag(Vec::new())]);
                for (key, v) in entries {
                    bag.add_member(key, Schema::of(v));
                }
                return bag;
            }
            Json::Array(items) => {
                let mut elements = Schema::default();
                for item in items {
                    elements.merge(Schema::of(item));
                }
                if elements.0.is_empty() {
                    return Schema(vec![Alternative::Bag(Vec::new())]);
                }
                Alternative::Bag(vec![(INDEXER.to_string(), elements)])
            }
        };
        Schema(vec![alternative])
    }

    /// Merges `schema` of member `key` into this schema's bag.
    fn add_member(&mut self, key: &str, schema: Schema) {
        self.merge(Schema(vec![Alternative::Bag(vec![(
            key.to_string(),
            schema,
        )])]));
    }

    /// Widens this schema to admit everything `other` admits.
    fn merge(&mut self, other: Schema) {
        for alternative in other.0 {
            match alternative {
                Alternative::Type(t) => {
                    if !self.0.contains(&Alternative::Type(t.clone())) {
                        self.0.push(Alternative::Type(t));
                    }
                }
                Alternative::Bag(members) => {
                    let bag = self.0.iter_mut().find_map(|a| match a {
                        Alternative::Bag(m) => Some(m),
                        Alternative::Type(_) => None,
                    });
                    match bag {
                        Some(existing) => {
                            for (key, schema) in members {
                                match existing.iter_mut().find(|(k, _)| *k == key) {
                                    Some((_, s)) => s.merge(schema),
                                    None => existing.push((key, schema)),
                                }
                            }
                        }
                        None => self.0.push(Alternative::Bag(members)),
                    }
                }
            }
        }
    }

    /// About the memory the schema holds, without building its text (DataFusion asks after
    /// every batch).
    fn bytes(&self) -> usize {
        self.0
            .iter()
            .map(|a| match a {
                Alternative::Type(t) => t.len() + std::mem::size_of::<Alternative>(),
                Alternative::Bag(members) => members
                    .iter()
                    .map(|(k, s)| k.len() + s.bytes() + std::mem::size_of::<(String, Schema)>())
                    .sum(),
            })
            .sum()
    }

    /// The schema as KQL shows it; `None` when nothing was seen.
    fn to_json(&self) -> Option<Json> {
        let mut alternatives: Vec<Json> = self
            .0
            .iter()
            .map(|a| match a {
                Alternative::Type(t) => Json::String(t.clone()),
                Alternative::Bag(members) => Json::Object(
                    members
                        .iter()
                        .filter_map(|(k, s)| s.to_json().map(|j| (k.clone(), j)))
                        .collect(),
                ),
            })
            .collect();
        match alternatives.len() {
            0 => None,
            1 => alternatives.pop(),
            _ => Some(Json::Array(alternatives)),
        }
    }

    /// Reads a schema back from its output form (a partial state).
    fn from_json(json: &Json) -> Schema {
        match json {
            Json::String(t) => Schema(vec![Alternative::Type(t.clone())]),
            Json::Object(members) => Schema(vec![Alternative::Bag(
                members
                    .iter()
                    .map(|(k, v)| (k.clone(), Schema::from_json(v)))
                    .collect(),
            )]),
            Json::Array(alternatives) => {
                let mut schema = Schema::default();
                for a in alternatives {
                    schema.merge(Schema::from_json(a));
                }
                schema
            }
            _ => Schema::default(),
        }
    }
}

/// The `buildschema` aggregate.
#[derive(Debug, PartialEq, Eq, Hash)]
pub(crate) struct BuildSchema {
    signature: Signature,
}

impl BuildSchema {
    pub(crate) fn new() -> Self {
        Self {
            signature: Signature::any(1, Volatility::Immutable),
        }
    }
}

impl AggregateUDFImpl for BuildSchema {
    fn name(&self) -> &str {
        "kql_buildschema"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn accumulator(&self, _acc_args: AccumulatorArgs<'_>) -> Result<Box<dyn Accumulator>> {
        Ok(Box::new(SchemaAccumulator {
            schema: Schema::default(),
        }))
    }

    fn state_fields(&self, args: StateFieldsArgs<'_>) -> Result<Vec<FieldRef>> {
        Ok(vec![Arc::new(Field::new(
            format_state_name(args.name, "schema"),
            DataType::Utf8,
            true,
        ))])
    }
}

#[derive(Debug)]
struct SchemaAccumulator {
    schema: Schema,
}

impl SchemaAccumulator {
    fn add_texts(&mut self, texts: &ArrayRef, as_state: bool) -> Result<()> {
        let texts = cast(texts, &DataType::Utf8)?;
        for text in texts.as_string::<i32>().iter().flatten() {
            let value = value_of(text);
            self.schema.merge(if as_state {
                Schema::from_json(&value)
            } else {
                Schema::of(&value)
            });
        }
        Ok(())
    }

    fn value(&self) -> ScalarValue {
        ScalarValue::Utf8(self.schema.to_json().map(|j| j.text()))
    }
}

impl Accumulator for SchemaAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let Some(values) = values.first() else {
            return exec_err!("buildschema takes one value");
        };
        self.add_texts(values, false)
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let Some(states) = states.first() else {
            return exec_err!("buildschema state is missing");
        };
        self.add_texts(states, true)
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(vec![self.value()])
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        Ok(self.value())
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self) + self.schema.bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(values: &[&str]) -> String {
        let mut schema = Schema::default();
        for v in values {
            schema.merge(Schema::of(&value_of(v)));
        }
        schema.to_json().map(|j| j.text()).unwrap_or_default()
    }

    #[test]
    fn documented_example() {
        assert_eq!(
            build(&[
                r#"{"x":1, "y":3.5}"#,
                r#"{"x":"somevalue", "z":[1, 2, 3]}"#,
                r#"{"y":{"w":"zzz"}, "t":["aa", "bb"], "z":["foo"]}"#,
            ]),
            r#"{"x":["long","string"],"y":["double",{"w":"string"}],"z":{"`indexer`":["long","string"]},"t":{"`indexer`":"string"}}"#
        );
    }

    #[test]
    fn states_merge_like_values() {
        let a = build(&[r#"{"a":1}"#, "[true]"]);
        let b = build(&[r#"{"a":"s","b":null}"#]);
        let mut merged = Schema::from_json(&value_of(&a));
        merged.merge(Schema::from_json(&value_of(&b)));
        assert_eq!(
            merged.to_json().unwrap().text(),
            r#"{"a":["long","string"],"`indexer`":"bool"}"#
        );
        assert_eq!(build(&["null"]), "");
    }
}
