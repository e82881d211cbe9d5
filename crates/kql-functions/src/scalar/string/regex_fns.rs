//! String functions over regular expressions: `extract`, `extract_all`, `replace_regex`,
//! `trim`, `trim_start`, `trim_end`, `countof(…, "regex")`.
//!
//! KQL's regex syntax (regex.md) is the Rust `regex` crate's. A pattern that is the same for the
//! whole batch is compiled once (and kept in a shared cache); one that does not compile gives
//! null. Literal patterns are checked when the call is lowered.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, Int64Builder, StringBuilder};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;
use datafusion::logical_expr::ColumnarValue;
use regex::Regex;

use super::kernel::{IntArg, PatternArg, StrArg, cached_regex, push_json_str, string_udf};

string_udf!(
    /// `extract(regex, group, text)`.
    extract_udf = "kql_extract", DataType::Utf8, extract_kernel
);
string_udf!(
    /// `extract_all(regex, text)` / `extract_all(regex, groups, text)` → JSON array text.
    extract_all_udf = "kql_extract_all", DataType::Utf8, extract_all_kernel
);
string_udf!(
    /// `replace_regex(text, regex, rewrite)`.
    replace_regex_udf = "kql_replace_regex", DataType::Utf8, replace_regex_kernel
);
string_udf!(
    /// `trim(regex, text)`.
    trim_udf = "kql_trim", DataType::Utf8, trim_kernel::<true, true>
);
string_udf!(
    /// `trim_start(regex, text)`.
    trim_start_udf = "kql_trim_start", DataType::Utf8, trim_kernel::<true, false>
);
string_udf!(
    /// `trim_end(regex, text)`.
    trim_end_udf = "kql_trim_end", DataType::Utf8, trim_kernel::<false, true>
);
string_udf!(
    /// `countof(text, regex, "regex")`.
    countof_regex_udf = "kql_countof_regex", DataType::Int64, countof_regex_kernel
);

/// `extract` (extract-function.md): the capture group of the first match; null when there is no
/// match or no such group, `""` for a group that took no part in the match.
fn extract_kernel(args: &[ColumnarValue], rows: usize) -> Result<ArrayRef> {
    let mut regex = PatternArg::new(args, 0, "kql_extract", cached_regex)?;
    let group = IntArg::arg_or(args, 1, 0)?;
    let text = StrArg::arg(args, 2, "kql_extract")?;
    let mut out = StringBuilder::with_capacity(rows, rows * 8);
    let mut locations = None;
    for i in 0..rows {
        let (Some(re), Some(g)) = (regex.get(i), group.get(i)) else {
            out.append_null();
            continue;
        };
        let s = text.text(i);
        let g = match usize::try_from(g) {
            Ok(g) if g < re.captures_len() => g,
            _ => {
                out.append_null();
                continue;
            }
        };
        if g == 0 {
            out.append_option(re.find(s).map(|m| m.as_str()));
            continue;
        }
        let locs = match &mut locations {
            Some(l) => l,
            None => locations.insert(re.capture_locations()),
        };
        if locs.len() != re.captures_len() {
            *locs = re.capture_locations();
        }
        match re.captures_read(locs, s) {
            None => out.append_null(),
            Some(_) => out.append_value(locs.get(g).map_or("", |(b, e)| &s[b..e])),
        }
    }
    Ok(Arc::new(out.finish()))
}

/// Which capture groups `extract_all` reports, resolved against a regex.
fn resolve_groups(re: &Regex, spec: Option<&str>) -> Option<Vec<usize>> {
    let count = re.captures_len();
    let Some(spec) = spec else {
        // Every group, or the whole match when the regex has none.
        return Some(if count > 1 {
            (1..count).collect()
        } else {
            vec![0]
        });
    };
    let serde_json::Value::Array(items) = serde_json::from_str(spec).ok()? else {
        return None;
    };
    if items.is_empty() {
        return None;
    }
    items
        .iter()
        .map(|item| match item {
            serde_json::Value::Number(n) => {
                let g = usize::try_from(n.as_i64()?).ok()?;
                (g < count).then_some(g)
            }
            serde_json::Value::String(name) => {
                re.capture_names().position(|n| n == Some(name.as_str()))
            }
            _ => None,
        })
        .collect()
}

/// `extract_all` (extract-all-function.md): every match as a JSON array, of the one selected
/// group's values, or of arrays of the selected groups' values when there are several; null when
/// nothing matches or the groups are invalid.
fn extract_all_kernel(args: &[ColumnarValue], rows: usize) -> Result<ArrayRef> {
    let mut regex = PatternArg::new(args, 0, "kql_extract_all", cached_regex)?;
    let (groups, text) = if args.len() >= 3 {
        (
            Some(StrArg::arg(args, 1, "kql_extract_all")?),
            StrArg::arg(args, 2, "kql_extract_all")?,
        )
    } else {
        (None, StrArg::arg(args, 1, "kql_extract_all")?)
    };
    let mut out = StringBuilder::with_capacity(rows, rows * 16);
    let mut buf = String::new();
    for i in 0..rows {
        let Some(re) = regex.get(i) else {
            out.append_null();
            continue;
        };
        let spec = groups.as_ref().map(|g| g.text(i));
        let Some(selected) = resolve_groups(re, spec) else {
            out.append_null();
            continue;
        };
        let s = text.text(i);
        buf.clear();
        buf.push('[');
        let mut matched = false;
        for caps in re.captures_iter(s) {
            if matched {
                buf.push(',');
            }
            matched = true;
            let value = |g: usize| caps.get(g).map_or("", |m| m.as_str());
            if let [g] = selected.as_slice() {
                push_json_str(&mut buf, value(*g));
            } else {
                buf.push('[');
                for (k, g) in selected.iter().enumerate() {
                    if k > 0 {
                        buf.push(',');
                    }
                    push_json_str(&mut buf, value(*g));
                }
                buf.push(']');
            }
        }
        buf.push(']');
        if matched {
            out.append_value(&buf);
        } else {
            out.append_null();
        }
    }
    Ok(Arc::new(out.finish()))
}

