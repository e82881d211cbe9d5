//! JSON lines as `Engine::register_json_lines` reads them: one row object per line keyed by
//! column name, read by the parallel reader of `json.rs` in its plain dialect. Nested objects
//! and arrays become `dynamic` (their JSON text kept as written); keys are case-sensitive, so
//! `Level` and `level` stay distinct.
//!
//! Also what every reader shares: a JSON value as a cell of a column's KQL type, and cells as
//! record batches of the canonical Arrow types.

use std::borrow::Cow;
use std::path::Path;
use std::sync::Arc;

use datafusion::arrow::array::{
    ArrayRef, BooleanArray, DurationNanosecondArray, Float64Array, Int32Array, Int64Array,
    StringBuilder, TimestampNanosecondArray,
};
use datafusion::arrow::compute::cast;
use datafusion::arrow::record_batch::{RecordBatch, RecordBatchOptions};
use kql_functions::KqlType;
use kql_parser::temporal;
use kql_planner::KqlColumn;

use super::json::{Dialect, JsonSource, read_json_as};
use super::{JsonLinesOptions, LoadOptions, LoadReport};
use crate::EngineError;

pub(super) const REPORTED_ERRORS: usize = 5;

/// A parsed cell, ready to append; text borrows from the line when it has no escapes.
pub(super) enum Cell<'a> {
    Null,
    Bool(bool),
    Long(i64),
    Real(f64),
    Text(Cow<'a, str>),
    Nanos(i64),
}

impl Cell<'_> {
    /// The nanoseconds of a `datetime` or `timespan` cell; `None` for any other.
    fn nanos(&self) -> Option<i64> {
        match self {
            Cell::Nanos(v) => Some(*v),
            _ => None,
        }
    }

    /// The cell without borrows, to outlive its line.
    pub(super) fn into_owned(self) -> Cell<'static> {
        match self {
            Cell::Null => Cell::Null,
            Cell::Bool(b) => Cell::Bool(b),
            Cell::Long(v) => Cell::Long(v),
            Cell::Real(v) => Cell::Real(v),
            Cell::Text(t) => Cell::Text(Cow::Owned(t.into_owned())),
            Cell::Nanos(v) => Cell::Nanos(v),
        }
    }
}

/// Reads `path` (gzip detected by its magic bytes) into batches: the plain dialect of
/// [`super::read_json`], one row object per line, parsed on every core. With a schema the table
/// has exactly its columns (keys matched exactly; other keys are left out and listed in the
/// report's `ignored_fields`); without one, the columns are the keys of the first
/// `infer_rows` rows in order of appearance, typed from their values.
pub fn read_json_lines(
    path: &Path,
    options: &JsonLinesOptions,
) -> Result<(Vec<KqlColumn>, Vec<RecordBatch>, LoadReport), EngineError> {
    let options = LoadOptions {
        schema: options.schema.clone(),
        skip_bad_rows: options.skip_bad_rows,
        infer_rows: options.infer_rows,
        progress: None,
    };
    let table = read_json_as(
        &[JsonSource::File(path.to_path_buf())],
        &options,
        Dialect::Plain,
    )?;
    Ok((table.columns, table.batches, table.report))
}

pub(super) fn string_of(raw: &str) -> Option<Cow<'_, str>> {
    if !raw.starts_with('"') {
        return None;
    }
    // Most strings have no escapes: their text is the raw text between the quotes. (A byte
    // loop: `str::contains` with a char set is several times slower here.)
    if raw.len() >= 2 && raw.ends_with('"') {
        let inner = &raw[1..raw.len() - 1];
        if !inner.bytes().any(|b| b == b'\\' || b == b'"') {
            return Some(Cow::Borrowed(inner));
        }
    }
    serde_json::from_str::<Cow<'_, str>>(raw).ok()
}

