//! Finding things in strings: `has_any_index`, `indexof_regex`, `strcmp`.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, Int32Builder, Int64Builder};
use datafusion::arrow::datatypes::DataType;

use super::kernel::{IntArg, StrArg, cached_regex, string_udf};
use super::ops::has_term;

string_udf!(
    /// `has_any_index(source, terms)`: the index in the `dynamic` array `terms` of the first
    /// term `source` has (as the `has` operator matches), -1 if none.
    has_any_index_udf = "kql_has_any_index",
    DataType::Int64,
    |args, rows| {
        let source = StrArg::arg(args, 0, "has_any_index")?;
        let terms = StrArg::arg(args, 1, "has_any_index")?;
        // The terms as text; a constant array (the usual case) is read once.
        let read = |json: Option<&str>| -> Option<Vec<String>> {
            match serde_json::from_str::<serde_json::Value>(json?).ok()? {
                serde_json::Value::Array(items) => Some(
                    items
                        .iter()
                        .map(|t| match t {
                            serde_json::Value::String(s) => s.clone(),
                            other => other.to_string(),
                        })
                        .collect(),
                ),
                _ => None,
            }
        };
        let constant = terms.constant().map(read);
        let mut out = Int64Builder::with_capacity(rows);
        for i in 0..rows {
            let row_terms;
            let items = match &constant {
                Some(items) => items.as_deref(),
                None => {
                    row_terms = read(terms.get(i));
                    row_terms.as_deref()
                }
            };
            let Some(items) = items else {
                out.append_null();
                continue;
            };
            let hay = source.text(i);
            let found = items
                .iter()
                .position(|term| !term.is_empty() && has_term(hay, term));
            out.append_value(found.map_or(-1, |p| p as i64));
        }
        Ok(Arc::new(out.finish()) as ArrayRef)
    }
);

string_udf!(
    /// `indexof_regex(source, regex [, start [, length [, occurrence]]])`: the character index of
    /// the occurrence-th match at or after `start` (within `length` characters, -1 for the
    /// rest), -1 if none; null for a negative start or occurrence below 1, or a bad regex.
    indexof_regex_udf = "kql_indexof_regex",
    DataType::Int64,
    |args, rows| {
        let source = StrArg::arg(args, 0, "indexof_regex")?;
        let pattern = StrArg::arg(args, 1, "indexof_regex")?;
        let start = IntArg::arg_or(args, 2, 0)?;
        let length = IntArg::arg_or(args, 3, -1)?;
        let occurrence = IntArg::arg_or(args, 4, 1)?;
        let mut out = Int64Builder::with_capacity(rows);
        for i in 0..rows {
            let found = (|| {
                let re = cached_regex(pattern.get(i)?)?;
                let (start, length, occurrence) =
                    (start.get(i)?, length.get(i)?, occurrence.get(i)?);
                if start < 0 || occurrence < 1 || length < -1 {
                    return None;
                }
                let text = source.text(i);
                let chars: Vec<(usize, char)> = text.char_indices().collect();
                let Some(&(from, _)) = chars.get(start as usize) else {
                    return Some(-1);
                };
                let to = if length == -1 {
                    text.len()
                } else {
                    chars
                        .get((start as usize).saturating_add(length as usize))
                        .map_or(text.len(), |(b, _)| *b)
                };
                let window = &text[from..to];
                let m = re.find_iter(window).nth(occurrence as usize - 1);
                Some(m.map_or(-1, |m| {
                    start + window[..m.start()].chars().count() as i64
                }))
            })();
            out.append_option(found);
        }
        Ok(Arc::new(out.finish()) as ArrayRef)
    }
);

string_udf!(
    /// `strcmp(a, b)`: -1, 0 or 1 as `a` sorts before, with or after `b` (ordinal).
    strcmp_udf = "kql_strcmp",
    DataType::Int32,
    |args, rows| {
        let a = StrArg::arg(args, 0, "strcmp")?;
        let b = StrArg::arg(args, 1, "strcmp")?;
        let mut out = Int32Builder::with_capacity(rows);
        for i in 0..rows {
            out.append_value(a.text(i).cmp(b.text(i)) as i32);
        }
        Ok(Arc::new(out.finish()) as ArrayRef)
    }
);
