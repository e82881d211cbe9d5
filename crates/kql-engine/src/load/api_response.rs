//! A saved Log Analytics (or Application Insights) query-API response,
//! `{"tables":[{"name","columns":[{"name","type"}],"rows":[[…]]}]}`, read back as tables with
//! the column types it names. Kusto's v1 spelling (`Tables`, `TableName`, `Columns` with
//! `ColumnName`/`ColumnType` or a .NET `DataType`, `Rows`) is read too. Values are in the API's
//! encodings: datetimes and timespans as strings, `dynamic` as JSON-encoded strings, real NaN
//! and infinities as `"NaN"`/`"Infinity"`/`"-Infinity"`.

use std::borrow::Cow;
use std::io::Read as _;
use std::path::Path;

use kql_functions::KqlType;
use kql_planner::KqlColumn;
use serde::Deserialize;
use serde_json::value::RawValue;

use super::jsonl::{Cell, REPORTED_ERRORS, build_batch, cell, string_of};
use super::{LoadOptions, LoadReport, LoadedTable};
use crate::EngineError;
use crate::coerce::canonical_schema;

const BATCH_ROWS: usize = 65_536;

#[derive(Deserialize)]
struct Response<'a> {
    #[serde(alias = "Tables", borrow)]
    tables: Vec<Table<'a>>,
}

#[derive(Deserialize)]
struct Table<'a> {
    #[serde(alias = "TableName", default)]
    name: String,
    #[serde(alias = "Columns")]
    columns: Vec<Column>,
    #[serde(alias = "Rows", borrow)]
    rows: Vec<&'a RawValue>,
}

#[derive(Deserialize)]
struct Column {
    #[serde(alias = "ColumnName")]
    name: String,
    #[serde(rename = "type", alias = "ColumnType", default)]
    ty: Option<String>,
    #[serde(rename = "DataType", default)]
    data_type: Option<String>,
}

/// The KQL type for a column type name of the API (`long`), of Kusto v1 (`Int64`) or .NET
/// (`System.Int64`).
fn type_named(name: &str) -> Option<KqlType> {
    let lower = name.to_ascii_lowercase();
    let lower = lower.strip_prefix("system.").unwrap_or(&lower);
    Some(match lower {
        "bool" | "boolean" | "sbyte" => KqlType::Bool,
        "int" | "int32" => KqlType::Int,
        "long" | "int64" => KqlType::Long,
        "real" | "double" => KqlType::Real,
        "decimal" | "data.sqltypes.sqldecimal" | "sqldecimal" => KqlType::Decimal,
        "string" => KqlType::String,
        "datetime" | "date" => KqlType::Datetime,
        "timespan" | "time" => KqlType::Timespan,
        "guid" | "uuid" | "uniqueid" => KqlType::Guid,
        "dynamic" | "object" => KqlType::Dynamic,
        _ => return None,
    })
}

/// Reads every table of the response at `path` (gzip detected by its magic bytes): `(name in
/// the response, table)` in order.
pub fn read_api_response(
    path: &Path,
    options: &LoadOptions,
) -> Result<Vec<(String, LoadedTable)>, EngineError> {
    let display = path.display().to_string();
    let error = |line: Option<usize>, message: String| EngineError::Load {
        path: display.clone(),
        line,
        message,
    };
    let mut text = String::new();
    super::JsonSource::File(path.to_path_buf())
        .open(None)?
        .read_to_string(&mut text)
        .map_err(|e| error(None, e.to_string()))?;
    if let Some(p) = &options.progress {
        p.add(std::fs::metadata(path).map(|m| m.len()).unwrap_or(0));
    }
    let response: Response<'_> = serde_json::from_str(&text).map_err(|e| {
        error(
            Some(e.line()),
            format!("not a query API response ({{\"tables\": [...]}}): {e}"),
        )
    })?;
    let mut out = Vec::with_capacity(response.tables.len());
    for table in response.tables {
        let columns: Vec<KqlColumn> = table
            .columns
            .iter()
            .map(|c| {
                let ty = match (&c.ty, &c.data_type) {
                    (Some(t), _) | (None, Some(t)) => type_named(t).ok_or_else(|| {
                        error(
                            None,
                            format!(
                                "table '{}', column '{}': unknown type '{t}'",
                                table.name, c.name
                            ),
                        )
                    })?,
                    (None, None) => KqlType::String,
                };
                Ok(KqlColumn::new(c.name.clone(), ty))
            })
            .collect::<Result<_, EngineError>>()?;
        let schema = canonical_schema(&columns);
        let mut report = LoadReport::default();
        let mut batches = Vec::new();
        let mut rows: Vec<Vec<Cell<'_>>> = Vec::new();
        for (i, raw) in table.rows.iter().enumerate() {
            match row(raw.get(), &columns) {
                Ok(cells) => rows.push(cells),
                Err(message) => {
                    let message = format!("table '{}', row {}: {message}", table.name, i + 1);
                    if !options.skip_bad_rows {
                        return Err(error(None, message));
                    }
                    report.skipped += 1;
                    if report.first_errors.len() < REPORTED_ERRORS {
                        report.first_errors.push((0, message));
                    }
                }
            }
            if rows.len() == BATCH_ROWS {
                report.rows += rows.len();
                batches.push(build_batch(&columns, &schema, std::mem::take(&mut rows))?);
            }
        }
        if !rows.is_empty() || batches.is_empty() {
            report.rows += rows.len();
            batches.push(build_batch(&columns, &schema, rows)?);
        }
        out.push((
            table.name,
            LoadedTable {
                columns,
                batches,
                report,
            },
        ));
    }
    Ok(out)
}

fn row<'a>(raw: &'a str, columns: &[KqlColumn]) -> Result<Vec<Cell<'a>>, String> {
    let values: Vec<&'a RawValue> =
        serde_json::from_str(raw).map_err(|e| format!("expected an array of values: {e}"))?;
    if values.len() != columns.len() {
        return Err(format!(
            "{} values for {} columns",
            values.len(),
            columns.len()
        ));
    }
    values
        .iter()
        .zip(columns)
        .map(|(v, c)| {
            let v = v.get();
            let parsed = if c.ty == KqlType::Dynamic {
                Ok(dynamic(v))
            } else {
                cell(v, c.ty)
            };
            parsed.map_err(|m| format!("column '{}': {m}", c.name))
        })
        .collect()
}

/// The API sends `dynamic` as a JSON-encoded string; a string that is not JSON text is a
/// dynamic string value.
fn dynamic(raw: &str) -> Cell<'_> {
    match string_of(raw) {
        Some(s) if s.is_empty() => Cell::Null,
        Some(s) => {
            if serde_json::from_str::<&RawValue>(&s).is_ok() {
                Cell::Text(s)
            } else {
                Cell::Text(Cow::Borrowed(raw))
            }
        }
        None if raw.trim() == "null" => Cell::Null,
        None => Cell::Text(Cow::Borrowed(raw)),
    }
}