pub(super) fn cell(raw: &str, ty: KqlType) -> Result<Cell<'_>, String> {
    let raw = raw.trim();
    if raw == "null" {
        return Ok(Cell::Null);
    }
    let shown = || {
        if raw.len() > 60 {
            format!("{}…", &raw[..raw.floor_char_boundary(60)])
        } else {
            raw.to_string()
        }
    };
    let bad = |what: &str| Err(format!("expected {what}, got {}", shown()));
    match ty {
        KqlType::String | KqlType::Guid => Ok(Cell::Text(match string_of(raw) {
            Some(s) => s,
            None => Cow::Borrowed(raw),
        })),
        KqlType::Dynamic => Ok(Cell::Text(Cow::Borrowed(raw))),
        KqlType::Bool => match raw {
            "true" => Ok(Cell::Bool(true)),
            "false" => Ok(Cell::Bool(false)),
            _ => match string_of(raw).and_then(|s| kql_functions::udf::bool_of_text(&s)) {
                Some(b) => Ok(Cell::Bool(b)),
                None => bad("a bool"),
            },
        },
        KqlType::Int | KqlType::Long => {
            let text = string_of(raw).unwrap_or(Cow::Borrowed(raw));
            match text.trim().parse::<i64>() {
                Ok(v) if ty == KqlType::Long || i32::try_from(v).is_ok() => Ok(Cell::Long(v)),
                _ => bad(if ty == KqlType::Int {
                    "an int"
                } else {
                    "a long"
                }),
            }
        }
        KqlType::Real | KqlType::Decimal => {
            let text = string_of(raw).unwrap_or(Cow::Borrowed(raw));
            match text.trim().parse::<f64>() {
                Ok(v) if ty == KqlType::Real => Ok(Cell::Real(v)),
                Ok(_) => Ok(Cell::Text(Cow::Owned(text.trim().to_string()))),
                Err(_) => bad("a number"),
            }
        }
        KqlType::Datetime => match string_of(raw)
            .and_then(|s| temporal::parse_datetime(&s))
            .and_then(|t| t.checked_mul(100))
        {
            Some(ns) => Ok(Cell::Nanos(ns)),
            None => bad("a datetime"),
        },
        KqlType::Timespan => match string_of(raw)
            .and_then(|s| temporal::parse_timespan(&s))
            .and_then(|t| t.checked_mul(100))
        {
            Some(ns) => Ok(Cell::Nanos(ns)),
            None => bad("a timespan"),
        },
    }
}

pub(super) fn build_batch(
    columns: &[KqlColumn],
    schema: &datafusion::arrow::datatypes::SchemaRef,
    rows: Vec<Vec<Cell<'_>>>,
) -> Result<RecordBatch, EngineError> {
    build_batch_with(columns, schema, rows.len(), |r, c| &rows[r][c])
}

