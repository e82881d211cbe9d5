//! The key/value extraction behind the `parse-kv` operator: text such as
//! `ThreadId:458745723, Machine:Node001` read into a bag of the wanted keys.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, StringBuilder};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::exec_err;

use super::kernel::{StrArg, push_json_str, string_udf};

/// How `parse-kv` reads its text (its `with (…)` parameters).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct KvOptions {
    /// Between pairs (`pair_delimiter`); empty with `kv_delimiter` empty: find the keys in the
    /// text on their own.
    pub pair_delimiter: String,
    /// Between a key and its value (`kv_delimiter`).
    pub kv_delimiter: String,
    /// The quote characters (`quote`): one character quotes on both sides, two are the opening
    /// and the closing one.
    pub quote: String,
    /// The escape character inside quotes (`escape`).
    pub escape: Option<char>,
    /// Whether an unquoted value runs up to the next key rather than the next pair delimiter.
    pub greedy: bool,
}

impl KvOptions {
    /// The options as the text argument of the UDF.
    pub fn to_json(&self) -> String {
        serde_json::json!({
            "pair": self.pair_delimiter,
            "kv": self.kv_delimiter,
            "quote": self.quote,
            "escape": self.escape.map(String::from),
            "greedy": self.greedy,
        })
        .to_string()
    }

    fn from_json(text: &str) -> Option<Self> {
        let v: serde_json::Value = serde_json::from_str(text).ok()?;
        Some(Self {
            pair_delimiter: v["pair"].as_str()?.to_string(),
            kv_delimiter: v["kv"].as_str()?.to_string(),
            quote: v["quote"].as_str()?.to_string(),
            escape: v["escape"].as_str().and_then(|s| s.chars().next()),
            greedy: v["greedy"].as_bool()?,
        })
    }

    fn quotes(&self) -> Option<(char, char)> {
        let mut chars = self.quote.chars();
        let open = chars.next()?;
        Some((open, chars.next().unwrap_or(open)))
    }
}

/// Reads a quoted string starting just after its opening quote: the text up to the closing
/// quote (escapes resolved) and the byte length consumed including the closing quote.
fn read_quoted(s: &str, close: char, escape: Option<char>) -> (String, usize) {
    let mut out = String::new();
    let mut chars = s.char_indices();
    while let Some((i, c)) = chars.next() {
        if Some(c) == escape {
            if let Some((_, next)) = chars.next() {
                out.push(next);
            }
            continue;
        }
        if c == close {
            return (out, i + c.len_utf8());
        }
        out.push(c);
    }
    (out, s.len())
}

/// The pairs of `text` with both delimiters given: split at pair delimiters outside quotes;
/// a piece without the key/value delimiter continues the previous value when greedy and is
/// skipped otherwise.
fn delimited_pairs(text: &str, o: &KvOptions) -> Vec<(String, String)> {
    let quotes = o.quotes();
    // The pieces between pair delimiters, each with its quoted parts already unquoted and a
    // flag for "held a key/value delimiter outside quotes" (its position in the piece).
    let mut pieces: Vec<(String, Option<usize>)> = Vec::new();
    let mut piece = String::new();
    let mut kv_at: Option<usize> = None;
    let mut rest = text;
    while !rest.is_empty() {
        if !o.pair_delimiter.is_empty() && rest.starts_with(&o.pair_delimiter) {
            pieces.push((std::mem::take(&mut piece), kv_at.take()));
            rest = &rest[o.pair_delimiter.len()..];
            continue;
        }
        if kv_at.is_none() && !o.kv_delimiter.is_empty() && rest.starts_with(&o.kv_delimiter) {
            kv_at = Some(piece.len());
            piece.push_str(&o.kv_delimiter);
            rest = &rest[o.kv_delimiter.len()..];
            continue;
        }
        let Some(c) = rest.chars().next() else { break };
        if let Some((open, close)) = quotes
            && c == open
        {
            let (quoted, used) = read_quoted(&rest[c.len_utf8()..], close, o.escape);
            piece.push_str(&quoted);
            rest = &rest[c.len_utf8() + used..];
            continue;
        }
        piece.push(c);
        rest = &rest[c.len_utf8()..];
    }
    pieces.push((piece, kv_at));
    let mut pairs: Vec<(String, String)> = Vec::new();
    for (piece, kv_at) in pieces {
        match kv_at {
            Some(at) => {
                let key = piece[..at].trim().to_string();
                let value = piece[at + o.kv_delimiter.len()..].trim().to_string();
                pairs.push((key, value));
            }
            None if o.greedy => {
                if let Some((_, value)) = pairs.last_mut() {
                    value.push_str(&o.pair_delimiter);
                    value.push_str(piece.trim_end());
                }
            }
            None => {}
        }
    }
    pairs
}

