//! JSON lines: one object per row keyed by column name, as Log Analytics data export writes
//! them, so the output loads back as the same table. Unlike the query API, `dynamic` values are
//! nested JSON, not JSON-encoded strings; datetimes and timespans are strings in KQL's forms.

use std::io::Write;

use serde_json::value::RawValue;

use super::json::io_error;
use super::{ColumnValues, Value, real_text};
use crate::{EngineError, ResultTable};

/// Writes each row of `table` as one JSON object on its own line.
pub fn write_jsonl(table: &ResultTable, w: &mut dyn Write) -> Result<(), EngineError> {
    let keys: Vec<String> = table
        .columns
        .iter()
        .map(|c| serde_json::Value::String(c.name.clone()).to_string())
        .collect();
    for batch in &table.batches {
        let columns = ColumnValues::of_batch(batch, &table.columns)?;
        for row in 0..batch.num_rows() {
            w.write_all(b"{").map_err(io_error)?;
            for (i, c) in columns.iter().enumerate() {
                if i > 0 {
                    w.write_all(b",").map_err(io_error)?;
                }
                w.write_all(keys[i].as_bytes()).map_err(io_error)?;
                w.write_all(b":").map_err(io_error)?;
                let v = c.get(row);
                match &v {
                    Value::Null if c.ty() == kql_functions::KqlType::String => {
                        w.write_all(b"\"\"").map_err(io_error)?
                    }
                    Value::Null => w.write_all(b"null").map_err(io_error)?,
                    Value::Bool(b) => w
                        .write_all(if *b { b"true" } else { b"false" })
                        .map_err(io_error)?,
                    Value::Long(n) => write!(w, "{n}").map_err(io_error)?,
                    Value::Real(r) if r.is_finite() => {
                        serde_json::to_writer(&mut *w, r).map_err(|e| io_error(e.into()))?
                    }
                    Value::Real(r) => json_string(w, &real_text(*r))?,
                    Value::Dynamic(text) if serde_json::from_str::<&RawValue>(text).is_ok() => {
                        w.write_all(v.text().as_bytes()).map_err(io_error)?
                    }
                    _ => json_string(w, &v.text())?,
                }
            }
            w.write_all(b"}\n").map_err(io_error)?;
        }
    }
    Ok(())
}

fn json_string(w: &mut dyn Write, s: &str) -> Result<(), EngineError> {
    serde_json::to_writer(&mut *w, s).map_err(|e| io_error(e.into()))
}
