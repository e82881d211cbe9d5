//! CSV with a header row (RFC 4180; gzip detected by its magic bytes), read into memory so that
//! a malformed row fails the load with its file and line, or is skipped and counted, like a JSON
//! line. Columns are matched by header name; types come from the schema or from the values (a
//! field that is JSON text of an object or array is `dynamic`, as Log Analytics exports save it).

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use kql_functions::KqlType;
use kql_parser::temporal;
use kql_planner::KqlColumn;
use serde_json::value::RawValue;

use super::json::JsonSource;
use super::jsonl::{Cell, REPORTED_ERRORS, build_batch};
use super::{LoadOptions, LoadReport, LoadedTable};
use crate::EngineError;
use crate::coerce::canonical_schema;

const BATCH_ROWS: usize = 65_536;

/// Reads CSV files with header rows as one table.
pub fn read_csv(paths: &[PathBuf], options: &LoadOptions) -> Result<LoadedTable, EngineError> {
    let columns = columns_of(paths, options)?;
    let schema = canonical_schema(&columns);
    let exact: HashMap<&str, usize> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| (c.name.as_str(), i))
        .collect();
    let folded: HashMap<String, usize> = columns
        .iter()
        .enumerate()
        .rev()
        .map(|(i, c)| (c.name.to_lowercase(), i))
        .collect();
    let counter = options
        .progress
        .as_ref()
        .map(|_| Arc::new(AtomicU64::new(0)));
    let mut reported = 0u64;
    let mut report = LoadReport::default();
    let mut batches = Vec::new();
    let mut rows: Vec<Vec<Cell<'static>>> = Vec::new();
    let several = paths.len() > 1;
    for path in paths {
        let display = path.display().to_string();
        let mut reader = reader(path, counter.clone())?;
        let headers = headers(&mut reader, &display)?;
        let targets: Vec<Option<usize>> = headers
            .iter()
            .map(|h| {
                exact
                    .get(h.as_str())
                    .copied()
                    .or_else(|| folded.get(&h.to_lowercase()).copied())
            })
            .collect();
        let mut record = csv::StringRecord::new();
        loop {
            let line = reader.position().line() as usize;
            let parsed = match reader.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => to_cells(&record, &headers, &targets, &columns),
                Err(e) => match e.kind() {
                    csv::ErrorKind::Utf8 { .. } | csv::ErrorKind::UnequalLengths { .. } => {
                        Err(e.to_string())
                    }
                    _ => {
                        return Err(EngineError::Load {
                            path: display,
                            line: Some(line),
                            message: e.to_string(),
                        });
                    }
                },
            };
            match parsed {
                Ok(cells) => rows.push(cells),
                Err(message) if options.skip_bad_rows => {
                    report.skipped += 1;
                    if report.first_errors.len() < REPORTED_ERRORS {
                        let message = if several {
                            format!("in {display}: {message}")
                        } else {
                            message
                        };
                        report.first_errors.push((line, message));
                    }
                }
                Err(message) => {
                    return Err(EngineError::Load {
                        path: display,
                        line: Some(line),
                        message,
                    });
                }
            }
            if rows.len() == BATCH_ROWS {
                report.rows += rows.len();
                batches.push(build_batch(&columns, &schema, std::mem::take(&mut rows))?);
                if let (Some(c), Some(p)) = (&counter, &options.progress) {
                    let now = c.load(Ordering::Relaxed);
                    p.add(now - reported);
                    reported = now;
                }
            }
        }
    }
    if !rows.is_empty() || batches.is_empty() {
        report.rows += rows.len();
        batches.push(build_batch(&columns, &schema, rows)?);
    }
    if let (Some(c), Some(p)) = (&counter, &options.progress) {
        p.add(c.load(Ordering::Relaxed) - reported);
    }
    Ok(LoadedTable {
        columns,
        batches,
        report,
    })
}

fn reader(
    path: &std::path::Path,
    counter: Option<Arc<AtomicU64>>,
) -> Result<csv::Reader<Box<dyn std::io::BufRead + Send>>, EngineError> {
    let input = JsonSource::File(path.to_path_buf()).open(counter)?;
    Ok(csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(input))
}

/// The header row, without a UTF-8 byte order mark.
fn headers(
    reader: &mut csv::Reader<Box<dyn std::io::BufRead + Send>>,
    display: &str,
) -> Result<Vec<String>, EngineError> {
    let mut record = csv::StringRecord::new();
    let ok = reader
        .read_record(&mut record)
        .map_err(|e| EngineError::Load {
            path: display.to_string(),
            line: Some(1),
            message: e.to_string(),
        })?;
    if !ok {
        return Ok(Vec::new());
    }
    Ok(record
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let h = if i == 0 {
                h.trim_start_matches('\u{feff}')
            } else {
                h
            };
            h.trim().to_string()
        })
        .collect())
}

fn to_cells(
    record: &csv::StringRecord,
    headers: &[String],
    targets: &[Option<usize>],
    columns: &[KqlColumn],
) -> Result<Vec<Cell<'static>>, String> {
    if record.len() != headers.len() {
        return Err(format!(
            "expected {} fields (as the header has), found {}",
            headers.len(),
            record.len()
        ));
    }
    let mut cells: Vec<Cell<'static>> = columns.iter().map(|_| Cell::Null).collect();
    for (field, target) in record.iter().zip(targets) {
        if let Some(i) = *target {
            let column = &columns[i];
            cells[i] = text_cell(field, column.ty)
                .map_err(|m| format!("column '{}': {m}", column.name))?;
        }
    }
    Ok(cells)
}

