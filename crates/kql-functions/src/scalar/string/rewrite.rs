//! Strings rewritten character by character, split into fields or joined from them:
//! `translate`, `regex_quote`, `replace_strings`, `parse_csv`, `parse_command_line`,
//! `strcat_array`, `url_encode`, `url_decode`.

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
            let texts: Vec<String> = items.iter().map(element_text).collect();
            out.append_value(texts.join(delimiter.text(i)));
        }
        Ok(Arc::new(out.finish()) as ArrayRef)
    }
);

/// The arguments of a Windows command line, split as `CommandLineToArgvW` does: white space
/// separates them outside double quotes; `2n` backslashes before a quote are `n` backslashes
/// and the quote toggles quoting, `2n + 1` are `n` and a literal quote; `""` inside quotes is a
/// literal quote; other backslashes are literal.
fn windows_arguments(line: &str) -> Vec<String> {
    let chars: Vec<char> = line.chars().collect();
    let mut args = Vec::new();
    let mut current = String::new();
    let mut in_arg = false;
    let mut quoted = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            ' ' | '\t' if !quoted => {
                if in_arg {
                    args.push(std::mem::take(&mut current));
                    in_arg = false;
                }
                i += 1;
            }
            '\\' => {
                let run = chars[i..].iter().take_while(|c| **c == '\\').count();
                in_arg = true;
                if chars.get(i + run) == Some(&'"') {
                    current.extend(std::iter::repeat_n('\\', run / 2));
                    if run % 2 == 1 {
                        current.push('"');
                        i += run + 1;
                    } else {
                        i += run;
                    }
                } else {
                    current.extend(std::iter::repeat_n('\\', run));
                    i += run;
                }
            }
            '"' => {
                in_arg = true;
                if quoted && chars.get(i + 1) == Some(&'"') {
                    current.push('"');
                    i += 2;
                } else {
                    quoted = !quoted;
                    i += 1;
                }
            }
            c => {
                in_arg = true;
                current.push(c);
                i += 1;
            }
        }
    }
    if in_arg {
        args.push(current);
    }
    args
}

string_udf!(
    /// `parse_command_line(command, "windows")`: the arguments as a `dynamic` array of
    /// strings; null for another parser name.
    parse_command_line_udf = "kql_parse_command_line",
    DataType::Utf8,
    |args, rows| {
        let command = StrArg::arg(args, 0, "parse_command_line")?;
        let parser = StrArg::arg(args, 1, "parse_command_line")?;
        let mut out = StringBuilder::with_capacity(rows, rows * 32);
        let mut buf = String::new();
        for i in 0..rows {
            if !parser.text(i).eq_ignore_ascii_case("windows") {
                out.append_null();
                continue;
            }
            buf.clear();
            buf.push('[');
            for (k, a) in windows_arguments(command.text(i)).iter().enumerate() {
                if k > 0 {
                    buf.push(',');
                }
                push_json_str(&mut buf, a);
            }
            buf.push(']');
            out.append_value(&buf);
        }
        Ok(Arc::new(out.finish()) as ArrayRef)
    }
);