/// The value of `key` in `text` without given delimiters: the key as a whole word, then `:` or
/// `=` (spaces around allowed), then a quoted value or one that runs to the next white space,
/// `,`, `;` or `|`.
fn find_key(text: &str, key: &str, o: &KvOptions) -> Option<String> {
    if key.is_empty() {
        return None;
    }
    let quotes = o.quotes().or(Some(('"', '"')));
    let mut from = 0;
    while let Some(pos) = text[from..].find(key) {
        let start = from + pos;
        let end = start + key.len();
        from = start + key.len().max(1);
        let before_ok = text[..start]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric() && c != '_');
        if !before_ok {
            continue;
        }
        let after = text[end..].trim_start();
        let Some(after) = after.strip_prefix([':', '=']) else {
            continue;
        };
        let value = after.trim_start();
        if let Some((open, close)) = quotes
            && let Some(inner) = value.strip_prefix(open)
        {
            return Some(read_quoted(inner, close, o.escape).0);
        }
        let stop = value
            .find(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '|'))
            .unwrap_or(value.len());
        return Some(value[..stop].to_string());
    }
    None
}

/// The wanted keys' values in `text`, as a JSON object of strings (the first occurrence of a
/// key wins; missing keys are absent).
pub(crate) fn key_values(text: &str, keys: &[String], o: &KvOptions) -> String {
    let mut out = String::from("{");
    let mut first = true;
    let mut push = |out: &mut String, k: &str, v: &str| {
        if !first {
            out.push(',');
        }
        first = false;
        push_json_str(out, k);
        out.push(':');
        push_json_str(out, v);
    };
    if o.pair_delimiter.is_empty() && o.kv_delimiter.is_empty() {
        for key in keys {
            if let Some(v) = find_key(text, key, o) {
                push(&mut out, key, &v);
            }
        }
    } else {
        let pairs = delimited_pairs(text, o);
        for key in keys {
            if let Some((_, v)) = pairs.iter().find(|(k, _)| k == key) {
                push(&mut out, key, v);
            }
        }
    }
    out.push('}');
    out
}

string_udf!(
    /// `kql_parse_kv(text, keys, options)`: the bag [`key_values`] gives; `keys` is a JSON
    /// array of strings and `options` [`KvOptions::to_json`], both constants.
    parse_kv_udf = "kql_parse_kv",
    DataType::Utf8,
    |args, rows| {
        let text = StrArg::arg(args, 0, "parse-kv")?;
        let keys = StrArg::arg(args, 1, "parse-kv")?;
        let options = StrArg::arg(args, 2, "parse-kv")?;
        let (Some(Some(keys)), Some(Some(options))) = (keys.constant(), options.constant())
        else {
            return exec_err!("parse-kv: keys and options must be constants");
        };
        let keys: Vec<String> = serde_json::from_str(keys).unwrap_or_default();
        let Some(options) = KvOptions::from_json(options) else {
            return exec_err!("parse-kv: bad options {options}");
        };
        let mut out = StringBuilder::with_capacity(rows, rows * 32);
        for i in 0..rows {
            out.append_value(key_values(text.text(i), &keys, &options));
        }
        Ok(Arc::new(out.finish()) as ArrayRef)
    }
);

/// The `parse-kv` extraction over `text`: a `dynamic` bag of the wanted keys' string values.
pub fn parse_kv(
    text: datafusion::logical_expr::Expr,
    keys: &[String],
    options: &KvOptions,
) -> datafusion::logical_expr::Expr {
    let keys = serde_json::to_string(keys).unwrap_or_else(|_| "[]".into());
    parse_kv_udf().call(vec![
        text,
        datafusion::prelude::lit(keys),
        datafusion::prelude::lit(options.to_json()),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kv(text: &str, keys: &[&str], o: &KvOptions) -> String {
        let keys: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
        key_values(text, &keys, o)
    }

    fn delimited(pair: &str, kv: &str) -> KvOptions {
        KvOptions {
            pair_delimiter: pair.into(),
            kv_delimiter: kv.into(),
            ..KvOptions::default()
        }
    }

    #[test]
    fn delimited_pairs_trim_and_skip_pieces_without_a_key() {
        let o = delimited(",", ":");
        assert_eq!(
            kv(
                "ThreadId:4587, Machine:Node001, Text: The service is up",
                &["Text", "ThreadId", "Machine", "Nope"],
                &o
            ),
            r#"{"Text":"The service is up","ThreadId":"4587","Machine":"Node001"}"#
        );
        let o = delimited(" ", "=");
        assert_eq!(
            kv("name=John Doe phone=555 5555", &["name", "phone"], &o),
            r#"{"name":"John","phone":"555"}"#
        );
        let greedy = KvOptions { greedy: true, ..o };
        assert_eq!(
            kv("name=John Doe phone=555 5555", &["name", "phone"], &greedy),
            r#"{"name":"John Doe","phone":"555 5555"}"#
        );
    }

    #[test]
    fn quotes_hold_delimiters() {
        let o = KvOptions {
            quote: "()".into(),
            ..delimited(" ", "=")
        };
        assert_eq!(
            kv("a=(x y) (b c)=(1 2)", &["a", "b c"], &o),
            r#"{"a":"x y","b c":"1 2"}"#
        );
    }

    #[test]
    fn keys_found_without_delimiters() {
        let o = KvOptions {
            quote: "'".into(),
            escape: Some('\\'),
            ..KvOptions::default()
        };
        assert_eq!(
            kv(
                r"[INFO] ThreadId:4587, Machine:Node001, Text: 'The \' is up'",
                &["Text", "ThreadId", "Machine"],
                &o
            ),
            r#"{"Text":"The ' is up","ThreadId":"4587","Machine":"Node001"}"#
        );
        assert_eq!(kv("XThreadId:1", &["ThreadId"], &o), "{}");
    }
}