/// A CSV field as a value of `ty`: an empty field is null (`""` for strings).
fn text_cell(text: &str, ty: KqlType) -> Result<Cell<'static>, String> {
    if matches!(ty, KqlType::String | KqlType::Guid) {
        return Ok(Cell::Text(Cow::Owned(text.to_string())));
    }
    let t = text.trim();
    if t.is_empty() {
        return Ok(Cell::Null);
    }
    let shown = || {
        if t.len() > 60 {
            format!("{:?}…", &t[..t.floor_char_boundary(60)])
        } else {
            format!("{t:?}")
        }
    };
    let bad = |what: &str| Err(format!("expected {what}, got {}", shown()));
    match ty {
        KqlType::String | KqlType::Guid => Ok(Cell::Text(Cow::Owned(text.to_string()))),
        KqlType::Dynamic => Ok(Cell::Text(Cow::Owned(
            if serde_json::from_str::<&RawValue>(t).is_ok() {
                t.to_string()
            } else {
                serde_json::Value::String(text.to_string()).to_string()
            },
        ))),
        KqlType::Bool => match kql_functions::udf::bool_of_text(t) {
            Some(b) => Ok(Cell::Bool(b)),
            None => bad("a bool"),
        },
        KqlType::Int => match t.parse::<i32>() {
            Ok(v) => Ok(Cell::Long(i64::from(v))),
            Err(_) => bad("an int"),
        },
        KqlType::Long => match t.parse::<i64>() {
            Ok(v) => Ok(Cell::Long(v)),
            Err(_) => bad("a long"),
        },
        KqlType::Real => match t.parse::<f64>() {
            Ok(v) => Ok(Cell::Real(v)),
            Err(_) => bad("a number"),
        },
        KqlType::Decimal => match t.parse::<f64>() {
            Ok(_) => Ok(Cell::Text(Cow::Owned(t.to_string()))),
            Err(_) => bad("a number"),
        },
        KqlType::Datetime => match temporal::parse_datetime(t).and_then(|v| v.checked_mul(100)) {
            Some(ns) => Ok(Cell::Nanos(ns)),
            None => bad("a datetime"),
        },
        KqlType::Timespan => match temporal::parse_timespan(t).and_then(|v| v.checked_mul(100)) {
            Some(ns) => Ok(Cell::Nanos(ns)),
            None => bad("a timespan"),
        },
    }
}

/// The columns: the schema plus headers beyond it, typed from the first `infer_rows` rows.
fn columns_of(paths: &[PathBuf], options: &LoadOptions) -> Result<Vec<KqlColumn>, EngineError> {
    let known = options.schema.clone().unwrap_or_default();
    let known_names: Vec<String> = known.iter().map(|c| c.name.to_lowercase()).collect();
    let mut order: Vec<String> = Vec::new();
    let mut types: HashMap<String, Option<KqlType>> = HashMap::new();
    let mut seen = 0usize;
    for path in paths {
        let display = path.display().to_string();
        let mut reader = reader(path, None)?;
        let headers = headers(&mut reader, &display)?;
        for h in &headers {
            if !known_names.contains(&h.to_lowercase()) && !types.contains_key(h) {
                order.push(h.clone());
                types.insert(h.clone(), None);
            }
        }
        let mut record = csv::StringRecord::new();
        while seen < options.infer_rows {
            match reader.read_record(&mut record) {
                Ok(true) if record.len() == headers.len() => {
                    for (h, field) in headers.iter().zip(record.iter()) {
                        if let Some(entry) = types.get_mut(h) {
                            *entry = merge(*entry, kind_of(field));
                        }
                    }
                    seen += 1;
                }
                Ok(true) | Err(_) => {}
                Ok(false) => break,
            }
        }
    }
    let mut columns = known;
    columns.extend(order.into_iter().map(|h| {
        let ty = types.get(&h).copied().flatten().unwrap_or(KqlType::String);
        KqlColumn::new(h, ty)
    }));
    Ok(columns)
}

fn kind_of(text: &str) -> Option<KqlType> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    if t.parse::<i64>().is_ok() {
        return Some(KqlType::Long);
    }
    if t.bytes().any(|b| b.is_ascii_digit()) && t.parse::<f64>().is_ok() {
        return Some(KqlType::Real);
    }
    if t.eq_ignore_ascii_case("true") || t.eq_ignore_ascii_case("false") {
        return Some(KqlType::Bool);
    }
    let b = t.as_bytes();
    if b.len() >= 10
        && b[4] == b'-'
        && b[..4].iter().all(u8::is_ascii_digit)
        && temporal::parse_datetime(t).is_some()
    {
        return Some(KqlType::Datetime);
    }
    if (t.starts_with('{') || t.starts_with('[')) && serde_json::from_str::<&RawValue>(t).is_ok() {
        return Some(KqlType::Dynamic);
    }
    Some(KqlType::String)
}

fn merge(a: Option<KqlType>, b: Option<KqlType>) -> Option<KqlType> {
    match (a, b) {
        (None, x) | (x, None) => x,
        (Some(x), Some(y)) if x == y => Some(x),
        (Some(KqlType::Long), Some(KqlType::Real)) | (Some(KqlType::Real), Some(KqlType::Long)) => {
            Some(KqlType::Real)
        }
        _ => Some(KqlType::String),
    }
}
