//! CSV per RFC 4180: a header row of column names, CRLF line ends, a field quoted when it holds
//! a comma, a quote or a line break (quotes doubled). Values in KQL's text forms; null is an
//! empty field.

use std::io::Write;

use super::ColumnValues;
use super::json::io_error;
use crate::{EngineError, ResultTable};

/// Writes `table` as CSV with a header row.
pub fn write_csv(table: &ResultTable, w: &mut dyn Write) -> Result<(), EngineError> {
    let header: Vec<&str> = table.columns.iter().map(|c| c.name.as_str()).collect();
    record(w, header.iter().copied())?;
    for batch in &table.batches {
        let columns = ColumnValues::of_batch(batch, &table.columns)?;
        for row in 0..batch.num_rows() {
            let values: Vec<_> = columns.iter().map(|c| c.get(row)).collect();
            let texts: Vec<_> = values.iter().map(|v| v.text()).collect();
            record(w, texts.iter().map(|t| t.as_ref()))?;
        }
    }
    Ok(())
}

fn record<'a>(w: &mut dyn Write, fields: impl Iterator<Item = &'a str>) -> Result<(), EngineError> {
    for (i, f) in fields.enumerate() {
        if i > 0 {
            w.write_all(b",").map_err(io_error)?;
        }
        if f.contains([',', '"', '\r', '\n']) {
            w.write_all(b"\"").map_err(io_error)?;
            w.write_all(f.replace('"', "\"\"").as_bytes())
                .map_err(io_error)?;
            w.write_all(b"\"").map_err(io_error)?;
        } else {
            w.write_all(f.as_bytes()).map_err(io_error)?;
        }
    }
    w.write_all(b"\r\n").map_err(io_error)
}
