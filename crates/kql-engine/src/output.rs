//! Results as text and files, in the forms other tools expect: the Log Analytics query-API JSON
//! response (the contract Azure clients parse), JSON lines, RFC 4180 CSV, Parquet, and a boxed
//! table for people. Values are written in KQL's text forms: datetimes `2017-01-01T00:00:00Z`
//! (fraction only when not zero), timespans `[-][d.]hh:mm:ss[.fffffff]`, `dynamic` as compact
//! JSON, real NaN/±infinity as `NaN`/`Infinity`/`-Infinity`. They live here, not in the
//! command line, so that a server reuses them.

mod csv;
mod json;
mod jsonl;
mod parquet;
mod table;

use std::borrow::Cow;

use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, BooleanArray, Decimal128Array, DurationNanosecondArray, Float64Array,
    Int32Array, Int64Array, TimestampNanosecondArray,
};
use datafusion::arrow::compute::cast;
use datafusion::arrow::record_batch::RecordBatch;
use kql_functions::KqlType;
use kql_parser::temporal;
use kql_planner::KqlColumn;

pub use self::csv::write_csv;
pub use json::{JsonResultWriter, write_json};
pub use jsonl::write_jsonl;
pub use parquet::{KQL_TYPE_KEY, write_parquet};
pub use table::{TableOptions, render_table};

use crate::EngineError;