/// The text form of a JSON element: a string without its quotes, null as `""`, others as JSON.
fn element_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Every lookup replaced at once: a lookup earlier in the list wins where matches overlap (so
/// `["is", "This"]` turns `This` into `Thwas`), and replaced text is not searched again. A
/// `None` replacement (a non-string element) keeps its matches as they are; a missing one
/// removes them.
fn replace_all(text: &str, lookups: &[String], replacements: &[Option<String>]) -> String {
    let mut chosen: Vec<(usize, usize, usize)> = Vec::new(); // (start, end, lookup)
    for (k, lookup) in lookups.iter().enumerate() {
        if lookup.is_empty() {
            continue;
        }
        for (start, m) in text.match_indices(lookup.as_str()) {
            let end = start + m.len();
            if chosen.iter().all(|(s, e, _)| end <= *s || start >= *e) {
                chosen.push((start, end, k));
            }
        }
    }
    chosen.sort_unstable();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (start, end, k) in chosen {
        out.push_str(&text[at..start]);
        // A replacement that is not a string leaves its match as it was (yet still claims it).
        match replacements.get(k) {
            Some(Some(r)) => out.push_str(r),
            Some(None) => out.push_str(&text[start..end]),
            None => {}
        }
        at = end;
    }
    out.push_str(&text[at..]);
    out
}

string_udf!(
    /// `replace_strings(text, lookups, replacements)`: see [`replace_all`]; the text unchanged
    /// when `lookups` or `replacements` is not an array.
    replace_strings_udf = "kql_replace_strings",
    DataType::Utf8,
    |args, rows| {
        let text = StrArg::arg(args, 0, "replace_strings")?;
        let lookups = StrArg::arg(args, 1, "replace_strings")?;
        let replacements = StrArg::arg(args, 2, "replace_strings")?;
        let strings = |json: Option<&str>| -> Option<Vec<String>> {
            match serde_json::from_str::<serde_json::Value>(json?).ok()? {
                serde_json::Value::Array(items) => Some(items.iter().map(element_text).collect()),
                _ => None,
            }
        };
        // A replacement that is not a string is `None`: its matches stay as they are.
        let replacement_list = |json: Option<&str>| -> Option<Vec<Option<String>>> {
            match serde_json::from_str::<serde_json::Value>(json?).ok()? {
                serde_json::Value::Array(items) => Some(
                    items
                        .into_iter()
                        .map(|v| match v {
                            serde_json::Value::String(s) => Some(s),
                            _ => None,
                        })
                        .collect(),
                ),
                _ => None,
            }
        };
        // Constant lists (the usual case) are read once, not for every row.
        let constant_lookups = lookups.constant().map(strings);
        let constant_replacements = replacements.constant().map(replacement_list);
        let mut out = StringBuilder::with_capacity(rows, rows * 32);
        for i in 0..rows {
            let (row_lookups, row_replacements);
            let l = match &constant_lookups {
                Some(l) => l.as_deref(),
                None => {
                    row_lookups = strings(lookups.get(i));
                    row_lookups.as_deref()
                }
            };
            let r = match &constant_replacements {
                Some(r) => r.as_deref(),
                None => {
                    row_replacements = replacement_list(replacements.get(i));
                    row_replacements.as_deref()
                }
            };
            match (l, r) {
                (Some(l), Some(r)) => out.append_value(replace_all(text.text(i), l, r)),
                _ => out.append_value(text.text(i)),
            }
        }
        Ok(Arc::new(out.finish()) as ArrayRef)
    }
);

/// URL encoding as KQL's `url_encode` gives it (.NET's `HttpUtility.UrlEncode`): letters,
/// digits and `-_.!*()` kept, space as `+`, every other UTF-8 byte as `%xx` in lower case.
fn url_encode(text: &str, out: &mut String) {
    for b in text.bytes() {
        match b {
            b'a'..=b'z'
            | b'A'..=b'Z'
            | b'0'..=b'9'
            | b'-'
            | b'_'
            | b'.'
            | b'!'
            | b'*'
            | b'('
            | b')' => out.push(b as char),
            b' ' => out.push('+'),
            b => {
                let _ = std::fmt::Write::write_fmt(out, format_args!("%{b:02x}"));
            }
        }
    }
}

string_udf!(
    /// `url_encode(text)`: see [`url_encode`].
    url_encode_udf = "kql_url_encode",
    DataType::Utf8,
    |args, rows| {
        let text = StrArg::arg(args, 0, "url_encode")?;
        let mut out = StringBuilder::with_capacity(rows, rows * 32);
        let mut buf = String::new();
        for i in 0..rows {
            buf.clear();
            url_encode(text.text(i), &mut buf);
            out.append_value(&buf);
        }
        Ok(Arc::new(out.finish()) as ArrayRef)
    }
);

string_udf!(
    /// `url_decode(text)`: `%xx` escapes decoded and `+` read as a space; null when the bytes
    /// are not UTF-8.
    url_decode_udf = "kql_url_decode",
    DataType::Utf8,
    |args, rows| {
        let text = StrArg::arg(args, 0, "url_decode")?;
        let mut out = StringBuilder::with_capacity(rows, rows * 32);
        for i in 0..rows {
            let spaced = text.text(i).replace('+', " ");
            let decoded = percent_encoding::percent_decode_str(&spaced).decode_utf8().ok();
            out.append_option(decoded);
        }
        Ok(Arc::new(out.finish()) as ArrayRef)
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replacements_happen_at_once_with_earlier_lookups_first() {
        let strings = |xs: &[&str]| xs.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let some = |xs: &[&str]| xs.iter().map(|x| Some(x.to_string())).collect::<Vec<_>>();
        let text = "This is an example";
        assert_eq!(
            replace_all(text, &strings(&["This", "is"]), &some(&["This", "was"])),
            "This was an example"
        );
        assert_eq!(
            replace_all(text, &strings(&["is", "This"]), &some(&["was", "This"])),
            "Thwas was an example"
        );
        assert_eq!(
            replace_all(
                "a cat and a dog",
                &strings(&["cat", "dog"]),
                &some(&["dog", "bird"])
            ),
            "a dog and a bird"
        );
        let mut s = String::new();
        url_encode("https://www.bing.com/ a+é", &mut s);
        assert_eq!(s, "https%3a%2f%2fwww.bing.com%2f+a%2b%c3%a9");
    }

    #[test]
    fn windows_command_lines() {
        assert_eq!(
            windows_arguments(r#"echo "hello world!""#),
            vec!["echo", "hello world!"]
        );
        assert_eq!(
            windows_arguments(r#"a\\"b c" d\\\"e "" f\\g "x""y""#),
            vec![r"a\b c", r#"d\"e"#, "", r"f\\g", r#"x"y"#]
        );
        assert!(windows_arguments("   ").is_empty());
    }

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
