//! CSV per RFC 4180: a header row of column names, CRLF line ends, a field quoted when it holds
//! a comma, a quote or a line break (quotes doubled). Values in KQL's text forms; null is an
//! empty field.

use std::io::Write;

use super::ColumnValues;
use super::json::io_error;
use crate::{EngineError, ResultTable};

/// Writes `table` as CSV with a header row. Each row is built in one reused buffer and written
/// whole: no allocation per row or per field beyond a value's own text.
pub fn write_csv(table: &ResultTable, w: &mut dyn Write) -> Result<(), EngineError> {
    let mut line = Vec::with_capacity(4096);
    for (i, c) in table.columns.iter().enumerate() {
        if i > 0 {
            line.push(b',');
        }
        push_field(&mut line, &c.name);
    }
    line.extend_from_slice(b"\r\n");
    w.write_all(&line).map_err(io_error)?;
    for batch in &table.batches {
        let columns = ColumnValues::of_batch(batch, &table.columns)?;
        for row in 0..batch.num_rows() {
            line.clear();
            for (i, c) in columns.iter().enumerate() {
                if i > 0 {
                    line.push(b',');
                }
                push_field(&mut line, &c.get(row).text());
            }
            line.extend_from_slice(b"\r\n");
            w.write_all(&line).map_err(io_error)?;
        }
    }
    Ok(())
}

/// Appends one field, quoted (quotes doubled) when it holds a comma, a quote or a line break.
fn push_field(out: &mut Vec<u8>, field: &str) {
    let bytes = field.as_bytes();
    let special = memchr::memchr3(b',', b'"', b'\n', bytes).is_some()
        || memchr::memchr(b'\r', bytes).is_some();
    if !special {
        out.extend_from_slice(bytes);
        return;
    }
    out.push(b'"');
    let mut rest = bytes;
    while let Some(at) = memchr::memchr(b'"', rest) {
        out.extend_from_slice(&rest[..=at]);
        out.push(b'"');
        rest = &rest[at + 1..];
    }
    out.extend_from_slice(rest);
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::push_field;

    fn field(s: &str) -> String {
        let mut out = Vec::new();
        push_field(&mut out, s);
        String::from_utf8(out).unwrap_or_default()
    }

    #[test]
    fn fields_are_quoted_only_when_they_must_be() {
        assert_eq!(field("plain é"), "plain é");
        assert_eq!(field(""), "");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("\"\""), "\"\"\"\"\"\"");
        assert_eq!(field("line\r\nbreak"), "\"line\r\nbreak\"");
        assert_eq!(field("{\"a\":1}"), "\"{\"\"a\"\":1}\"");
    }
}
