//! A JSON object as its fields in written order, each value kept as raw JSON text: keys borrow
//! from the line when they have no escapes, so a row costs no allocation per field, and the
//! column order of an inferred schema is the order of the file.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

/// One JSON object: `(key, raw value)` in written order.
pub(super) struct Object<'a> {
    fields: Vec<(Cow<'a, str>, &'a str)>,
}

impl<'a> Object<'a> {
    /// Parses `text`, which must be one JSON object.
    pub(super) fn parse(text: &'a str) -> Result<Self, String> {
        let mut de = serde_json::Deserializer::from_str(text);
        let object = de::Deserialize::deserialize(&mut de)
            .and_then(|o: Object<'a>| de.end().map(|()| o))
            .map_err(|e| {
                if text.trim_start().starts_with('{') {
                    // The line is known to the caller; say where in it.
                    let message = e.to_string();
                    let position = format!(" at line {} column {}", e.line(), e.column());
                    let message = message.strip_suffix(&position).unwrap_or(&message);
                    format!("invalid JSON (column {}): {message}", e.column())
                } else {
                    "expected a JSON object".to_string()
                }
            })?;
        Ok(object)
    }

    /// The raw value of `key` (exact spelling; the first occurrence).
    pub(super) fn get(&self, key: &str) -> Option<&'a str> {
        self.fields.iter().find(|(k, _)| k == key).map(|(_, v)| *v)
    }

    /// The fields in written order.
    pub(super) fn fields(&self) -> &[(Cow<'a, str>, &'a str)] {
        &self.fields
    }

    /// The fields, owned.
    pub(super) fn into_fields(self) -> Vec<(Cow<'a, str>, &'a str)> {
        self.fields
    }

    /// How many fields.
    pub(super) fn len(&self) -> usize {
        self.fields.len()
    }

    /// If the object is exactly `{"records": [...]}` (the wrapper of diagnostic-settings blobs
    /// before 2018 and of Event Hubs events), the records.
    pub(super) fn records(&self) -> Option<Result<Vec<&'a str>, String>> {
        if self.fields.len() != 1 || self.fields[0].0 != "records" {
            return None;
        }
        Some(
            serde_json::from_str::<Vec<&RawValue>>(self.fields[0].1)
                .map(|v| v.into_iter().map(RawValue::get).collect())
                .map_err(|e| format!("'records' is not an array of objects: {e}")),
        )
    }
}

/// A key that borrows from the input when it can.
struct Key<'a>(Cow<'a, str>);

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Key(Cow::Owned(v.to_string())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

impl<'de> de::Deserialize<'de> for Object<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ObjectVisitor;
        impl<'de> Visitor<'de> for ObjectVisitor {
            type Value = Object<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
                // Log rows have a few dozen fields (`traces`: 31): room for them without growing.
                let mut fields = Vec::with_capacity(map.size_hint().unwrap_or(32));
                while let Some((k, v)) = map.next_entry::<Key<'de>, &'de RawValue>()? {
                    fields.push((k.0, v.get()));
                }
                Ok(Object { fields })
            }
        }
        d.deserialize_map(ObjectVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_order_and_raw_values() {
        let o = Object::parse(r#"{"b": 1, "a\u0041": {"x": [1, 2]}, "c": "s"}"#).unwrap();
        let keys: Vec<&str> = o.fields().iter().map(|(k, _)| k.as_ref()).collect();
        assert_eq!(keys, ["b", "aA", "c"]);
        assert_eq!(o.get("aA"), Some(r#"{"x": [1, 2]}"#));
        assert_eq!(o.get("c"), Some(r#""s""#));
        assert!(matches!(o.fields()[0].0, Cow::Borrowed(_)));
    }

    #[test]
    fn errors() {
        assert_eq!(
            Object::parse("[1]").err().unwrap(),
            "expected a JSON object"
        );
        assert!(
            Object::parse("{\"a\": }")
                .err()
                .unwrap()
                .starts_with("invalid JSON")
        );
        assert!(Object::parse("{} x").is_err());
    }

    #[test]
    fn records_wrapper() {
        let o = Object::parse(r#"{"records":[{"a":1},{"a":2}]}"#).unwrap();
        assert_eq!(o.records().unwrap().unwrap(), [r#"{"a":1}"#, r#"{"a":2}"#]);
        assert!(Object::parse(r#"{"a":1}"#).unwrap().records().is_none());
    }
}
