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
    Array, ArrayRef, BooleanArray, Decimal128Array, DurationNanosecondArray, Float64Array,
    Int32Array, Int64Array, StringArray, TimestampNanosecondArray,
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
    // Most stored values have no whitespace at all: one SIMD search settles them.
    if !has_whitespace(bytes) || !whitespace_outside_strings(bytes) {
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

/// Whether `bytes` hold JSON whitespace (as `u8::is_ascii_whitespace`: space, tab, line feed,
/// form feed, carriage return), by SIMD search.
fn has_whitespace(bytes: &[u8]) -> bool {
    memchr::memchr3(b' ', b'\n', b'\r', bytes).is_some()
        || memchr::memchr2(b'\t', b'\x0c', bytes).is_some()
}

/// Whether JSON text has whitespace between tokens (not inside strings). Stored values rarely
/// do, but their strings may hold spaces, so the text is searched a stretch at a time with
/// SIMD: from a quote to the next unescaped quote, and between strings for whitespace.
fn whitespace_outside_strings(bytes: &[u8]) -> bool {
    let mut at = 0;
    loop {
        let rest = &bytes[at..];
        let Some(quote) = memchr::memchr(b'"', rest) else {
            return has_whitespace(rest);
        };
        if has_whitespace(&rest[..quote]) {
            return true;
        }
        // Inside the string: to its closing quote, passing over escapes.
        at += quote + 1;
        loop {
            let Some(stop) = memchr::memchr2(b'"', b'\\', &bytes[at..]) else {
                // An unterminated string runs to the end.
                return false;
            };
            at += stop + 1;
            if bytes[at - 1] == b'"' {
                break;
            }
            // A backslash escapes the next byte.
            at += 1;
            if at >= bytes.len() {
                return false;
            }
        }
    }
}

/// One column of a batch, read row by row as [`Value`]s.
pub(crate) struct ColumnValues {
    ty: KqlType,
    array: ArrayRef,
    /// The array as its concrete type, taken once: a writer reads millions of values, and a
    /// downcast at each would cost more than the value.
    typed: Typed,
}

/// An array of a KQL type's Arrow type (cheap clones of the same buffers).
enum Typed {
    Bool(BooleanArray),
    Int(Int32Array),
    Long(Int64Array),
    Real(Float64Array),
    Decimal(Decimal128Array),
    Text(StringArray),
    Datetime(TimestampNanosecondArray),
    Timespan(DurationNanosecondArray),
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
        let typed = match ty {
            KqlType::Bool => Typed::Bool(downcast::<BooleanArray>(&array)?.clone()),
            KqlType::Int => Typed::Int(downcast::<Int32Array>(&array)?.clone()),
            KqlType::Long => Typed::Long(downcast::<Int64Array>(&array)?.clone()),
            KqlType::Real => Typed::Real(downcast::<Float64Array>(&array)?.clone()),
            KqlType::Decimal => Typed::Decimal(downcast::<Decimal128Array>(&array)?.clone()),
            KqlType::String | KqlType::Guid | KqlType::Dynamic => {
                Typed::Text(downcast::<StringArray>(&array)?.clone())
            }
            KqlType::Datetime => {
                Typed::Datetime(downcast::<TimestampNanosecondArray>(&array)?.clone())
            }
            KqlType::Timespan => {
                Typed::Timespan(downcast::<DurationNanosecondArray>(&array)?.clone())
            }
        };
        Ok(Self { ty, array, typed })
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
        match &self.typed {
            Typed::Bool(a) if a.is_valid(row) => Value::Bool(a.value(row)),
            Typed::Int(a) if a.is_valid(row) => Value::Long(i64::from(a.value(row))),
            Typed::Long(a) if a.is_valid(row) => Value::Long(a.value(row)),
            Typed::Real(a) if a.is_valid(row) => Value::Real(a.value(row)),
            Typed::Decimal(a) if a.is_valid(row) => {
                Value::Decimal(trim_decimal(&a.value_as_string(row)))
            }
            Typed::Text(a) if a.is_valid(row) => match self.ty {
                KqlType::Guid => Value::Guid(a.value(row)),
                KqlType::Dynamic => Value::Dynamic(a.value(row)),
                _ => Value::String(a.value(row)),
            },
            Typed::Datetime(a) if a.is_valid(row) => Value::Datetime(a.value(row)),
            Typed::Timespan(a) if a.is_valid(row) => Value::Timespan(a.value(row)),
            _ => Value::Null,
        }
    }
}

/// The array as its concrete type; [`ColumnValues::new`] cast it to the KQL type's Arrow type,
/// so this fails only on a bug.
fn downcast<T: 'static>(a: &ArrayRef) -> Result<&T, EngineError> {
    a.as_any().downcast_ref::<T>().ok_or_else(|| {
        EngineError::Execution(format!(
            "output: a column of Arrow type {} is not its KQL type's",
            a.data_type()
        ))
    })
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

    /// The stretch-wise search agrees with a byte-by-byte reading on every text of up to six
    /// bytes over the characters that matter.
    #[test]
    fn whitespace_search_agrees_with_a_byte_loop() {
        fn byte_loop(bytes: &[u8]) -> bool {
            let (mut in_string, mut escaped) = (false, false);
            bytes.iter().any(|&b| {
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
            })
        }
        let alphabet = [b'"', b'\\', b' ', b'a', b'\t', b'{'];
        let mut texts: Vec<Vec<u8>> = vec![Vec::new()];
        let mut start = 0;
        for _ in 0..6 {
            let end = texts.len();
            for i in start..end {
                for &c in &alphabet {
                    let mut t = texts[i].clone();
                    t.push(c);
                    texts.push(t);
                }
            }
            start = end;
        }
        for t in &texts {
            assert_eq!(
                whitespace_outside_strings(t),
                byte_loop(t),
                "{:?}",
                String::from_utf8_lossy(t)
            );
        }
    }

    #[test]
    fn compacts_json_outside_strings() {
        assert_eq!(
            compact_json(r#"{"a": [1, 2], "b": "x y"}"#),
            r#"{"a":[1,2],"b":"x y"}"#
        );
        assert!(matches!(compact_json(r#"{"a":1}"#), Cow::Borrowed(_)));
        assert_eq!(compact_json(r#"{"a\" ": 1}"#), r#"{"a\" ":1}"#);
        // Escaped quotes and backslashes inside strings, whitespace after them.
        assert!(matches!(
            compact_json(r#"{"a":"x \" y \\","b":"\\"}"#),
            Cow::Borrowed(_)
        ));
        assert_eq!(
            compact_json(r#"{"a":"x \" y \\", "b":"\\" }"#),
            r#"{"a":"x \" y \\","b":"\\"}"#
        );
        assert_eq!(compact_json(r#"[1, "a b"]"#), r#"[1,"a b"]"#);
        assert_eq!(compact_json(" 1 "), "1");
        // An unterminated string or a trailing backslash keeps the text as it is.
        assert!(matches!(compact_json(r#"{"a":"x y"#), Cow::Borrowed(_)));
        assert!(matches!(compact_json(r#"{"a":"x \"#), Cow::Borrowed(_)));
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