/// [`build_batch`] of `rows` rows laid out one after another, a cell per column each.
pub(super) fn build_flat_batch(
    columns: &[KqlColumn],
    schema: &datafusion::arrow::datatypes::SchemaRef,
    cells: &[Cell<'_>],
    rows: usize,
) -> Result<RecordBatch, EngineError> {
    let width = columns.len();
    build_batch_with(columns, schema, rows, |r, c| &cells[r * width + c])
}

fn build_batch_with<'c, 'a: 'c>(
    columns: &[KqlColumn],
    schema: &datafusion::arrow::datatypes::SchemaRef,
    n: usize,
    cell_at: impl Fn(usize, usize) -> &'c Cell<'a> + Copy,
) -> Result<RecordBatch, EngineError> {
    let mut arrays: Vec<ArrayRef> = Vec::with_capacity(columns.len());
    for (i, column) in columns.iter().enumerate() {
        let cells = (0..n).map(move |r| cell_at(r, i));
        let array: ArrayRef = match column.ty {
            KqlType::Bool => Arc::new(
                cells
                    .map(|c| {
                        if let Cell::Bool(v) = c {
                            Some(*v)
                        } else {
                            None
                        }
                    })
                    .collect::<BooleanArray>(),
            ),
            KqlType::Int => Arc::new(
                cells
                    .map(|c| match c {
                        Cell::Long(v) => i32::try_from(*v).ok(),
                        _ => None,
                    })
                    .collect::<Int32Array>(),
            ),
            KqlType::Long => Arc::new(
                cells
                    .map(|c| {
                        if let Cell::Long(v) = c {
                            Some(*v)
                        } else {
                            None
                        }
                    })
                    .collect::<Int64Array>(),
            ),
            KqlType::Real => Arc::new(
                cells
                    .map(|c| match c {
                        Cell::Real(v) => Some(*v),
                        Cell::Long(v) => Some(*v as f64),
                        _ => None,
                    })
                    .collect::<Float64Array>(),
            ),
            KqlType::Datetime => Arc::new(
                cells
                    .map(Cell::nanos)
                    .collect::<TimestampNanosecondArray>()
                    .with_timezone("UTC"),
            ),
            KqlType::Timespan => {
                Arc::new(cells.map(Cell::nanos).collect::<DurationNanosecondArray>())
            }
            KqlType::String | KqlType::Guid | KqlType::Dynamic | KqlType::Decimal => {
                // Exact capacity: a growing builder doubles its buffer, and the unused half
                // would stay allocated for as long as the table lives.
                let bytes = cells
                    .clone()
                    .map(|c| match c {
                        Cell::Text(s) => s.len(),
                        _ => 0,
                    })
                    .sum();
                let mut b = StringBuilder::with_capacity(n, bytes);
                for c in cells {
                    match c {
                        Cell::Text(s) => b.append_value(s),
                        // KQL strings have no null.
                        _ if column.ty == KqlType::String => b.append_value(""),
                        _ => b.append_null(),
                    }
                }
                let strings: ArrayRef = Arc::new(b.finish());
                if column.ty == KqlType::Decimal {
                    cast(&strings, &KqlType::Decimal.to_arrow())?
                } else {
                    strings
                }
            }
        };
        arrays.push(array);
    }
    // The row count is explicit: a table may have no columns.
    let options = RecordBatchOptions::new().with_row_count(Some(n));
    Ok(RecordBatch::try_new_with_options(
        Arc::clone(schema),
        arrays,
        &options,
    )?)
}

pub(super) fn kind_of(raw: &str) -> Option<KqlType> {
    let raw = raw.trim();
    match raw.as_bytes().first() {
        Some(b'{' | b'[') => Some(KqlType::Dynamic),
        Some(b't' | b'f') => Some(KqlType::Bool),
        Some(b'n') => None,
        Some(b'"') => {
            let s = string_of(raw)?;
            let looks_iso = s.len() >= 10
                && s.as_bytes()[4] == b'-'
                && s.as_bytes()[..4].iter().all(u8::is_ascii_digit);
            if looks_iso && temporal::parse_datetime(&s).is_some() {
                Some(KqlType::Datetime)
            } else {
                Some(KqlType::String)
            }
        }
        _ => Some(if raw.contains(['.', 'e', 'E']) {
            KqlType::Real
        } else {
            KqlType::Long
        }),
    }
}

pub(super) fn merge(a: Option<KqlType>, b: Option<KqlType>) -> Option<KqlType> {
    match (a, b) {
        (None, x) | (x, None) => x,
        (Some(x), Some(y)) if x == y => Some(x),
        (Some(KqlType::Long), Some(KqlType::Real)) | (Some(KqlType::Real), Some(KqlType::Long)) => {
            Some(KqlType::Real)
        }
        (Some(KqlType::Datetime), Some(KqlType::String))
        | (Some(KqlType::String), Some(KqlType::Datetime)) => Some(KqlType::String),
        _ => Some(KqlType::Dynamic),
    }
}
