//! The Log Analytics query-API response, exactly as `api.loganalytics.io` sends it:
//! `{"tables":[{"name":"PrimaryResult","columns":[{"name":"x","type":"long"}],"rows":[[1]]}]}`.
//! Datetimes, timespans, decimals and guids are JSON strings, `dynamic` is a JSON-encoded
//! string, a real NaN or infinity is the string `"NaN"`/`"Infinity"`/`"-Infinity"`, a null is
//! `null` and a null string `""` (KQL strings have no null).

use std::io::{self, Write};

use super::{ColumnValues, Value, real_text};
use crate::{EngineError, QueryResult, ResultTable};

/// Writes `result` as one line of query-API JSON.
pub fn write_json(result: &QueryResult, w: &mut dyn Write) -> Result<(), EngineError> {
    let mut json = JsonResultWriter::new(w)?;
    for table in &result.tables {
        json.table(table)?;
    }
    json.finish()?;
    Ok(())
}

/// Writes the query-API JSON of a result one table at a time, so that a batch's tables can be
/// written as each statement finishes and dropped, instead of all held until the last one.
/// The document is complete only after [`finish`](Self::finish): a batch that fails half way
/// leaves it unterminated, which no JSON reader mistakes for a whole result.
pub struct JsonResultWriter<W: Write> {
    w: W,
    tables: usize,
}

impl<W: Write> JsonResultWriter<W> {
    /// Starts the document.
    pub fn new(mut w: W) -> Result<Self, EngineError> {
        w.write_all(b"{\"tables\":[").map_err(io_error)?;
        Ok(Self { w, tables: 0 })
    }

    /// Appends one table.
    pub fn table(&mut self, table: &ResultTable) -> Result<(), EngineError> {
        let w = &mut self.w;
        if self.tables > 0 {
            w.write_all(b",").map_err(io_error)?;
        }
        self.tables += 1;
        w.write_all(b"{\"name\":").map_err(io_error)?;
        string(w, &table.name)?;
        w.write_all(b",\"columns\":[").map_err(io_error)?;
        for (i, c) in table.columns.iter().enumerate() {
            if i > 0 {
                w.write_all(b",").map_err(io_error)?;
            }
            w.write_all(b"{\"name\":").map_err(io_error)?;
            string(w, &c.name)?;
            write!(w, ",\"type\":\"{}\"}}", c.ty.name()).map_err(io_error)?;
        }
        w.write_all(b"],\"rows\":[").map_err(io_error)?;
        let mut first_row = true;
        for batch in &table.batches {
            let columns = ColumnValues::of_batch(batch, &table.columns)?;
            for row in 0..batch.num_rows() {
                w.write_all(if first_row { b"[" } else { b",[" })
                    .map_err(io_error)?;
                first_row = false;
                for (i, c) in columns.iter().enumerate() {
                    if i > 0 {
                        w.write_all(b",").map_err(io_error)?;
                    }
                    value(w, &c.get(row))?;
                }
                w.write_all(b"]").map_err(io_error)?;
            }
        }
        w.write_all(b"]}").map_err(io_error)?;
        Ok(())
    }

    /// Flushes what is written so far.
    pub fn flush(&mut self) -> Result<(), EngineError> {
        self.w.flush().map_err(io_error)
    }

    /// Ends the document and gives the writer back.
    pub fn finish(mut self) -> Result<W, EngineError> {
        self.w.write_all(b"]}\n").map_err(io_error)?;
        Ok(self.w)
    }
}

/// One value in the query API's encoding.
fn value(w: &mut dyn Write, v: &Value<'_>) -> Result<(), EngineError> {
    match v {
        Value::Null => w.write_all(b"null").map_err(io_error),
        Value::Bool(b) => w
            .write_all(if *b { b"true" } else { b"false" })
            .map_err(io_error),
        Value::Long(n) => write!(w, "{n}").map_err(io_error),
        Value::Real(r) if r.is_finite() => {
            serde_json::to_writer(&mut *w, r).map_err(|e| io_error(e.into()))
        }
        Value::Real(r) => string(w, &real_text(*r)),
        Value::String(s) | Value::Guid(s) => string(w, s),
        Value::Decimal(_) | Value::Datetime(_) | Value::Timespan(_) | Value::Dynamic(_) => {
            string(w, &v.text())
        }
    }
}

fn string(w: &mut dyn Write, s: &str) -> Result<(), EngineError> {
    serde_json::to_writer(&mut *w, s).map_err(|e| io_error(e.into()))
}

/// Output errors (a closed pipe, a full disk) as engine errors; see [`EngineError::Output`].
pub(super) fn io_error(e: io::Error) -> EngineError {
    EngineError::Output(e)
}