/// A KQL rewrite pattern in the `regex` crate's replacement syntax: `\0`…`\9` name groups
/// (replace-regex-function.md), `\\` is a backslash, and `$` has no special meaning.
pub(crate) fn translate_rewrite(rewrite: &str) -> String {
    let mut out = String::with_capacity(rewrite.len() + 8);
    let mut chars = rewrite.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.peek().copied() {
                Some(d) if d.is_ascii_digit() => {
                    out.push_str("${");
                    out.push(d);
                    out.push('}');
                    chars.next();
                }
                Some('\\') => {
                    out.push('\\');
                    chars.next();
                }
                _ => out.push('\\'),
            },
            '$' => out.push_str("$$"),
            c => out.push(c),
        }
    }
    out
}

fn rewrite_of(rewrite: &str) -> Option<String> {
    Some(translate_rewrite(rewrite))
}

/// `replace_regex(text, regex, rewrite)`: every non-overlapping match replaced.
fn replace_regex_kernel(args: &[ColumnarValue], rows: usize) -> Result<ArrayRef> {
    let text = StrArg::arg(args, 0, "kql_replace_regex")?;
    let mut regex = PatternArg::new(args, 1, "kql_replace_regex", cached_regex)?;
    let mut rewrite = PatternArg::new(args, 2, "kql_replace_regex", rewrite_of)?;
    let mut out = StringBuilder::with_capacity(rows, rows * 16);
    for i in 0..rows {
        match (regex.get(i), rewrite.get(i)) {
            (Some(re), Some(rw)) => out.append_value(re.replace_all(text.text(i), rw.as_str())),
            _ => out.append_null(),
        }
    }
    Ok(Arc::new(out.finish()))
}

/// The regexes that trim one pattern: any number of matches in a row at the start, and at the
/// end.
struct Trimmer {
    start: Regex,
    end: Regex,
}

/// `None` when the pattern does not compile on its own (wrapping could make a broken pattern
/// such as `a)(b` compile).
fn trimmer(pattern: &str) -> Option<Trimmer> {
    cached_regex(pattern)?;
    Some(Trimmer {
        start: cached_regex(&format!("^(?:{pattern})+"))?,
        end: cached_regex(&format!("(?:{pattern})+$"))?,
    })
}

/// `trim`, `trim_start`, `trim_end` (trim-function.md): the matches of the regex at the start
/// and/or end removed. `trim` removes "all leading and trailing matches", so consecutive matches
/// are removed, for the one-sided forms too.
fn trim_kernel<const START: bool, const END: bool>(
    args: &[ColumnarValue],
    rows: usize,
) -> Result<ArrayRef> {
    let mut pattern = PatternArg::new(args, 0, "kql_trim", trimmer)?;
    let text = StrArg::arg(args, 1, "kql_trim")?;
    let mut out = StringBuilder::with_capacity(rows, rows * 16);
    for i in 0..rows {
        let Some(t) = pattern.get(i) else {
            out.append_null();
            continue;
        };
        let mut s = text.text(i);
        if START && let Some(m) = t.start.find(s) {
            s = &s[m.end()..];
        }
        if END && let Some(m) = t.end.find(s) {
            s = &s[..m.start()];
        }
        out.append_value(s);
    }
    Ok(Arc::new(out.finish()))
}

/// `countof(text, regex, "regex")`: regex matches do not overlap (countof-function.md).
fn countof_regex_kernel(args: &[ColumnarValue], rows: usize) -> Result<ArrayRef> {
    let text = StrArg::arg(args, 0, "kql_countof_regex")?;
    let mut regex = PatternArg::new(args, 1, "kql_countof_regex", cached_regex)?;
    let mut out = Int64Builder::with_capacity(rows);
    for i in 0..rows {
        out.append_option(
            regex
                .get(i)
                .map(|re| re.find_iter(text.text(i)).count() as i64),
        );
    }
    Ok(Arc::new(out.finish()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrite_translation() {
        assert_eq!(translate_rewrite(r"was: \1"), "was: ${1}");
        assert_eq!(translate_rewrite(r"\0\12"), "${0}${1}2");
        assert_eq!(translate_rewrite(r"$1 costs $ \\ \x"), r"$$1 costs $$ \ \x");
    }

    #[test]
    fn groups_by_index_and_name() {
        let re = Regex::new(r"(?P<first>\w)(?P<middle>\w+)(?P<last>\w)").expect("regex");
        assert_eq!(resolve_groups(&re, None), Some(vec![1, 2, 3]));
        assert_eq!(resolve_groups(&re, Some("[1,3]")), Some(vec![1, 3]));
        assert_eq!(
            resolve_groups(&re, Some(r#"["first",2,"last"]"#)),
            Some(vec![1, 2, 3])
        );
        assert_eq!(resolve_groups(&re, Some("[4]")), None);
        assert_eq!(resolve_groups(&re, Some(r#"["nope"]"#)), None);
        assert_eq!(resolve_groups(&re, Some("3")), None);
        let plain = Regex::new(r"\d+").expect("regex");
        assert_eq!(resolve_groups(&plain, None), Some(vec![0]));
    }
}
