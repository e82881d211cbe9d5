//! JSON Lines output shaped like a Log Analytics data export: one object per row keyed by column
//! name, every column present, datetimes as `2026-01-01T10:02:03.1234567Z`, and `dynamic` columns
//! as nested JSON rather than strings.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use arrow::array::{Array, AsArray, RecordBatch};
use arrow::datatypes::{
    DataType, DurationNanosecondType, Float64Type, Int32Type, Int64Type, SchemaRef, TimeUnit,
    TimestampNanosecondType,
};

use crate::GenError;
use crate::schema::is_dynamic;
use crate::time::push_iso8601;

/// Streams batches into a `.jsonl` file through one reused line buffer.
pub struct JsonLinesWriter {
    path: PathBuf,
    out: BufWriter<File>,
    /// `"name":` per column, escaped once.
    keys: Vec<String>,
    dynamic: Vec<bool>,
    line: String,
}

impl JsonLinesWriter {
    /// Creates (truncates) `path`. Batches written later must have `schema`'s columns.
    pub fn create(path: &Path, schema: &SchemaRef) -> Result<Self, GenError> {
        let file = File::create(path).map_err(|e| GenError::io(path, e))?;
        let keys = schema
            .fields()
            .iter()
            .map(|f| {
                let mut k = String::new();
                push_json_str(&mut k, f.name());
                k.push(':');
                k
            })
            .collect();
        let dynamic = schema.fields().iter().map(|f| is_dynamic(f)).collect();
        Ok(Self {
            path: path.to_path_buf(),
            out: BufWriter::with_capacity(1 << 20, file),
            keys,
            dynamic,
            line: String::with_capacity(4096),
        })
    }

    /// Appends one line per row of `batch`.
    ///
    /// Dynamic columns are copied through as the JSON text they hold; the generators only ever
    /// store valid JSON there.
    pub fn write(&mut self, batch: &RecordBatch) -> Result<(), GenError> {
        if batch.num_columns() != self.keys.len() {
            return Err(GenError::Internal(format!(
                "batch has {} columns, the writer's schema {}",
                batch.num_columns(),
                self.keys.len()
            )));
        }
        let columns = batch
            .columns()
            .iter()
            .zip(batch.schema().fields())
            .map(|(a, f)| Column::new(a.as_ref(), f.name()))
            .collect::<Result<Vec<_>, _>>()?;
        for row in 0..batch.num_rows() {
            let line = &mut self.line;
            line.clear();
            line.push('{');
            for (i, col) in columns.iter().enumerate() {
                if i > 0 {
                    line.push(',');
                }
                line.push_str(&self.keys[i]);
                col.push_value(line, row, self.dynamic[i]);
            }
            line.push_str("}\n");
            self.out
                .write_all(line.as_bytes())
                .map_err(|e| GenError::io(&self.path, e))?;
        }
        Ok(())
    }

    /// Flushes the file.
    pub fn finish(mut self) -> Result<(), GenError> {
        self.out.flush().map_err(|e| GenError::io(&self.path, e))
    }
}

/// A column downcast once per batch, so the per-value path is a plain match.
enum Column<'a> {
    Str(&'a arrow::array::StringArray),
    Int32(&'a arrow::array::Int32Array),
    Int64(&'a arrow::array::Int64Array),
    Float64(&'a arrow::array::Float64Array),
    Bool(&'a arrow::array::BooleanArray),
    Timestamp(&'a arrow::array::TimestampNanosecondArray),
    Duration(&'a arrow::array::DurationNanosecondArray),
}

impl<'a> Column<'a> {
    fn new(array: &'a dyn Array, name: &str) -> Result<Self, GenError> {
        Ok(match array.data_type() {
            DataType::Utf8 => Column::Str(array.as_string::<i32>()),
            DataType::Int32 => Column::Int32(array.as_primitive::<Int32Type>()),
            DataType::Int64 => Column::Int64(array.as_primitive::<Int64Type>()),
            DataType::Float64 => Column::Float64(array.as_primitive::<Float64Type>()),
            DataType::Boolean => Column::Bool(array.as_boolean()),
            DataType::Timestamp(TimeUnit::Nanosecond, _) => {
                Column::Timestamp(array.as_primitive::<TimestampNanosecondType>())
            }
            DataType::Duration(TimeUnit::Nanosecond) => {
                Column::Duration(array.as_primitive::<DurationNanosecondType>())
            }
            other => {
                return Err(GenError::UnsupportedType {
                    column: name.to_string(),
                    data_type: other.to_string(),
                });
            }
        })
    }

    fn push_value(&self, line: &mut String, row: usize, dynamic: bool) {
        use std::fmt::Write as _;
        let is_null = match self {
            Column::Str(a) => a.is_null(row),
            Column::Int32(a) => a.is_null(row),
            Column::Int64(a) => a.is_null(row),
            Column::Float64(a) => a.is_null(row),
            Column::Bool(a) => a.is_null(row),
            Column::Timestamp(a) => a.is_null(row),
            Column::Duration(a) => a.is_null(row),
        };
        if is_null {
            line.push_str("null");
            return;
        }
        match self {
            Column::Str(a) if dynamic => {
                let v = a.value(row);
                line.push_str(if v.is_empty() { "null" } else { v });
            }
            Column::Str(a) => push_json_str(line, a.value(row)),
            Column::Int32(a) => {
                let _ = write!(line, "{}", a.value(row));
            }
            Column::Int64(a) => {
                let _ = write!(line, "{}", a.value(row));
            }
            Column::Float64(a) => {
                let v = a.value(row);
                if v.is_finite() {
                    let _ = write!(line, "{v}");
                } else {
                    line.push_str("null");
                }
            }
            Column::Bool(a) => line.push_str(if a.value(row) { "true" } else { "false" }),
            Column::Timestamp(a) => {
                line.push('"');
                push_iso8601(line, a.value(row));
                line.push('"');
            }
            Column::Duration(a) => push_timespan(line, a.value(row)),
        }
    }
}

/// KQL timespan text, `[-][d.]hh:mm:ss[.fffffff]`, as Log Analytics exports it.
fn push_timespan(line: &mut String, ns: i64) {
    use std::fmt::Write as _;
    let neg = ns < 0;
    let ticks = ns.unsigned_abs() / 100;
    let (secs, frac) = (ticks / 10_000_000, ticks % 10_000_000);
    let (days, h, m, s) = (secs / 86_400, secs / 3600 % 24, secs / 60 % 60, secs % 60);
    line.push('"');
    if neg {
        line.push('-');
    }
    if days > 0 {
        let _ = write!(line, "{days}.");
    }
    let _ = write!(line, "{h:02}:{m:02}:{s:02}");
    if frac > 0 {
        let _ = write!(line, ".{frac:07}");
    }
    line.push('"');
}

/// Appends `s` as a JSON string literal.
pub(crate) fn push_json_str(out: &mut String, s: &str) {
    out.push('"');
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        if escape.is_empty() {
            use std::fmt::Write as _;
            let _ = write!(out, "\\u{b:04x}");
        } else {
            out.push_str(escape);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_serde_json() {
        for s in [
            "plain",
            "quote \" and \\ back",
            "line\nbreak\ttab\u{1}",
            "ünïcødé ✓",
        ] {
            let mut out = String::new();
            push_json_str(&mut out, s);
            let back: String = serde_json::from_str(&out).unwrap();
            assert_eq!(back, s);
        }
    }

    #[test]
    fn timespans() {
        let mut s = String::new();
        push_timespan(&mut s, 90_061_500_000_000);
        assert_eq!(s, "\"1.01:01:01.5000000\"");
    }
}