/// One value of a result, typed by its column's KQL type.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Value<'a> {
    Null,
    Bool(bool),
    Long(i64),
    Real(f64),
    /// Decimal text without trailing zeros.
    Decimal(String),
    String(&'a str),
    Guid(&'a str),
    /// Nanoseconds since the Unix epoch.
    Datetime(i64),
    /// Nanoseconds.
    Timespan(i64),
    /// JSON text.
    Dynamic(&'a str),
}

impl Value<'_> {
    /// The value as KQL shows it; null is empty.
    pub(crate) fn text(&self) -> Cow<'_, str> {
        match self {
            Value::Null => Cow::Borrowed(""),
            Value::Bool(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
            Value::Long(v) => Cow::Owned(v.to_string()),
            Value::Real(v) => Cow::Owned(real_text(*v)),
            Value::Decimal(s) => Cow::Borrowed(s),
            Value::String(s) | Value::Guid(s) => Cow::Borrowed(s),
            Value::Datetime(ns) => Cow::Owned(temporal::format_datetime(ns.div_euclid(100))),
            Value::Timespan(ns) => Cow::Owned(temporal::format_timespan(ns / 100)),
            Value::Dynamic(s) => compact_json(s),
        }
    }
}

/// A real as KQL prints it: `NaN`, `Infinity`, `-Infinity`, or the shortest text that reads
/// back as the same number.
pub(crate) fn real_text(v: f64) -> String {
    if v.is_nan() {
        "NaN".into()
    } else if v.is_infinite() {
        if v > 0.0 { "Infinity" } else { "-Infinity" }.into()
    } else {
        v.to_string()
    }
}

/// JSON text without the whitespace between tokens, keys in their order.
pub(crate) fn compact_json(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    // Most stored values have no whitespace at all: a SIMD search settles them.
    if memchr::memchr3(b' ', b'\n', b'\r', bytes).is_none()
        && memchr::memchr2(b'\t', b'\x0c', bytes).is_none()
    {
        return Cow::Borrowed(text);
    }
    let mut in_string = false;
    let mut escaped = false;
    let needs = bytes.iter().any(|&b| {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            false
        } else if b == b'"' {
            in_string = true;
            false
        } else {
            b.is_ascii_whitespace()
        }
    });
    if !needs {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in text.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !c.is_ascii_whitespace() {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// One column of a batch, read row by row as [`Value`]s.
pub(crate) struct ColumnValues {
    ty: KqlType,
    array: ArrayRef,
}

impl ColumnValues {
    /// The column's values; an array of another Arrow type than the KQL type's is cast first.
    pub(crate) fn new(array: &ArrayRef, ty: KqlType) -> Result<Self, EngineError> {
        let want = ty.to_arrow();
        let array = if array.data_type() == &want {
            ArrayRef::clone(array)
        } else {
            cast(array, &want)?
        };
        Ok(Self { ty, array })
    }

    /// The columns of `batch` for `columns`.
    pub(crate) fn of_batch(
        batch: &RecordBatch,
        columns: &[KqlColumn],
    ) -> Result<Vec<Self>, EngineError> {
        batch
            .columns()
            .iter()
            .zip(columns)
            .map(|(a, c)| Self::new(a, c.ty))
            .collect()
    }

    /// The KQL type.
    pub(crate) fn ty(&self) -> KqlType {
        self.ty
    }

    /// The value at `row`.
    pub(crate) fn get(&self, row: usize) -> Value<'_> {
        let a = &self.array;
        if a.is_null(row) {
            return Value::Null;
        }
        match self.ty {
            KqlType::Bool => Value::Bool(downcast::<BooleanArray>(a).value(row)),
            KqlType::Int => Value::Long(i64::from(downcast::<Int32Array>(a).value(row))),
            KqlType::Long => Value::Long(downcast::<Int64Array>(a).value(row)),
            KqlType::Real => Value::Real(downcast::<Float64Array>(a).value(row)),
            KqlType::Decimal => {
                let text = downcast::<Decimal128Array>(a).value_as_string(row);
                Value::Decimal(trim_decimal(&text))
            }
            KqlType::String => Value::String(a.as_string::<i32>().value(row)),
            KqlType::Guid => Value::Guid(a.as_string::<i32>().value(row)),
            KqlType::Dynamic => Value::Dynamic(a.as_string::<i32>().value(row)),
            KqlType::Datetime => {
                Value::Datetime(downcast::<TimestampNanosecondArray>(a).value(row))
            }
            KqlType::Timespan => Value::Timespan(downcast::<DurationNanosecondArray>(a).value(row)),
        }
    }
}

/// The array as its concrete type; [`ColumnValues::new`] cast it to the KQL type's Arrow type,
/// so this cannot fail.
fn downcast<T: 'static>(a: &ArrayRef) -> &T {
    #[allow(clippy::expect_used, reason = "the array was cast to this type")]
    a.as_any()
        .downcast_ref::<T>()
        .expect("array cast to its KQL type's Arrow type")
}

fn trim_decimal(text: &str) -> String {
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compacts_json_outside_strings() {
        assert_eq!(
            compact_json(r#"{"a": [1, 2], "b": "x y"}"#),
            r#"{"a":[1,2],"b":"x y"}"#
        );
        assert!(matches!(compact_json(r#"{"a":1}"#), Cow::Borrowed(_)));
        assert_eq!(compact_json(r#"{"a\" ": 1}"#), r#"{"a\" ":1}"#);
        for space in ["\t", "\n", "\r", "\x0c"] {
            assert_eq!(
                compact_json(&format!("{{\"a\":1,{space}\"b\":2}}")),
                r#"{"a":1,"b":2}"#
            );
        }
    }

    #[test]
    fn texts() {
        assert_eq!(Value::Real(f64::NAN).text(), "NaN");
        assert_eq!(Value::Real(f64::NEG_INFINITY).text(), "-Infinity");
        assert_eq!(Value::Real(0.5).text(), "0.5");
        assert_eq!(
            Value::Datetime(1_483_228_800_000_000_000).text(),
            "2017-01-01T00:00:00Z"
        );
        assert_eq!(
            Value::Datetime(1_483_228_800_123_000_000).text(),
            "2017-01-01T00:00:00.123Z"
        );
        assert_eq!(
            Value::Timespan(-90_061_500_000_000).text(),
            "-1.01:01:01.5000000"
        );
        assert_eq!(trim_decimal("1.500000000000000000"), "1.5");
        assert_eq!(trim_decimal("2.000000000000000000"), "2");
    }
}
