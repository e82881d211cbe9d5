//! Strings rewritten character by character, split into fields or joined from them:
//! `translate`, `regex_quote`, `parse_csv`, `strcat_array`.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, StringBuilder};
use datafusion::arrow::datatypes::DataType;

use super::kernel::{StrArg, push_json_str, string_udf};

string_udf!(
    /// `translate(searchList, replacementList, source)`: each character of `source` that is in
    /// `searchList` replaced by the character at the same place in `replacementList` (its last
    /// character when it is shorter), or removed when `replacementList` is empty.
    translate_udf = "kql_translate",
    DataType::Utf8,
    |args, rows| {
        let search = StrArg::arg(args, 0, "translate")?;
        let replace = StrArg::arg(args, 1, "translate")?;
        let source = StrArg::arg(args, 2, "translate")?;
        let mut out = StringBuilder::with_capacity(rows, rows * 16);
        let mut buf = String::new();
        for i in 0..rows {
            let from: Vec<char> = search.text(i).chars().collect();
            let to: Vec<char> = replace.text(i).chars().collect();
            buf.clear();
            for c in source.text(i).chars() {
                match from.iter().position(|f| *f == c) {
                    None => buf.push(c),
                    Some(p) => {
                        if let Some(r) = to.get(p).or(to.last()) {
                            buf.push(*r);
                        }
                    }
                }
            }
            out.append_value(&buf);
        }
        Ok(Arc::new(out.finish()) as ArrayRef)
    }
);

/// .NET's `Regex.Escape`, which KQL's `regex_quote` is: `\ * + ? | { [ ( ) ^ $ . #` and white
/// space escaped.
fn regex_quote(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '\\' | '*' | '+' | '?' | '|' | '{' | '[' | '(' | ')' | '^' | '$' | '.' | '#' | ' ' => {
                out.push('\\');
                out.push(c);
            }
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\u{c}' => out.push_str("\\f"),
            c => out.push(c),
        }
    }
}

string_udf!(
    /// `regex_quote(s)`: `s` with the characters that mean something in a regex escaped.
    regex_quote_udf = "kql_regex_quote",
    DataType::Utf8,
    |args, rows| {
        let source = StrArg::arg(args, 0, "regex_quote")?;
        let mut out = StringBuilder::with_capacity(rows, rows * 16);
        let mut buf = String::new();
        for i in 0..rows {
            buf.clear();
            regex_quote(source.text(i), &mut buf);
            out.append_value(&buf);
        }
        Ok(Arc::new(out.finish()) as ArrayRef)
    }
);

/// The fields of the first CSV record of `text` (RFC 4180: `,` separates, `"` quotes, `""` is a
/// quote inside quotes, an unquoted line break ends the record).
fn csv_fields(text: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                c => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => quoted = true,
            ',' => fields.push(std::mem::take(&mut field)),
            '\n' => break,
            '\r' if chars.peek() == Some(&'\n') => break,
            c => field.push(c),
        }
    }
    fields.push(field);
    fields
}

string_udf!(
    /// `parse_csv(s)`: the fields of the first CSV record of `s`, as a `dynamic` array.
    parse_csv_udf = "kql_parse_csv",
    DataType::Utf8,
    |args, rows| {
        let source = StrArg::arg(args, 0, "parse_csv")?;
        let mut out = StringBuilder::with_capacity(rows, rows * 32);
        let mut buf = String::new();
        for i in 0..rows {
            buf.clear();
            buf.push('[');
            for (k, f) in csv_fields(source.text(i)).iter().enumerate() {
                if k > 0 {
                    buf.push(',');
                }
                push_json_str(&mut buf, f);
            }
            buf.push(']');
            out.append_value(&buf);
        }
        Ok(Arc::new(out.finish()) as ArrayRef)
    }
);

string_udf!(
    /// `strcat_array(array, delimiter)`: the array's elements as text (strings without their
    /// quotes, other values as JSON), joined by `delimiter`; `""` for a value that is not an
    /// array.
    strcat_array_udf = "kql_strcat_array",
    DataType::Utf8,
    |args, rows| {
        let array = StrArg::arg(args, 0, "strcat_array")?;
        let delimiter = StrArg::arg(args, 1, "strcat_array")?;
        let mut out = StringBuilder::with_capacity(rows, rows * 32);
        for i in 0..rows {
            let items = match array.get(i).map(serde_json::from_str::<serde_json::Value>) {
                Some(Ok(serde_json::Value::Array(items))) => items,
                _ => {
                    out.append_value("");
                    continue;
                }
            };
            let texts: Vec<String> = items
                .into_iter()
                .map(|v| match v {
                    serde_json::Value::String(s) => s,
                    serde_json::Value::Null => String::new(),
                    other => other.to_string(),
                })
                .collect();
            out.append_value(texts.join(delimiter.text(i)));
        }
        Ok(Arc::new(out.finish()) as ArrayRef)
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_records_and_regex_escapes() {
        assert_eq!(
            csv_fields("aa,\"b,b\",\"q \"\"x\"\"\",\"l1\nl2\"\nnext,row"),
            vec!["aa", "b,b", "q \"x\"", "l1\nl2"]
        );
        assert_eq!(csv_fields(""), vec![""]);
        let mut s = String::new();
        regex_quote("(so$me.Te^xt) a#]", &mut s);
        assert_eq!(s, r"\(so\$me\.Te\^xt\)\ a\#]");
    }
}
